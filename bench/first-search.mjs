// First search per system in a fresh process: open the module, then time one
// `find` (for ICD-10-PCS and HCPCS this builds the word index from the title
// stores, src/search/own_index.rs).
//
//   node bench/first-search.mjs [runs] [CHECKOUT ...]
//
// With other checkouts (each with its own built pkg/, e.g. a `git worktree`
// of an older commit), their modules are timed in the same run, process by
// process in turn, so the figures compare on the same machine state.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const here = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 3);
const roots = [here, ...process.argv.slice(3).map((r) => resolve(r))];
for (const system of ['icd10cm', 'icd10pcs', 'hcpcs']) {
  const times = roots.map(() => []);
  for (let i = 0; i < runs; i++) {
    roots.forEach((root, r) => {
      if (!existsSync(join(root, 'pkg', `${system}_bg.wasm`))) return;
      const node = join(root, 'js', 'node.js');
      const script = `const { open } = await import(${JSON.stringify(node)}); const s = await open('${system}'); ` +
        `const t0 = performance.now(); s.find('appendectomy', { limit: 10 }); console.log(performance.now() - t0);`;
      times[r].push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
    });
  }
  roots.forEach((root, r) => {
    if (!times[r].length) return;
    const name = roots.length > 1 ? ` [${root === here ? 'this checkout' : root}]` : '';
    console.log(`${system.padEnd(9)} first search ${times[r].map((t) => `${t.toFixed(0)} ms`).join(', ')} (target ≤ 50 ms)${name}`);
  });
}
