// A generated battery of hostile inputs for every public function of a code
// set. Runs the same in Node and in a browser page: no Node imports.

/** A small seeded PRNG (mulberry32), so a failing input can be reproduced. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXED = [
  undefined, null, true, false, 0, -0, 1, 119, NaN, Infinity, -Infinity, 2n ** 70n,
  Symbol('E11.9'), {}, { toString: () => 'E11.9' }, [], ['E11.9'], [, , 'E11.9'], () => 'E11.9',
  new String('E11.9'), new Date(0), /E11/, new Uint8Array(4), Object.create(null),
  '', ' ', '\u0000', '\n', 'E11.9\n', '\uD800', 'E11\uDC00', '\uD83D\uDE00E11.9', 'Ｅ１１．９', 'E１１.9',
  'E11\u200B.9', 'Е11.9' /* Cyrillic Е */, 'E11․9' /* one-dot leader */, 'E11..9', 'E 11.9', '.E119', 'E119.',
  'E'.repeat(40), '9'.repeat(65), 'A00-', '-A00', 'A00--A09', 'a00-a09', '1', '22', '23', '00',
  '\u202EE11.9', '<img src=x onerror=alert(1)>', '"E11.9"', "E11.9'", '%45%31%31', 'E11.9\u0000',
];

const ALPHABET = [...'ABCDEGHIJKLMNOSTXZ0123456789.- \t\n'].concat(['\uD800', '\uDFFF', '１', 'Ｅ', 'é', '\u0301', '\u00A0', '\u2028', '😀']);

function randomString(next) {
  const len = Math.floor(next() * (next() < 0.05 ? 200 : 12));
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return s;
}

function randomValue(next) {
  const r = next();
  if (r < 0.15) return FIXED[Math.floor(next() * FIXED.length)];
  if (r < 0.2) return Math.floor(next() * 1e6) * (next() < 0.5 ? -1 : 1);
  if (r < 0.25) return Array.from({ length: Math.floor(next() * 4) }, () => randomString(next));
  return randomString(next);
}

/** The calls made per input: name and how to call it. */
export const CALLS = {
  isValid: (cm, v) => cm.isValid(v),
  isValidMany: (cm, v) => cm.isValidMany(Array.isArray(v) ? v : [v, v]),
  lookup: (cm, v) => cm.lookup(v),
  children: (cm, v) => cm.children(v),
  ancestors: (cm, v) => cm.ancestors(v),
  prefix: (cm, v) => cm.prefix(v, { limit: 5 }),
  prefixOptions: (cm, v) => cm.prefix('E11.6', v),
  prefixLimit: (cm, v) => cm.prefix('E11.6', { limit: v }),
  validate: (cm, v) => cm.validate(v),
  search: (cm, v) => cm.search(v, { limit: 5 }),
  find: (cm, v) => cm.find(v, { limit: 5 }),
  isValidDate: (cm, v) => cm.isValid('E11.9', { date: v }),
  validateDate: (cm, v) => cm.validate('A04.7', { date: v }),
  lookupDate: (cm, v) => cm.lookup('A04.7', { date: v }),
  searchOptions: (cm, v) => cm.search('diab mell', v),
  findOptions: (cm, v) => cm.find('fracture femur', v),
  notes: (cm, v) => cm.notes(v),
  notesOptions: (cm, v) => cm.notes('E11.9', v),
  mceEdits: (cm, v) => cm.mceEdits(v),
  mceEditsDate: (cm, v) => cm.mceEdits('P07.01', { date: v }),
  claimFacts: (cm, v) => cm.claimFacts(Array.isArray(v) ? v : [v, 'G63', 'E11.9']),
  claimFactsWhole: (cm, v) => cm.claimFacts(v),
  claimFactsOptions: (cm, v) => cm.claimFacts(['G63', 'E11.9'], v),
};

/** What each call must return, whatever the input. */
const SHAPES = {
  isValid: (r) => typeof r === 'boolean',
  isValidMany: (r) => Array.isArray(r) && r.every((b) => typeof b === 'boolean'),
  lookup: (r) => r === null || (typeof r.code === 'string' && typeof r.billable === 'boolean'),
  children: (r) => r === null || Array.isArray(r),
  ancestors: (r) => r === null || Array.isArray(r),
  prefix: (r) => Array.isArray(r),
  prefixOptions: (r) => Array.isArray(r) && r.length > 0 && r.length <= 50,
  prefixLimit: (r) => Array.isArray(r) && r.length <= 10000,
  validate: (r) => typeof r.result === 'boolean' && Array.isArray(r.issues) && (r.result || r.issues.length > 0) && Array.isArray(r.suggestions),
  search: (r) => Array.isArray(r) && r.length <= 5 && r.every((h) => typeof h.code === 'string' && Array.isArray(h.matched)),
  find: (r) => ['code', 'prefix', 'did-you-mean', 'words'].includes(r.mode) && Array.isArray(r.results),
  isValidDate: (r) => typeof r === 'boolean',
  validateDate: (r) => typeof r.result === 'boolean' && r.result === false && Array.isArray(r.issues) && r.issues.length > 0,
  lookupDate: (r) => r === null || r.code === 'A04.7',
  searchOptions: (r) => Array.isArray(r) && r.length <= 20,
  findOptions: (r) => r.mode === 'words' && Array.isArray(r.results) && r.results.length <= 20,
  notes: (r) => r === null || (Array.isArray(r) && r.every((n) => typeof n.text === 'string' && Array.isArray(n.refs))),
  // A module built without the notes answers null for every code.
  notesOptions: (r, cm) => (cm.notes('E11.9') === null ? r === null : Array.isArray(r) && r.length > 0 && r.every((n) => typeof n.kind === 'string')),
  mceEdits: (r) => Array.isArray(r) && r.every((e) => typeof e === 'string'),
  mceEditsDate: (r) => Array.isArray(r) && r.every((e) => typeof e === 'string'),
  claimFacts: claimFactsShape,
  claimFactsWhole: claimFactsShape,
  claimFactsOptions: (r) => r === null || (claimFactsShape(r) && r.edits.length === 2),
};

/** null, or `{edits: string[][], notes: null | [{type, i, notes: [{from, text}]}]}`. */
function claimFactsShape(r) {
  if (r === null) return true;
  const editsOk = Array.isArray(r.edits) && r.edits.every((e) => Array.isArray(e) && e.every((x) => typeof x === 'string'));
  const notesOk = r.notes === null || (Array.isArray(r.notes) && r.notes.every((f) => typeof f.type === 'string' && Number.isInteger(f.i) && f.notes.every((n) => typeof n.text === 'string' && n.text.length > 0)));
  return editsOk && notesOk;
}

function show(v) {
  try {
    return typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v).slice(0, 40);
  } catch {
    return typeof v;
  }
}

/**
 * Calls every public function with `count` generated inputs (plus the fixed
 * list and a 16 MB string). Returns `{calls, failures}`; a failure names the
 * function, the input and what went wrong (a throw, a trap, a wrong shape).
 */
export function runBattery(cm, { count = 100000, seed = 2026 } = {}) {
  const next = rng(seed);
  const failures = [];
  let calls = 0;
  const huge = 'E11.9'.repeat((16 << 20) / 5);
  const inputs = [...FIXED, huge];
  for (let i = 0; i < count; i++) inputs.push(randomValue(next));
  for (const [name, call] of Object.entries(CALLS)) {
    for (const input of inputs) {
      calls++;
      try {
        const r = call(cm, input);
        if (!SHAPES[name](r, cm)) failures.push(`${name}(${show(input)}) returned ${show(JSON.stringify(r))}`);
        if (name === 'isValid' && r === true && typeof input !== 'string') failures.push(`${name}(${show(input)}) accepted a non-string`);
      } catch (e) {
        failures.push(`${name}(${show(input)}) threw ${e && e.name}: ${e && e.message}`);
      }
      if (failures.length > 20) return { calls, failures };
    }
  }
  return { calls, failures };
}
