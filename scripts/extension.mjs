#!/usr/bin/env node
// Makes www/extension/ loadable: copies the built module (pkg/) and the
// library it needs (js/medcode.js) into www/extension/lib/, which is not
// committed. Run after `bash scripts/build.sh`; then load www/extension/ in
// chrome://extensions ("Load unpacked").
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = path.join(root, 'www/extension/lib');
const FILES = ['pkg/icd10cm.js', 'pkg/icd10cm_bg.wasm', 'js/medcode.js', 'js/medcode-fhir.js', 'js/wire.js'];

for (const f of FILES) {
  if (!existsSync(path.join(root, f))) {
    console.error(`extension: ${f} is missing; run bash scripts/build.sh first`);
    process.exit(1);
  }
}
rmSync(lib, { recursive: true, force: true });
for (const f of FILES) {
  mkdirSync(path.dirname(path.join(lib, f)), { recursive: true });
  copyFileSync(path.join(root, f), path.join(lib, f));
}
console.log(`extension: ready to load unpacked from ${path.relative(process.cwd(), path.join(root, 'www/extension')) || '.'}`);
