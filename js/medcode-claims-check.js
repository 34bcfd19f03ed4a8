// `medcode check --claims`: the rows of an export grouped into claims (one
// claim per run of rows with the same claim id; a claim of one row when the
// file has no claim column) and each claim checked with `checkClaim`
// (js/medcode-claim.js): diagnoses in the order of the rows and columns
// (the first is principal), procedures, sex, age and date of service from
// columns named so. Output: one line per finding (CSV) or one JSON line per
// claim. Streams like `checkBatches`: one claim in memory at a time.
import { checkClaim } from './medcode-claim.js';
import { CheckSetupError, defaultDateColumn, quoteField, readDate, recordBatches, resolveColumn } from './medcode-check.js';

/** Header cells naming each part of a claim. */
const NAMES = {
  claim: /^(claim|encounter|account|visit)([ _-]?(id|no|number|#))?$/i,
  procedure: /^(px|proc|procedure|pcs|icd10pcs|icd-10-pcs)[ _-]?(code)?[ _-]?\d*$/i,
  diagnosis: /^(dx|diag|diagnosis|icd|icd10|icd10cm|icd-10-cm|principal[ _-]?dx|secondary[ _-]?dx|other[ _-]?dx)[ _-]?(code)?[ _-]?\d*$/i,
  sex: /^(sex|gender)$/i,
  age: /^(age|age[ _-]?years)$/i,
};

/** The header's columns for each part of a claim; `given` overrides (`claimColumn`, `codeColumns` with `:icd10pcs`, `dateColumn`). */
function columnsOf(header, given) {
  const find = (re) => (header ? header.map((h, i) => [h.trim(), i]).filter(([h]) => re.test(h)).map(([, i]) => i) : []);
  const pick = (spec) => resolveColumn(spec, header, ['icd10cm', 'icd10pcs']);
  let dx = find(NAMES.diagnosis);
  let px = find(NAMES.procedure);
  if (given.codeColumns?.length) {
    const cols = given.codeColumns.map(pick);
    dx = cols.filter((c) => (c.system ?? 'icd10cm') === 'icd10cm').map((c) => c.index);
    px = cols.filter((c) => c.system === 'icd10pcs').map((c) => c.index);
  }
  if (dx.length === 0 && px.length === 0) throw new Error(`no diagnosis or procedure column: name them with --code-column (dx1, px1:icd10pcs)${header ? ` (the header: ${header.join(', ')})` : ''}`);
  return {
    claim: given.claimColumn !== undefined ? pick(given.claimColumn).index : find(NAMES.claim)[0],
    dx,
    px,
    date: given.dateColumn !== undefined ? pick(given.dateColumn).index : defaultDateColumn(header)?.index,
    sex: find(NAMES.sex)[0],
    age: find(NAMES.age)[0],
  };
}

/** The findings of one claim as CSV lines: claim, severity, type, codes, reason, suggestions. */
function findingLines(id, findings, d) {
  return findings.map((f) => [id, f.severity, f.type, f.codes.join(' '), f.reason, (f.suggestions ?? []).join(' ')].map((v) => quoteField(v, d)).join(d) + '\n').join('');
}

/**
 * Checks the claims of a CSV/TSV file given as batches of lines. `options`:
 * `open(system, {notes})`, `date` for claims without one, `claimColumn`,
 * `codeColumns`, `dateColumn`, `header`, `json`, `source`. Returns the
 * summary: claims, claims with an error, findings per type, malformed lines.
 */
export async function checkClaimBatches(batches, options, io) {
  const summary = { claims: 0, rows: 0, failedClaims: 0, findings: {}, malformed: [] };
  let columns;
  let delimiter;
  let sets;
  let claim = null;
  let out = '';
  function finish() {
    if (claim === null) return;
    const date = claim.date ?? options.date;
    const findings = checkClaim({ diagnoses: claim.dx, procedures: claim.px, sex: claim.sex, age: claim.age, ...(date ? { date } : {}) }, sets);
    summary.claims++;
    if (findings.some((f) => f.severity === 'error')) summary.failedClaims++;
    for (const f of findings) summary.findings[`${f.severity} ${f.type}`] = (summary.findings[`${f.severity} ${f.type}`] ?? 0) + 1;
    out += options.json ? `${JSON.stringify({ claim: claim.id, line: claim.line, findings })}\n` : findingLines(claim.id, findings, delimiter);
    claim = null;
  }
  function add(record) {
    summary.rows++;
    if (record.fields === null) {
      if (summary.malformed.length < 100) summary.malformed.push(`line ${record.line}: ${record.problem}`);
      finish();
      out += options.json ? `${JSON.stringify({ claim: null, line: record.line, findings: [{ severity: 'error', type: 'malformed-row', codes: [], reason: `line ${record.line}: ${record.problem}` }] })}\n` : [`line ${record.line}`, 'error', 'malformed-row', '', `line ${record.line}: ${record.problem}`, ''].map((v) => quoteField(v, delimiter)).join(delimiter) + '\n';
      summary.findings['error malformed-row'] = (summary.findings['error malformed-row'] ?? 0) + 1;
      summary.failedClaims++;
      return;
    }
    const f = record.fields;
    const id = columns.claim === undefined ? `line ${record.line}` : (f[columns.claim] ?? '').trim();
    if (claim !== null && claim.id !== id) finish();
    claim ??= { id, line: record.line, dx: [], px: [], date: undefined, sex: undefined, age: undefined };
    for (const i of columns.dx) if ((f[i] ?? '').trim() !== '') claim.dx.push(f[i].trim());
    for (const i of columns.px) if ((f[i] ?? '').trim() !== '') claim.px.push(f[i].trim());
    const cell = (i) => (i === undefined ? '' : (f[i] ?? '').trim());
    if (cell(columns.date)) claim.date ??= readDate(cell(columns.date)) ?? cell(columns.date);
    if (cell(columns.sex)) claim.sex ??= cell(columns.sex).slice(0, 1).toUpperCase();
    if (cell(columns.age) && /^\d{1,3}$/.test(cell(columns.age))) claim.age ??= Number(cell(columns.age));
  }
  async function begin(first) {
    delimiter = first.delimiter;
    try {
      columns = columnsOf(first.header, options);
    } catch (e) {
      throw new CheckSetupError(`check --claims: ${e.message}`);
    }
    sets = { cm: await options.open('icd10cm', { notes: true }), pcs: columns.px.length ? await options.open('icd10pcs') : undefined };
    if (!options.json) out += ['claim', 'severity', 'type', 'codes', 'reason', 'suggestions'].join(delimiter) + '\n';
  }
  for await (const records of recordBatches(batches, { ...options, what: 'check --claims' }, begin)) {
    for (const r of records) add(r);
    if (out !== '') await io.write(out);
    out = '';
    io.progress?.(summary.rows);
  }
  finish();
  if (out !== '') await io.write(out);
  return summary;
}
