// The naive baseline: what a web developer writes without medcode. The code
// set ships as one JSON file (`[{code, display, kind, billable}]`, see
// crates/medcode-wasm/examples/dump_entries.rs) that is read, parsed and indexed into a Set of
// billable codes, a Map code → entry and a sorted key array for prefix search.
import { readFile } from 'node:fs/promises';

/** The normalization a developer adds: spaces, case and the dot do not matter. */
const norm = (code) => code.trim().toUpperCase().replace('.', '');

/**
 * Reads and indexes the JSON file.
 * @param {string | URL} path  the file written by `dump_entries`
 */
export async function loadBaseline(path) {
  const entries = JSON.parse(await readFile(path, 'utf8'));
  const billable = new Set();
  const byCode = new Map();
  for (const e of entries) {
    const key = e.code.replace('.', '');
    byCode.set(key, e);
    if (e.billable) billable.add(key);
  }
  const keys = [...byCode.keys()].sort();
  const sorted = keys.map((k) => byCode.get(k));

  /** Index of the first key ≥ `k` (binary search). */
  function lowerBound(k) {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  const isValid = (code) => typeof code === 'string' && billable.has(norm(code));
  return {
    isValid,
    isValidMany: (codes) => codes.map(isValid),
    lookup: (code) => (typeof code === 'string' && byCode.get(norm(code))) || null,
    prefix(p, { limit = 50 } = {}) {
      if (typeof p !== 'string') return [];
      const k = norm(p);
      const out = [];
      for (let i = lowerBound(k); i < keys.length && out.length < limit && keys[i].startsWith(k); i++) out.push(sorted[i]);
      return out;
    },
  };
}
