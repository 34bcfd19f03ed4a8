// What ships (pkg/, js/, www/) is checked as files: strict-CSP-safe glue, no
// paths of the build machine, no test-only code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function scripts(dir) {
  const out = [];
  for (const e of await readdir(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (e.isFile() && /\.(m?js)$/.test(e.name)) out.push(path.join(e.parentPath ?? e.path, e.name));
  }
  return out;
}

/** Code a page served with `script-src 'self' 'wasm-unsafe-eval'` refuses to run. */
const EVAL = [/\beval\s*\(/, /\bnew\s+Function\b/, /\bFunction\s*\(\s*['"`]/, /\bset(Timeout|Interval)\s*\(\s*['"`]/, /\bimportScripts\s*\(\s*['"`]data:/];

test('no shipped script uses eval, new Function or string timers (strict CSP)', async () => {
  const files = [...(await scripts('pkg')), ...(await scripts('js')), ...(await scripts('www'))];
  assert.ok(files.some((f) => f.endsWith(path.join('pkg', 'icd10cm.js'))), 'the wasm-bindgen glue is checked');
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const re of EVAL) assert.doesNotMatch(text, re, `${path.relative(root, file)} matches ${re}`);
  }
});

test('the shipped module holds no path of the build machine', async () => {
  const wasm = (await readFile(path.join(root, 'pkg/icd10cm_bg.wasm'))).toString('latin1');
  for (const p of new Set([root, homedir(), '/root/', '/home/', '/work/', '/tmp/'])) {
    assert.ok(!wasm.includes(p), `pkg/icd10cm_bg.wasm contains ${JSON.stringify(p)}`);
  }
  // Sources are named by the remapped prefixes only.
  assert.ok(!/\/(rustc|cargo)\/[^\0]*\/home\//.test(wasm));
});

test('the test-only trap exists in the test build and not in the shipped module', async () => {
  const shipped = (await readFile(path.join(root, 'pkg/icd10cm_bg.wasm'))).toString('latin1');
  const testBuild = (await readFile(path.join(root, 'target/test-trap/pkg/icd10cm_bg.wasm'))).toString('latin1');
  assert.ok(testBuild.includes('deliberate test-only panic'));
  assert.ok(!shipped.includes('deliberate test-only panic'));
});
