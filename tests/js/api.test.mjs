// The package's JS API in Node, against the official validity table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, MedcodeError } from '../../js/node.js';
import { mceValidOn } from './official.mjs';

const cm = await open('icd10cm');
const official = mceValidOn(20260401);

test('info names the system, release and NCHS, with the official billable count', () => {
  const info = cm.info();
  assert.equal(info.uri, 'http://hl7.org/fhir/sid/icd-10-cm');
  assert.equal(info.release, 'FY2026, April 1 2026 update');
  assert.match(info.publisher, /NCHS/);
  assert.equal(info.counts.billable, official.length);
  assert.equal(cm.system, info.uri);
});

test('every official code is valid, dotted or not, any case; one call for all', () => {
  const dotted = official.map((c) => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c));
  assert.ok(cm.isValidMany(official).every(Boolean));
  assert.ok(cm.isValidMany(dotted.map((c) => ` ${c.toLowerCase()} `)).every(Boolean));
  assert.equal(cm.isValidMany(official.map((c) => c + 'Q')).filter(Boolean).length, 0);
});

test('isValid normalizes case, spaces and the dot; malformed input is false', () => {
  for (const c of ['e119', 'E11.9', ' E11.9 ', 'E119']) assert.equal(cm.isValid(c), true, c);
  for (const c of ['E11..9', 'E 11.9', 'E'.repeat(40), 'E11', '', 'E11.9.', 'Ｅ１１.９']) assert.equal(cm.isValid(c), false, c);
});

test('lookup gives the dotted code, title, kind, billable flag, parent and system', () => {
  assert.deepEqual(cm.lookup('e119'), {
    code: 'E11.9',
    display: 'Type 2 diabetes mellitus without complications',
    kind: 'code',
    billable: true,
    system: 'http://hl7.org/fhir/sid/icd-10-cm',
    parent: 'E11',
  });
  assert.equal(cm.lookup('E11').kind, 'category');
  assert.equal(cm.lookup('E11').billable, false);
  assert.equal(cm.lookup('E08-E13').kind, 'block');
  assert.equal(cm.lookup('4').kind, 'chapter');
  assert.equal(cm.lookup('E11.99'), null);
  assert.equal(cm.lookup('E11..9'), null);
});

test('children of a header are its billable codes; ancestors reach the chapter', () => {
  const kids = cm.children('E11.6');
  assert.ok(kids.length > 0);
  assert.ok(kids.every((k) => k.code.startsWith('E11.6')));
  const seventh = cm.children('S72.001');
  assert.ok(seventh.every((k) => k.billable && k.code.length === 8));
  const chain = cm.ancestors('S72.001A').map((a) => a.kind);
  assert.deepEqual(chain.slice(-3), ['category', 'block', 'chapter']);
  assert.equal(cm.children('nope!'), null);
});

test('prefix lists codes in order with titles, capped by limit', () => {
  const found = cm.prefix('S72', { limit: 50 });
  assert.equal(found.length, 50);
  const codes = found.map((f) => f.code);
  assert.deepEqual([...codes].sort(), codes);
  assert.ok(found.every((f) => f.code.startsWith('S72') && typeof f.display === 'string' && typeof f.billable === 'boolean'));
  assert.equal(cm.prefix('S72', { limit: 3 }).length, 3);
  assert.deepEqual(cm.prefix('E11..'), []);
});

test('validate: header says how many billable codes lie under it', () => {
  const under = cm.prefix('E11', { limit: 10000 }).filter((c) => c.billable).length;
  const v = cm.validate('E11');
  assert.equal(v.result, false);
  assert.equal(v.issues[0].code, 'not-selectable');
  assert.equal(v.issues[0].reason, 'header');
  assert.match(v.issues[0].text, new RegExp(`${under} billable codes`));
});

test('validate: missing 7th character lists the allowed characters', () => {
  const v = cm.validate('S72.001');
  assert.equal(v.issues[0].reason, 'seventh-missing');
  for (const child of cm.children('S72.001')) assert.ok(v.issues[0].text.includes(`${child.code.at(-1)} (`), child.code);
});

test('validate: malformed and unknown input say so and name the input', () => {
  const bad = cm.validate('E11..9');
  assert.equal(bad.issues[0].reason, 'malformed');
  assert.match(bad.issues[0].text, /"E11\.\.9"/);
  const unknown = cm.validate('E11.99');
  assert.equal(unknown.issues[0].reason, 'unknown');
  assert.match(unknown.issues[0].text, /E11\.99/);
  assert.equal(cm.validate(42).issues[0].reason, 'malformed');
  assert.equal(cm.validate('S32.9A').issues[0].reason, 'placeholder-missing');
});

test('valid code has the FHIR shape and an information issue when rewritten', () => {
  const v = cm.validate('e119');
  assert.equal(v.result, true);
  assert.equal(v.system, 'http://hl7.org/fhir/sid/icd-10-cm');
  assert.equal(v.version, '2026');
  assert.equal(v.display, 'Type 2 diabetes mellitus without complications');
  assert.deepEqual(v.issues.map((i) => i.severity), ['information']);
});

test('open rejects an unknown system with a typed error', async () => {
  await assert.rejects(open('snomed'), MedcodeError);
  assert.equal(await open('icd10cm'), cm);
});

test('search: prefixes, abbreviations and typos find the code; results carry the highlighted words', () => {
  const hits = cm.search('diab mell typ 2 w/o compl', { limit: 5 });
  assert.equal(hits[0].code, 'E11.9');
  assert.equal(hits[0].billable, true);
  assert.ok(hits[0].matched.includes('diabetes'));
  assert.equal(cm.search('encntr for immunization', { limit: 1 })[0].code, 'Z23');
  assert.equal(cm.search('diabetis insipidus', { limit: 1 })[0].code, 'E23.2');
  assert.equal(cm.search('classical cholera', { limit: 1 })[0].inclusion, true);
  assert.equal(cm.search('diabetes', { limit: 3 }).length, 3);
  assert.deepEqual(cm.search('', { limit: 3 }), []);
  assert.deepEqual(cm.search(42), []);
});

test('find: one box for codes, prefixes, mistyped codes and words', () => {
  assert.deepEqual(cm.find('e11.9').results.map((r) => r.code), ['E11.9']);
  assert.equal(cm.find('e11.9').mode, 'code');
  assert.equal(cm.find('S72.00').mode, 'code');
  assert.equal(cm.find('E11.99').mode, 'did-you-mean');
  assert.ok(cm.find('E11.99').results.some((r) => r.code === 'E11.9'));
  assert.equal(cm.find('chest pain').mode, 'words');
  assert.deepEqual(cm.find(undefined), { mode: 'words', results: [] });
});

test('validate: suggestions for a mistyped code and for a missing 7th character', () => {
  assert.ok(cm.validate('EI1.9').suggestions.some((s) => s.code === 'E11.9'));
  const s = cm.validate('S72.001').suggestions;
  assert.ok(s.length > 0 && s.every((x) => x.code.startsWith('S72.001') && x.display.length > 0));
  assert.deepEqual(cm.validate('E11.9').suggestions, []);
  assert.deepEqual(cm.validate('E11').suggestions, []);
});
