// Per-module figures for every system (part of `npm run bench`, or on its own:
// `node bench/systems.mjs`): module size raw / gzip / brotli against the
// issue targets, and speeds measured in the same run: isValid one call per
// code without and with a date of service (the ratio is the target: ≤ 1.5×),
// isValidMany, lookup, the PCS builder and the first search (every module
// ships its word index; the first search lists the codes with their ranks).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { open } from '../js/node.js';
import { latency, sizes, sink, throughput } from './lib/measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = { icd10cm: 350_000, icd10pcs: 450_000, hcpcs: 150_000 };

/** Codes of a registry table (first column, keys before `|`), every `step`th. */
function codes(name, step) {
  const rows = gunzipSync(readFileSync(join(root, 'tables', 'registry', `${name}.gz`))).toString('utf8').split('\n').slice(1).filter(Boolean);
  return [...new Set(rows.map((r) => r.split('\t')[0].split('|')[0]))].filter((_, i) => i % step === 0);
}

export async function runSystemsBench() {
  const out = {};
  const samples = {
    icd10cm: codes('mce_icd10cm_validity.tsv', 8),
    icd10pcs: codes('mce_icd10pcs_validity.tsv', 8),
    hcpcs: codes('ioce_hcpcs.tsv', 1),
    cpt: ['99213', '1234F', '0042T', '0001U', '9921', 'J0570'],
  };
  for (const [system, list] of Object.entries(samples)) {
    const file = `pkg/${system}_bg.wasm`;
    const size = sizes(join(root, file));
    const set = await open(system);
    const date = set.info().releases.at(-2)?.date ?? '2025-10-01';
    let i = 0;
    const plain = throughput(() => set.isValid(list[i++ % list.length]), 1);
    const dated = throughput(() => set.isValid(list[i++ % list.length], { date }), 1);
    const many = throughput(() => set.isValidMany(list).length > 0, list.length);
    const lookup = throughput(() => set.lookup(list[i++ % list.length]) !== null, 1);
    const t0 = performance.now();
    set.search('open', { limit: 5 });
    const firstSearch = performance.now() - t0;
    const row = { size, target: TARGETS[system] ?? null, isValid: plain, isValidDated: dated, datedRatio: plain / dated, isValidMany: many, lookup, firstSearchMs: firstSearch };
    if (system === 'icd10pcs') {
      row.builder = latency(() => set.nextCharacters('0DT'), { warm: 50, samples: 300 });
      row.builderRoot = latency(() => set.nextCharacters(''), { warm: 3, samples: 20 });
    }
    out[system] = row;
  }
  return out;
}

export function printSystems(r) {
  const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
  const M = (n) => `${(n / 1e6).toFixed(2)} M/s`;
  console.log('per module (one wasm module per system; sizes as served, speeds in this process):');
  console.log('module     raw        gzip       brotli     gzip target     isValid    dated      dated/plain  isValidMany  lookup     first search');
  for (const [system, x] of Object.entries(r)) {
    const target = x.target ? `${x.size.gzip <= x.target ? 'met' : 'MISSED'} ≤${kB(x.target)}` : '—';
    console.log(`${system.padEnd(10)} ${kB(x.size.raw).padEnd(10)} ${kB(x.size.gzip).padEnd(10)} ${kB(x.size.brotli).padEnd(10)} ${target.padEnd(15)} ${M(x.isValid).padEnd(10)} ${M(x.isValidDated).padEnd(10)} ${`${x.datedRatio.toFixed(2)}×`.padEnd(12)} ${M(x.isValidMany).padEnd(12)} ${M(x.lookup).padEnd(10)} ${x.firstSearchMs.toFixed(1)} ms`);
  }
  const pcs = r.icd10pcs;
  if (pcs?.builder) console.log(`PCS builder nextCharacters('0DT') median ${pcs.builder.median.toFixed(1)} µs, p99 ${pcs.builder.p99.toFixed(1)} µs; nextCharacters('') (all sections) median ${(pcs.builderRoot.median / 1000).toFixed(1)} ms`);
  for (const [system, x] of Object.entries(r)) console.log(`${x.datedRatio <= 1.5 ? 'PASS' : 'MISS'}  ${`${system} dated isValid ≤ 1.5× dateless`.padEnd(40)} ${x.datedRatio.toFixed(2)}×`);
  return sink;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await runSystemsBench();
  printSystems(r);
  console.log(JSON.stringify(r));
}
