// The command line on the embedded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../js/cli.js', import.meta.url));
const run = (args, input) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8' });

test('lookup prints code, status, title and ancestors', () => {
  const r = run(['lookup', 'E11.9', 's72001a']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^E11\.9 {2}billable {2}Type 2 diabetes mellitus without complications$/m);
  assert.match(r.stdout, /^S72\.001A {2}billable {2}Fracture of unspecified part of neck of right femur, initial encounter for closed fracture$/m);
  assert.match(r.stdout, /in: E11 Type 2 diabetes mellitus › E08-E13/);
});

test('--json prints one object per input line read from stdin; exit 1 on unknown', () => {
  const r = run(['--json', 'lookup'], 'E11\nZZ9\nE11..9\n');
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.input, l.result, l.issues[0]?.reason]), [
    ['E11', false, 'header'],
    ['ZZ9', false, 'unknown'],
    ['E11..9', false, 'malformed'],
  ]);
});

test('unknown command is a usage error', () => {
  const r = run(['frobnicate', 'E11']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: medcode/);
});
