// The npm package as the publishing linters see it (issue 17): the tarball
// `npm pack` makes is checked by publint (package.json against the files it
// ships) and by Are the Types Wrong (every export's types resolve, for Node's
// ESM resolution and for bundlers), and ships its licences and a `types`
// condition on every JavaScript export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'node_modules/.bin');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

let dir;
let tarball;
let shipped;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'medcode-publish-'));
  tarball = join(dir, execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, ROOT], { encoding: 'utf8' }).trim().split('\n').pop());
  shipped = new Set(
    execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, './')),
  );
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

/** Runs a linter; on a non-zero exit fails with what it printed. */
function lint(bin, args) {
  try {
    return execFileSync(join(BIN, bin), args, { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  } catch (e) {
    assert.fail(`${bin} ${args.join(' ')} exited ${e.status}:\n${e.stdout}${e.stderr}`);
  }
}

test('publint --strict: no error and no warning on the packed tarball', () => {
  const out = lint('publint', ['run', tarball, '--strict']);
  assert.match(out, /All good!/, out);
});

test('attw (esm-only profile): every JavaScript export resolves to its types', () => {
  // `esm-only`: the package is ESM only ("type": "module", no `require`
  // condition), so attw's CommonJS (node16-cjs) and node10 resolutions do
  // not apply. The `./*.wasm` exports are the modules' files for bundlers'
  // asset loaders (`import url from 'medcode/icd10cm.wasm'`), not modules
  // TypeScript resolves, so they are left out.
  const wasm = Object.keys(pkg.exports).filter((k) => k.endsWith('.wasm'));
  assert.ok(wasm.length > 0);
  const out = lint('attw', [tarball, '--profile', 'esm-only', '--exclude-entrypoints', ...wasm, '--format', 'ascii', '--no-emoji', '--no-color']);
  for (const entry of ['medcode', 'medcode/input', 'medcode/claim', 'medcode/worker']) assert.ok(out.includes(`"${entry}"`), `attw did not check ${entry}:\n${out}`);
});

test('every JavaScript export has a `types` condition, shipped; the licences ship; sideEffects names the files with effects', () => {
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') {
      assert.ok(!target.endsWith('.js'), `${name}: a JavaScript export without types`);
      assert.ok(shipped.has(target), `${name}: ${target} is not in the tarball`);
      continue;
    }
    assert.equal(Object.keys(target)[0], 'types', `${name}: types must be the first condition`);
    for (const file of Object.values(target)) assert.ok(shipped.has(file), `${name}: ${file} is not in the tarball`);
  }
  for (const file of ['./LICENSE-MIT', './LICENSE-APACHE']) assert.ok(shipped.has(file), `${file} is not in the tarball`);
  assert.match(readFileSync(join(ROOT, 'LICENSE-MIT'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 The medcode contributors\n/);
  assert.match(readFileSync(join(ROOT, 'LICENSE-APACHE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  assert.equal(pkg.license, '(MIT OR Apache-2.0)');
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.length > 0, 'keywords');
  // medcode-input.js defines the custom element, medcode-worker.js listens
  // for messages: a bundler must keep them when nothing is imported from them.
  assert.ok(Array.isArray(pkg.sideEffects), 'sideEffects must list the files with effects');
  for (const file of ['./js/medcode-input.js', './js/medcode-worker.js']) assert.ok(pkg.sideEffects.includes(file), `sideEffects lacks ${file}`);
  for (const file of pkg.sideEffects) assert.ok(shipped.has(file), `sideEffects names ${file}, which is not shipped`);
});

// custom-elements.json is made by the Custom Elements Manifest analyzer from
// js/medcode-input.js (`npm run cem`): the committed file must be what the
// analyzer makes now, and list every attribute the README's table documents.
test('custom-elements.json is current and lists every documented attribute', () => {
  const out = 'target/cem-check';
  rmSync(join(ROOT, out), { recursive: true, force: true });
  execFileSync(join(ROOT, 'node_modules/.bin/cem'), ['analyze', '--globs', 'js/medcode-input.js', '--outdir', out], { cwd: ROOT, stdio: 'pipe' });
  const fresh = readFileSync(join(ROOT, out, 'custom-elements.json'), 'utf8');
  assert.equal(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'), fresh, 'custom-elements.json is stale: run npm run cem');
  const element = JSON.parse(fresh).modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'medcode-input');
  const attributes = new Set(element.attributes.map((a) => a.name));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| Attribute | Meaning |'));
  const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z-]+)`/g)].map((x) => x[1]));
  assert.ok(documented.length >= 14, documented.join(' '));
  assert.deepEqual(documented.filter((a) => !attributes.has(a)), [], 'documented attributes missing from the manifest');
  assert.deepEqual(element.events.map((e) => e.name).sort(), ['change', 'medcode-change', 'medcode-ready', 'medcode-select']);
});
