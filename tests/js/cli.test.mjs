// The command line on the embedded data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { open } from '../../js/node.js';
import { mceValidOn } from './official.mjs';

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

// Arguments are read strictly (node:util parseArgs): every mistake is a usage
// error with exit status 2 and a message naming it, and nothing is printed
// on standard output (no input is read: the errors come before any).
test('usage errors exit 2 with the mistake named, never waiting on stdin', () => {
  const cases = [
    [['frobnicate', 'E11'], /unknown command "frobnicate"/],
    [['--bogus', 'lookup', 'E11'], /Unknown option '--bogus'/],
    [['prefix', 'S72', '--limit'], /--limit <value>' argument missing/],
    [['prefix', 'S72', '--limit', 'ten'], /--limit: "ten" is not a whole number/],
    [['validate', '--date', '2020-02-30', 'E11.9'], /--date: "2020-02-30" is not a date/],
    [['--system', 'icd9', 'lookup', 'E11'], /--system: "icd9" is not one of/],
    [['lookup', '--sex', 'F', 'E11'], /lookup takes no --sex option/],
    [['fhir', 'subsume', 'E11'], /fhir: unknown operation "subsume"/],
    [['search'], /search: give WORDS/],
    [[], /no command given/],
  ];
  for (const [args, message] of cases) {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20000 });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
  }
});

test('--help per command and --version with the embedded releases', async () => {
  const help = run(['lookup', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: medcode lookup \[options\] CODE\.\.\./);
  assert.match(run(['help', 'claim']).stdout, /--procedure CODE/);
  const version = run(['--version']);
  assert.equal(version.status, 0, version.stderr);
  const { version: pkg } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  assert.match(version.stdout, new RegExp(`^medcode ${pkg.replace(/\./g, '\\.')}$`, 'm'));
  const cm = await open('icd10cm');
  assert.ok(version.stdout.includes(cm.info().release));
});

// The dates come from the official MCE tables: a code valid on one date of
// service and not on the other (the CLI must answer as the API does).
test('--date changes the answer as the API does on that date', async () => {
  const [early, late] = [mceValidOn(20170101), mceValidOn(20200101)];
  const later = new Set(late);
  const code = early.find((c) => !later.has(c));
  assert.ok(code, 'a code valid in FY2017 and not in FY2020');
  const cm = await open('icd10cm');
  const at = (date) => {
    const r = run(['--json', 'validate', '--date', date, code]);
    return [r.status, JSON.parse(r.stdout).result];
  };
  assert.deepEqual(at('2017-01-01'), [0, true]);
  assert.deepEqual(at('2020-01-01'), [1, false]);
  assert.equal(cm.isValid(code, { date: '2020-01-01' }), false);
  assert.equal(cm.isValid(code, { date: '2017-01-01' }), true);
});

test('search, find, ancestors, notes, claim and fhir answer as the API does', async () => {
  const cm = await open('icd10cm');
  const search = run(['--json', 'search', '-n', '5', 'heart', 'attack']);
  assert.equal(search.status, 0, search.stderr);
  assert.deepEqual(JSON.parse(search.stdout).results.map((r) => r.code), cm.search('heart attack', { limit: 5 }).map((r) => r.code));
  const find = JSON.parse(run(['--json', 'find', 'e11.9']).stdout);
  assert.deepEqual([find.mode, find.results[0].code], ['code', 'E11.9']);
  const ancestors = run(['ancestors', 'E11.9']).stdout.split('\n').slice(1, -1).map((l) => l.trim().split('  ')[0]);
  assert.deepEqual(ancestors, cm.ancestors('E11.9').map((a) => a.code));
  const withNotes = await open('icd10cm', { notes: true });
  assert.deepEqual(JSON.parse(run(['--json', 'notes', 'E11.9']).stdout).notes.length, withNotes.notes('E11.9').length);
  // A header as principal diagnosis is an error finding: exit 1.
  const claim = run(['--json', 'claim', 'E11', '--age', '40', '--sex', 'M', '--date', '2026-01-15']);
  assert.equal(claim.status, 1);
  assert.ok(JSON.parse(claim.stdout).findings.some((f) => f.severity === 'error' && f.type === 'header'));
  const fhir = run(['fhir', 'validate-code', 'E11.9']);
  assert.equal(fhir.status, 0, fhir.stderr);
  assert.deepEqual(JSON.parse(fhir.stdout), cm.fhir.validateCode({ code: 'E11.9' }));
  assert.equal(run(['fhir', 'validate-code', 'E11']).status, 1);
  assert.equal(run(['--system', 'icd10pcs', 'search', 'zzzzqqq']).status, 1);
});
