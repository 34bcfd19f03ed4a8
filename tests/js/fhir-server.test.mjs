// `medcode serve --fhir`: the HL7 FHIR terminology ecosystem test cases
// (github.com/HL7/fhir-tx-ecosystem-ig, tests/test-cases.json: suites
// metadata, validation, case, notSelectable, errors, simple, version) sent as
// HTTP requests to a running server, GET with query parameters and POST with
// Parameters (code, Coding, CodeableConcept). Upstream runs them on small
// made-up code systems; each port uses real codes of the embedded systems
// (picked from the official MCE validity table, tables/registry, or from the
// module's hierarchy; titles read through lookup) and checks what the
// upstream expected answer checks: the result, the issue's severity, FHIR
// issue type, tx-issue-type, message id and location. Every test is named
// after its upstream case; docs/fhir-tx-tests.md lists them and those that do
// not apply. The last line printed is the pass count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../js/node.js';
import { fhirService } from '../../js/cli-serve.js';
import { serve } from '../../js/serve.js';
import { param, issues, shape } from './fhir-shapes.mjs';
import { mceValidOn } from './official.mjs';

const cm = await open('icd10cm');
const pcs = await open('icd10pcs');
const hcpcs = await open('hcpcs');
const CM = cm.system;

let server;
let base;
const tally = { run: 0, passed: 0, failed: [] };

before(async () => {
  server = await serve({ port: 0, root: null, fhir: await fhirService() });
  base = server.fhir;
});

after(async () => {
  await server.close();
  console.log(`tx-ecosystem cases over HTTP: ${tally.passed} of ${tally.run} passed${tally.failed.length ? ` (failed: ${tally.failed.join(', ')})` : ''}; cases that do not apply: docs/fhir-tx-tests.md`);
});

/** A ported upstream case: counted in the summary line. */
function txCase(name, about, body) {
  test(`${name}: ${about}`, async () => {
    tally.run++;
    try {
      await body();
      tally.passed++;
    } catch (e) {
      tally.failed.push(name);
      throw e;
    }
  });
}

/** GET `path` with query parameters → `{status, body, headers}`. */
async function get(path, params = {}) {
  const url = new URL(`${base}/${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.append(k, String(v));
  const res = await fetch(url, { headers: { Accept: 'application/fhir+json' } });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** POST a Parameters resource (built from `[name, value[x] key, value]` rows) to `path`. */
async function post(path, rows) {
  const parameter = rows.map(([name, key, value]) => ({ name, [key]: value }));
  const res = await fetch(`${base}/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Parameters', parameter }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const newest = cm.info().newest;
const validNow = mceValidOn(Number(newest.start.replaceAll('-', '')));
/** Billable ICD-10-CM codes with a title and no note, spread over the table. */
const sample = validNow
  .filter((_, i) => i % 997 === 0)
  .map((c) => cm.lookup(c))
  .filter((l) => l && l.billable && l.display !== '' && cm.validate(l.code).issues.length === 0);
/** A billable code of each system, from its own table. */
const firstBillable = (set, prefix) => set.prefix(prefix, { limit: 500 }).find((e) => e.billable);
const pcsCode = firstBillable(pcs, '0DT');
const hcpcsCode = firstBillable(hcpcs, 'J1');
/** A code no release ever had: a billable code with a character added that the set rejects. */
const badCode = (() => {
  for (const e of sample) {
    for (const ch of '9XZ') {
      const c = `${e.code}${ch}`;
      if (cm.lookup(c) === null && !cm.isValid(c)) return c;
    }
  }
  throw new Error('no bad code found');
})();

// --- metadata suite -------------------------------------------------------------

txCase('metadata', 'the CapabilityStatement of a terminology server: FHIR 4.0.1, instance, every operation, JSON', async () => {
  const { status, body, headers } = await get('metadata');
  assert.equal(status, 200);
  assert.match(headers.get('content-type'), /^application\/fhir\+json/);
  assert.equal(body.resourceType, 'CapabilityStatement');
  assert.equal(body.fhirVersion, '4.0.1');
  assert.equal(body.kind, 'instance');
  assert.deepEqual(body.instantiates, ['http://hl7.org/fhir/CapabilityStatement/terminology-server']);
  assert.ok(body.format.includes('application/fhir+json'));
  assert.equal(body.implementation.url, base);
  const ops = body.rest[0].resource.flatMap((r) => (r.operation ?? []).map((o) => `${r.type}/$${o.name}`));
  for (const op of ['CodeSystem/$lookup', 'CodeSystem/$validate-code', 'CodeSystem/$subsumes', 'ValueSet/$expand', 'ValueSet/$validate-code']) assert.ok(ops.includes(op), op);
});

txCase('term-caps', 'TerminologyCapabilities lists each embedded system with its versions, the newest the default', async () => {
  const { status, body } = await get('metadata', { mode: 'terminology' });
  assert.equal(status, 200);
  assert.equal(body.resourceType, 'TerminologyCapabilities');
  const uris = body.codeSystem.map((c) => c.uri);
  for (const set of [cm, pcs, hcpcs]) assert.ok(uris.includes(set.system), set.system);
  const icd = body.codeSystem.find((c) => c.uri === CM);
  const years = [...new Set(cm.info().releases.map((r) => r.name.slice(2, 6)))];
  assert.deepEqual(icd.version.map((v) => v.code), years);
  assert.deepEqual(icd.version.filter((v) => v.isDefault).map((v) => v.code), [newest.name.slice(2, 6)]);
  assert.equal(body.expansion.paging, true);
});

// --- validation suite -------------------------------------------------------------

txCase('validation-cs-code-good', 'a known code validates, by GET and by POST, in each embedded system', async () => {
  for (const e of sample) {
    const { status, body } = await get('CodeSystem/$validate-code', { system: CM, code: e.code });
    assert.equal(status, 200);
    assert.equal(param(body, 'result'), true, e.code);
    assert.equal(param(body, 'display'), e.display);
    assert.equal(param(body, 'system'), CM);
    assert.equal(param(body, 'version'), newest.name.slice(2, 6));
  }
  for (const [set, e] of [[cm, sample[0]], [pcs, pcsCode], [hcpcs, hcpcsCode]]) {
    const { status, body } = await post('CodeSystem/$validate-code', [['system', 'valueUri', set.system], ['code', 'valueCode', e.code]]);
    assert.equal(status, 200);
    assert.equal(param(body, 'result'), true, e.code);
    assert.equal(param(body, 'system'), set.system);
    assert.equal(param(body, 'display'), set.lookup(e.code).display);
  }
});

txCase('validation-simple-code-good-display', 'the official title as display: no issue', async () => {
  for (const e of sample.slice(0, 20)) {
    const { body } = await get('CodeSystem/$validate-code', { system: CM, code: e.code, display: e.display });
    assert.equal(param(body, 'result'), true);
    assert.deepEqual(issues(body), []);
  }
});

txCase('validation-cs-code-bad-code', 'a code in no release: result false, code-invalid / invalid-code / Unknown_Code_in_Version, a message', async () => {
  const { status, body } = await get('CodeSystem/$validate-code', { system: CM, code: badCode });
  assert.equal(status, 200);
  assert.equal(param(body, 'result'), false);
  assert.equal(param(body, 'code'), badCode);
  assert.equal(param(body, 'display'), undefined);
  const i = issues(body).find((x) => x.severity === 'error');
  assert.deepEqual(shape(i), { severity: 'error', code: 'code-invalid', tx: 'invalid-code', id: 'Unknown_Code_in_Version', where: 'code' });
  assert.ok(param(body, 'message').includes(i.details.text));
});

txCase('validation-simple-code-bad-display', 'lenient-display-validation=false: a wrong display is an error, result false', async () => {
  const e = sample[1];
  const { body } = await get('CodeSystem/$validate-code', { system: CM, code: e.code, display: 'Not the title', 'lenient-display-validation': 'false' });
  assert.equal(param(body, 'result'), false);
  assert.deepEqual(shape(issues(body)[0]), { severity: 'error', code: 'invalid', tx: 'invalid-display', id: 'Display_Name_for__should_be_one_of__instead_of', where: 'display' });
});

txCase('validation-simple-code-bad-display-warning', 'by default a wrong display is a warning and the result stands', async () => {
  const e = sample[1];
  const { body } = await post('CodeSystem/$validate-code', [['system', 'valueUri', CM], ['code', 'valueCode', e.code], ['display', 'valueString', 'Not the title']]);
  assert.equal(param(body, 'result'), true);
  assert.equal(shape(issues(body)[0]).severity, 'warning');
});

txCase('validation-simple-coding-good', 'a Coding in Parameters validates; the answer names the code and system', async () => {
  const e = sample[2];
  const { status, body } = await post('CodeSystem/$validate-code', [['coding', 'valueCoding', { system: CM, code: e.code, display: e.display }]]);
  assert.equal(status, 200);
  assert.equal(param(body, 'result'), true);
  assert.equal(param(body, 'code'), e.code);
  assert.equal(param(body, 'system'), CM);
  assert.deepEqual(issues(body), []);
});

txCase('validation-simple-coding-bad-code', 'a Coding with an unknown code: invalid-code located at Coding.code', async () => {
  const { body } = await post('CodeSystem/$validate-code', [['coding', 'valueCoding', { system: CM, code: badCode }]]);
  assert.equal(param(body, 'result'), false);
  const i = issues(body).find((x) => x.severity === 'error');
  assert.deepEqual(shape(i), { severity: 'error', code: 'code-invalid', tx: 'invalid-code', id: 'Unknown_Code_in_Version', where: 'Coding.code' });
});

txCase('validation-simple-codeableconcept-good', 'a CodeableConcept with a valid coding: result true, the concept echoed', async () => {
  const e = sample[3];
  const cc = { coding: [{ system: CM, code: e.code }], text: 'as charted' };
  const { body } = await post('CodeSystem/$validate-code', [['codeableConcept', 'valueCodeableConcept', cc]]);
  assert.equal(param(body, 'result'), true);
  assert.deepEqual(param(body, 'codeableConcept'), cc);
  assert.equal(param(body, 'code'), e.code);
  assert.equal(param(body, 'display'), e.display);
});

txCase('validation-simple-codeableconcept-bad-code', 'a CodeableConcept whose coding is unknown: result false, invalid-code at CodeableConcept.coding[0].code', async () => {
  const { body } = await post('CodeSystem/$validate-code', [['codeableConcept', 'valueCodeableConcept', { coding: [{ system: CM, code: badCode }] }]]);
  assert.equal(param(body, 'result'), false);
  const i = issues(body).find((x) => x.severity === 'error');
  assert.deepEqual(shape(i), { severity: 'error', code: 'code-invalid', tx: 'invalid-code', id: 'Unknown_Code_in_Version', where: 'CodeableConcept.coding[0].code' });
  assert.ok(param(body, 'message').includes(i.details.text));
});

txCase('validation-simple-codeableconcept-bad-system', 'a CodeableConcept of an unknown system: result false, not-found at the coding', async () => {
  const { body } = await post('CodeSystem/$validate-code', [['codeableConcept', 'valueCodeableConcept', { coding: [{ system: 'http://example.org/not-a-system', code: 'X1' }] }]]);
  assert.equal(param(body, 'result'), false);
  const i = issues(body).find((x) => x.severity === 'error');
  assert.equal(i.code, 'not-found');
  assert.match(i.expression[0], /^CodeableConcept\.coding\[0\]\.system$/);
});

txCase('validation-simple-codeableconcept (two systems)', 'codings of ICD-10-CM and HCPCS are each validated by their own system; one valid coding makes the concept valid', async () => {
  const cc = { coding: [{ system: CM, code: badCode }, { system: hcpcs.system, code: hcpcsCode.code }] };
  const { body } = await post('CodeSystem/$validate-code', [['codeableConcept', 'valueCodeableConcept', cc]]);
  assert.equal(param(body, 'result'), true);
  assert.equal(param(body, 'system'), hcpcs.system);
  assert.equal(param(body, 'code'), hcpcsCode.code);
  // The bad coding's error is kept, as a warning, at its own place.
  const w = issues(body).find((i) => i.expression?.[0] === 'CodeableConcept.coding[0].code');
  assert.equal(w.severity, 'warning');
});

txCase('unknown-system1 / unknown-system2 / validation-simple-coding-bad-system', 'an unknown system: result false, not-found / UNKNOWN_CODESYSTEM, x-caused-by-unknown-system', async () => {
  for (const system of ['http://hl7.org/fhir/sid/icd-10', 'http://snomed.info/sct', 'http://hl7.org/fhir/sid/icd-10-cm-x']) {
    const { status, body } = await get('CodeSystem/$validate-code', { system, code: 'E11.9' });
    assert.equal(status, 200);
    assert.equal(param(body, 'result'), false);
    assert.deepEqual(shape(issues(body)[0]), { severity: 'error', code: 'not-found', tx: 'not-found', id: 'UNKNOWN_CODESYSTEM', where: 'system' });
    assert.equal(param(body, 'x-caused-by-unknown-system'), system);
  }
});

txCase('missing-cs-nothing / missing-cs-url-no-code', 'no code: HTTP 400 with an OperationOutcome (invalid)', async () => {
  for (const params of [{ system: CM }, { system: CM, code: '' }]) {
    const { status, body } = await get('CodeSystem/$validate-code', params);
    assert.equal(status, 400);
    assert.equal(body.resourceType, 'OperationOutcome');
    assert.equal(body.issue[0].code, 'invalid');
  }
});

txCase('missing-cs-coding-no-system', 'a Coding without a system on CodeSystem/$validate-code: 400 naming the system', async () => {
  const { status, body } = await post('CodeSystem/$validate-code', [['coding', 'valueCoding', { code: 'E11.9' }]]);
  assert.equal(status, 400);
  assert.match(body.issue[0].details.text, /No system/);
});

txCase('missing-cs-cc-no-code', 'a CodeableConcept with no coding: 400', async () => {
  const { status, body } = await post('CodeSystem/$validate-code', [['codeableConcept', 'valueCodeableConcept', { text: 'diabetes' }]]);
  assert.equal(status, 400);
  assert.match(body.issue[0].details.text, /no coding/);
});

txCase('validation-simple-code-good (ValueSet)', 'ValueSet/$validate-code on the implicit value set of the system', async () => {
  const e = sample[4];
  const { body } = await get('ValueSet/$validate-code', { url: `${CM}?fhir_vs`, system: CM, code: e.code });
  assert.equal(param(body, 'result'), true);
  assert.equal(param(body, 'display'), e.display);
});

txCase('validation-simple-code-bad-code (ValueSet)', 'an unknown code is not-in-vs and invalid-code', async () => {
  const { body } = await get('ValueSet/$validate-code', { url: `${CM}?fhir_vs`, system: CM, code: badCode });
  assert.equal(param(body, 'result'), false);
  const shapes = issues(body).map(shape);
  assert.deepEqual(shapes[0], { severity: 'error', code: 'code-invalid', tx: 'not-in-vs', id: 'None_of_the_provided_codes_are_in_the_value_set_one', where: 'code' });
  assert.ok(shapes.some((s) => s.tx === 'invalid-code'));
});

txCase('validation-simple-code-bad-valueSet', 'a value set the server does not know: 404 OperationOutcome', async () => {
  const { status, body } = await get('ValueSet/$validate-code', { url: 'http://example.org/ValueSet/none', code: 'E11.9', system: CM });
  assert.equal(status, 404);
  assert.equal(body.issue[0].code, 'not-found');
});

txCase('validation isa value set (simple-expand-isa idea)', '?fhir_vs=isa/CODE holds the code and what is under it, nothing else', async () => {
  const top = cm.lookup('E11');
  const inside = cm.prefix('E11', { limit: 200 }).filter((e) => e.billable);
  const outside = sample.filter((e) => !e.code.startsWith('E11')).slice(0, 5);
  for (const e of inside.slice(0, 10)) {
    const { body } = await post('ValueSet/$validate-code', [['url', 'valueUri', `${CM}?fhir_vs=isa/${top.code}`], ['system', 'valueUri', CM], ['code', 'valueCode', e.code]]);
    assert.equal(param(body, 'result'), true, e.code);
  }
  for (const e of outside) {
    const { body } = await get('ValueSet/$validate-code', { url: `${CM}?fhir_vs=isa/${top.code}`, system: CM, code: e.code });
    assert.equal(param(body, 'result'), false, e.code);
    assert.equal(shape(issues(body)[0]).tx, 'not-in-vs');
  }
});

// --- case suite ----------------------------------------------------------------

txCase('case-insensitive-code1-2 / 1-3', 'lower- and mixed-case input: result true, the input echoed, normalized-code, CODE_CASE_DIFFERENCE', async () => {
  for (const e of sample.slice(0, 10)) {
    const lower = e.code.toLowerCase();
    const { body } = await get('CodeSystem/$validate-code', { system: CM, code: lower });
    assert.equal(param(body, 'result'), true);
    assert.equal(param(body, 'code'), lower);
    assert.equal(param(body, 'normalized-code'), e.code);
    assert.deepEqual(shape(issues(body)[0]), { severity: 'information', code: 'business-rule', tx: 'code-rule', id: 'CODE_CASE_DIFFERENCE', where: 'code' });
  }
});

// --- notSelectable suite ---------------------------------------------------------

const headers = cm.prefix('E11', { limit: 200 }).filter((e) => !e.billable);

txCase('notSelectable-prop-true-true-param-false', 'a header is not allowed: code-rule / ABSTRACT_CODE_NOT_ALLOWED, result false', async () => {
  assert.ok(headers.length > 0);
  for (const e of headers) {
    const { body } = await get('CodeSystem/$validate-code', { system: CM, code: e.code, abstract: 'false' });
    assert.equal(param(body, 'result'), false, e.code);
    // (A header that was once billable also carries its deletion.)
    const abstract = issues(body).find((i) => shape(i).id === 'ABSTRACT_CODE_NOT_ALLOWED');
    assert.deepEqual(shape(abstract), { severity: 'error', code: 'business-rule', tx: 'code-rule', id: 'ABSTRACT_CODE_NOT_ALLOWED', where: 'code' });
  }
});

txCase('notSelectable-prop-true-true-param-true', 'abstract=true accepts a header', async () => {
  for (const e of headers) {
    const { body } = await post('CodeSystem/$validate-code', [['system', 'valueUri', CM], ['code', 'valueCode', e.code], ['abstract', 'valueBoolean', true]]);
    assert.equal(param(body, 'result'), true, e.code);
  }
});

txCase('notSelectable-prop-true / prop-false (expand)', 'notSelectable keeps headers only or billable codes only; they add up', async () => {
  const url = `${CM}?fhir_vs=isa/E11`;
  const all = (await get('ValueSet/$expand', { url, count: 0 })).body.expansion.total;
  const abstract = (await get('ValueSet/$expand', { url, count: 1000, notSelectable: 'true' })).body.expansion;
  const selectable = (await get('ValueSet/$expand', { url, count: 1000, notSelectable: 'false' })).body.expansion;
  assert.equal(abstract.total + selectable.total, all);
  assert.ok(abstract.contains.every((c) => c.abstract === true));
  assert.ok(selectable.contains.every((c) => c.abstract === undefined));
});

// --- dates and versions ------------------------------------------------------------

txCase('validation-simple-coding-bad-code-inactive', 'a code deleted before the date of service: result false, inactive', async () => {
  const before = new Set(mceValidOn(20161001));
  const after = new Set(mceValidOn(20171001));
  const deleted = [...before].filter((c) => !after.has(c) && (cm.children(c) ?? []).length === 0).slice(0, 10);
  assert.ok(deleted.length > 0);
  for (const code of deleted) {
    const { body } = await post('CodeSystem/$validate-code', [['coding', 'valueCoding', { system: CM, code }], ['date', 'valueDateTime', '2018-01-01']]);
    assert.equal(param(body, 'result'), false, code);
    assert.equal(param(body, 'inactive'), true, code);
    assert.equal(shape(issues(body).find((i) => i.severity === 'error')).id, 'STATUS_CODE_WARNING_CODE');
    assert.equal(param((await get('CodeSystem/$validate-code', { system: CM, code, version: '2017' })).body, 'result'), true, code);
  }
});

txCase('version-simple-code-bad-version1', 'an unknown version: result false, UNKNOWN_CODESYSTEM_VERSION listing the versions', async () => {
  const { body } = await get('CodeSystem/$validate-code', { system: CM, code: sample[0].code, version: '2015' });
  assert.equal(param(body, 'result'), false);
  assert.deepEqual(shape(issues(body)[0]), { severity: 'error', code: 'not-found', tx: 'not-found', id: 'UNKNOWN_CODESYSTEM_VERSION', where: 'version' });
  const lookup = await get('CodeSystem/$lookup', { system: CM, code: sample[0].code, version: '2015' });
  assert.equal(lookup.status, 404);
});

txCase('version (HCPCS quarters)', 'each HCPCS quarter is a version: named on a date of service, listed, and selectable', async () => {
  const releases = hcpcs.info().releases;
  const caps = (await get('metadata', { mode: 'terminology' })).body.codeSystem.find((c) => c.uri === hcpcs.system);
  assert.equal(caps.version.length, releases.length);
  const older = releases.at(-3);
  const version = older.start.slice(0, 7);
  assert.ok(caps.version.some((v) => v.code === version));
  const { body } = await get('CodeSystem/$validate-code', { system: hcpcs.system, code: hcpcsCode.code, date: older.start });
  assert.equal(param(body, 'version'), version);
  const pinned = await get('CodeSystem/$validate-code', { system: hcpcs.system, code: hcpcsCode.code, version });
  assert.equal(param(pinned.body, 'version'), version);
  assert.deepEqual(issues(pinned.body).filter((i) => i.severity === 'error'), []);
});

// --- simple suite: $lookup, $expand ------------------------------------------------

txCase('simple-lookup-1', '$lookup by GET: name, version, display, parent and every child with titles', async () => {
  const code = 'E11.6';
  const { status, body } = await get('CodeSystem/$lookup', { system: CM, code });
  assert.equal(status, 200);
  assert.equal(param(body, 'name'), cm.info().name);
  assert.equal(param(body, 'version'), newest.name.slice(2, 6));
  assert.equal(param(body, 'display'), cm.lookup(code).display);
  const props = (name) => body.parameter.filter((p) => p.name === 'property' && p.part[0].valueCode === name).map((p) => p.part[1]);
  assert.deepEqual(props('parent').map((v) => v.valueCode), [cm.lookup(code).parent]);
  assert.deepEqual(props('child').map((v) => v.valueCode), cm.children(code).map((c) => c.code));
});

txCase('simple-lookup-2', '$lookup by POST with a Coding, on an instance (CodeSystem/{id}/$lookup), with property filter', async () => {
  const e = sample[5];
  const { body } = await post('CodeSystem/icd10cm/$lookup', [['coding', 'valueCoding', { system: CM, code: e.code }], ['property', 'valueCode', 'parent']]);
  assert.equal(param(body, 'display'), e.display);
  const codes = body.parameter.filter((p) => p.name === 'property').map((p) => p.part[0].valueCode);
  assert.deepEqual([...new Set(codes)], ['parent']);
  const unknown = await get('CodeSystem/$lookup', { system: CM, code: badCode });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.issue[0].details.coding[0].code, 'invalid-code');
});

txCase('simple-expand-all-count', 'count=0: the total and no concepts', async () => {
  const { body } = await get('ValueSet/$expand', { url: `${CM}?fhir_vs`, count: 0 });
  assert.equal(body.resourceType, 'ValueSet');
  const counts = cm.info().counts;
  // The tabular's categories and codes, and the codes FY2027 adds.
  assert.equal(body.expansion.total, counts.billable + counts.headers + cm.info().addenda.added);
  assert.equal(body.expansion.contains, undefined);
});

txCase('simple-expand-isa / simple-expand-isa-o2c2', 'is-a expansion of a category, in code order, paged', async () => {
  const url = `${CM}?fhir_vs=isa/E11`;
  const want = cm.prefix('E11', { limit: 1000 }).map((e) => e.code);
  const whole = (await post('ValueSet/$expand', [['url', 'valueUri', url], ['count', 'valueInteger', 1000]])).body.expansion;
  assert.equal(whole.total, want.length);
  assert.deepEqual(whole.contains.map((c) => c.code), want);
  const page = (await get('ValueSet/$expand', { url, offset: 2, count: 2 })).body.expansion;
  assert.deepEqual(page.contains.map((c) => c.code), want.slice(2, 4));
  assert.equal(page.offset, 2);
});

txCase('simple-expand-all (filter)', 'a text filter gives what search gives, in PCS and HCPCS too', async () => {
  for (const [set, filter] of [[cm, 'type 2 diabetes'], [pcs, 'appendectomy'], [hcpcs, 'wheelchair cushion']]) {
    const { body } = await get('ValueSet/$expand', { url: `${set.system}?fhir_vs`, filter, count: 10 });
    assert.deepEqual(body.expansion.contains.map((c) => c.code), set.search(filter, { limit: 10 }).map((r) => r.code), filter);
  }
});

// --- errors suite ----------------------------------------------------------------------

txCase('broken-filter-expand (spirit)', 'a malformed expansion request is 400 naming the parameter', async () => {
  const { status, body } = await get('ValueSet/$expand', { url: `${CM}?fhir_vs`, count: '-1' });
  assert.equal(status, 400);
  assert.match(body.issue[0].details.text, /count/);
  const unknown = await get('ValueSet/$expand', { url: 'http://example.org/fhir/ValueSet/x' });
  assert.equal(unknown.status, 404);
});

// --- medcode's own: $subsumes, CodeSystem, HTTP ----------------------------------------

test('$subsumes: equivalent, subsumes, subsumed-by, not-subsumed, from the hierarchy', async () => {
  const code = sample[6];
  const line = cm.ancestors(code.code);
  const outcome = async (a, b) => param((await get('CodeSystem/$subsumes', { system: CM, codeA: a, codeB: b })).body, 'outcome');
  for (const up of line) {
    assert.equal(await outcome(up.code, code.code), 'subsumes', up.code);
    assert.equal(await outcome(code.code, up.code), 'subsumed-by', up.code);
  }
  assert.equal(await outcome(code.code, code.code.replace('.', '').toLowerCase()), 'equivalent');
  const other = sample.find((e) => !line.some((a) => a.code === cm.ancestors(e.code).at(-1).code));
  assert.equal(await outcome(code.code, other.code), 'not-subsumed');
  const coded = await post('CodeSystem/$subsumes', [['codingA', 'valueCoding', { system: CM, code: line[0].code }], ['codingB', 'valueCoding', { system: CM, code: code.code }]]);
  assert.equal(param(coded.body, 'outcome'), 'subsumes');
  const bad = await get('CodeSystem/$subsumes', { system: CM, codeA: badCode, codeB: code.code });
  assert.equal(bad.status, 400);
  assert.match(bad.body.issue[0].details.text, /codeA/);
});

test('CodeSystem read and search: each embedded system, its URL, version and count', async () => {
  const { body } = await get('CodeSystem');
  assert.equal(body.resourceType, 'Bundle');
  assert.deepEqual(body.entry.map((e) => e.resource.url).sort(), [cm, pcs, hcpcs].map((s) => s.system).sort());
  const one = await get('CodeSystem', { url: CM });
  assert.equal(one.body.total, 1);
  const read = await get('CodeSystem/icd10cm');
  assert.equal(read.body.url, CM);
  assert.equal(read.body.version, newest.name.slice(2, 6));
  assert.equal(read.body.content, 'not-present');
  assert.equal(read.body.count, cm.info().counts.billable + cm.info().counts.headers);
  assert.equal((await get('CodeSystem/nope')).status, 404);
});

test('HTTP: wrong method, media type, body and path get a status and an OperationOutcome, never a crash', async () => {
  const url = `${base}/CodeSystem/$validate-code`;
  const cases = [
    [{ method: 'PUT' }, 405],
    [{ method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }, 415],
    [{ method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: '{not json' }, 400],
    [{ method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: '[]' }, 400],
    [{ method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Coding', code: 'E11.9' }) }, 400],
    [{ method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'code' }] }) }, 400],
    [{ method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: 'x'.repeat((1 << 20) + 10) }, 413],
    [{ headers: { Accept: 'application/fhir+xml' } }, 406],
  ];
  for (const [init, status] of cases) {
    const res = await fetch(url, init);
    assert.equal(res.status, status, JSON.stringify(init).slice(0, 80));
    const body = await res.json();
    assert.equal(body.resourceType, 'OperationOutcome');
  }
  assert.equal((await fetch(`${base}/Patient/1`)).status, 404);
  assert.equal((await fetch(`${base}/CodeSystem/$translate`)).status, 400);
  assert.equal((await get('CodeSystem/$validate-code', { system: CM, code: 'E11.9', abstract: 'maybe' })).status, 400);
  // Outside /fhir there is nothing (no page in this server).
  assert.equal((await fetch(`${server.origin}/www/`)).status, 404);
  // CORS: a page on another origin may call it.
  const pre = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://ehr.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  // Hostile strings, by GET and by POST: an answer each time.
  for (const code of ['\ud800', '１２３', 'E11.9'.repeat(2000), '<script>', '__proto__']) {
    for (const { status, body } of [await get('CodeSystem/$validate-code', { system: CM, code }), await post('CodeSystem/$validate-code', [['system', 'valueUri', CM], ['code', 'valueCode', code]])]) {
      assert.equal(status, 200, code.slice(0, 10));
      assert.equal(param(body, 'result'), false);
    }
  }
  const proto = await post('CodeSystem/$validate-code', [['__proto__', 'valueString', 'x'], ['system', 'valueUri', CM], ['code', 'valueCode', sample[0].code]]);
  assert.equal(param(proto.body, 'result'), true);
  // A URL past Node's header limit is refused by the HTTP parser (431), the server stays up.
  assert.equal((await fetch(`${base}/CodeSystem/$validate-code?code=${'E'.repeat(20000)}`)).status, 431);
  assert.equal((await get('metadata')).status, 200);
});

test('medcode serve --fhir: the CLI starts the server and it answers', async (t) => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [new URL('../../js/cli.js', import.meta.url).pathname, 'serve', '--fhir', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /FHIR R4 terminology at (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  const res = await fetch(`${line}/CodeSystem/$validate-code?system=${encodeURIComponent(CM)}&code=${sample[0].code}`);
  assert.equal(param(await res.json(), 'result'), true);
  // A usage mistake is exit status 2.
  const { spawnSync } = await import('node:child_process');
  const bad = spawnSync(process.execPath, [new URL('../../js/cli.js', import.meta.url).pathname, 'serve', '--port', 'x'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--port/);
});
