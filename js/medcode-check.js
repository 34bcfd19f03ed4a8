// Bulk checking of code lists: rows of a CSV or TSV export (claims, charge
// lines) in, the same rows out with result columns per code column (valid,
// status, reason, suggestion, title), and a summary. Works on lines as they
// arrive, so memory stays flat whatever the file's size. Exports repeat
// codes: a valid code's answer is kept per release (titles change only when
// a release starts), a failing code's per date (its reason names the date),
// in bounded maps.
// Used by `medcode check` (js/cli-check.js) and by the offline page's
// file check (js/medcode-check-worker.js): nothing here needs Node or a page.

/** Result columns written after each code column's name. */
export const RESULT_FIELDS = Object.freeze(['valid', 'status', 'reason', 'suggestion', 'title']);

/** Most (code, date) answers kept; the cache starts over when full. */
const CACHE_LIMIT = 1 << 18;

/** Most lines one quoted field may span before its row is called malformed. */
const MAX_CONTINUATION_LINES = 100;

/** The delimiter of a file from its first line: a tab if it has one, else a comma. */
export function detectDelimiter(line) {
  return line.includes('\t') ? '\t' : ',';
}

/**
 * The fields of one CSV/TSV record (RFC 4180 quoting: `"a ""b"" c"`);
 * `open` is true when a quoted field is not closed by the end of `text`
 * (the record goes on on the next line).
 */
export function splitRecord(text, delimiter) {
  if (!text.includes('"')) return { fields: text.split(delimiter), open: false };
  const fields = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += c;
    }
    i++;
  }
  fields.push(field);
  return { fields, open: quoted };
}

/** A field written for CSV or TSV: quoted when it holds the delimiter, a quote or a line break. */
export function quoteField(value, delimiter) {
  const s = String(value);
  return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Whether a header cell names a code column (`dx1`, `Diagnosis code`, `ICD10`, `HCPCS`, `proc_code`). */
const CODE_HEADER = /^(dx|diag|icd|hcpcs|cpt|pcs|proc|code)|code$|^(principal|primary|secondary|other)[ _-]?(dx|diag)/i;
/** Header cells ending in "code" that name no medical code (`Zip code`, `Status code`, `Payer code`). */
const OTHER_CODE = /(zip|postal|country|state|status|reason|type|payer|plan|provider|place|pos|revenue|rev|facility|bill|adjustment|remark|denial)[ _-]?code/i;
/** Whether a header cell names the date of service. */
const DATE_HEADER = /(^dos$|date.?of.?service|service.?date|^svc.?date|^date$|from.?date|admit.?date|discharge.?date)/i;

/**
 * Reads a column reference: a 1-based number or a header name (any case),
 * optionally `:SYSTEM` (`dx1:icd10cm`, `3:hcpcs`). Throws a message naming it.
 */
export function resolveColumn(spec, header, systems) {
  const [name, system] = spec.split(':');
  if (system !== undefined && !systems.includes(system)) {
    throw new Error(`column ${JSON.stringify(spec)}: ${JSON.stringify(system)} is not one of ${systems.join(', ')}`);
  }
  let index = -1;
  if (/^\d+$/.test(name)) index = Number(name) - 1;
  else if (header) index = header.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
  if (index < 0 || (header && index >= header.length)) {
    throw new Error(`column ${JSON.stringify(name)}: ${header ? `not in the header (${header.join(', ')})` : 'give a column number (the file has no header)'}`);
  }
  return { index, system, name: header ? header[index] : `column${index + 1}` };
}

/** Header cells that name their code system unmistakably (`HCPCS`, `CPT code`, `ICD-10-PCS`, `pcs1`). */
const SYSTEM_HEADERS = [
  [/hcpcs/i, 'hcpcs'],
  [/cpt/i, 'cpt'],
  [/(^|[^a-z])(icd[ _-]?10[ _-]?)?pcs([^a-z]|$)/i, 'icd10pcs'],
];

/** The system a header cell names (see SYSTEM_HEADERS), else undefined (the checker's system). */
export function systemOfHeader(name) {
  return SYSTEM_HEADERS.find(([re]) => re.test(name.trim()))?.[1];
}

/**
 * The code columns of a header when none is given: every cell naming one,
 * else the first column; a cell naming its system (`HCPCS`, `CPT`,
 * `ICD-10-PCS`) is checked against that system.
 */
export function defaultCodeColumns(header) {
  if (!header) return [{ index: 0, name: 'column1' }];
  const found = header
    .map((h, index) => ({ index, name: h, system: systemOfHeader(h) }))
    .filter((c) => CODE_HEADER.test(c.name.trim()) && !OTHER_CODE.test(c.name.trim()));
  return found.length ? found : [{ index: 0, name: header[0] }];
}

/** The date-of-service column of a header, if one is named so. */
export function defaultDateColumn(header) {
  const index = header ? header.findIndex((h) => DATE_HEADER.test(h.trim())) : -1;
  return index < 0 ? undefined : { index, name: header[index] };
}

/** A date cell as `YYYY-MM-DD`: ISO, `MM/DD/YYYY` or `YYYYMMDD`; null when it is none of those. */
export function readDate(cell) {
  const s = cell.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  let ymd = m && [m[1], m[2], m[3]];
  if (!ymd && (m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) ymd = [m[3], m[1].padStart(2, '0'), m[2].padStart(2, '0')];
  if (!ymd && (m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) ymd = [m[1], m[2], m[3]];
  if (!ymd) return null;
  const d = new Date(Date.UTC(+ymd[0], +ymd[1] - 1, +ymd[2]));
  return d.getUTCMonth() === +ymd[1] - 1 && d.getUTCDate() === +ymd[2] ? ymd.join('-') : null;
}

/**
 * Checks rows against open code sets. `sets` maps a system id to its
 * CodeSet; `columns` are the code columns (`{index, name, system?}`);
 * `dateColumn` the date-of-service column or undefined; `date` the date
 * for rows without one (default: the newest release).
 */
export class RowChecker {
  #sets;
  constructor({ sets, system, columns, dateColumn, date }) {
    this.#sets = sets;
    this.system = system;
    this.columns = columns;
    this.dateColumn = dateColumn;
    this.date = date;
    /** Rows read, rows with a failing code or a malformed record, per status, per reason. */
    this.summary = { rows: 0, codes: 0, failedRows: 0, statuses: {}, reasons: {}, malformed: [] };
  }

  /**
   * The answer for one code on one date: [valid, status, reason, suggestion,
   * title]. Validity is asked of the module for every code (`isValid`, the
   * fast path); a valid code's title is kept per release (titles change
   * only when a release starts), a failing code's whole answer per date
   * (its reason names the date).
   */
  #dateCells = new Map();

  /** A date cell read once per distinct text (see `readDate`). */
  #readDateCell(cell) {
    let d = this.#dateCells.get(cell);
    if (d === undefined) {
      d = readDate(cell);
      if (this.#dateCells.size >= CACHE_LIMIT) this.#dateCells.clear();
      this.#dateCells.set(cell, d);
    }
    return d;
  }

  answer(code, date, system) {
    const set = this.#sets[system];
    const options = this.#options(date);
    if (set.isValid(code, options)) {
      const titles = this.#titlesOf(set, system, date);
      let a = titles.get(code);
      if (a === undefined) {
        a = [true, 'valid', '', '', set.lookup(code, options)?.display ?? ''];
        if (titles.size >= CACHE_LIMIT) titles.clear();
        titles.set(code, a);
      }
      return a;
    }
    const failed = options?.failed ?? this.#failed;
    let a = failed.get(code);
    if (a === undefined) {
      const v = set.validate(code, options);
      const error = v.issues.find((i) => i.severity === 'error');
      a = [false, error?.reason ?? 'invalid', error?.text ?? '', v.suggestions.slice(0, 3).map((s) => s.code).join(' '), v.display ?? ''];
      if (failed.size >= 4096) failed.clear();
      failed.set(code, a);
    }
    return a;
  }

  /** Dates of service seen: `{date, valid codes' answers per system (shared by the dates of a release), failing codes' answers}`. */
  #dates = new Map();
  /** Failing codes' answers without a date. */
  #failed = new Map();
  /** Valid codes' answers per system and release. */
  #titles = new Map();

  /** The options object of a date, made once per date. */
  #options(date) {
    if (!date) return undefined;
    let o = this.#dates.get(date);
    if (!o) {
      if (this.#dates.size >= 4096) this.#dates.clear();
      o = { date, titles: {}, failed: new Map() };
      this.#dates.set(date, o);
    }
    return o;
  }

  /** The answers of valid codes in the release that answers on `date` (titles change only when a release starts). */
  #titlesOf(set, system, date) {
    const o = this.#options(date);
    const found = o?.titles[system];
    if (found) return found;
    const release = o ? `${system} ${set.validate('', { date }).release ?? date}` : system;
    let titles = this.#titles.get(release);
    if (!titles) this.#titles.set(release, (titles = new Map()));
    if (o) o.titles[system] = titles;
    return titles;
  }

  #count(status, reason) {
    const s = this.summary;
    s.statuses[status] = (s.statuses[status] ?? 0) + 1;
    if (reason) s.reasons[reason] = (s.reasons[reason] ?? 0) + 1;
  }

  /**
   * Checks one record (`fields`, or null for a malformed record at `line`
   * with `problem`): the result fields per code column and whether the row passes.
   */
  check(fields, line, problem) {
    const s = this.summary;
    s.rows++;
    const results = [];
    if (fields === null) {
      s.failedRows++;
      if (s.malformed.length < 100) s.malformed.push(`line ${line}: ${problem}`);
      for (const _ of this.columns) results.push([false, 'malformed-row', `line ${line}: ${problem}`, '', '']);
      this.#count('malformed-row', 'malformed-row');
      return { results, ok: false };
    }
    let date = this.date;
    let ok = true;
    if (this.dateColumn) {
      const cell = fields[this.dateColumn.index] ?? '';
      if (cell.trim() !== '') {
        date = this.#readDateCell(cell);
        if (date === null) {
          s.failedRows++;
          for (const _ of this.columns) results.push([false, 'bad-date', `line ${line}: ${JSON.stringify(cell)} is not a date (YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD)`, '', '']);
          this.#count('bad-date', 'bad-date');
          return { results, ok: false };
        }
      }
    }
    for (const c of this.columns) {
      const cell = fields[c.index];
      if (cell === undefined) {
        results.push([false, 'missing-column', `line ${line}: the row has ${fields.length} fields, no ${c.name}`, '', '']);
        this.#count('missing-column', 'missing-column');
        ok = false;
        continue;
      }
      if (cell.trim() === '') {
        results.push(['', 'empty', '', '', '']);
        continue;
      }
      s.codes++;
      const a = this.answer(cell, date, c.system ?? this.system);
      results.push(a);
      this.#count(a[1], a[0] ? '' : a[1]);
      ok &&= a[0];
    }
    if (!ok) s.failedRows++;
    return { results, ok };
  }
}

/**
 * Splits lines into records, line by line: `push(line)` and at the end
 * `end()` return the records completed, each `{fields, text, line}` (`text`
 * the record as read, its lines joined by `\n`; `line` its first line
 * number). A line whose quoted field is not closed within
 * MAX_CONTINUATION_LINES lines, or by the end, comes out alone as
 * `{fields: null, text, line, problem}` and the lines after it are read
 * again as records of their own: no line is lost.
 */
export class RecordReader {
  #delimiter;
  #n = 0;
  /** Lines of a record still open: [number, text]. */
  #pending = [];

  constructor(delimiter) {
    this.#delimiter = delimiter;
  }

  /** Whether a record is open (its quoted field goes on on the next line). */
  get pending() {
    return this.#pending.length > 0;
  }

  /** Counts `n` lines read elsewhere (the module's bulk checker), so line numbers stay right. */
  skip(n) {
    this.#n += n;
  }

  push(raw, out = []) {
    this.#n++;
    if (this.#pending.length === 0) {
      const r = splitRecord(raw, this.#delimiter);
      if (!r.open) {
        out.push({ fields: r.fields, text: raw, line: this.#n });
        return out;
      }
    }
    this.#pending.push([this.#n, raw]);
    this.#settle(false, out);
    return out;
  }

  end(out = []) {
    this.#settle(true, out);
    return out;
  }

  #settle(final, out) {
    while (this.#pending.length > 0) {
      const text = this.#pending.map((p) => p[1]).join('\n');
      const r = splitRecord(text, this.#delimiter);
      if (!r.open) {
        out.push({ fields: r.fields, text, line: this.#pending[0][0] });
        this.#pending = [];
        return;
      }
      if (!final && this.#pending.length < MAX_CONTINUATION_LINES) return;
      const [line, first] = this.#pending.shift();
      const problem = final ? 'a quoted field is not closed by the end of the file' : `a quoted field is not closed within ${MAX_CONTINUATION_LINES} lines`;
      out.push({ fields: null, text: first, line, problem });
      // Read the lines after it again, each as the start of a record.
      const rest = this.#pending;
      this.#pending = [];
      this.#n -= rest.length;
      for (const [, text] of rest) this.push(text, out);
      if (!final) return;
    }
  }
}

/** A mistake in the request (a column not in the header, an empty file): the CLI exits 2. */
export class CheckSetupError extends Error {
  usage = true;
}

/** Whether a first row is a header: it names a code or date column, or holds no digit at all. */
export function looksLikeHeader(fields) {
  return (
    defaultCodeColumns(fields)[0].index !== 0 ||
    fields.some((f) => /^(dx|diag|icd|code|hcpcs|proc|date|dos|claim|patient|line|id)/i.test(f.trim())) ||
    !fields.some((f) => /\d/.test(f))
  );
}

/** A result's fields as written after the row: quoted once per cached answer. */
function resultText(r, delimiter) {
  if (r.text !== undefined) return r.text;
  let t = '';
  for (const v of r) t += delimiter + quoteField(v, delimiter);
  r.text = t;
  return t;
}

/** Lines in arrays, as text chunks (strings) arrive: a line split between chunks is joined, `\r\n` read as `\n`. */
export async function* lineBatches(chunks) {
  let partial = '';
  for await (const chunk of chunks) {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    yield lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  if (partial !== '') yield [partial.endsWith('\r') ? partial.slice(0, -1) : partial];
}

/**
 * The records of a CSV or TSV file given as batches of lines
 * (`lineBatches`), in one array per batch. Before the first, `start` is
 * awaited with what the first line tells: `{delimiter, header, firstLine}`
 * (`header`: its fields when it is one, per `given` or `looksLikeHeader`,
 * else null; a header is line 1, not a record). `what` names the command in
 * the error for an empty file.
 */
export async function* recordBatches(batches, { header: given, source, what = 'check' }, start) {
  let reader = null;
  for await (const lines of batches) {
    let i = 0;
    if (!reader) {
      if (lines.length === 0) continue;
      const delimiter = detectDelimiter(lines[0]);
      reader = new RecordReader(delimiter);
      const first = splitRecord(lines[0], delimiter).fields;
      const header = (given ?? looksLikeHeader(first)) ? first : null;
      await start({ delimiter, header, firstLine: lines[0] });
      if (header) {
        reader.push(lines[0]);
        i = 1;
      }
    }
    const records = [];
    for (; i < lines.length; i++) reader.push(lines[i], records);
    yield records;
  }
  if (!reader) throw new CheckSetupError(`${what}: ${source ?? 'the file'} is empty`);
  yield reader.end();
}

/**
 * What the first line and the options say: the code columns
 * (`{index, name, system?}`) and the date column. Throws CheckSetupError.
 */
function planColumns(header, options) {
  const systems = options.systems ?? ['icd10cm', 'icd10pcs', 'hcpcs', 'cpt'];
  try {
    return {
      columns: options.codeColumns?.length ? options.codeColumns.map((c) => resolveColumn(c, header, systems)) : defaultCodeColumns(header),
      dateColumn: options.dateColumn !== undefined ? resolveColumn(options.dateColumn, header, systems) : defaultDateColumn(header),
    };
  } catch (e) {
    throw new CheckSetupError(`check: ${e.message}`);
  }
}

/**
 * Opens the code sets, makes the row checker and writes the header line
 * (CSV output): what `checkBatches` and `checkBytes` do once the first line
 * is read. Returns `{checker, sets, columns, header, delimiter}`.
 */
async function setUp({ delimiter, header, firstLine }, options, io) {
  const system = options.system ?? 'icd10cm';
  const { columns, dateColumn } = planColumns(header, options);
  const sets = {};
  for (const id of new Set([system, ...columns.map((c) => c.system).filter(Boolean)])) sets[id] = await options.open(id);
  const checker = new RowChecker({ sets, system, columns, dateColumn, date: options.date });
  if (header && !options.json) {
    const names = columns.flatMap((c) => RESULT_FIELDS.map((f) => (columns.length > 1 ? `${c.name}.${f}` : f)));
    await io.write(`${firstLine}${delimiter}${names.map((n) => quoteField(n, delimiter)).join(delimiter)}\n`);
  }
  return { checker, sets, columns, dateColumn, header, delimiter };
}

/** The output of checked records: each row with its result fields (CSV), or one JSON line per row. */
function recordsText(records, { checker, header, columns, delimiter }, json) {
  let text = '';
  for (const record of records) {
    const { results } = checker.check(record.fields, record.line, record.problem);
    if (json) {
      const row = header && record.fields ? Object.fromEntries(header.map((h, i) => [h, record.fields[i] ?? ''])) : record.fields;
      const checked = results.map((r, i) => ({ column: columns[i].name, code: record.fields?.[columns[i].index] ?? null, ...Object.fromEntries(RESULT_FIELDS.map((f, j) => [f, r[j]])) }));
      text += `${JSON.stringify({ line: record.line, row, text: record.fields ? undefined : record.text, results: checked })}\n`;
    } else {
      text += record.text;
      for (const r of results) text += resultText(r, delimiter);
      text += '\n';
    }
  }
  return text;
}

/**
 * Checks a CSV or TSV file given as batches of lines (`lineBatches`): the
 * delimiter and the header are found from the first line; `options`:
 * `open(system)` the code set opener, `system` (default icd10cm), `date`
 * for rows without one, `codeColumns` (`['dx1', '3:hcpcs']`, default: the
 * columns named like codes), `dateColumn`, `header` (true/false, default
 * found out), `json` (JSON Lines instead of CSV), `source` (named in
 * errors). `io.write(text)` takes the output in pieces (awaited),
 * `io.progress(rows)` is called after each batch. Returns the summary.
 */
export async function checkBatches(batches, options, io) {
  let state;
  for await (const records of recordBatches(batches, options, async (first) => (state = await setUp(first, options, io)))) {
    const text = recordsText(records, state, options.json);
    if (text !== '') await io.write(text);
    io.progress?.(state.checker.summary.rows);
  }
  return state.checker.summary;
}

/** `YYYY-MM-DD` as `yyyymmdd` when it is a real day of a year 1000–9999; undefined as 0; null otherwise. */
function dateNumber(date) {
  if (date === undefined) return 0;
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m || readDate(date) === null || +m[1] < 1000) return null;
  return +m[1] * 10000 + +m[2] * 100 + +m[3];
}

/** `a` then `b` in one array. */
function joined(a, b) {
  if (a.length === 0) return b instanceof Uint8Array ? b : new Uint8Array(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Text chunks from byte chunks: `head` first, then the rest of `it`. */
async function* decoded(head, it) {
  const decoder = new TextDecoder();
  yield decoder.decode(head, { stream: true });
  for (let r = await it.next(); !r.done; r = await it.next()) yield decoder.decode(r.value, { stream: true });
  yield decoder.decode();
}

/**
 * `checkBatches` for a file given as byte chunks (Uint8Array, as a file
 * stream or standard input gives them). When the output is CSV and every
 * code column is checked against `options.system`, the module's bulk
 * checker (`CodeSet.bulkChecker`) reads the lines and writes their answers
 * itself, as bytes; the lines it leaves (a quote, non-ASCII code or date
 * cells, a date that is not one, a missing column) are read here as
 * `checkBatches` reads them, so the output is the same either way.
 * Otherwise the bytes are decoded and given to `checkBatches`. `io.write`
 * receives strings and Uint8Arrays. Returns the summary.
 */
export async function checkBytes(chunks, options, io) {
  const it = chunks[Symbol.asyncIterator]();
  let buf = new Uint8Array(0);
  let ended = false;
  const more = async () => {
    const r = await it.next();
    if (r.done) ended = true;
    else buf = joined(buf, r.value);
    return !r.done;
  };
  while (buf.indexOf(10) < 0 && (await more()));
  const firstEnd = buf.indexOf(10) < 0 ? buf.length : buf.indexOf(10);
  const firstLine = stripCr(new TextDecoder().decode(buf.subarray(0, firstEnd)));
  const system = options.system ?? 'icd10cm';
  const delimiter = detectDelimiter(firstLine);
  const firstFields = splitRecord(firstLine, delimiter).fields;
  const header = (options.header ?? looksLikeHeader(firstFields)) ? firstFields : null;
  const date = dateNumber(options.date);
  let plan = null;
  try {
    if (buf.length > 0 && !options.json && date !== null) plan = planColumns(header, options);
  } catch {
    // checkBatches reports it.
  }
  if (!plan || plan.columns.some((c) => (c.system ?? system) !== system)) {
    return checkBatches(lineBatches(decoded(buf, it)), options, io);
  }
  const state = await setUp({ delimiter, header, firstLine }, options, io);
  const bulk = state.sets[system].bulkChecker({ delimiter, columns: plan.columns.map((c) => c.index), dateColumn: plan.dateColumn?.index ?? -1, date });
  const reader = new RecordReader(delimiter);
  let bulkRows = 0;
  try {
    const first = reader.push(firstLine);
    if (!header) await writeText(recordsText(first, state, false), io);
    let pos = firstEnd + 1;
    const lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
    for (;;) {
      for (;;) {
        if (!reader.pending) {
          const r = bulk.run(buf.subarray(pos), ended);
          if (r.out.length > 0) await io.write(r.out);
          pos += r.consumed;
          bulkRows += r.lines;
          reader.skip(r.lines);
          if (!r.stopped) break;
        }
        // One line the module left, or of a record still open: read here.
        const nl = buf.indexOf(10, pos);
        if (nl < 0 && (!ended || pos >= buf.length)) break;
        const end = nl < 0 ? buf.length : nl;
        const line = stripCr(lineDecoder.decode(buf.subarray(pos, end)));
        pos = nl < 0 ? end : nl + 1;
        await writeText(recordsText(reader.push(line), state, false), io);
      }
      io.progress?.(state.checker.summary.rows + bulkRows);
      if (ended) break;
      buf = buf.subarray(Math.min(pos, buf.length));
      pos = 0;
      await more();
    }
    await writeText(recordsText(reader.end(), state, false), io);
    return mergeSummary(state.checker.summary, bulk.summary());
  } finally {
    bulk.free();
  }
}

/** A line without the `\r` of a `\r\n` break. */
function stripCr(line) {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

async function writeText(text, io) {
  if (text !== '') await io.write(text);
}

/** The JS checker's summary with the module's counts added. */
function mergeSummary(s, b) {
  s.rows += b.rows;
  s.codes += b.codes;
  s.failedRows += b.failedRows;
  for (const [status, n] of b.statuses) {
    s.statuses[status] = (s.statuses[status] ?? 0) + n;
    if (status !== 'valid') s.reasons[status] = (s.reasons[status] ?? 0) + n;
  }
  return s;
}
