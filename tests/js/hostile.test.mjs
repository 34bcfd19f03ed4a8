// Hostile input across the JS boundary in Node: typed answers, never a throw or trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from '../../js/node.js';
import { runBattery } from './battery.mjs';

const cm = await open('icd10cm');

test('100,000 generated hostile inputs per public function never throw or trap', () => {
  const { calls, failures } = runBattery(cm, { count: 100000 });
  assert.deepEqual(failures, []);
  assert.ok(calls >= 900000, `${calls} calls`);
  // The module still answers after the battery.
  assert.equal(cm.isValid('E11.9'), true);
  assert.equal(cm.lookup('S72.001A').billable, true);
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
