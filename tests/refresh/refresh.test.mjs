// The refresh command end to end (issue 15 point 6): a synthetic next
// release (FY2028, from 2027-10-01) made from the embedded data
// (examples/synthetic_release.rs: every code valid on 2027-09-30 with its
// title then, less two, plus two made-up ones, two titles changed) goes
// through `scripts/build.sh --release`, into a temporary updates folder and
// modules; the change report must list exactly those codes, and the modules
// must answer by date. Damaged, unknown, repeated and older files are refused
// with their name, and the updates folder is left as it was.
//
//   node --test tests/refresh/        (after bash scripts/build.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openModule } from '../../js/node.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'medcode-refresh-'));
const release = join(work, 'release');
const updates = join(work, 'updates');
const out = join(work, 'pkg');
const env = { ...process.env, MEDCODE_UPDATES: updates, MEDCODE_SKIP_SETUP: '1' };

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function refresh(folder) {
  return run('bash', ['scripts/build.sh', '--release', folder, '--out', out]);
}

const made = run('cargo', ['run', '--quiet', '--example', 'synthetic_release', '--', release, join(work, 'expected.json')]);
assert.equal(made.status, 0, made.stderr);
const expected = JSON.parse(readFileSync(join(work, 'expected.json'), 'utf8'));
const first = refresh(release);
const manifest = () => readFileSync(join(updates, 'UPDATES.tsv'), 'utf8');

async function module(id) {
  return openModule(await import(join(out, `${id}.js`)), join(out, `${id}_bg.wasm`));
}

test('the change report lists exactly the codes the synthetic release adds, deletes and retitles', async () => {
  assert.equal(first.status, 0, first.stderr);
  for (const [id, want] of Object.entries(expected)) {
    const set = await module(id);
    const updatesInfo = set.info().updates;
    assert.equal(updatesInfo.length, 1, id);
    const [u] = updatesInfo;
    assert.equal(u.file, want.file);
    assert.equal(u.effective, want.effective);
    assert.equal(u.release, 'FY2028');
    assert.deepEqual(u.codes, { added: want.added, deleted: want.deleted, retitled: want.retitled }, id);
    // The printed report names each of them.
    for (const code of [...want.added, ...want.deleted, ...want.retitled]) assert.match(first.stdout, new RegExp(code), `${id} ${code}`);
    assert.match(first.stdout, new RegExp(`codes added: ${want.added.length}`));
  }
  // Stored and pinned: one line per release, the text gzip'd.
  const lines = manifest().split('\n').filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(lines.map((l) => l.split('\t')[1]).sort(), ['icd10cm_codes_2028.txt', 'icd10pcs_codes_2028.txt']);
  assert.deepEqual(readdirSync(updates).sort(), ['UPDATES.tsv', 'icd10cm_codes_2028.txt.gz', 'icd10pcs_codes_2028.txt.gz']);
});

test('the refreshed modules answer by date: added, deleted and retitled codes on both sides of 2027-10-01', async () => {
  assert.equal(first.status, 0, first.stderr);
  const before = { date: '2027-09-30' };
  const after = { date: '2027-10-01' };
  for (const [id, want] of Object.entries(expected)) {
    const set = await module(id);
    const file = readFileSync(join(release, want.file), 'utf8');
    const titleIn = (code) => file.split('\n').find((l) => l.startsWith(`${code.padEnd(7)} `)).slice(8);
    for (const code of want.added) {
      assert.equal(set.isValid(code, before), false, `${id} ${code} before`);
      assert.equal(set.isValid(code, after), true, `${id} ${code} after`);
      assert.equal(set.lookup(code, after).display, titleIn(code));
    }
    for (const code of want.deleted) {
      assert.equal(set.isValid(code, before), true, `${id} ${code} before`);
      assert.equal(set.isValid(code, after), false, `${id} ${code} after`);
      assert.equal(set.isValid(code), false, `${id} ${code} in the newest release`);
    }
    for (const code of want.retitled) {
      assert.equal(set.lookup(code, after).display, titleIn(code), `${id} ${code}`);
      if (id === 'icd10cm') assert.ok(!set.lookup(code, before).display.includes('synthetic'), `${code} keeps its old title before`);
    }
    // The newest release is FY2028 now: covered to 2028-09-30.
    assert.equal(set.info().coverage.to, '2028-09-30');
    assert.ok(!set.validate(want.added[0], { date: '2028-09-30' }).issues.some((i) => i.reason === 'beyond-coverage'));
  }
});

test('a damaged, unknown, repeated or older release file is refused with its name, and nothing is stored', () => {
  assert.equal(first.status, 0, first.stderr);
  const kept = manifest();
  const source = readFileSync(join(release, 'icd10cm_codes_2028.txt'), 'utf8').split('\n');
  const cases = [
    // A line that is not a code: the file and line are named.
    ['icd10cm_codes_2029.txt', [...source.slice(0, 2), 'not-a-code   Title', ...source.slice(2)].join('\n'), /icd10cm_codes_2029\.txt:3: /],
    ['notes.pdf', 'x', /notes\.pdf:0: not an official release file/],
    // The same release again.
    ['icd10cm_codes_2028.txt', source.join('\n'), /already merged/],
  ];
  for (const [name, text, message] of cases) {
    const dir = join(work, `bad-${name}`);
    mkdirSync(dir);
    writeFileSync(join(dir, name), text);
    const r = refresh(dir);
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(manifest(), kept, `${name} stored nothing`);
  }
  // Older than the embedded history (HCPCS has no update yet, so only the
  // build can tell): the committed October 2025 workbook named as the April
  // 2026 quarter reads, the build refuses it, the folder is put back.
  const dir = join(work, 'older');
  mkdirSync(dir);
  const workbook = readFileSync(join(root, 'tables/releases/hcpcs-2025-10/HCPC2025_OCT_ANWEB.xlsx'));
  writeFileSync(join(dir, 'HCPC2026_APR_ANWEB.xlsx'), workbook);
  const r = refresh(dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /HCPC2026_APR_ANWEB\.xlsx:0: hcpcs April 2026 quarter \(2026-04-01\) is not newer than the embedded release of 2026-04-01/);
  assert.equal(manifest(), kept);
  assert.deepEqual(readdirSync(updates).sort(), ['UPDATES.tsv', 'icd10cm_codes_2028.txt.gz', 'icd10pcs_codes_2028.txt.gz']);
});
