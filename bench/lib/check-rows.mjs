// Writes N generated claim rows (`claim,dos,dx1`) to standard output for the
// bulk-check bench: billable ICD-10-CM codes of the module in a fixed
// pseudo-random order, dates of service over two years (so rows of a code
// fall in several releases).  node bench/lib/check-rows.mjs N
import { open } from '../../js/node.js';

const n = Number(process.argv[2]);
const cm = await open('icd10cm');
const codes = [];
for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') codes.push(...cm.prefix(letter, { limit: 10000 }).filter((e) => e.billable).map((e) => e.code));
let x = 1;
const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
const day0 = Date.UTC(2025, 0, 1);
const days = Array.from({ length: 730 }, (_, i) => new Date(day0 + i * 864e5).toISOString().slice(0, 10));
process.stdout.write('claim,dos,dx1\n');
for (let i = 0; i < n; ) {
  let chunk = '';
  for (const end = Math.min(n, i + 20000); i < end; i++) chunk += `c${i},${days[Math.floor(next() * days.length)]},${codes[Math.floor(next() * codes.length)]}\n`;
  if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
}
