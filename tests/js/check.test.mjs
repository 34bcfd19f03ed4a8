// `medcode check FILE|-`: bulk checking of CSV/TSV exports. The codes come
// from the official MCE validity table (tests/js/official.mjs): valid ones,
// ones valid on one date of service and not another, headers, a code missing
// its 7th character; every row out for every row in, malformed records named
// by line, exit status 1 when a row fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mceValidOn } from './official.mjs';
import { RecordReader, checkBatches, checkBytes, defaultCodeColumns, lineBatches, readDate, splitRecord } from '../../js/medcode-check.js';
import { open } from '../../js/node.js';

const CLI = fileURLToPath(new URL('../../js/cli.js', import.meta.url));
const run = (args, input) => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
const dotted = (c) => (c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c);

function tempFile(t, name, text) {
  const dir = mkdtempSync(join(tmpdir(), 'medcode-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The CSV output parsed back (the checker's own splitter, tested below). */
const parse = (text) => text.trimEnd().split('\n').map((l) => splitRecord(l, ',').fields);

test('every row comes out with its results; dates per row change the answer', (t) => {
  const fy2017 = mceValidOn(20170101);
  const fy2020 = new Set(mceValidOn(20200101));
  const ended = fy2017.find((c) => !fy2020.has(c) && c.length > 3);
  const valid = mceValidOn(20260115).filter((c) => fy2020.has(c)).slice(0, 50);
  const rows = ['claim,dos,dx1,dx2'];
  valid.forEach((c, i) => rows.push(`c${i},2026-01-15,${dotted(c)},${i % 2 ? c.toLowerCase() : ''}`));
  rows.push(`old,2017-01-01,${dotted(ended)},`, `new,2020-01-01,${dotted(ended)},`);
  rows.push('hdr,2026-01-15,E11,', 'seventh,2026-01-15,S72.001,', 'junk,2026-01-15,ZZ9.99,', 'baddate,2026-02-30,E11.9,');
  const path = tempFile(t, 'claims.csv', rows.join('\n') + '\n');
  const r = run(['check', path]);
  assert.equal(r.status, 1, r.stderr);
  const out = parse(r.stdout);
  assert.equal(out.length, rows.length, 'one line out per line in');
  const head = out[0];
  assert.deepEqual(head.slice(0, 4), ['claim', 'dos', 'dx1', 'dx2']);
  assert.deepEqual(head.slice(4, 6), ['dx1.valid', 'dx1.status']);
  const byClaim = new Map(out.slice(1).map((f) => [f[0], Object.fromEntries(head.map((h, i) => [h, f[i]]))]));
  for (let i = 0; i < valid.length; i++) {
    const row = byClaim.get(`c${i}`);
    assert.equal(row['dx1.valid'], 'true', valid[i]);
    assert.equal(row['dx2.status'], i % 2 ? 'valid' : 'empty');
    assert.notEqual(row['dx1.title'], '');
  }
  assert.deepEqual([byClaim.get('old')['dx1.status'], byClaim.get('new')['dx1.status']], ['valid', 'deleted']);
  assert.equal(byClaim.get('hdr')['dx1.status'], 'header');
  assert.equal(byClaim.get('seventh')['dx1.status'], 'seventh-missing');
  assert.match(byClaim.get('seventh')['dx1.suggestion'], /^S72\.001A/);
  assert.equal(byClaim.get('junk')['dx1.status'], 'unknown');
  assert.equal(byClaim.get('baddate')['dx1.status'], 'bad-date');
  assert.match(r.stderr, new RegExp(`${rows.length - 1} rows`));
  assert.match(r.stderr, /header\s+1/);
});

test('malformed records are reported with their line and nothing is lost', (t) => {
  const text = 'dx,note\nE11.9,"fine, quoted"\nI10,"spans\ntwo lines"\nE11.9,"never closed\nI10,ok\n';
  const path = tempFile(t, 'broken.csv', text);
  const r = run(['--json', 'check', path]);
  assert.equal(r.status, 1);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => [x.line, x.results[0].status]), [
    [2, 'valid'],
    [3, 'valid'],
    [5, 'malformed-row'],
    [6, 'valid'],
  ]);
  assert.equal(rows[1].row.note, 'spans\ntwo lines');
  assert.match(rows[2].results[0].reason, /^line 5: a quoted field is not closed/);
  assert.match(r.stderr, /line 5: a quoted field is not closed by the end of the file/);
});

test('TSV from standard input, columns by number with a system, no header', () => {
  const r = run(['check', '--no-header', '-c', '2:hcpcs', '-'], 'x\tE0100\ny\tE11.9\n');
  assert.equal(r.status, 1);
  const out = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.deepEqual(out.map((f) => f.slice(0, 4)), [
    ['x', 'E0100', 'true', 'valid'],
    ['y', 'E11.9', 'false', 'unknown'],
  ]);
});

test('a column named HCPCS, CPT or ICD-10-PCS is checked against that system', (t) => {
  const path = tempFile(t, 'mixed.tsv', 'Claim ID\tDiagnosis Code\tHCPCS\tICD-10-PCS\tCPT\n1\ti10\tE0100\t0DTJ4ZZ\t99213\n2\tE11.9\tXX999\t0DTJ\t9921\n');
  const r = run(['check', path]);
  assert.equal(r.status, 1, r.stderr);
  const [head, ...rows] = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  const status = (row, col) => row[head.indexOf(`${col}.status`)];
  // E0100 (a cane) and 0DTJ4ZZ are no ICD-10-CM codes: answered by their own systems.
  assert.deepEqual(['Diagnosis Code', 'HCPCS', 'ICD-10-PCS', 'CPT'].map((c) => status(rows[0], c)), ['valid', 'valid', 'valid', 'valid']);
  assert.deepEqual(['Diagnosis Code', 'HCPCS', 'CPT'].map((c) => status(rows[1], c)), ['valid', 'unknown', 'malformed']);
  assert.notEqual(status(rows[1], 'ICD-10-PCS'), 'valid');
});

test('column mistakes are usage errors (exit 2) naming the column', (t) => {
  const path = tempFile(t, 'c.csv', 'a,b\nE11.9,I10\n');
  const r = run(['check', '-c', 'dx9', path]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /column "dx9": not in the header \(a, b\)/);
  assert.equal(run(['check', '-c', 'a:icd9', path]).status, 2);
  assert.equal(run(['check']).status, 2);
});

// The module's bulk checker (`checkBytes`) answers most lines itself and
// leaves the others to the JavaScript checker; the bytes out must be those
// the JavaScript checker alone writes (`checkBatches`), whatever the chunks.
async function bothWays(bytes, options, chunkSizes) {
  const collect = () => {
    const parts = [];
    return { parts, io: { write: (d) => parts.push(typeof d === 'string' ? Buffer.from(d) : Buffer.from(d)) } };
  };
  let answered = 0;
  const counted = async (id) => {
    const set = await open(id);
    const make = set.bulkChecker.bind(set);
    set.bulkChecker = (config) => {
      const bulk = make(config);
      const run = bulk.run;
      bulk.run = (b, last) => {
        const r = run(b, last);
        answered += r.lines;
        return r;
      };
      return bulk;
    };
    return set;
  };
  const ref = collect();
  async function* text() {
    const d = new TextDecoder();
    yield d.decode(bytes);
  }
  const refSummary = await checkBatches(lineBatches(text()), { ...options, open }, ref.io);
  const results = [];
  for (const size of chunkSizes) {
    const got = collect();
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const summary = await checkBytes(chunks(), { ...options, open: counted }, got.io);
    results.push({ size, out: Buffer.concat(got.parts), summary });
  }
  return { ref: Buffer.concat(ref.parts), refSummary, results, answered };
}

const sorted = (o) => Object.entries(o).sort((a, b) => a[0].localeCompare(b[0]));

test('the module answers lines as the JavaScript checker does, and leaves it the odd ones (bulk_check_same_bytes)', async () => {
  const fy2017 = mceValidOn(20170101);
  const fy2020 = new Set(mceValidOn(20200101));
  const ended = fy2017.filter((c) => !fy2020.has(c) && c.length > 3).slice(0, 20);
  const valid = mceValidOn(20260115).slice(0, 400);
  const lines = ['claim,dos,dx1,dx2,note'];
  const dates = ['2026-01-15', '01/15/2026', '1/5/2026', '20260115', '2017-01-01', '2020-01-01T08:00', '', '  2025-10-01 '];
  valid.forEach((c, i) => lines.push(`c${i},${dates[i % dates.length]},${i % 3 ? dotted(c) : c.toLowerCase()},${i % 4 ? '' : ' ' + ended[i % ended.length]},n${i}`));
  lines.push(
    'hdr,2026-01-15,E11,,x', 'seventh,2026-01-15,S72.001,I10,x', 'junk,2026-01-15,ZZ9.99,,x',
    'baddate,2026-02-30,E11.9,,x', 'oldyear,0999-01-01,E11.9,,x', 'short,2026-01-15', '',
    'quoted,2026-01-15,"E11.9","a, b"', 'open,2026-01-15,I10,"two', 'lines",x', 'crlf,2026-01-15,I10,,x\r',
    'name,2026-01-15,I10,,José', 'accent,2026-01-15,É11.9,,x', `long,2026-01-15,${'E'.repeat(70)},,x`,
    'tab,2026-01-15,E11.9\t,,x', 'unclosed,2026-01-15,I10,"never',
  );
  const text = lines.join('\n') + '\nlast,2026-01-15,I10,,no break';
  const bytes = Buffer.concat([Buffer.from(text), Buffer.from([10]), Buffer.from('bad,2026-01-15,I10,,\xff'.replace('\xff', ''), 'latin1'), Buffer.from([0xff, 10])]);
  for (const options of [{}, { date: '2019-06-01' }, { codeColumns: ['dx1'] }]) {
    const { ref, refSummary, results, answered } = await bothWays(bytes, options, [5, 97, 1 << 16]);
    assert.ok(answered > valid.length * 2, `the module answered ${answered} lines`);
    for (const r of results) {
      assert.equal(r.out.toString('latin1'), ref.toString('latin1'), `chunks of ${r.size}, ${JSON.stringify(options)}`);
      assert.deepEqual([r.summary.rows, r.summary.codes, r.summary.failedRows], [refSummary.rows, refSummary.codes, refSummary.failedRows]);
      assert.deepEqual(sorted(r.summary.statuses), sorted(refSummary.statuses));
      assert.deepEqual(sorted(r.summary.reasons), sorted(refSummary.reasons));
      assert.deepEqual(r.summary.malformed, refSummary.malformed);
    }
  }
  // TSV, and a file whose first line is a record (no header).
  const tsv = Buffer.from(valid.slice(0, 50).map((c, i) => `${dotted(c)}\tx${i}`).join('\r\n') + '\r\n');
  const r = await bothWays(tsv, { header: false }, [13, 1 << 16]);
  for (const x of r.results) assert.equal(x.out.toString(), r.ref.toString());
  assert.ok(r.answered >= 49 * 2);
});

test('record reader and date cells', () => {
  const reader = new RecordReader(',');
  const out = [];
  for (const line of ['"a', 'b",c', 'd,e']) reader.push(line, out);
  reader.end(out);
  assert.deepEqual(out.map((r) => [r.line, r.fields]), [
    [1, ['a\nb', 'c']],
    [3, ['d', 'e']],
  ]);
  // Code columns by header, not the other codes of a claim export.
  assert.deepEqual(defaultCodeColumns(['claim', 'Zip Code', 'Diagnosis Code', 'dx2', 'Procedure Code', 'Status code', 'HCPCS', 'Revenue Code']).map((c) => c.name), ['Diagnosis Code', 'dx2', 'Procedure Code', 'HCPCS']);
  assert.deepEqual(['2026-01-15', '01/15/2026', '1/5/2026', '20260115', '2026-02-30', '15.01.2026'].map(readDate), ['2026-01-15', '2026-01-15', '2026-01-05', '2026-01-15', null, null]);
});

// --claims groups rows by claim id and answers exactly as checkClaim does for
// the claim the rows make (diagnoses in row and column order).
test('--claims: rows grouped by claim id, each claim checked as checkClaim checks it', async (t) => {
  const { open } = await import('../../js/node.js');
  const { checkClaim } = await import('../../js/medcode-claim.js');
  const text = 'claim_id,dos,sex,age,dx1,dx2,px1\nA,2026-01-15,M,40,E11.9,I10,\nA,2026-01-15,M,40,O80,,\nB,01/15/2026,F,30,E11,,0DTJ4ZZ\nC,2026-01-15,F,30,S72.001,,\n';
  const path = tempFile(t, 'claims.csv', text);
  const r = run(['--json', 'check', '--claims', path]);
  assert.equal(r.status, 1, r.stderr);
  const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(got.map((c) => c.claim), ['A', 'B', 'C']);
  const sets = { cm: await open('icd10cm', { notes: true }), pcs: await open('icd10pcs') };
  const claims = [
    { diagnoses: ['E11.9', 'I10', 'O80'], procedures: [], sex: 'M', age: 40, date: '2026-01-15' },
    { diagnoses: ['E11'], procedures: ['0DTJ4ZZ'], sex: 'F', age: 30, date: '2026-01-15' },
    { diagnoses: ['S72.001'], procedures: [], sex: 'F', age: 30, date: '2026-01-15' },
  ];
  claims.forEach((claim, i) => {
    const want = checkClaim(claim, sets).map((f) => [f.severity, f.type, f.codes.join(' ')]);
    assert.deepEqual(got[i].findings.map((f) => [f.severity, f.type, f.codes.join(' ')]), want, `claim ${got[i].claim}`);
  });
  assert.ok(got[1].findings.some((f) => f.type === 'header'));
  assert.match(r.stderr, /3 claims \(4 rows\)/);
  const csv = run(['check', '--claims', path]);
  assert.equal(csv.stdout.split('\n')[0], 'claim,severity,type,codes,reason,suggestions');
  assert.equal(run(['check', '--claim-column', 'claim_id', path]).status, 2);
});
