// The page's file check: a CSV or TSV file chosen or dropped is checked in a
// Web Worker (js/medcode-check-worker.js, the checker of `medcode check`),
// with a progress bar, a summary table whose last column charts each
// status's share, the malformed lines named, and the results to download.
// The file never leaves the page; everything reaches the DOM as text.
const $ = (id) => document.getElementById(id);
const number = new Intl.NumberFormat('en-US');

/** Plain words for each status the checker gives. */
const STATUS_TEXT = {
  valid: 'valid on the date of service',
  empty: 'empty cell',
  header: 'header: not billable',
  'seventh-missing': '7th character missing',
  'placeholder-missing': 'placeholder X missing',
  'seventh-not-allowed': '7th character not allowed',
  unknown: 'not a code of the release',
  malformed: 'not shaped like a code',
  deleted: 'deleted by the date of service',
  'not-yet-valid': 'not yet valid on the date of service',
  'date-out-of-range': 'date before the code system',
  'bad-date': 'date of service unreadable',
  'missing-column': 'row too short',
  'malformed-row': 'malformed CSV record',
};

/**
 * Wires the file check; `systemOf()` gives the page's current system.
 * Returns nothing; the section works on its own from then on.
 */
export function setupFileCheck(systemOf) {
  const ui = {
    file: $('filecheck-file'),
    drop: $('filecheck-drop'),
    columns: $('filecheck-columns'),
    date: $('filecheck-date'),
    progress: $('filecheck-progress'),
    status: $('filecheck-status'),
    summary: $('filecheck-summary'),
    caption: $('filecheck-caption'),
    rows: $('filecheck-rows'),
    problems: $('filecheck-problems'),
    download: $('filecheck-download'),
  };
  let worker = null;
  let url = null;

  function reset() {
    worker?.terminate();
    worker = null;
    if (url) URL.revokeObjectURL(url);
    url = null;
    ui.summary.hidden = true;
    ui.problems.hidden = true;
    ui.download.hidden = true;
  }

  function showSummary(file, { summary, blob, seconds }) {
    const codes = Object.values(summary.statuses).reduce((a, b) => a + b, 0);
    ui.caption.textContent = `${file.name}: ${number.format(summary.rows)} rows, ${number.format(summary.codes)} codes in ${seconds.toFixed(1)} s; ${number.format(summary.failedRows)} rows need attention`;
    const rows = Object.entries(summary.statuses)
      .sort((a, b) => b[1] - a[1])
      .map(([status, n]) => {
        const tr = document.createElement('tr');
        tr.dataset.status = status;
        const name = document.createElement('th');
        name.scope = 'row';
        name.textContent = STATUS_TEXT[status] ?? status;
        name.title = status;
        const count = document.createElement('td');
        count.textContent = number.format(n);
        const share = document.createElement('td');
        const bar = document.createElement('meter');
        bar.min = 0;
        bar.max = codes;
        bar.value = n;
        const pct = document.createElement('span');
        pct.textContent = ` ${((100 * n) / codes).toFixed(1)}%`;
        share.append(bar, pct);
        tr.append(name, count, share);
        return tr;
      });
    ui.rows.replaceChildren(...rows);
    ui.summary.hidden = false;
    ui.problems.replaceChildren(
      ...summary.malformed.map((m) => {
        const li = document.createElement('li');
        li.textContent = m;
        return li;
      }),
    );
    ui.problems.hidden = summary.malformed.length === 0;
    url = URL.createObjectURL(blob);
    ui.download.href = url;
    ui.download.download = file.name.replace(/(\.\w+)?$/, '-checked$1');
    ui.download.hidden = false;
  }

  function run(file) {
    reset();
    const system = systemOf();
    const columns = ui.columns.value.split(',').map((c) => c.trim()).filter(Boolean);
    ui.progress.hidden = false;
    ui.progress.value = 0;
    ui.status.textContent = `Checking ${file.name}…`;
    worker = new Worker(new URL('../js/medcode-check-worker.js', import.meta.url), { type: 'module', name: 'medcode-file-check' });
    worker.addEventListener('message', ({ data }) => {
      if (data.type === 'progress') {
        ui.progress.value = data.total ? data.bytes / data.total : 0;
        ui.status.textContent = `Checking ${file.name}: ${number.format(data.rows)} rows…`;
        return;
      }
      ui.progress.value = 1;
      ui.progress.hidden = true;
      worker?.terminate();
      worker = null;
      if (data.type === 'error') {
        ui.status.textContent = `${file.name} could not be checked: ${data.message}`;
        return;
      }
      ui.status.textContent = `Checked ${file.name}.`;
      showSummary(file, data);
    });
    worker.postMessage({ op: 'check', file, system, date: ui.date.value || undefined, codeColumns: columns });
  }

  ui.file.addEventListener('change', () => ui.file.files[0] && run(ui.file.files[0]));
  ui.drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.drop.dataset.over = 'true';
  });
  ui.drop.addEventListener('dragleave', () => delete ui.drop.dataset.over);
  ui.drop.addEventListener('drop', (event) => {
    event.preventDefault();
    delete ui.drop.dataset.over;
    const file = event.dataTransfer?.files?.[0];
    if (file) run(file);
  });
}
