// `node bench/fhir.mjs`: per-call time of set.fhir (FHIR $validate-code,
// $lookup, $expand) next to the plain validate it wraps. Figures only.
import { open } from '../js/node.js';

const cm = await open('icd10cm');
const codes = cm.prefix('E', { limit: 5000 }).map((e) => e.code);
let sink = 0;

function time(label, n, f) {
  const t = performance.now();
  for (let i = 0; i < n; i++) sink += f(i).resourceType?.length ?? 1;
  const ms = performance.now() - t;
  console.log(`${label.padEnd(34)} ${((ms * 1000) / n).toFixed(1).padStart(9)} µs/call`);
}

const t = performance.now();
cm.fhir.expand({ count: 0 });
console.log(`${'first unfiltered expand'.padEnd(34)} ${(performance.now() - t).toFixed(0).padStart(9)} ms`);
time('validate (plain)', 20000, (i) => cm.validate(codes[i % codes.length]));
time('fhir.validateCode', 20000, (i) => cm.fhir.validateCode({ code: codes[i % codes.length] }));
time('fhir.validateCode +display +date', 20000, (i) => cm.fhir.validateCode({ code: codes[i % codes.length], display: 'x', date: '2020-01-01' }));
time('fhir.lookup', 5000, (i) => cm.fhir.lookup({ code: codes[i % codes.length] }));
time('fhir.expand, search words', 200, (i) => cm.fhir.expand({ filter: i % 2 ? 'diabetes' : 'fracture', count: 20 }));
time('fhir.expand, unfiltered page', 2000, (i) => cm.fhir.expand({ count: 100, offset: i * 100 }));
if (sink === 0) console.log('');
