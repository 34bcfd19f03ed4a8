// Prints the change report of the newer releases merged into built modules
// (`info().updates`, written by scripts/build.sh --release FOLDER):
//   node scripts/changes.mjs [PKG_DIR] [SYSTEM ...]
// PKG_DIR defaults to pkg/, the systems to every module there.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dirArg, ...wanted] = process.argv.slice(2);
const dir = resolve(dirArg ?? 'pkg');
const systems = wanted.length ? wanted : ['icd10cm', 'icd10pcs', 'hcpcs'];
const show = (list) => (list.length > 12 ? `${list.slice(0, 12).join(' ')} … (${list.length - 12} more)` : list.join(' '));
for (const id of systems) {
  const glue = join(dir, `${id}.js`);
  if (!existsSync(glue)) continue;
  const mod = await import(pathToFileURL(glue));
  await mod.default({ module_or_path: await readFile(join(dir, `${id}_bg.wasm`)) });
  const info = JSON.parse(mod.info());
  for (const u of info.updates ?? []) {
    console.log(`${info.name}: ${u.release} (from ${u.effective}), ${u.file} sha256 ${u.sha256.slice(0, 12)}…`);
    for (const [table, c] of Object.entries({ codes: u.codes, modifiers: u.modifiers })) {
      if (table === 'modifiers' && !c.added.length && !c.deleted.length && !c.retitled.length) continue;
      for (const what of ['added', 'deleted', 'retitled']) {
        console.log(`  ${table} ${what}: ${c[what].length}${c[what].length ? `: ${show(c[what])}` : ''}`);
      }
    }
  }
}
