// `npm run bench`: medcode's ICD-10-CM wasm module side by side with the naive
// baseline (the same codes and titles as a JSON file indexed into a Set, a Map
// and a sorted array; see lib/baseline.mjs). Prints a table, the targets as
// PASS/MISS, and one JSON line with every figure. Figures only: it always
// exits 0 unless something cannot run. What each figure means: bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { open } from '../js/node.js';
import { loadBaseline } from './lib/baseline.mjs';
import { mixedInputs } from './lib/inputs.mjs';
import { runSearchBench } from './lib/search.mjs';
import { printSystems, runSystemsBench } from './systems.mjs';
import { printEveryday, runEverydayBench } from './lib/everyday.mjs';
import { printCheck, runCheckBench } from './check.mjs';
import { printFhirServer, runFhirServerBench } from './fhir-server.mjs';
import { latency, median, nodeJson, sink, sizes, throughput } from './lib/measure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = (p) => fileURLToPath(new URL(p, import.meta.url));
const WASM = file('../pkg/icd10cm_bg.wasm');
const DATA = file('.data/icd10cm.json');
const LOAD_RUNS = 11;
// `--baseline-only`: the first section alone (medcode against the JSON
// baseline: load, isValid, isValidMany, lookup, prefix), about a minute.
const BASELINE_ONLY = process.argv.includes('--baseline-only');
const PREFIX = 'S72';

// ---- prerequisites: the built module and the baseline's JSON file ----
if (!existsSync(WASM)) {
  console.error('bench: pkg/ is missing, running scripts/build.sh');
  execFileSync('bash', ['scripts/build.sh'], { cwd: root, stdio: 'inherit' });
}
if (!existsSync(DATA)) {
  console.error('bench: writing bench/.data/icd10cm.json (cargo run --release -p medcode-wasm --example dump_entries)');
  mkdirSync(file('.data'), { recursive: true });
  const fd = openSync(DATA, 'w');
  try {
    execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'medcode-wasm', '--example', 'dump_entries'], { cwd: root, stdio: ['ignore', fd, 'inherit'] });
  } finally {
    closeSync(fd);
  }
}
const started = performance.now();
const progress = (what) => console.error(`bench: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

// ---- download sizes ----
progress('compressing');
const m = { size: sizes(WASM) };
const b = { size: sizes(DATA) };
const glue = ['../pkg/icd10cm.js', '../js/medcode.js', '../js/node.js'].map((p) => readFileSync(file(p))).join('\n');
m.jsGzip = (await import('node:zlib')).gzipSync(glue, { level: 9 }).length;

// ---- fresh processes: time to first answer and heap after load ----
progress(`loading ${LOAD_RUNS}× each in fresh processes`);
const child = file('lib/load-child.mjs');
const loads = { medcode: [], baseline: [] };
for (let i = 0; i < LOAD_RUNS; i++) {
  for (const impl of ['medcode', 'baseline']) loads[impl].push(await nodeJson(['--expose-gc', child, impl, DATA]));
}
for (const [r, runs] of [[m, loads.medcode], [b, loads.baseline]]) {
  r.firstAnswerMs = median(runs.map((x) => x.firstAnswerMs));
  r.heap = median(runs.map((x) => x.heap));
}
m.wasmMemory = median(loads.medcode.map((x) => x.wasmMemory));

// ---- in this process: both implementations answer the same inputs ----
progress('throughput');
const cm = await open('icd10cm');
const base = await loadBaseline(DATA);
const inputs = mixedInputs(JSON.parse(readFileSync(DATA, 'utf8')));

// The two must agree, or the comparison means nothing.
const disagree = inputs.filter((c) => cm.isValid(c) !== base.isValid(c)
  || (cm.lookup(c)?.display ?? null) !== (base.lookup(c)?.display ?? null));
const samePrefix = cm.prefix(PREFIX, { limit: 50 }).map((e) => e.code).join() === base.prefix(PREFIX, { limit: 50 }).map((e) => e.code).join();

const each = (f) => () => {
  let n = 0;
  for (let i = 0; i < inputs.length; i++) if (f(inputs[i])) n++;
  return n;
};
for (const [r, api] of [[m, cm], [b, base]]) {
  r.isValid = throughput(each((c) => api.isValid(c)), inputs.length);
  r.isValidMany = throughput(() => api.isValidMany(inputs)[0], inputs.length);
  r.lookup = throughput(each((c) => api.lookup(c)), inputs.length);
  r.prefix = latency(() => api.prefix(PREFIX, { limit: 50 }));
}

// ---- search: medcode vs MiniSearch and FlexSearch on the same titles ----
if (!BASELINE_ONLY) progress('search (MiniSearch, FlexSearch)');
const readyRuns = [];
for (let i = 0; i < (BASELINE_ONLY ? 0 : 5); i++) {
  readyRuns.push(await nodeJson(['--input-type=module', '-e',
    `const t0 = performance.now(); const { open } = await import(${JSON.stringify(new URL('../js/node.js', import.meta.url).href)}); ` +
    `const cm = await open('icd10cm'); cm.search('diabetes', { limit: 5 }); console.log(JSON.stringify({ ms: performance.now() - t0 }));`]));
}
const search = BASELINE_ONLY ? null : runSearchBench(JSON.parse(readFileSync(DATA, 'utf8')), cm, { readyMs: median(readyRuns.map((r) => r.ms)), wasmGzip: m.size.gzip });

// ---- report ----
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const MB = (n) => `${(n / 1e6).toFixed(2)} MB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const us = (n) => `${n.toFixed(1)} µs`;
const ops = (n) => `${(n / 1e6).toFixed(2)} M/s`;
const rows = [
  ['download raw', m.size.raw, b.size.raw, MB],
  ['download gzip -9', m.size.gzip, b.size.gzip, kB],
  ['download brotli q11', m.size.brotli, b.size.brotli, kB],
  ['import → first isValid (median)', m.firstAnswerMs, b.firstAnswerMs, ms],
  ['heap after load', m.heap, b.heap, MB],
  ['isValid, one call per code', m.isValid, b.isValid, ops],
  ['isValidMany, per code', m.isValidMany, b.isValidMany, ops],
  ['lookup', m.lookup, b.lookup, ops],
  [`prefix('${PREFIX}', 50) median`, m.prefix.median, b.prefix.median, us],
  [`prefix('${PREFIX}', 50) p99`, m.prefix.p99, b.prefix.p99, us],
];
const targets = [
  ['module raw ≤ 1.0 MB', m.size.raw <= 1_000_000, MB(m.size.raw)],
  ['module gzip ≤ 350 kB', m.size.gzip <= 350_000, kB(m.size.gzip)],
  ['isValid single ≥ baseline single', m.isValid >= b.isValid, `${(m.isValid / b.isValid).toFixed(2)}×`],
  ['isValidMany ≥ 3× baseline single', m.isValidMany >= 3 * b.isValid, `${(m.isValidMany / b.isValid).toFixed(2)}×`],
  ['prefix-50 median ≤ 3× baseline', m.prefix.median <= 3 * b.prefix.median, `${(m.prefix.median / b.prefix.median).toFixed(2)}×`],
  ['heap ≤ 1/5 of baseline', m.heap * 5 <= b.heap, `1/${(b.heap / m.heap).toFixed(1)}`],
  ['first answer ≤ 20 ms after import', m.firstAnswerMs <= 20, ms(m.firstAnswerMs)],
  ['lookup ≥ 1 M/s', m.lookup >= 1e6, ops(m.lookup)],
  [`prefix-50 median ≤ 15 µs`, m.prefix.median <= 15, us(m.prefix.median)],
];

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`medcode bench — node ${process.version}, ${cpu}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}`);
console.log(`inputs: ${inputs.length} mixed (valid / header / invalid, mixed case, dots, padding); ` +
  `answers agree on ${inputs.length - disagree.length}/${inputs.length}; prefix results ${samePrefix ? 'identical' : 'DIFFER'}`);
if (disagree.length) console.log(`  first disagreements: ${JSON.stringify(disagree.slice(0, 5))}`);
console.log('');
const w = [34, 12, 12, 10];
const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
console.log(line(['figure', 'medcode', 'baseline', 'med/base']));
console.log(line(w.map((n) => '-'.repeat(n))));
for (const [name, mv, bv, f] of rows) console.log(line([name, f(mv), f(bv), `${(mv / bv).toFixed(3)}×`]));
console.log(`(medcode JS glue + wrapper: ${kB(m.jsGzip)} gzip, not in the module figures; WebAssembly.Memory ${MB(m.wasmMemory)}, in heap)`);
console.log('');
for (const [name, pass, value] of targets) console.log(`${pass ? 'PASS' : 'MISS'}  ${name.padEnd(36)} ${value}`);
console.log('');
if (BASELINE_ONLY) {
  progress('done (--baseline-only)');
  process.exit(0);
}
const sr = search.results;
const faster = sr.MiniSearch.p50 <= sr.FlexSearch.p50 ? 'MiniSearch' : 'FlexSearch';
console.log(`search: ${search.queries} queries (hand-checked, prefix typing sequences, short titles), recall on ${search.relevance} short-title queries`);
const sw = [30, 14, 14, 14];
const sline = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(sw[i]) : String(c).padStart(sw[i]))).join('  ');
console.log(sline(['figure', 'medcode', 'MiniSearch', 'FlexSearch']));
console.log(sline(sw.map((n) => '-'.repeat(n))));
const names = ['medcode', 'MiniSearch', 'FlexSearch'];
console.log(sline(['download gzip (lib + index)', ...names.map((n) => kB(sr[n].downloadGzip))]));
console.log(sline(['  or lib + titles to index', '—', kB(sr.MiniSearch.titlesGzip), kB(sr.FlexSearch.titlesGzip)]));
console.log(sline(['time to ready', ms(sr.medcode.readyMs), ms(sr.MiniSearch.readyMs), ms(sr.FlexSearch.readyMs)]));
console.log(sline(['  (index built from titles)', '—', ms(sr.MiniSearch.buildMs), ms(sr.FlexSearch.buildMs)]));
console.log(sline(['latency p50', ...names.map((n) => us(sr[n].p50))]));
console.log(sline(['latency p99', ...names.map((n) => us(sr[n].p99))]));
console.log(sline(['recall@1', ...names.map((n) => sr[n].recall1.toFixed(4))]));
console.log(sline(['recall@5', ...names.map((n) => sr[n].recall5.toFixed(4))]));
console.log(`(medcode download is the whole module: codes, titles and search; medcode ready = fresh process, import → first search answer; MiniSearch ready = loadJSON of its serialized index; FlexSearch ready = indexing the titles)`);
const searchTargets = [
  ['search p99 ≤ 1 ms', sr.medcode.p99 <= 1000, us(sr.medcode.p99)],
  [`search p50 ≤ faster library (${faster})`, sr.medcode.p50 <= sr[faster].p50, `${(sr.medcode.p50 / sr[faster].p50).toFixed(2)}×`],
  [`download ≤ ½ of ${faster}`, sr.medcode.downloadGzip * 2 <= sr[faster].downloadGzip, `${(sr.medcode.downloadGzip / sr[faster].downloadGzip).toFixed(2)}×`],
  [`recall@5 ≥ ${faster}`, sr.medcode.recall5 >= sr[faster].recall5, `${sr.medcode.recall5.toFixed(4)} vs ${sr[faster].recall5.toFixed(4)}`],
  ['recall@5 ≥ 0.95', sr.medcode.recall5 >= 0.95, sr.medcode.recall5.toFixed(4)],
];
for (const [name, pass, value] of searchTargets) console.log(`${pass ? 'PASS' : 'MISS'}  ${name.padEnd(36)} ${value}`);
console.log('');
for (const [name, pass] of searchTargets) targets.push([name, pass]);
const ratios = Object.fromEntries(rows.map(([name, mv, bv]) => [name, +(mv / bv).toFixed(4)]));
progress('every system module');
const systems = await runSystemsBench();
printSystems(systems);
console.log('');
progress('everyday queries');
const everyday = runEverydayBench({ icd10cm: await open('icd10cm'), icd10pcs: await open('icd10pcs'), hcpcs: await open('hcpcs') });
printEveryday(everyday);
console.log('');
progress('bulk check');
const check = await runCheckBench();
printCheck(check);
console.log('');
progress('FHIR server load test');
const fhirServer = await runFhirServerBench();
printFhirServer(fhirServer);
console.log('');
console.log(JSON.stringify({
  systems, everyday, check, fhirServer,
  node: process.version, cpu, cores: os.cpus().length, load: os.loadavg()[0], inputs: inputs.length,
  agree: inputs.length - disagree.length, medcode: m, baseline: b, ratios, search,
  targets: Object.fromEntries(targets.map(([name, pass]) => [name, pass ? 'PASS' : 'MISS'])),
  sink,
}));
progress('done');
