// Writes www/precache.js, the offline page's precache list: every file the
// page loads (www/ itself, the JS modules reached from www/app.js and the
// two workers by their static imports, and each system's glue and wasm),
// each with the SHA-256 of its bytes, and a version made of them all. The
// service worker (www/sw.js) imports it: a rebuilt module changes the list,
// so the browser installs the new worker, which caches exactly the new
// files; between builds every file is answered from the cache. Run by
// scripts/build.sh after the modules are built.   node scripts/precache.mjs
// (`--if-complete`: do nothing, successfully, while a module is missing).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WWW = path.join(ROOT, 'www');
const SYSTEMS = ['icd10cm', 'icd10pcs', 'hcpcs', 'cpt'];

/** The page's own files (not the service worker, not the extension). */
const PAGE = ['index.html', 'app.js', 'filecheck.js', 'style.css', 'manifest.webmanifest', 'icon.svg', 'icon-192.png', 'icon-512.png', 'icon-maskable-512.png'];

/** Relative module specifiers a JS file imports statically, dynamically or by `new URL(…, import.meta.url)`. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const found = [];
  for (const re of [/\bfrom\s+'(\.{1,2}\/[^']+)'/g, /\bimport\s*\(\s*'(\.{1,2}\/[^']+)'\s*\)/g, /\bimport\s+'(\.{1,2}\/[^']+)'/g, /new URL\(\s*'(\.{1,2}\/[^']+\.js)'\s*,\s*import\.meta\.url\)/g]) {
    for (const m of text.matchAll(re)) found.push(path.resolve(path.dirname(file), m[1]));
  }
  return found;
}

/** The JS files reached from the entries, without the pkg glue (listed per system). */
function reachable(entries) {
  const seen = new Set();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file) || file.includes(`${path.sep}pkg${path.sep}`)) continue;
    seen.add(file);
    todo.push(...importsOf(file));
  }
  return [...seen];
}

export function precacheList() {
  const files = [
    ...PAGE.map((f) => path.join(WWW, f)),
    ...reachable([path.join(WWW, 'app.js'), path.join(ROOT, 'js/medcode-worker.js'), path.join(ROOT, 'js/medcode-check-worker.js')]).filter((f) => !f.startsWith(WWW)),
    ...SYSTEMS.flatMap((s) => [path.join(ROOT, `pkg/${s}.js`), path.join(ROOT, `pkg/${s}_bg.wasm`)]),
  ];
  const unique = [...new Set(files)].sort();
  const missing = unique.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`precache: missing ${missing.map((f) => path.relative(ROOT, f)).join(', ')} (run scripts/build.sh)`);
  // `integrity` in the Subresource Integrity form: the worker's fetches check it.
  return unique.map((f) => ({ url: path.relative(WWW, f).split(path.sep).join('/'), integrity: `sha256-${createHash('sha256').update(readFileSync(f)).digest('base64')}` }));
}

/** The text of www/precache.js for the files as they are now. */
export function precacheText() {
  const files = precacheList();
  const version = createHash('sha256').update(files.map((f) => `${f.url} ${f.integrity}\n`).join('')).digest('hex').slice(0, 16);
  return `// Written by scripts/precache.mjs (scripts/build.sh): the files of the offline page\n// with the SHA-256 of each; the service worker (sw.js) caches exactly these.\nself.PRECACHE = ${JSON.stringify({ version, files }, null, 1)};\n`;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.argv.includes('--if-complete') && !SYSTEMS.every((s) => existsSync(path.join(ROOT, `pkg/${s}_bg.wasm`)))) process.exit(0);
  const text = precacheText();
  writeFileSync(path.join(WWW, 'precache.js'), text);
  console.log(`precache: www/precache.js lists ${(text.match(/"url"/g) ?? []).length} files`);
}
