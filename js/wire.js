// The wire schema, JS side: the fields of every positional row and the keys
// of every JSON object a medcode module returns, in the order the boundary
// crate (crates/medcode-wasm/src/wire.rs) declares them. The parsers in
// medcode.js read fields by these names; tests/js/wire.test.mjs checks this
// file against each module's `wireSchema()` export.

/** Fields and keys by row or object name (mirrors `wire::SCHEMA`). */
export const SCHEMA = Object.freeze({
  prefixRow: ['code', 'display', 'kind', 'billable'],
  lookupRow: ['code', 'display', 'kind', 'billable', 'parent', 'validFrom', 'validTo', 'short'],
  hitRow: ['code', 'display', 'kind', 'billable', 'matched', 'inclusion', 'expanded', 'unmatched'],
  concept: ['code', 'display', 'kind', 'billable', 'system'],
  validation: ['result', 'code', 'system', 'version', 'release', 'date', 'display', 'issues', 'suggestions'],
  issue: ['severity', 'code', 'reason', 'text'],
  suggestion: ['code', 'display'],
  note: ['kind', 'text', 'from', 'char', 'refs'],
  noteRef: ['text', 'code', 'through', 'block', 'incomplete'],
  release: ['start', 'name'],
  table: ['table', 'source', 'rows', 'bytes', 'sha256'],
  nextChar: ['ch', 'position', 'codes', 'axis', 'label', 'definition', 'code'],
  axisLabel: ['position', 'axis', 'label'],
  modifier: ['code', 'display', 'short', 'validFrom', 'validTo'],
  bulkSummary: ['rows', 'codes', 'failedRows', 'statuses'],
});

/** `{name: index}` of a row's fields, so parsers read `f[i + HIT.display]`. */
function indexOf(fields) {
  return Object.freeze(Object.fromEntries(fields.map((name, i) => [name, i])));
}

/** Field positions of a `prefixRows` row, and its width. */
export const PREFIX = indexOf(SCHEMA.prefixRow);
export const PREFIX_WIDTH = SCHEMA.prefixRow.length;
/** Field positions of the `lookupRow` row. */
export const LOOKUP = indexOf(SCHEMA.lookupRow);
/** Field positions of a `searchRows`/`findRows` hit row, and its width. */
export const HIT = indexOf(SCHEMA.hitRow);
export const HIT_WIDTH = SCHEMA.hitRow.length;
/** Separates the items of a list field of a hit row. */
export const ITEM = '\u001f';
/** Separates `from` and `to` of an `expanded` item. */
export const PAIR = '\u001e';

/**
 * The tab-separated fields of one short row, as `row.split('\t')` gives
 * them. For a row of a few fields (a `lookupRow`) this takes about 60% of
 * `split`'s time in V8 (Node 20: 145 against 231 ns); long lists of rows
 * still use `split`, which is as fast there.
 */
export function fieldsOf(row) {
  const fields = [];
  let at = 0;
  for (;;) {
    const tab = row.indexOf('\t', at);
    if (tab < 0) {
      fields.push(row.slice(at));
      return fields;
    }
    fields.push(row.slice(at, tab));
    at = tab + 1;
  }
}
