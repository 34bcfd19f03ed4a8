// Bulk checking (`medcode check -`) against a plain Node script with a Set of
// codes (bench/lib/check-baseline.mjs), in the same run: rows piped in from a
// generator process, output discarded; rows per second and peak memory at
// 10 k, 1 M and 10 M rows (medcode checks each row on its date of service).
//   node bench/check.mjs            (also run by `npm run bench`)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const file = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = file('.data/icd10cm.json');

/** Pipes N generated rows into a command; wall time, peak memory and rows out. */
function timed(n, args) {
  return new Promise((resolve, reject) => {
    const gen = spawn(process.execPath, [file('lib/check-rows.mjs'), String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', file('lib/max-rss.mjs'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    gen.stdout.pipe(child.stdin);
    let lines = 0;
    let firstByte = 0;
    child.stdout.on('data', (b) => {
      firstByte ||= performance.now();
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', () => {
      const seconds = (performance.now() - start) / 1000;
      const rss = Number(/max-rss-kb (\d+)/.exec(err)?.[1] ?? NaN);
      resolve({ rows: n, seconds, rate: n / seconds, rssMb: rss / 1024, linesOut: lines });
    });
  });
}

export async function runCheckBench(sizes = [10_000, 1_000_000, 10_000_000]) {
  const out = { medcode: [], baseline: [] };
  for (const n of sizes) {
    out.medcode.push(await timed(n, [file('../js/cli.js'), 'check', '-']));
    if (n <= 1_000_000) out.baseline.push(await timed(n, [file('lib/check-baseline.mjs'), DATA]));
  }
  return out;
}

export function printCheck(r) {
  const f = (x) => `${Math.round(x.rate).toLocaleString('en-US')} rows/s, ${x.seconds.toFixed(1)} s, peak ${x.rssMb.toFixed(0)} MB`;
  console.log('bulk check (medcode check -, each row on its date of service) vs a Set of codes (no dates):');
  for (const m of r.medcode) {
    const b = r.baseline.find((x) => x.rows === m.rows);
    console.log(`  ${m.rows.toLocaleString('en-US').padStart(10)} rows  medcode ${f(m)}${b ? `  |  Set ${f(b)}  |  ${(m.rate / b.rate).toFixed(2)}×` : ''}${m.linesOut === m.rows + 1 ? '' : `  LINES OUT ${m.linesOut}`}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv[2] ? process.argv.slice(2).map(Number) : undefined;
  printCheck(await runCheckBench(sizes));
}
