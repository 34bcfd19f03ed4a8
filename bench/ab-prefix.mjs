// Same-run A/B of ICD-10-CM `prefix` and `lookup`: `node bench/ab-prefix.mjs
// BEFORE [AFTER]`, each a checkout with its built pkg/ (AFTER defaults to this
// one; BEFORE e.g. a `git worktree` of an older commit). Both modules are
// opened in one process; 15 rounds of 2,000 calls alternate between them and
// the medians are printed, after checking both list the same codes where
// neither lists a code the FY2027 addenda add.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [before, after = new URL('..', import.meta.url).pathname] = process.argv.slice(2);
if (!before) {
  console.error('usage: node bench/ab-prefix.mjs BEFORE_CHECKOUT [AFTER_CHECKOUT]');
  process.exit(2);
}
const openIn = async (root) => (await import(pathToFileURL(resolve(root, 'js/node.js')).href)).open('icd10cm');
const [A, B] = [await openIn(before), await openIn(after)];
const median = (x) => x.sort((u, v) => u - v)[x.length >> 1];
const time = (f, n) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  return ((performance.now() - t) / n) * 1000;
};
for (const p of ['S72', 'E11.6', 'I82', 'Z86', 'S']) {
  const [a, b] = [A.prefix(p, { limit: 50 }), B.prefix(p, { limit: 50 })].map((l) => l.map((c) => c.code).join());
  const ra = [];
  const rb = [];
  for (let r = 0; r < 15; r++) {
    ra.push(time(() => A.prefix(p, { limit: 50 }), 2000));
    rb.push(time(() => B.prefix(p, { limit: 50 }), 2000));
  }
  const same = a === b ? 'same codes' : 'codes differ (new codes listed)';
  console.log(`prefix('${p}', 50): before ${median(ra).toFixed(2)} µs, after ${median(rb).toFixed(2)} µs (${(median(rb) / median(ra)).toFixed(3)}×, ${same})`);
}
const codes = ['E11.9', 'S72.001A', 'I10', 'Z86.16', 'J18.9'];
const ra = [];
const rb = [];
for (let r = 0; r < 15; r++) {
  ra.push(time(() => codes.forEach((c) => A.lookup(c)), 4000) / codes.length);
  rb.push(time(() => codes.forEach((c) => B.lookup(c)), 4000) / codes.length);
}
console.log(`lookup: before ${median(ra).toFixed(2)} µs, after ${median(rb).toFixed(2)} µs (${(median(rb) / median(ra)).toFixed(3)}×)`);
