// Hostile input across the JS boundary in Node: typed answers, never a throw or trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MedcodeError, open } from '../../js/node.js';
import { rng, runBattery } from './battery.mjs';

const cm = await open('icd10cm');

test('100,000 generated hostile inputs per public function never throw or trap', () => {
  const { calls, failures } = runBattery(cm, { count: 100000 });
  assert.deepEqual(failures, []);
  assert.ok(calls >= 900000, `${calls} calls`);
  // The module still answers after the battery.
  assert.equal(cm.isValid('E11.9'), true);
  assert.equal(cm.lookup('S72.001A').billable, true);
});

test('the notes module: 20,000 generated hostile inputs per public function, claimFacts with its note findings included', async () => {
  const withNotes = await open('icd10cm', { notes: true });
  const { calls, failures } = runBattery(withNotes, { count: 20000, seed: 11 });
  assert.deepEqual(failures, []);
  assert.ok(calls >= 200000, `${calls} calls`);
  assert.ok(withNotes.claimFacts(['G63', 'E11.9']).notes.length > 0);
});

test('named hostile inputs give false or a malformed issue', () => {
  for (const v of [undefined, null, 119, {}, [], 'E'.repeat(16 << 20), '\uD800', 'Ｅ１１.９', 'E１１.9']) {
    assert.equal(cm.isValid(v), false);
    assert.equal(cm.lookup(v), null);
    const r = cm.validate(v);
    assert.equal(r.result, false);
    assert.equal(r.issues[0].reason, 'malformed', String(v).slice(0, 20));
  }
  assert.match(cm.validate('Ｅ１１.９').issues[0].text, /full-width/);
  assert.match(cm.validate(undefined).issues[0].text, /undefined, not a string/);
});

test('regression: prefix with null or non-object options answers instead of throwing', () => {
  assert.equal(cm.prefix('E11.6', null).length, cm.prefix('E11.6').length);
  assert.equal(cm.prefix('E11.6', 7).length, cm.prefix('E11.6').length);
  assert.equal(cm.prefix('E11.6', { limit: '2' }).length, cm.prefix('E11.6').length);
});

test('open: 100,000 generated names reject with MedcodeError; ids, names and URIs open', async () => {
  const next = rng(99);
  const alphabet = [...'icdICD10cmpsCM-_. /:'].concat(['\uD800', '１', 'é', '\u0000']);
  let rejected = 0;
  for (let i = 0; i < 100000; i++) {
    const r = next();
    const name = r < 0.1 ? [undefined, null, 0, {}, [], Symbol('icd10cm'), () => 'icd10cm', new String('icd10cm')][i % 8]
      : Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    try {
      const set = await open(name, next() < 0.5 ? null : { wasmUrl: name });
      assert.equal(set, cm, `${String(name)} opened another set`);
    } catch (e) {
      assert.ok(e instanceof MedcodeError, `open(${typeof name}) threw ${e && e.name}`);
      assert.match(e.message, /unknown code system/);
      rejected++;
    }
  }
  assert.ok(rejected > 90000);
  for (const name of ['icd10cm', 'ICD-10-CM', 'icd_10_cm', ' ICD10CM ', 'http://hl7.org/fhir/sid/icd-10-cm']) {
    assert.equal(await open(name), cm, name);
  }
});

test('the bulk checker: bad settings and bad bytes are MedcodeErrors; random bytes never trap', () => {
  for (const config of [undefined, {}, { delimiter: 5, columns: [0] }, { delimiter: '"', columns: [0] }, { delimiter: ',', columns: [] }, { delimiter: ',', columns: [0.5] }, { delimiter: ',', columns: [0], dateColumn: -2 }, { delimiter: ',', columns: [0], date: 2026 }]) {
    assert.throws(() => cm.bulkChecker(config), MedcodeError, JSON.stringify(config));
  }
  const bulk = cm.bulkChecker({ delimiter: ',', columns: [0, 2], dateColumn: 1 });
  for (const bytes of [undefined, null, 'E11.9\n', 42, [69, 10]]) assert.throws(() => bulk.run(bytes, true), MedcodeError);
  const random = rng(17);
  const alphabet = Buffer.from('E11.9,2026-01-15,I10\r\n\n\t /0123456789SXA', 'latin1');
  let lines = 0;
  for (let i = 0; i < 2000; i++) {
    const bytes = new Uint8Array(Math.floor(random() * 200));
    for (let j = 0; j < bytes.length; j++) bytes[j] = random() < 0.99 ? alphabet[Math.floor(random() * alphabet.length)] : Math.floor(random() * 256);
    const r = bulk.run(bytes, random() < 0.5);
    assert.ok(r.consumed <= bytes.length && (r.consumed === 0 || bytes[r.consumed - 1] === 10 || r.consumed === bytes.length));
    lines += r.lines;
  }
  assert.ok(lines > 20, `${lines} lines answered`);
  assert.equal(bulk.summary().rows, lines);
  assert.equal(cm.restarts, 0);
  assert.equal(cm.isValid('E11.9'), true);
});
