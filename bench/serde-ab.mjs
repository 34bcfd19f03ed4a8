// The serde-wasm-bindgen trial (README "Architecture"): same-run A/B of two
// builds, BEFORE with the structured answers crossing as one JSON string
// (`JSON.parse` in js/medcode.js) and AFTER built with the boundary crate's
// `serde` feature (JS objects made by serde_wasm_bindgen::to_value).
//
//   node bench/serde-ab.mjs BEFORE_DIR [AFTER_DIR]
//
// Each folder holds some of icd10cm, icd10cm-notes, icd10pcs, hcpcs (.js +
// _bg.wasm); modules present in both are compared. It prints each module's
// raw, gzip -9 (the gzip command, as scripts/build.sh prints) and code-section bytes, then the µs per call of dataInfo,
// releases, notes, nextCharacters and modifier through the public API
// (median of 7 rounds of ~200 ms, the two builds alternating so machine load
// falls on both), and checks that both builds give deep-equal answers.
// Build the two sides with
//   bash scripts/build.sh icd10cm icd10cm-notes icd10pcs hcpcs cpt && cp -r pkg /tmp/json-pkg
//   MEDCODE_WASM_FEATURES=serde bash scripts/build.sh icd10cm icd10cm-notes icd10pcs hcpcs cpt
//   node bench/serde-ab.mjs /tmp/json-pkg pkg
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { CodeSet } from '../js/medcode.js';

const [beforeDir, afterDir = new URL('../pkg', import.meta.url).pathname] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/serde-ab.mjs BEFORE_DIR [AFTER_DIR]');
  process.exit(2);
}

/** Bytes of the code section (id 10) of a wasm module. */
function codeBytes(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0, shift = 0, b;
    do {
      b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    if (id === 10) return size;
    at += size;
  }
  return 0;
}

/** The calls each module answers differently in the trial, by module. */
const CALLS = {
  icd10cm: {
    'dataInfo()': (s) => s.dataInfo(),
    'releases (raw export)': (s, glue) => glue.releasesAnswer(),
  },
  'icd10cm-notes': {
    "notes('E11.9')": (s) => s.notes('E11.9'),
    "notes('S72.001A')": (s) => s.notes('S72.001A'),
    "notes('E11.9', {inherited: false})": (s) => s.notes('E11.9', { inherited: false }),
    "notes('ZZZ') (null)": (s) => s.notes('ZZZ'),
  },
  icd10pcs: {
    "nextCharacters('')": (s) => s.nextCharacters(''),
    "nextCharacters('0DT')": (s) => s.nextCharacters('0DT'),
    "nextCharacters('0DTJ4Z')": (s) => s.nextCharacters('0DTJ4Z'),
  },
  hcpcs: {
    "modifier('25')": (s) => s.modifier('25'),
    "modifier('ZZ') (null)": (s) => s.modifier('ZZ'),
  },
  // Sizes only (the trial's exports are in every module).
  cpt: {},
};

async function load(dir, name) {
  const folder = resolve(dir);
  const glue = await import(pathToFileURL(`${folder}/${name}.js`).href);
  const bytes = readFileSync(`${folder}/${name}_bg.wasm`);
  glue.initSync({ module: bytes });
  const set = new CodeSet(glue);
  // `releases` is read once, when the set opens: timed as the module's
  // export plus the parse the constructor does.
  const answer = () => {
    const v = glue.releases();
    return typeof v === 'string' ? JSON.parse(v) : v;
  };
  return { set, glue: { releasesAnswer: answer }, size: { raw: bytes.length, gzip: execFileSync('gzip', ['-9', '-c', `${folder}/${name}_bg.wasm`]).length, code: codeBytes(bytes) } };
}

function usPerCall(f) {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < 200) {
    for (let i = 0; i < 50; i++) f();
    n += 50;
    t = performance.now();
  }
  return ((t - t0) * 1000) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ROUNDS = 7;

for (const [name, calls] of Object.entries(CALLS)) {
  const paths = [beforeDir, afterDir].map((d) => resolve(d, `${name}_bg.wasm`));
  if (!paths.every(existsSync)) continue;
  const before = await load(beforeDir, name);
  const after = await load(afterDir, name);
  const d = (k) => after.size[k] - before.size[k];
  console.log(`${name}: raw ${before.size.raw} -> ${after.size.raw} (${d('raw') >= 0 ? '+' : ''}${d('raw')}), gzip -9 ${before.size.gzip} -> ${after.size.gzip} (${d('gzip') >= 0 ? '+' : ''}${d('gzip')}), code section ${before.size.code} -> ${after.size.code} (${d('code') >= 0 ? '+' : ''}${d('code')})`);
  for (const [label, call] of Object.entries(calls)) {
    const [x, y] = [call(after.set, after.glue), call(before.set, before.glue)];
    assert.deepEqual(x, y, `${name} ${label}: the two builds answer differently`);
    // Same keys in the same order, null where null.
    assert.equal(JSON.stringify(x), JSON.stringify(y), `${name} ${label}: the two builds write different JSON`);
    const t = { before: [], after: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of r % 2 ? ['after', 'before'] : ['before', 'after']) {
        const s = side === 'before' ? before : after;
        t[side].push(usPerCall(() => call(s.set, s.glue)));
      }
    }
    const b = median(t.before), a = median(t.after);
    console.log(`  ${label.padEnd(38)} JSON ${b.toFixed(2).padStart(8)} µs   serde ${a.toFixed(2).padStart(8)} µs   ${a <= b ? 'serde ' + ((1 - a / b) * 100).toFixed(0) + '% faster' : 'serde ' + ((a / b - 1) * 100).toFixed(0) + '% slower'}`);
  }
}
