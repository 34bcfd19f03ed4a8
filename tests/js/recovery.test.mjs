// A module that traps (a Rust panic: a bug, never expected) is re-instantiated
// and keeps answering. Uses the test-only build `scripts/build.sh --test-trap`,
// which panics on one magic input; the shipped module has no such path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { CodeSet } from '../../js/medcode.js';

const TRAP = 'medcode:test-trap';
const dir = new URL('../../target/test-trap/pkg/', import.meta.url);
const glue = await import(new URL('icd10cm.js', dir));
glue.initSync({ module: await readFile(new URL('icd10cm_bg.wasm', dir)) });
const cm = new CodeSet(glue);

test('a trap in validate restarts the module and answers with an internal issue', () => {
  assert.equal(cm.isValid('E11.9'), true);
  const restartsBefore = cm.restarts;
  const v = cm.validate(TRAP);
  assert.equal(v.result, false);
  assert.equal(v.issues[0].reason, 'internal');
  assert.equal(v.issues[0].code, 'exception');
  assert.match(v.issues[0].text, /medcode:test-trap/);
  assert.equal(cm.restarts, restartsBefore + 1);
  // Every function answers correctly from the fresh instance, including the
  // short-input fast path that writes into the (new) module memory.
  assert.equal(cm.isValid('E11.9'), true);
  assert.equal(cm.isValid('E11'), false);
  assert.deepEqual(cm.isValidMany(['E11.9', 'E11', 'S72.001A']), [true, false, true]);
  assert.equal(cm.lookup('E11.9').display, 'Type 2 diabetes mellitus without complications');
  assert.equal(cm.validate('E11').issues[0].reason, 'header');
  assert.equal(cm.prefix('E11.6', { limit: 3 }).length, 3);
  // The module lists its own system's tables (the trap build has ICD-10-CM with notes).
  const listed = readFileSync(new URL('../../tables/fingerprint.csv', import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('icd10cm.'));
  assert.equal(cm.dataInfo().length, listed.length);
  assert.equal(cm.isValid('A04.7', { date: '2017-01-01' }), true);
  assert.ok(cm.notes('E11.9').some((n) => n.from === 'E11'));
});

test('a trap in isValid answers false and the next call is right', () => {
  const restartsBefore = cm.restarts;
  assert.equal(cm.isValid(TRAP), false);
  assert.equal(cm.restarts, restartsBefore + 1);
  assert.equal(cm.isValid('e11.9'), true);
});

test('repeated traps never leak: 200 restarts, then normal answers', () => {
  for (let i = 0; i < 200; i++) assert.equal(cm.validate(TRAP).issues[0].reason, 'internal');
  assert.equal(cm.isValid('S72.001A'), true);
  assert.equal(cm.children('E11').length > 5, true);
});
