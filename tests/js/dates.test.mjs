// Date of service through the JS API, against the MCE validity table read
// independently from tables/registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../js/node.js';
import { mceValidOn } from './official.mjs';

const cm = await open('icd10cm');

test('every release: isValid(code, {date}) equals the MCE table for every code it knows', () => {
  const known = new Set([...mceValidOn(99999999), ...mceValidOn(20151001)]);
  for (const c of mceValidOn(20151001)) known.add(c);
  for (const r of cm.info().releases) for (const c of mceValidOn(Number(r.start.replaceAll('-', '')))) known.add(c);
  for (const r of cm.info().releases) {
    const official = new Set(mceValidOn(Number(r.start.replaceAll('-', ''))));
    for (const code of known) assert.equal(cm.isValid(code, { date: r.start }), official.has(code), `${code} on ${r.start}`);
  }
});

test('without a date the newest release answers, and the answer names it', () => {
  const newest = cm.info().newest;
  assert.equal(newest.name, 'FY2027');
  const date = Number(newest.start.replaceAll('-', ''));
  const valid = mceValidOn(date);
  assert.equal(valid.length, 74879); // official FY2027 count (CMS; tables/releases/README.md)
  assert.deepEqual(cm.isValidMany(valid), valid.map(() => true));
  const v = cm.validate('E11.9');
  assert.equal(v.release, 'FY2027');
  assert.equal(v.date, newest.start);
  assert.equal(v.version, '2027');
});

test('a deleted code says when it ended and lists its successors; not-yet-valid says when it starts', () => {
  const before = new Set(mceValidOn(20161001));
  const after = new Set(mceValidOn(20171001));
  const afterList = [...after];
  const deleted = [...before].filter((c) => !after.has(c)).filter((c) => afterList.some((a) => a.startsWith(c)));
  assert.ok(deleted.length > 0);
  for (const code of deleted) {
    const v = cm.validate(code, { date: '2018-01-01' });
    assert.equal(v.result, false);
    assert.equal(v.issues[0].reason, 'deleted');
    assert.match(v.issues[0].text, /to 2017-09-30 \(FY2017\)/);
    assert.match(v.issues[0].text, /codes for it on 2018-01-01: /);
    const l = cm.lookup(code, { date: '2018-01-01' });
    assert.equal(l.billable, false);
    assert.equal(l.validTo, '2017-09-30');
    assert.equal(cm.lookup(code, { date: '2017-01-01' }).billable, true);
  }
  const april = new Set(mceValidOn(20260401));
  const fy2027 = mceValidOn(20261001).filter((c) => !april.has(c));
  for (const code of fy2027.slice(0, 50)) {
    const v = cm.validate(code, { date: '2026-04-01' });
    assert.equal(v.issues[0].reason, 'not-yet-valid');
    assert.match(v.issues[0].text, /takes effect on 2026-10-01 \(FY2027\)/);
    const now = cm.validate(code);
    assert.equal(now.result, true);
    // Titled from the FY2027 addenda (transcribed), and said so.
    assert.ok(now.display, code);
    assert.ok(now.issues.some((i) => /addenda \(transcribed\)/.test(i.text)), code);
  }
});

test('dates: strings, Date objects and bad dates', () => {
  assert.equal(cm.isValid('A04.7', { date: '2017-09-30' }), true);
  assert.equal(cm.isValid('A04.7', { date: '20171001' }), false);
  assert.equal(cm.isValid('a047', { date: new Date(2017, 0, 15) }), true);
  assert.equal(cm.isValid('E11.9', { date: '2015-09-30' }), false);
  assert.equal(cm.validate('E11.9', { date: '2015-09-30' }).issues[0].reason, 'date-out-of-range');
  for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '', 20260101, new Date(NaN), {}, ['2026-01-01'], '9'.repeat(40)]) {
    assert.equal(cm.isValid('E11.9', { date: bad }), false, String(bad));
    assert.equal(cm.lookup('E11.9', { date: bad }), null, String(bad));
    const v = cm.validate('E11.9', { date: bad });
    assert.equal(v.result, false);
    assert.equal(v.issues[0].reason, 'invalid-date', String(bad));
  }
  // No date, null or an object without `date`: the newest release.
  for (const none of [undefined, null, {}, { date: undefined }, { date: null }]) assert.equal(cm.isValid('E11.9', none), true);
  // Short and long inputs take different paths into the module; they agree.
  assert.equal(cm.isValid('   a04.7          ', { date: '2017-01-01' }), cm.isValid('A04.7', { date: '2017-01-01' }));
});

test('lookup finds codes the current tabular no longer lists', () => {
  const now = new Set(mceValidOn(20261001));
  const gone = mceValidOn(20181001).filter((c) => !now.has(c) && cm.lookup(c, { date: '2018-10-01' })?.billable);
  assert.ok(gone.length > 0);
  for (const code of gone.slice(0, 200)) {
    const l = cm.lookup(code);
    assert.ok(l.validTo, code);
    assert.equal(l.billable, false);
    assert.ok(l.parent === null || cm.lookup(l.parent) !== null);
  }
});

// Regression: on today's date (FY2027 in force) the codes FY2027 adds were
// missing from prefix, children and find ('Z86.17' typed in the box gave
// R29.717), and a listing showed a title FY2027 revised as it was before.
test('codes new in FY2027 are listed, found and titled as lookup titles them', () => {
  const april = new Set(mceValidOn(20260401));
  const fy2027 = mceValidOn(20261001).filter((c) => !april.has(c));
  assert.ok(fy2027.length > 100);
  let listed = 0;
  for (const code of fy2027) {
    const l = cm.lookup(code);
    const f = cm.find(l.code, { limit: 5 });
    assert.deepEqual([f.results[0]?.code, f.results[0]?.display], [l.code, l.display], `find ${l.code}`);
    assert.ok(cm.search(l.display, { limit: 10 }).some((h) => h.code === l.code), `search ${l.display}`);
    if (!l.parent) continue;
    listed++;
    const row = cm.prefix(l.parent, { limit: 1000 }).find((c) => c.code === l.code);
    assert.deepEqual([row?.display, row?.billable], [l.display, true], `prefix ${l.parent}`);
    assert.ok(cm.children(l.parent).some((c) => c.code === l.code), `children ${l.parent}`);
    assert.equal(cm.ancestors(l.code)[0].code, l.parent, `ancestors ${l.code}`);
  }
  assert.ok(listed > fy2027.length / 2, `${listed} under a parent`);
  // Every listed title is the one lookup gives (FY2027 revised four).
  for (const c of cm.prefix('Z29.1', { limit: 50 })) assert.equal(c.display, cm.lookup(c.code).display, c.code);
});
