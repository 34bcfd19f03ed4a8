// Same-run A/B of the CPT module's `isValid` (the format check):
// `node bench/ab-cpt.mjs BEFORE [AFTER]`, each a folder holding cpt.js and
// cpt_bg.wasm (AFTER defaults to pkg/). Rounds of ~200 ms alternate between
// the two; it prints the median of 9 and checks both answer alike on inputs
// of every shape (padded, lower case, wrong length, non-ASCII, huge).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeSet } from '../js/medcode.js';

const [beforeDir, afterDir = new URL('../pkg', import.meta.url).pathname] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/ab-cpt.mjs BEFORE_DIR [AFTER_DIR]');
  process.exit(2);
}
async function load(dir) {
  const folder = resolve(dir);
  const glue = await import(pathToFileURL(`${folder}/cpt.js`).href);
  glue.initSync({ module: readFileSync(`${folder}/cpt_bg.wasm`) });
  return new CodeSet(glue);
}
const sides = { before: await load(beforeDir), after: await load(afterDir) };
const list = ['99213', '1234F', '0042T', '0001U', '9921', 'J0570'];
const rate = (set) => {
  let i = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 200) for (let k = 0; k < 1000; k++) set.isValid(list[i++ % list.length]);
  return i / (performance.now() - t0) / 1000;
};
const rounds = { before: [], after: [] };
for (let r = 0; r < 9; r++) for (const side of ['before', 'after']) rounds[side].push(rate(sides[side]));
const median = (a) => a.sort((x, y) => x - y)[4];
console.log(`cpt isValid (M/s)  before ${median(rounds.before).toFixed(2)}  after ${median(rounds.after).toFixed(2)}`);
const shapes = ['', ' 99213 ', '99213', '0042t', '992.13', 'J0570', '9921é', '１２３４５', '\u000b99213', 'x'.repeat(100), '0001X', '00001u'];
const differ = shapes.filter((c) => sides.before.isValid(c) !== sides.after.isValid(c));
console.log(`same answers: ${shapes.length - differ.length} / ${shapes.length}${differ.length ? ` (differ: ${JSON.stringify(differ)})` : ''}`);
