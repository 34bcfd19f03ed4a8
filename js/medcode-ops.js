// The questions <medcode-input> asks of the code sets, written once and run
// either in the page (main thread) or in its Web Worker (js/medcode-worker.js).
// Every answer is plain data (structured-clone safe); every result carries the
// system id it came from, so one box can search several systems.

/** Largest number of billable codes listed under one expanded header. */
export const EXPAND_LIMIT = 500;

/** Options object for the CodeSet calls; the date of service is passed through. */
function callOptions({ limit, date }) {
  const o = { limit };
  if (date) o.date = date;
  return o;
}

/**
 * What to say when the date of service (default today) is past the last day
 * `cm`'s embedded releases cover (`CodeSet.coverageOn`), or `''`.
 */
function coverageNote(cm, date) {
  return cm.coverageOn?.(date ? { date } : undefined)?.text ?? '';
}

/** A code as compared with a scope: upper case, no dot. */
const keyOf = (code) => String(code).toUpperCase().replace('.', '');

/**
 * The test of a `within` scope: space- or comma-separated parts, each a
 * range of codes (`E08-E13`: the codes from E08 through E13, any length
 * after), a chapter (`4`: the range of its blocks), or the start of a code
 * (`E11`, an ICD-10-PCS table `0DT`). Null when there is no scope; a part
 * that names nothing matches nothing.
 */
export function scopeOf(cm, within) {
  const parts = String(within ?? '').split(/[\s,]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const tests = parts.map((part) => {
    let range = /^([A-Z0-9.]+)-([A-Z0-9.]+)$/i.exec(part);
    if (!range && /^\d{1,2}$/.test(part) && cm.lookup(part)?.kind === 'chapter') {
      const blocks = cm.children(part) ?? [];
      const first = blocks[0]?.code.split('-')[0];
      const last = blocks.at(-1)?.code.split('-').at(-1);
      if (first && last) range = [part, first, last];
    }
    if (range) {
      const [lo, hi] = [keyOf(range[1]), keyOf(range[2])];
      return (key) => key.slice(0, lo.length) >= lo && key.slice(0, hi.length) <= hi;
    }
    const prefix = keyOf(part);
    return (key) => key.startsWith(prefix);
  });
  return (code) => {
    const key = keyOf(code);
    return tests.some((t) => t(key));
  };
}

/**
 * Results for what is typed: `find` in each system, in the systems' order,
 * cut to `limit` in all; `billableOnly` keeps billable codes only. Each
 * result carries `coverage` (see `coverageNote`).
 * @returns {{mode: string, results: object[]}}
 */
export function query(sets, { text, systems, limit = 20, billableOnly = false, date = '', within = '' }) {
  const results = [];
  let mode = 'words';
  for (const id of systems) {
    const cm = sets.get(id);
    if (!cm || results.length >= limit) continue;
    const coverage = coverageNote(cm, date);
    const inScope = scopeOf(cm, within);
    // Ask for more when entries will be dropped (not billable, out of scope).
    const ask = inScope ? 1000 : billableOnly ? Math.min(1000, limit * 4) : limit;
    const found = cm.find(text, callOptions({ limit: ask, date }));
    if (results.length === 0) mode = found.mode;
    for (const r of found.results) {
      if (billableOnly && !r.billable) continue;
      if (inScope && !inScope(r.code)) continue;
      results.push({ ...r, systemId: id, coverage });
      if (results.length >= limit) break;
    }
  }
  return { mode, results };
}

/**
 * What a header opens to: for a category or a non-billable code, the billable
 * codes under it (one step away, however deep they sit); for a block or a
 * chapter, its direct children.
 */
export function expand(sets, { system, code, date = '', within = '' }) {
  const cm = sets.get(system);
  if (!cm) return [];
  const entry = cm.lookup(code);
  if (!entry) return [];
  const inScope = scopeOf(cm, within) ?? (() => true);
  const list =
    entry.kind === 'category' || entry.kind === 'code'
      ? cm.prefix(entry.code, callOptions({ limit: EXPAND_LIMIT * 4, date })).filter((e) => e.billable).slice(0, EXPAND_LIMIT)
      : cm.children(entry.code) ?? [];
  const coverage = coverageNote(cm, date);
  return list.filter((e) => e.kind === 'block' || e.kind === 'chapter' || inScope(e.code)).map((e) => ({ ...e, matched: [], inclusion: false, systemId: system, coverage }));
}

/**
 * Checks what was typed without choosing from the list: the first system
 * that knows it as a billable code gives `{ok: true, entry}`, otherwise
 * `{ok: false, text, suggestions}` from the first system's validation.
 */
export function check(sets, { text, systems, date = '', within = '' }) {
  let first = null;
  for (const id of systems) {
    const cm = sets.get(id);
    if (!cm) continue;
    const v = date ? cm.validate(text, { date }) : cm.validate(text);
    const inScope = scopeOf(cm, within);
    if (v.result && inScope && !inScope(v.code)) {
      first ??= { issues: [{ text: `${v.code} is not within ${within.trim()}: choose a code there.` }], suggestions: [] };
      continue;
    }
    if (v.result) {
      const entry = cm.lookup(v.code);
      if (entry) return { ok: true, entry: { ...entry, matched: [], inclusion: false, systemId: id, coverage: coverageNote(cm, date) } };
    }
    first ??= v;
  }
  if (!first) return { ok: false, text: 'No code system is loaded.', suggestions: [] };
  return { ok: false, text: first.issues.map((i) => i.text).join(' '), suggestions: first.suggestions ?? [] };
}

/** Runs one request `{op, args}` against `sets`. */
export function run(sets, op, args) {
  if (op === 'query') return query(sets, args);
  if (op === 'expand') return expand(sets, args);
  if (op === 'check') return check(sets, args);
  throw new Error(`medcode-input: unknown request ${JSON.stringify(op)}`);
}
