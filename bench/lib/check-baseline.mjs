// The bulk-check bench's baseline: a plain Node script doing what a
// developer would write without medcode, the codes of the JSON file in a Set
// (no dates: the JSON has none), reading CSV rows from standard input and
// writing each with a valid column.  node bench/lib/check-baseline.mjs DATA
import { readFileSync } from 'node:fs';

const codes = new Set(JSON.parse(readFileSync(process.argv[2], 'utf8')).filter((e) => e.billable).map((e) => e.code.replace('.', '')));
process.stdin.setEncoding('utf8');
let partial = '';
let header = true;
for await (const chunk of process.stdin) {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop();
  let out = '';
  for (const line of lines) {
    if (header) {
      header = false;
      out += `${line},valid\n`;
      continue;
    }
    const code = line.slice(line.lastIndexOf(',') + 1).replace('.', '').toUpperCase();
    out += `${line},${codes.has(code)}\n`;
  }
  if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once('drain', r));
}
