// set.fhir: FHIR R4 $validate-code / $lookup / $expand answers, checked on the
// cases of the HL7 FHIR terminology ecosystem test suite
// (github.com/FHIR/fhir-tx-ecosystem-ig, tests/case, validation, notSelectable,
// errors, simple) translated to ICD-10-CM: see docs/fhir-tx-tests.md for the
// mapping. Codes come from the official MCE validity table (read from
// tables/registry) or from the module's own hierarchy; titles are
// read through lookup, never typed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../js/node.js';
import { param, issues, shape } from './fhir-shapes.mjs';
import { mceValidOn } from './official.mjs';
import { rng } from './battery.mjs';

const cm = await open('icd10cm');
const URI = cm.info().uri;
/** A property's value on a $lookup answer: every `value` for `code`. */
function properties(p, code) {
  return p.parameter.filter((x) => x.name === 'property' && x.part[0].valueCode === code).map((x) => x.part.find((y) => y.name === 'value'));
}

const newest = cm.info().newest;
const newestDay = Number(newest.start.replaceAll('-', ''));
/** Official codes (no dot) valid in the newest release. */
const validNow = mceValidOn(newestDay);
/** Official codes ever valid, FY2016..FY2027. */
const everValid = new Set(mceValidOn(99999999).concat(...cm.info().releases.map((r) => mceValidOn(Number(r.start.replaceAll('-', ''))))));

/**
 * Billable codes of the newest official table that the embedded tabular
 * titles and the module validates with no note (a spread sample of `n`).
 */
const titled = validNow.filter((c) => {
  const l = cm.lookup(c);
  return l !== null && l.billable && l.display !== '' && cm.validate(l.code).issues.length === 0;
});
function sampleValid(n) {
  const withTitle = titled;
  const step = Math.max(1, Math.floor(withTitle.length / n));
  return withTitle.filter((_, i) => i % step === 0).map((c) => cm.lookup(c));
}

// --- validation suite: cs-code-good, simple-code-good-display ------------------

test('validation-cs-code-good: every official code of the newest release validates, with the official system and the release version', () => {
  assert.equal(validNow.length, 74879); // official FY2027 count (CMS; tables/releases/README.md)
  for (const code of validNow) {
    const p = cm.fhir.validateCode({ code });
    assert.equal(param(p, 'result'), true, code);
    assert.equal(param(p, 'system'), URI);
    assert.equal(param(p, 'version'), newest.name.slice(2));
    assert.ok(issues(p).every((i) => i.severity === 'information'), code);
  }
});

test('validation-simple-code-good-display: the official title as display gives no issue and is echoed as display', () => {
  for (const c of sampleValid(500)) {
    const p = cm.fhir.validateCode({ code: c.code, display: c.display, system: URI });
    assert.equal(param(p, 'result'), true, c.code);
    assert.equal(param(p, 'display'), c.display);
    assert.equal(param(p, 'code'), c.code);
    assert.deepEqual(issues(p), []);
    assert.equal(param(p, 'message'), undefined);
    assert.equal(param(p, 'normalized-code'), undefined);
  }
});

// --- validation suite: cs-code-bad-code ---------------------------------------

test('validation-cs-code-bad-code: a code in no release is invalid-code, with the message and no display', () => {
  // Real codes with one character appended, kept when no release ever had them.
  const bad = sampleValid(300).map((c) => c.code + '9').filter((c) => !everValid.has(c.replace('.', '')) && cm.lookup(c) === null);
  assert.ok(bad.length > 100);
  for (const code of bad) {
    const p = cm.fhir.validateCode({ code });
    assert.equal(param(p, 'result'), false, code);
    assert.equal(param(p, 'display'), undefined);
    const [i] = issues(p);
    assert.deepEqual(shape(i), { severity: 'error', code: 'code-invalid', tx: 'invalid-code', id: 'Unknown_Code_in_Version', where: 'code' });
    assert.ok(i.details.text.includes(code.length > 3 && !code.includes('.') ? code.slice(0, 3) + '.' + code.slice(3) : code), i.details.text);
    assert.equal(param(p, 'message'), i.details.text);
  }
});

// --- validation suite: display (bad-display, bad-displayW, bad-display-ws) ---

test('validation-simple-code-bad-display: strict display checking makes a wrong display an error and the result false', () => {
  for (const c of sampleValid(50)) {
    const p = cm.fhir.validateCode({ code: c.code, display: c.display + ' X', lenientDisplay: false });
    assert.equal(param(p, 'result'), false);
    assert.equal(param(p, 'display'), c.display);
    const [i] = issues(p);
    assert.deepEqual(shape(i), { severity: 'error', code: 'invalid', tx: 'invalid-display', id: 'Display_Name_for__should_be_one_of__instead_of', where: 'display' });
    assert.ok(i.details.text.includes(`'${c.display}'`));
    assert.equal(param(p, 'message'), i.details.text);
  }
});

test('validation-simple-code-bad-display-warning: by default (lenient) a wrong display is a warning and the result stands', () => {
  for (const c of sampleValid(50)) {
    const p = cm.fhir.validateCode({ code: c.code, display: 'Something else entirely' });
    assert.equal(param(p, 'result'), true);
    const [i] = issues(p);
    assert.deepEqual(shape(i), { severity: 'warning', code: 'invalid', tx: 'invalid-display', id: 'Display_Name_for__should_be_one_of__instead_of', where: 'display' });
    assert.equal(param(p, 'message'), i.details.text);
  }
});

test('validation-simple-code-bad-display-ws: a display differing only in whitespace is named as such (error when strict, warning when lenient)', () => {
  const c = sampleValid(50).find((x) => x.display.includes(' '));
  const spaced = c.display.replace(' ', '  ');
  const strict = cm.fhir.validateCode({ code: c.code, display: spaced, lenientDisplay: false });
  assert.equal(param(strict, 'result'), false);
  assert.deepEqual(shape(issues(strict)[0]), { severity: 'error', code: 'invalid', tx: 'invalid-display', id: 'Display_Name_WS_for__should_be_one_of__instead_of', where: 'display' });
  assert.match(issues(strict)[0].details.text, /whitespace/);
  const lenient = cm.fhir.validateCode({ code: c.code, display: ` ${spaced} ` });
  assert.equal(param(lenient, 'result'), true);
  assert.equal(issues(lenient)[0].severity, 'warning');
  assert.match(issues(lenient)[0].details.text, /whitespace/);
});

test('display in another letter case is named as a case difference', () => {
  const c = sampleValid(10)[3];
  const p = cm.fhir.validateCode({ code: c.code, display: c.display.toUpperCase() });
  assert.equal(param(p, 'result'), true);
  assert.equal(issues(p)[0].severity, 'warning');
  assert.match(issues(p)[0].details.text, /only in letter case/);
  assert.equal(param(cm.fhir.validateCode({ code: c.code, display: c.display.toLowerCase(), lenientDisplay: false }), 'result'), false);
});

// --- case suite ----------------------------------------------------------------

test('case-insensitive-code1-1: the code as written validates with no issue and no normalized-code', () => {
  const c = cm.lookup(validNow[0]);
  const p = cm.fhir.validateCode({ code: c.code });
  assert.equal(param(p, 'result'), true);
  assert.equal(param(p, 'normalized-code'), undefined);
  assert.deepEqual(issues(p), []);
});

test('case-insensitive-code1-2 / 1-3: lower- and mixed-case input validates, echoes the input, gives normalized-code and a code-rule information', () => {
  const withLetterTail = sampleValid(2000).filter((c) => /[A-Z]$/.test(c.code)).slice(0, 20);
  assert.ok(withLetterTail.length > 0);
  for (const c of [...sampleValid(40), ...withLetterTail]) {
    for (const input of [c.code.toLowerCase(), c.code[0].toLowerCase() + c.code.slice(1), c.code.slice(0, -1) + c.code.at(-1).toLowerCase()]) {
      if (input === c.code) continue;
      const p = cm.fhir.validateCode({ code: input });
      assert.equal(param(p, 'result'), true, input);
      assert.equal(param(p, 'code'), input);
      assert.equal(param(p, 'normalized-code'), c.code);
      assert.equal(param(p, 'display'), c.display);
      const [i] = issues(p);
      assert.deepEqual(shape(i), { severity: 'information', code: 'business-rule', tx: 'code-rule', id: 'CODE_CASE_DIFFERENCE', where: 'code' });
      assert.equal(param(p, 'message'), undefined, 'information issues are not in the message');
    }
  }
});

test('case (medcode variant): the code without its dot is read as the dotted code, with the same information issue', () => {
  for (const c of sampleValid(100)) {
    const undotted = c.code.replace('.', '');
    if (undotted === c.code) continue;
    const p = cm.fhir.validateCode({ code: undotted });
    assert.equal(param(p, 'result'), true);
    assert.equal(param(p, 'normalized-code'), c.code);
    assert.equal(shape(issues(p)[0]).tx, 'code-rule');
  }
});

// --- notSelectable suite ---------------------------------------------------------

/** Headers under a few blocks: categories and codes with children, from the module's hierarchy. */
function headers() {
  const out = [];
  for (const block of ['A00-A09', 'E08-E13', 'S70-S79']) {
    for (const cat of cm.children(block)) {
      for (const e of [cat, ...(cm.children(cat.code) ?? [])]) if (!e.billable) out.push(e);
    }
  }
  return out;
}

test('notSelectable-prop-true-true-param-false: a header (abstract) code is not allowed: code-rule error, result false', () => {
  const hs = headers();
  assert.ok(hs.length > 50);
  for (const h of hs) {
    const p = cm.fhir.validateCode({ code: h.code, abstract: false });
    assert.equal(param(p, 'result'), false, h.code);
    assert.equal(param(p, 'display'), h.display);
    const i = issues(p).find((x) => shape(x).id === 'ABSTRACT_CODE_NOT_ALLOWED');
    assert.deepEqual(shape(i), { severity: 'error', code: 'business-rule', tx: 'code-rule', id: 'ABSTRACT_CODE_NOT_ALLOWED', where: 'code' });
    assert.equal(param(p, 'inactive'), undefined, 'a header of the tabular is not inactive');
    // The default is the same: billing context.
    assert.equal(param(cm.fhir.validateCode({ code: h.code }), 'result'), false);
  }
});

test('notSelectable-prop-true-true-param-true: with abstract: true a header is accepted, the reason kept as information', () => {
  for (const h of headers()) {
    const p = cm.fhir.validateCode({ code: h.code, abstract: true });
    assert.equal(param(p, 'result'), true, h.code);
    assert.ok(issues(p).length > 0 && issues(p).every((i) => i.severity === 'information'));
    assert.equal(param(p, 'message'), undefined);
  }
  // Blocks and chapters are abstract too.
  for (const code of ['A00-A09', '1']) {
    assert.equal(param(cm.fhir.validateCode({ code }), 'result'), false);
    assert.equal(param(cm.fhir.validateCode({ code, abstract: true }), 'result'), true);
  }
});

test('notSelectable-prop-false-false-param-true/false: a billable code is valid whatever abstract says', () => {
  for (const c of sampleValid(50)) {
    for (const abstract of [true, false]) assert.equal(param(cm.fhir.validateCode({ code: c.code, abstract }), 'result'), true);
  }
});

test('notSelectable-prop-true / prop-false (expand): notSelectable filters headers and billable codes, and they add up', () => {
  for (const filter of ['E11.6', 'S72.00', 'diabetes', 'femur neck']) {
    const all = cm.fhir.expand({ filter, count: 1000 });
    const only = cm.fhir.expand({ filter, count: 1000, notSelectable: true });
    const none = cm.fhir.expand({ filter, count: 1000, notSelectable: false });
    assert.equal(only.expansion.total + none.expansion.total, all.expansion.total, filter);
    assert.ok((only.expansion.contains ?? []).every((c) => c.abstract === true));
    assert.ok((none.expansion.contains ?? []).every((c) => c.abstract === undefined && cm.isValid(c.code)));
  }
});

// --- errors suite ------------------------------------------------------------------

test('unknown-system1/2, simple-code-bad-system: another system URI is not-found, result false, x-caused-by-unknown-system', () => {
  for (const system of ['http://hl7.org/fhir/sid/icd-10', 'http://snomed.info/sct', URI + 'x', '', 'ICD-10-CM']) {
    const p = cm.fhir.validateCode({ code: 'E11.9', system });
    assert.equal(param(p, 'result'), false);
    assert.equal(param(p, 'system'), system);
    assert.equal(param(p, 'x-caused-by-unknown-system'), system);
    assert.deepEqual(shape(issues(p)[0]), { severity: 'error', code: 'not-found', tx: 'not-found', id: 'UNKNOWN_CODESYSTEM', where: 'system' });
    assert.equal(cm.fhir.lookup({ code: 'E11.9', system }).resourceType, 'OperationOutcome');
    assert.equal(cm.fhir.expand({ filter: 'x', system }).resourceType, 'OperationOutcome');
  }
});

test('missing-cs-url-no-code, missing-cs-nothing: a request without a code is an OperationOutcome (invalid-data)', () => {
  for (const req of [{}, { system: URI }, { code: '' }, { code: '   ' }, { code: 42 }, { code: null }, { code: ['E11.9'] }]) {
    const oo = cm.fhir.validateCode(req);
    assert.equal(oo.resourceType, 'OperationOutcome', JSON.stringify(req));
    assert.deepEqual(shape(oo.issue[0]).tx, 'invalid-data');
    assert.equal(cm.fhir.lookup(req).resourceType, 'OperationOutcome');
  }
});

test('broken-filter-expand (spirit): a malformed expansion request is an OperationOutcome naming the parameter', () => {
  for (const [req, where] of [[{ count: -1 }, 'count'], [{ offset: 1.5 }, 'offset'], [{ filter: 7 }, 'filter'], [{ activeOnly: 'yes' }, 'activeOnly'], [{ date: 'tomorrow' }, 'date']]) {
    const oo = cm.fhir.expand(req);
    assert.equal(oo.resourceType, 'OperationOutcome', JSON.stringify(req));
    assert.equal(oo.issue[0].expression[0], where);
  }
});

// --- dates and versions (validation-simple-coding-bad-code-inactive; version suite) ---

test('simple-coding-bad-code-inactive: a code deleted before the date of service is inactive, result false, with when and what replaced it', () => {
  const before = new Set(mceValidOn(20161001));
  const after = new Set(mceValidOn(20171001));
  const deleted = [...before].filter((c) => !after.has(c));
  assert.ok(deleted.length > 0);
  for (const code of deleted) {
    const p = cm.fhir.validateCode({ code, date: '2018-01-01' });
    assert.equal(param(p, 'result'), false, code);
    // Inactive unless the tabular still holds it, as a header over its successors.
    const header = (cm.children(code) ?? []).length > 0;
    assert.equal(param(p, 'inactive'), header ? undefined : true, code);
    assert.equal(param(p, 'version'), '2018');
    const i = issues(p).find((x) => x.diagnostics === 'deleted');
    assert.deepEqual(shape(i), { severity: 'error', code: 'business-rule', tx: 'code-rule', id: 'STATUS_CODE_WARNING_CODE', where: 'code' });
    assert.match(i.details.text, /to 2017-09-30 \(FY2017\)/);
    assert.ok(param(p, 'message').includes(i.details.text));
    // On a day it was valid, it validates.
    assert.equal(param(cm.fhir.validateCode({ code, date: '2017-01-01' }), 'result'), true, code);
    assert.equal(param(cm.fhir.validateCode({ code, version: '2017' }), 'result'), true, code);
  }
});

test('version: a release version answers as of that release; an unknown one is not-found with the versions known', () => {
  const versions = [...new Set(cm.info().releases.map((r) => r.name.slice(2, 6)))];
  assert.deepEqual(versions, Array.from({ length: versions.length }, (_, i) => String(2016 + i)));
  const start = new Map(cm.info().releases.map((r) => [r.name.slice(2, 6), r.start]));
  for (const version of versions) {
    // The newest release of that fiscal year: its start date.
    const last = cm.info().releases.filter((r) => r.name.startsWith('FY' + version)).at(-1).start;
    const valid = new Set(mceValidOn(Number(last.replaceAll('-', ''))));
    for (const code of validNow.slice(0, 2000)) {
      const p = cm.fhir.validateCode({ code, version });
      assert.equal(param(p, 'result'), valid.has(code), `${code} in ${version}`);
      assert.equal(param(p, 'version'), version);
    }
    assert.ok(start.has(version));
  }
  const p = cm.fhir.validateCode({ code: 'E11.9', version: '2015' });
  assert.equal(param(p, 'result'), false);
  assert.deepEqual(shape(issues(p)[0]), { severity: 'error', code: 'not-found', tx: 'not-found', id: 'UNKNOWN_CODESYSTEM_VERSION', where: 'version' });
  assert.match(param(p, 'message'), /Valid versions: 2016, .*2027/);
  // A version and a date that disagree: the date answers, and the mismatch is an error.
  const q = cm.fhir.validateCode({ code: 'E11.9', version: '2016', date: '2020-01-01' });
  assert.equal(param(q, 'result'), false);
  assert.equal(param(q, 'version'), '2020');
});

test('a date before ICD-10-CM applies is not-found for that date; a malformed date is invalid-data', () => {
  const p = cm.fhir.validateCode({ code: 'E11.9', date: '2014-01-01' });
  assert.equal(param(p, 'result'), false);
  assert.equal(shape(issues(p)[0]).tx, 'not-found');
  for (const date of ['2026-02-30', 'yesterday', 20260101, {}, new Date(NaN)]) {
    const q = cm.fhir.validateCode({ code: 'E11.9', date });
    assert.equal(param(q, 'result'), false, String(date));
    assert.deepEqual(shape(issues(q)[0]), { severity: 'error', code: 'invalid', tx: 'invalid-data', id: undefined, where: 'date' });
  }
});

// --- simple suite: $lookup, $expand ------------------------------------------------

test('simple-lookup-1: $lookup gives name, version, display, designation, parent and every child with their titles', () => {
  for (const code of ['E11.6', 'E11', 'S72.001', 'A00-A09', ...sampleValid(30).map((c) => c.code)]) {
    const c = cm.lookup(code);
    const p = cm.fhir.lookup({ code });
    assert.equal(param(p, 'name'), cm.info().name);
    assert.equal(param(p, 'system'), URI);
    assert.equal(param(p, 'version'), newest.name.slice(2));
    assert.equal(param(p, 'code'), c.code);
    assert.equal(param(p, 'display'), c.display);
    assert.equal(param(p, 'abstract'), !c.billable);
    const designation = p.parameter.find((x) => x.name === 'designation');
    assert.equal(designation.part.find((x) => x.name === 'value').valueString, c.display);
    const parent = properties(p, 'parent');
    if (c.parent === null) assert.deepEqual(parent, []);
    else assert.deepEqual(parent.map((v) => v.valueCode), [c.parent]);
    assert.deepEqual(properties(p, 'child').map((v) => v.valueCode), (cm.children(c.code) ?? []).map((e) => e.code));
    const described = p.parameter.filter((x) => x.name === 'property' && x.part[0].valueCode === 'child').map((x) => x.part.find((y) => y.name === 'description').valueString);
    assert.deepEqual(described, (cm.children(c.code) ?? []).map((e) => e.display));
    assert.deepEqual(properties(p, 'notSelectable'), [{ name: 'value', valueBoolean: !c.billable }]);
    assert.deepEqual(properties(p, 'inactive'), [{ name: 'value', valueBoolean: false }]);
  }
});

test('$lookup on a date: a deleted code is inactive and retired with its dates; an unknown code is an OperationOutcome', () => {
  const after = new Set(mceValidOn(20171001));
  const deleted = mceValidOn(20161001).filter((c) => !after.has(c)).slice(0, 50);
  for (const code of deleted) {
    const p = cm.fhir.lookup({ code, date: '2018-01-01' });
    assert.deepEqual(properties(p, 'inactive'), [{ name: 'value', valueBoolean: true }], code);
    assert.deepEqual(properties(p, 'status'), [{ name: 'value', valueCode: 'retired' }]);
    assert.deepEqual(properties(p, 'retirementDate'), [{ name: 'value', valueDateTime: '2017-09-30' }]);
    assert.deepEqual(properties(cm.fhir.lookup({ code, date: '2017-01-01' }), 'inactive'), [{ name: 'value', valueBoolean: false }]);
  }
  const oo = cm.fhir.lookup({ code: 'E11.99' });
  assert.equal(oo.resourceType, 'OperationOutcome');
  assert.deepEqual(shape(oo.issue[0]), { severity: 'error', code: 'not-found', tx: 'invalid-code', id: 'Unknown_Code_in_Version', where: 'code' });
});

test('simple-expand-all-count: count 0 gives the total (every category and code of the tabular, and the codes FY2027 adds) and no concepts', () => {
  const vs = cm.fhir.expand({ count: 0 });
  assert.equal(vs.resourceType, 'ValueSet');
  assert.equal(vs.url, `${URI}?fhir_vs`);
  const { billable, headers } = cm.info().counts;
  assert.equal(vs.expansion.total, billable + headers + cm.info().addenda.added);
  assert.equal(vs.expansion.contains, undefined);
  assert.ok(vs.expansion.parameter.some((x) => x.name === 'used-codesystem' && x.valueUri === `${URI}|${newest.name.slice(2)}`));
  assert.match(vs.expansion.identifier, /^urn:uuid:[0-9a-f-]{36}$/);
});

test('simple-expand-all (paged): pages in code order join up, every code carries its official title', () => {
  const a = cm.fhir.expand({ count: 500, offset: 0 }).expansion.contains;
  const b = cm.fhir.expand({ count: 500, offset: 500 }).expansion.contains;
  const both = cm.fhir.expand({ count: 1000 }).expansion.contains;
  assert.deepEqual([...a, ...b], both);
  for (const c of both) {
    assert.equal(c.system, URI);
    const l = cm.lookup(c.code);
    assert.equal(c.display, l.display);
    assert.equal(c.abstract === true, !cm.isValid(c.code));
  }
  assert.equal(cm.fhir.expand({ offset: 10 ** 9 }).expansion.contains, undefined);
});

test('expand with a filter: the codes search finds, with the filter echoed and the total', () => {
  const hits = cm.search('diabetes insipidus', { limit: 1000 });
  const vs = cm.fhir.expand({ filter: 'diabetes insipidus' });
  assert.equal(vs.expansion.total, hits.length);
  assert.deepEqual(vs.expansion.contains.map((c) => [c.code, c.display]), hits.map((h) => [h.code, h.display]));
  assert.ok(vs.expansion.parameter.some((x) => x.name === 'filter' && x.valueString === 'diabetes insipidus'));
  // A code as filter: the code, then the codes under it.
  const e116 = cm.fhir.expand({ filter: 'E11.6', count: 1000 }).expansion.contains.map((c) => c.code);
  assert.equal(e116[0], 'E11.6');
  assert.deepEqual(e116.slice(1), cm.prefix('E11.6', { limit: 1000 }).slice(1).map((e) => e.code));
});

test('expand on a date / activeOnly: codes not yet in effect are left out; codes deleted by the date are inactive, or dropped with activeOnly', () => {
  // Codes new in FY2026 (from the official table): absent from a FY2025 expansion.
  const fy2025 = new Set(mceValidOn(20250101));
  const added = mceValidOn(20251001).filter((c) => !fy2025.has(c) && cm.lookup(c)?.billable).slice(0, 20);
  assert.ok(added.length > 0);
  for (const code of added) {
    const dotted = cm.lookup(code).code;
    const parent = cm.lookup(code).parent;
    const now = cm.fhir.expand({ filter: parent, count: 1000 }).expansion.contains.map((c) => c.code);
    const then = cm.fhir.expand({ filter: parent, count: 1000, date: '2025-01-01' }).expansion.contains?.map((c) => c.code) ?? [];
    assert.ok(now.includes(dotted), dotted);
    assert.ok(!then.includes(dotted), dotted);
  }
  // Codes in the embedded tabular that the newest release (FY2027) deleted.
  const current = new Set(validNow);
  const gone = mceValidOn(20260401).filter((c) => !current.has(c) && cm.lookup(c, { date: '2026-05-01' })?.billable).slice(0, 20);
  assert.ok(gone.length > 0);
  for (const code of gone) {
    const dotted = cm.lookup(code).code;
    const row = cm.fhir.expand({ filter: dotted }).expansion.contains.find((c) => c.code === dotted);
    assert.equal(row.inactive, true, dotted);
    const active = cm.fhir.expand({ filter: dotted, activeOnly: true }).expansion.contains ?? [];
    assert.ok(!active.some((c) => c.code === dotted));
    const april = cm.fhir.expand({ filter: dotted, date: '2026-05-01' }).expansion.contains.find((c) => c.code === dotted);
    assert.equal(april.inactive, undefined);
    assert.equal(april.abstract, undefined);
  }
});

// --- bad input -----------------------------------------------------------------------

test('any JS value as request or field: a FHIR resource, never a throw', () => {
  const next = rng(7);
  const values = [undefined, null, 0, -1, 1.5, NaN, Infinity, '', ' ', 'E11.9', 'e119', 'E'.repeat(100), '\uD800', 'Ｅ１１.９', true, false,
    {}, [], ['E11.9'], () => 'E11.9', Symbol('x'), 10n, new Date(NaN), new Date(2020, 0, 1), Object.create(null), new Proxy({}, { get() { throw new Error('trap'); } })];
  const fields = ['code', 'display', 'date', 'system', 'version', 'abstract', 'lenientDisplay', 'filter', 'count', 'offset', 'activeOnly', 'notSelectable',
    'coding', 'codeableConcept', 'url', 'codeA', 'codeB', 'codingA', 'property', 'resourceType', 'parameter'];
  values.push({ system: URI, code: 'E11.9' }, { coding: [{ system: URI, code: 'E11.9' }, null, 5] }, { coding: 'E11.9' }, `${URI}?fhir_vs`, `${URI}?fhir_vs=isa/E11`, `${URI}?fhir_vs=isa/%E0`, 'Parameters',
    [{ name: 'code', valueCode: 'E11.9' }], [{ name: 'code' }], [{ name: 'code', valueCode: 'a' }, { name: 'code', valueCode: 'b' }], [null]);
  const kinds = new Set(['Parameters', 'OperationOutcome', 'ValueSet']);
  let calls = 0;
  const check = (r) => {
    calls++;
    assert.ok(kinds.has(r.resourceType), JSON.stringify(r).slice(0, 200));
    JSON.stringify(r);
  };
  const operations = ['validateCode', 'validateInValueSet', 'lookup', 'subsumes', 'expand'];
  for (const v of values) for (const f of operations) check(cm.fhir[f](v));
  for (let n = 0; n < 3000; n++) {
    const req = { code: 'E11.9' };
    for (const f of fields) if (next() < 0.4) req[f] = values[Math.floor(next() * values.length)];
    for (const f of operations) check(cm.fhir[f](req));
  }
  const throwing = { get code() { throw new Error('getter'); } };
  assert.equal(cm.fhir.validateCode(throwing).resourceType, 'OperationOutcome');
  assert.ok(calls > 15000);
  assert.equal(param(cm.fhir.validateCode({ code: 'E11.9' }), 'result'), true);
});

test('a code too long or in full-width digits is invalid-code, never a throw', () => {
  for (const code of ['E'.repeat(100), 'Ｅ１１.９', 'E11.9\u0000', '<img src=x>']) {
    const p = cm.fhir.validateCode({ code });
    assert.equal(param(p, 'result'), false);
    assert.equal(shape(issues(p)[0]).tx, 'invalid-code');
    assert.ok(param(p, 'code').length <= 65);
  }
});
