// First search per system in a fresh process: open the module, then time one
// `find` (which first lists the codes with their ranks; every module ships
// its word index, ICD-10-PCS and HCPCS since 2026-12-05); then, in another fresh process, the time
// of `prepareSearch()` (what the page and the component run when idle) and of
// the first search after it.
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
const time = (root, system, prepared) => {
  const node = join(root, 'js', 'node.js');
  const script = `const { open } = await import(${JSON.stringify(node)}); const s = await open('${system}'); ` +
    `const t0 = performance.now(); ${prepared ? 's.prepareSearch();' : ''} const t1 = performance.now(); ` +
    `s.find('appendectomy', { limit: 10 }); console.log(t1 - t0, performance.now() - t1);`;
  const stdio = ['ignore', 'pipe', prepared ? 'ignore' : 'inherit'];
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio }).toString().trim().split(' ').map(Number);
};
const ms = (list) => list.map((t) => `${t < 10 ? t.toFixed(1) : t.toFixed(0)} ms`).join(', ');
for (const system of ['icd10cm', 'icd10pcs', 'hcpcs']) {
  const cold = roots.map(() => []);
  const prepare = roots.map(() => []);
  const after = roots.map(() => []);
  for (let i = 0; i < runs; i++) {
    roots.forEach((root, r) => {
      if (!existsSync(join(root, 'pkg', `${system}_bg.wasm`))) return;
      cold[r].push(time(root, system, false)[1]);
      // A checkout from before prepareSearch() has only the cold figure.
      try {
        const [p, f] = time(root, system, true);
        prepare[r].push(p);
        after[r].push(f);
      } catch {
        /* no prepareSearch in that checkout */
      }
    });
  }
  roots.forEach((root, r) => {
    if (!cold[r].length) return;
    const name = roots.length > 1 ? ` [${root === here ? 'this checkout' : root}]` : '';
    const warm = after[r].length ? `; prepareSearch() at idle ${ms(prepare[r])}, then the first search ${ms(after[r])}` : '';
    console.log(`${system.padEnd(9)} first search ${ms(cold[r])} (target ≤ 50 ms)${warm}${name}`);
  });
}
