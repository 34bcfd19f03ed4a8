// Same-run A/B of search in two builds of the ICD-10-CM, ICD-10-PCS and
// HCPCS modules: `node bench/ab-search.mjs BEFORE [AFTER]`, each a folder
// holding `<system>.js` and `<system>_bg.wasm` (AFTER defaults to pkg/).
// First it checks that both give the same top 10 through `find` and `search`
// for every everyday query (tests/data/everyday-queries.tsv) and for words,
// starts and one-transposition forms of 200 titles per system; then it
// times the everyday queries through `find` in 5 alternating rounds and
// prints p50, p99 over all rounds and p99 of each query's fastest round.
// `SYS=icd10pcs` picks systems (comma-separated), `ROUNDS=15` more rounds
// (the p99 of one system moves by 5-10% between runs of 5 rounds).
// Build the other revision with
//   git stash && bash scripts/build.sh icd10cm icd10pcs hcpcs && cp -r pkg /tmp/before && git stash pop && bash scripts/build.sh icd10cm icd10pcs hcpcs
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeSet } from '../js/medcode.js';

const [beforeDir, afterDir = new URL('../pkg', import.meta.url).pathname] = process.argv.slice(2);
if (!beforeDir) {
  console.error('usage: node bench/ab-search.mjs BEFORE_DIR [AFTER_DIR]');
  process.exit(2);
}
async function load(dir, system) {
  const folder = resolve(dir);
  const glue = await import(pathToFileURL(`${folder}/${system}.js`).href);
  glue.initSync({ module: readFileSync(`${folder}/${system}_bg.wasm`) });
  return new CodeSet(glue);
}
const rows = readFileSync(new URL('../tests/data/everyday-queries.tsv', import.meta.url), 'utf8')
  .trim().split('\n').slice(1).map((l) => l.split('\t'));
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
const at = (sorted, q) => sorted[Math.floor(q * (sorted.length - 1))];
for (const system of (process.env.SYS ?? 'icd10cm,icd10pcs,hcpcs').split(',')) {
  const sides = { before: await load(beforeDir, system), after: await load(afterDir, system) };
  const queries = rows.filter((r) => r[0] === system).map((r) => r[1]);
  const probes = [...queries];
  for (const h of sides.before.search(system === 'icd10pcs' ? 'open' : 'with', { limit: 200 })) {
    probes.push(h.display.split(' ').slice(0, 3).join(' '), h.display.slice(0, 12), h.display.replace(/(\w)(\w)(\w)/, '$1$3$2'));
  }
  let same = 0;
  const differ = [];
  for (const q of probes) {
    for (const f of ['find', 'search']) {
      const a = JSON.stringify(sides.before[f](q, { limit: 10 }));
      const b = JSON.stringify(sides.after[f](q, { limit: 10 }));
      if (a === b) same++;
      else differ.push(`${f}(${JSON.stringify(q)})`);
    }
  }
  const times = { before: [], after: [] };
  for (let round = 0; round < Number(process.env.ROUNDS ?? 5); round++) {
    for (const side of ['before', 'after']) {
      times[side].push(queries.map((q) => {
        const t0 = performance.now();
        sides[side].find(q, { limit: 10 });
        return performance.now() - t0;
      }));
    }
  }
  const stat = (rounds) => {
    const all = rounds.flat().sort((x, y) => x - y);
    const fastest = rounds[0].map((_, i) => Math.min(...rounds.map((r) => r[i]))).sort((x, y) => x - y);
    return `p50 ${us(at(all, 0.5))}, p99 ${us(at(all, 0.99))}, p99 fastest ${us(at(fastest, 0.99))}`;
  };
  console.log(`${system.padEnd(9)} before ${stat(times.before)} | after ${stat(times.after)}`);
  console.log(`${' '.repeat(9)} same top 10: ${same} / ${same + differ.length}${differ.length ? `; differ: ${differ.slice(0, 5).join(', ')}` : ''}`);
}
