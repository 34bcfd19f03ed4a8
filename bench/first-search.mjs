// First search per system in a fresh process: open the module, then time one
// `find` (for ICD-10-PCS and HCPCS this builds the word index from the title
// stores, src/search/own_index.rs). Usage: node bench/first-search.mjs [runs]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const node = fileURLToPath(new URL('../js/node.js', import.meta.url));
const runs = Number(process.argv[2] ?? 3);
for (const system of ['icd10cm', 'icd10pcs', 'hcpcs']) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const script = `const { open } = await import(${JSON.stringify(node)}); const s = await open('${system}'); ` +
      `const t0 = performance.now(); s.find('appendectomy', { limit: 10 }); console.log(performance.now() - t0);`;
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString()));
  }
  console.log(`${system.padEnd(9)} first search ${times.map((t) => `${t.toFixed(0)} ms`).join(', ')} (target ≤ 50 ms)`);
}
