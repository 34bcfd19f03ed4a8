// Same-run A/B of two builds of the ICD-10-CM module through the public API:
// `node bench/ab.mjs BEFORE [AFTER]`, each a folder holding icd10cm.js and
// icd10cm_bg.wasm (AFTER defaults to pkg/). Rounds alternate between the two
// so machine load falls on both; it prints the median of 7 rounds of lookup
// (newest release and on a date) and prefix('S72', 50), then checks that both
// give the same answers. Build the other revision with
//   git stash && bash scripts/build.sh icd10cm && cp -r pkg /tmp/before && git stash pop && bash scripts/build.sh icd10cm
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeSet } from '../js/medcode.js';
import { mixedInputs } from './lib/inputs.mjs';

const [beforeDir, afterDir = new URL('../pkg', import.meta.url).pathname] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/ab.mjs BEFORE_DIR [AFTER_DIR]');
  process.exit(2);
}
const data = new URL('./.data/icd10cm.json', import.meta.url);
if (!existsSync(data)) {
  console.error('bench/.data/icd10cm.json is missing: see bench/README.md');
  process.exit(2);
}
const inputs = mixedInputs(JSON.parse(readFileSync(data, 'utf8')));

async function load(dir) {
  const folder = resolve(dir);
  const glue = await import(pathToFileURL(`${folder}/icd10cm.js`).href);
  glue.initSync({ module: readFileSync(`${folder}/icd10cm_bg.wasm`) });
  return new CodeSet(glue);
}

const sides = { before: await load(beforeDir), after: await load(afterDir) };
const KEYS = ['isValid', 'isValidOn', 'isValidMany', 'lookup', 'dated', 'prefix'];
const figures = Object.fromEntries(['before', 'after'].map((s) => [s, Object.fromEntries(KEYS.map((k) => [k, []]))]));
for (const set of Object.values(sides)) for (const x of inputs) set.lookup(x);

function rate(f) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 200) {
    for (const x of inputs) f(x);
    n += inputs.length;
  }
  return n / (performance.now() - t0) / 1e3;
}

function batchRate(set) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 200) {
    set.isValidMany(inputs);
    n += inputs.length;
  }
  return n / (performance.now() - t0) / 1e3;
}

for (let round = 0; round < 7; round++) {
  for (const [name, set] of Object.entries(sides)) {
    figures[name].isValid.push(rate((x) => set.isValid(x)));
    figures[name].isValidOn.push(rate((x) => set.isValid(x, { date: '2025-10-01' })));
    figures[name].isValidMany.push(batchRate(set));
    figures[name].lookup.push(rate((x) => set.lookup(x)));
    figures[name].dated.push(rate((x) => set.lookup(x, { date: '2025-10-01' })));
    const times = [];
    for (let i = 0; i < 1500; i++) {
      const t = process.hrtime.bigint();
      set.prefix('S72', { limit: 50 });
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    times.sort((a, b) => a - b);
    figures[name].prefix.push(times[750]);
  }
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const rows = [
  ['isValid (M/s)', 'isValid', 3],
  ['isValid on 2025-10-01 (M/s)', 'isValidOn', 3],
  ['isValidMany (M/s per code)', 'isValidMany', 3],
  ['lookup (M/s)', 'lookup', 3],
  ['lookup on 2025-10-01 (M/s)', 'dated', 3],
  ["prefix('S72', 50) median (µs)", 'prefix', 1],
];
for (const [label, key, digits] of rows) {
  console.log(`${label.padEnd(30)} before ${median(figures.before[key]).toFixed(digits).padStart(8)}  after ${median(figures.after[key]).toFixed(digits).padStart(8)}`);
}

let same = 0;
let asked = 0;
for (const x of inputs) {
  for (const date of [undefined, '2016-10-01', '2020-06-15', '2025-10-01']) {
    asked++;
    if (JSON.stringify(sides.before.lookup(x, { date })) === JSON.stringify(sides.after.lookup(x, { date }))) same++;
  }
}
const many = [sides.before.isValidMany(inputs), sides.after.isValidMany(inputs)];
let sameValid = 0;
for (const [i, x] of inputs.entries()) {
  // Both builds agree on every date, and each batch answer is its single answer.
  const agree = [undefined, '2016-10-01', '2025-10-01'].every((date) => sides.before.isValid(x, { date }) === sides.after.isValid(x, { date }))
    && many[0][i] === sides.before.isValid(x) && many[1][i] === sides.after.isValid(x);
  if (agree) sameValid++;
}
let samePrefix = 0;
let prefixes = 0;
for (const p of ['S', 'S7', 'S72', 'S72.0', 'T', 'O', 'M1', 'E11', 'Z', 'A0', 'V', 'W', 'X', 'Y']) {
  for (const limit of [5, 50, 500]) {
    prefixes++;
    if (JSON.stringify(sides.before.prefix(p, { limit })) === JSON.stringify(sides.after.prefix(p, { limit }))) samePrefix++;
  }
}
console.log(`same answers: isValid ${sameValid} / ${inputs.length}, lookup ${same} / ${asked}, prefix ${samePrefix} / ${prefixes}`);
