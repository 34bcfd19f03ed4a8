// ICD-10-PCS, HCPCS Level II, CPT and custom modules through the JS API:
// each opened on its own, checked against the registry tables read here
// (MCE for PCS, I/OCE for HCPCS) on release days, plus the builder, the
// modifiers, CPT's format-only answers, a licensee table and a custom list
// compiled with scripts/build.sh (tests/test.sh builds both first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { open, openModule, SYSTEMS } from '../../js/node.js';
import { registryText } from './official.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

function registry(name) {
  return registryText(name).split('\n').slice(1).filter(Boolean).map((l) => l.split('\t'));
}

test('every system opens by id, name and FHIR URI, and names its release', async () => {
  assert.deepEqual([...SYSTEMS], ['icd10cm', 'icd10pcs', 'hcpcs', 'cpt']);
  const uris = {
    icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
    hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
    cpt: 'http://www.ama-assn.org/go/cpt',
  };
  for (const [id, uri] of Object.entries(uris)) {
    const set = await open(id);
    assert.equal(set.system, uri);
    assert.equal(await open(uri), set);
    assert.equal(set.info().system, id);
    assert.ok(set.info().release.length > 0);
  }
  assert.equal(await open('ICD-10-PCS'), await open('icd10pcs'));
  assert.equal(await open('HCPCS Level II'), await open('hcpcs'));
});

test('ICD-10-PCS: valid codes on each fiscal year and update equal the MCE table', async () => {
  const pcs = await open('icd10pcs');
  const rows = registry('mce_icd10pcs_validity.tsv');
  const codes = [...new Set(rows.map((r) => r[0]))];
  for (const release of pcs.info().releases) {
    const day = Number(release.start.replaceAll('-', ''));
    const want = new Set(rows.filter((r) => Number(r[1]) <= day && day <= Number(r[2])).map((r) => r[0]));
    const got = pcs.isValidMany(codes, { date: release.start });
    const mismatched = codes.filter((c, i) => got[i] !== want.has(c));
    assert.deepEqual(mismatched.slice(0, 5), [], release.start);
  }
  // Without a date the newest release (FY2027) answers.
  assert.equal(pcs.info().newest.name, 'FY2027');
  const fy2027 = rows.filter((r) => Number(r[1]) <= 20261001 && 20261001 <= Number(r[2])).map((r) => r[0]);
  assert.ok(pcs.isValidMany(fy2027).every(Boolean));
});

test('ICD-10-PCS: lookup, builder, bad positions and search', async () => {
  const pcs = await open('icd10pcs');
  const [code] = registry('mce_icd10pcs_validity.tsv').find((r) => r[0].startsWith('0DTJ'));
  const c = pcs.lookup(code.toLowerCase());
  assert.equal(c.code, code);
  assert.equal(c.billable, true);
  assert.ok(c.display.length > 10);
  // Build the code axis by axis: every step offers its character with a label.
  for (let i = 0; i < 7; i++) {
    const next = pcs.nextCharacters(code.slice(0, i));
    const step = next.find((n) => n.ch === code[i]);
    assert.ok(step, `${code} at ${i + 1}`);
    assert.equal(step.position, i + 1);
    assert.ok(step.label, `${code} position ${i + 1} has a label`);
    if (i === 6) assert.equal(step.code, code);
  }
  assert.equal(pcs.nextCharacters(code), null, 'a complete code has no next character');
  assert.equal(pcs.nextCharacters(42), null);
  const v = pcs.validate(code.slice(0, 6) + 'O');
  assert.equal(v.result, false);
  assert.equal(v.issues[0].reason, 'bad-axis');
  assert.match(v.issues[0].text, /O and I/);
  const hits = pcs.search(c.display.split(',')[0], { limit: 50 });
  assert.ok(hits.some((h) => h.code === code), `search finds ${code} by its title`);
});

test('HCPCS: valid codes on every I/OCE quarter equal the I/OCE table; modifiers', async () => {
  const hcpcs = await open('hcpcs');
  const rows = registry('ioce_hcpcs.tsv');
  const quarters = new Map(registry('ioce_versions.tsv').map((r) => [Number(r[1]), r[2]]));
  const codes = [...new Set(rows.map((r) => r[0].split('|')[0]))];
  for (const [version, start] of quarters) {
    const want = new Set(rows.filter((r) => Number(r[2]) <= version && version <= Number(r[3])).map((r) => r[0].split('|')[0]));
    const date = `${start.slice(0, 4)}-${start.slice(4, 6)}-${start.slice(6)}`;
    const got = hcpcs.isValidMany(codes, { date });
    assert.deepEqual(codes.filter((c, i) => got[i] !== want.has(c)).slice(0, 5), [], date);
  }
  assert.equal(hcpcs.isValid('99213'), false, 'CPT is not HCPCS Level II');
  const rt = hcpcs.modifier(' rt ');
  assert.equal(rt.code, 'RT');
  assert.equal(hcpcs.modifier('E0114'), null);
  assert.equal(hcpcs.modifier(undefined), null);
  assert.equal((await open('icd10cm')).modifier('RT'), null);
});

test('HCPCS codes of the first I/OCE quarter have no known start (the history starts there, HCPCS long before)', async () => {
  const hcpcs = await open('hcpcs');
  const rows = registry('ioce_hcpcs.tsv');
  const quarters = new Map(registry('ioce_versions.tsv').map((r) => [Number(r[1]), r[2]]));
  const first = Math.min(...quarters.keys());
  const newest = Math.max(...quarters.keys());
  const iso = (d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
  const old = rows.find((r) => Number(r[2]) === first && Number(r[3]) === newest)[0].split('|')[0];
  const c = hcpcs.lookup(old);
  assert.equal(c.code, old);
  assert.equal(c.validFrom, undefined, `${old} is valid since the first quarter the history holds, and may be older`);
  const lookup = hcpcs.fhir.lookup({ code: old });
  assert.ok(!JSON.stringify(lookup).includes('effectiveDate'), 'no effectiveDate for an unknown start');
  // A code added later keeps its start (one row: valid from its quarter on).
  const added = rows.find((r) => Number(r[2]) > first && Number(r[3]) === newest && rows.filter((x) => x[0].split('|')[0] === r[0].split('|')[0]).length === 1);
  assert.equal(hcpcs.lookup(added[0].split('|')[0]).validFrom, iso(quarters.get(Number(added[2]))));
  // Modifiers come from the same I/OCE tables.
  assert.equal(hcpcs.modifier('RT').validFrom, '');
  const before = hcpcs.validate(old, { date: `${Number(quarters.get(first).slice(0, 4)) - 1}-01-01` });
  assert.equal(before.result, false);
  assert.equal(before.issues[0].reason, 'date-out-of-range');
  assert.match(before.issues[0].text, new RegExp(`history starts with the .* release \\(${iso(quarters.get(first))}\\)`));
});

test('CPT without a licensed table checks the format only and says so', async () => {
  const cpt = await open('cpt');
  assert.equal(cpt.formatOnly, true);
  for (const [code, ok] of [['99213', true], ['1234F', true], ['0042T', true], ['0001U', true], ['9921', false], ['J0570', false], [null, false]]) {
    assert.equal(cpt.isValid(code), ok, String(code));
  }
  const v = cpt.validate('99213');
  assert.equal(v.result, true);
  assert.equal(v.display, undefined);
  assert.equal(v.issues[0].reason, 'format-only');
  assert.match(v.issues[0].text, /licensed/);
  assert.equal(cpt.lookup('99213'), null);
});

/** Rows of a flat TSV test table (made-up content). */
function flatRows(file) {
  const lines = readFileSync(join(root, 'crates/medcode-tables/tests/data', file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const head = lines[0].split('\t');
  return lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
}

test('a licensee CPT table compiled with scripts/build.sh --cpt', async (t) => {
  const dir = join(root, 'target/cpt-licensed/pkg');
  if (!existsSync(join(dir, 'cpt.js'))) return t.skip('run bash scripts/build.sh --cpt crates/medcode-tables/tests/data/cpt-fake.tsv');
  const glue = await import(join(dir, 'cpt.js'));
  const cpt = await openModule(glue, join(dir, 'cpt_bg.wasm'));
  assert.equal(cpt.formatOnly, false);
  const rows = flatRows('cpt-fake.tsv');
  for (const row of rows) {
    if (row.header === '1') {
      assert.equal(cpt.isValid(row.code), false, `${row.code} is a heading`);
      continue;
    }
    const c = cpt.lookup(row.code);
    assert.equal(c.display, row.long_title, row.code);
    assert.equal(c.short, row.short_title, row.code);
    // Valid in the newest release when one of the code's rows is still open.
    const open = rows.some((r) => r.code === row.code && r.start && !r.end) || rows.every((r) => r.code !== row.code || !r.start);
    assert.equal(cpt.isValid(row.code), open, row.code);
    if (row.start) assert.equal(cpt.isValid(row.code, { date: `${row.start.slice(0, 4)}-${row.start.slice(4, 6)}-${row.start.slice(6)}` }), true, `${row.code} on its start`);
  }
  assert.equal(cpt.formatOnly, false);
  assert.equal(cpt.isValid('99213'), false, 'a licensee table knows its codes: no format-only answers');
  // Search is compiled in with a licensee's table (the module without one
  // leaves it out: it has no titles to search).
  for (const row of rows.filter((r) => r.header !== '1').slice(0, 3)) {
    const word = row.long_title.split(/[^A-Za-z]+/).find((w) => w.length > 4);
    assert.ok(cpt.search(word, { limit: 50 }).some((h) => h.code === row.code), `search(${word}) lists ${row.code}`);
  }
});

test('a custom list compiled with scripts/build.sh --table', async (t) => {
  const dir = join(root, 'target/custom/pkg');
  if (!existsSync(join(dir, 'custom.js'))) return t.skip('run bash scripts/build.sh --table crates/medcode-tables/tests/data/custom-valueset.tsv');
  const glue = await import(join(dir, 'custom.js'));
  const set = await openModule(glue, join(dir, 'custom_bg.wasm'));
  assert.equal(set.info().system, 'custom');
  assert.equal(set.info().name, 'EXAMPLE-VALUESET');
  for (const row of flatRows('custom-valueset.tsv')) {
    const key = row.code.replace('.', '').trim().toUpperCase();
    assert.equal(set.isValid(row.code), true, row.code);
    assert.equal(set.lookup(key).display, row.title);
    // Regression (issue 15): codes of 9+ characters switched search off for
    // the whole module, and codes of 11+ were never isValid.
    const word = row.title.replace(/[()]/g, '').split(' ').find((w) => w.length > 4 && !/^made-up$/i.test(w));
    assert.ok(set.search(word).some((h) => h.code === key), `search(${word}) lists ${key}`);
  }
  assert.equal(set.isValid('Z99.9'), false);
  assert.equal(set.isValid('LONGLOCALCODE0167'), false, 'one past the longest code');
});
