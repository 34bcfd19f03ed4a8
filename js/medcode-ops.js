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

/**
 * Results for what is typed: `find` in each system, in the systems' order,
 * cut to `limit` in all; `billableOnly` keeps billable codes only. Each
 * result carries `coverage` (see `coverageNote`).
 * @returns {{mode: string, results: object[]}}
 */
export function query(sets, { text, systems, limit = 20, billableOnly = false, date = '' }) {
  const results = [];
  let mode = 'words';
  for (const id of systems) {
    const cm = sets.get(id);
    if (!cm || results.length >= limit) continue;
    const coverage = coverageNote(cm, date);
    // Ask for more when non-billable entries will be dropped.
    const found = cm.find(text, callOptions({ limit: billableOnly ? Math.min(1000, limit * 4) : limit, date }));
    if (results.length === 0) mode = found.mode;
    for (const r of found.results) {
      if (billableOnly && !r.billable) continue;
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
export function expand(sets, { system, code, date = '' }) {
  const cm = sets.get(system);
  if (!cm) return [];
  const entry = cm.lookup(code);
  if (!entry) return [];
  const list =
    entry.kind === 'category' || entry.kind === 'code'
      ? cm.prefix(entry.code, callOptions({ limit: EXPAND_LIMIT * 4, date })).filter((e) => e.billable).slice(0, EXPAND_LIMIT)
      : cm.children(entry.code) ?? [];
  const coverage = coverageNote(cm, date);
  return list.map((e) => ({ ...e, matched: [], inclusion: false, systemId: system, coverage }));
}

/**
 * Checks what was typed without choosing from the list: the first system
 * that knows it as a billable code gives `{ok: true, entry}`, otherwise
 * `{ok: false, text, suggestions}` from the first system's validation.
 */
export function check(sets, { text, systems, date = '' }) {
  let first = null;
  for (const id of systems) {
    const cm = sets.get(id);
    if (!cm) continue;
    const v = date ? cm.validate(text, { date }) : cm.validate(text);
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
