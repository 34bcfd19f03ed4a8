#!/usr/bin/env node
// Size budget of the shipped modules. `size-budget.json` records each
// module's raw and gzip bytes; a module more than 5% past its recorded size
// fails tests/js/size.test.mjs until the budget is updated (in the same commit,
// so the growth shows in review).
//
//   node scripts/size.mjs            print raw / gzip / brotli against the budget
//   node scripts/size.mjs --update   record the current sizes as the budget
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUDGET_FILE = path.join(root, 'size-budget.json');
/** Growth allowed past the recorded size before the budget must be updated. */
export const TOLERANCE = 1.05;
/** The modules the package ships. */
export const MODULES = ['pkg/icd10cm_bg.wasm', 'pkg/icd10cm-notes_bg.wasm', 'pkg/icd10pcs_bg.wasm', 'pkg/hcpcs_bg.wasm', 'pkg/cpt_bg.wasm'];
/** The targets issues set (gzip bytes): printed met / missed, never a test failure. */
export const TARGETS = { 'pkg/icd10cm_bg.wasm': 350_000, 'pkg/icd10pcs_bg.wasm': 450_000, 'pkg/hcpcs_bg.wasm': 150_000 };

/** Raw, gzip (level 9) and brotli (quality 11) bytes of a file under the root. */
export function measure(file) {
  const bytes = readFileSync(path.join(root, file));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Issue 16's target for a module's code (the wasm code section), gzip bytes. */
export const CODE_TARGET = 90_000;

/**
 * The code section of a wasm module (its functions' bodies, without data):
 * `{raw, gzip}` bytes, or null when the file has none. What `twiggy` breaks
 * down further (README, "Measured size and speed").
 */
export function codeBytes(file) {
  const bytes = readFileSync(path.join(root, file));
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; at < bytes.length; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    return value;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const length = leb();
    if (id === 10) {
      const code = bytes.subarray(at, at + length);
      return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
    }
    at += length;
  }
  return null;
}

export function readBudget() {
  return JSON.parse(readFileSync(BUDGET_FILE, 'utf8'));
}

/** Modules over budget, each as a sentence naming the module and the figures. */
export function overBudget(budget = readBudget()) {
  const problems = [];
  for (const file of MODULES) {
    const want = budget.modules[file];
    if (!want) {
      problems.push(`${file} has no entry in size-budget.json: run node scripts/size.mjs --update`);
      continue;
    }
    const got = measure(file);
    for (const k of ['raw', 'gzip']) {
      if (got[k] > want[k] * TOLERANCE) {
        problems.push(`${file}: ${k} ${got[k]} bytes is ${((got[k] / want[k] - 1) * 100).toFixed(1)}% over the recorded ${want[k]} (limit +5%); update size-budget.json in the same commit if the growth is intended`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const update = process.argv.includes('--update');
  const budget = update ? { note: 'Recorded module sizes in bytes; node scripts/size.mjs --update rewrites them. Tests fail past +5%.', modules: {} } : readBudget();
  for (const file of MODULES) {
    const got = measure(file);
    const want = budget.modules[file];
    const vs = want ? ` (budget raw ${want.raw}, gzip ${want.gzip})` : '';
    const target = TARGETS[file] ? `; target gzip <= ${TARGETS[file]}: ${got.gzip <= TARGETS[file] ? 'met' : 'MISSED'}` : '';
    const code = codeBytes(file);
    const codeNote = code ? `; code ${code.raw} (${code.gzip} gzip, target <= ${CODE_TARGET}: ${code.gzip <= CODE_TARGET ? 'met' : 'MISSED'})` : '';
    console.log(`size: ${file} raw ${got.raw}, gzip ${got.gzip}, brotli ${got.brotli}${vs}${target}${codeNote}`);
    if (update) budget.modules[file] = { raw: got.raw, gzip: got.gzip };
  }
  if (update) writeFileSync(BUDGET_FILE, JSON.stringify(budget, null, 2) + '\n');
  else {
    const problems = overBudget(budget);
    for (const p of problems) console.error(`size: ${p}`);
    process.exitCode = problems.length ? 1 : 0;
  }
}
