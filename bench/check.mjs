// Bulk checking (`medcode check -`) against a plain Node script with a Set of
// codes (bench/lib/check-baseline.mjs), in the same run: rows piped in from a
// generator process (10 k, 1 M and 10 M rows), and rows read from a file
// written first (1 M), output counted and discarded. Prints rows per second
// of wall time, rows per CPU-second of the checking process (all its
// threads: "per core") and peak memory (medcode checks each row on its date
// of service; the Set script checks no dates).
//   node bench/check.mjs            (also run by `npm run bench`)
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const file_ = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = file_('.data/icd10cm.json');

/** Runs a command on N rows (piped from the generator, or from `file`): wall time, CPU time, peak memory, lines out. */
function timed(n, args, file) {
  return new Promise((resolve, reject) => {
    const fd = file ? openSync(file, 'r') : null;
    const gen = file ? null : spawn(process.execPath, [file_('lib/check-rows.mjs'), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', file_('lib/max-rss.mjs'), ...args], { stdio: [fd ?? 'pipe', 'pipe', 'pipe'] });
    gen?.stdout.pipe(child.stdin);
    let lines = 0;
    child.stdout.on('data', (b) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', () => {
      if (fd !== null) closeSync(fd);
      const seconds = (performance.now() - start) / 1000;
      const rss = Number(/max-rss-kb (\d+)/.exec(err)?.[1] ?? NaN);
      const cpu = Number(/cpu-us (\d+)/.exec(err)?.[1] ?? NaN) / 1e6;
      resolve({ rows: n, seconds, rate: n / seconds, cpu, cpuRate: n / cpu, rssMb: rss / 1024, linesOut: lines, from: file ? 'file' : 'pipe' });
    });
  });
}

/** Writes N generated rows to a file. */
function generate(n, path) {
  return new Promise((resolve, reject) => {
    const fd = openSync(path, 'w');
    const gen = spawn(process.execPath, [file_('lib/check-rows.mjs'), String(n)], { stdio: ['ignore', fd, 'inherit'] });
    gen.on('error', reject);
    gen.on('close', () => {
      closeSync(fd);
      resolve();
    });
  });
}

export async function runCheckBench(sizes = [10_000, 1_000_000, 10_000_000], fileRows = 1_000_000) {
  const out = { medcode: [], baseline: [] };
  const medcode = [file_('../js/cli.js'), 'check', '-'];
  const baseline = [file_('lib/check-baseline.mjs'), DATA];
  // Start-up (Node, the module, the first dated answer): the CPU time of two rows.
  out.startup = { medcode: (await timed(2, medcode)).cpu, baseline: (await timed(2, baseline)).cpu };
  for (const n of sizes) {
    out.medcode.push(await timed(n, medcode));
    if (n <= 1_000_000) out.baseline.push(await timed(n, baseline));
  }
  if (fileRows) {
    const dir = mkdtempSync(join(tmpdir(), 'medcode-check-'));
    try {
      const path = join(dir, 'rows.csv');
      await generate(fileRows, path);
      out.medcode.push(await timed(fileRows, medcode, path));
      out.baseline.push(await timed(fileRows, baseline, path));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

export function printCheck(r) {
  const f = (x) => `${Math.round(x.rate).toLocaleString('en-US')} rows/s (${Math.round(x.cpuRate).toLocaleString('en-US')} per CPU-s), ${x.seconds.toFixed(1)} s, peak ${x.rssMb.toFixed(0)} MB`;
  console.log('bulk check (medcode check -, each row on its date of service) vs a Set of codes (no dates); rows per second of wall time and per CPU-second of the checking process:');
  for (const m of r.medcode) {
    const b = r.baseline.find((x) => x.rows === m.rows && x.from === m.from);
    const ratio = b ? `  |  ${(m.rate / b.rate).toFixed(2)}× wall, ${(m.cpuRate / b.cpuRate).toFixed(2)}× CPU` : '';
    console.log(`  ${m.rows.toLocaleString('en-US').padStart(10)} rows from a ${m.from}  medcode ${f(m)}${b ? `  |  Set ${f(b)}${ratio}` : ''}${m.linesOut === m.rows + 1 ? '' : `  LINES OUT ${m.linesOut}`}`);
  }
  const s = r.startup;
  const after = (x, startup) => Math.round(x.rows / (x.cpu - startup)).toLocaleString('en-US');
  console.log(`  start-up (two rows): medcode ${(s.medcode * 1000).toFixed(0)} ms CPU, Set ${(s.baseline * 1000).toFixed(0)} ms CPU; rows per CPU-second after it:`);
  for (const m of r.medcode.filter((x) => x.rows >= 1_000_000)) {
    const b = r.baseline.find((x) => x.rows === m.rows && x.from === m.from);
    console.log(`  ${m.rows.toLocaleString('en-US').padStart(10)} rows from a ${m.from}  medcode ${after(m, s.medcode)}${b ? `  |  Set ${after(b, s.baseline)}` : ''}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv[2] ? process.argv.slice(2).map(Number) : undefined;
  printCheck(await runCheckBench(sizes));
}
