// The everyday-query section of `npm run bench` (issue 14): the held-back set
// tests/data/everyday-queries.tsv (abbreviations, lay terms, procedure names,
// supply words, typos, each with its accepted codes and public source) run
// through `find` in each system, as the page and the component do: top-1 and
// top-10 per system, the lexicon's size per module, and warm latency.
import { readFileSync } from 'node:fs';
import { percentile } from './measure.mjs';

const file = (p) => new URL(p, import.meta.url);

/** Rows `{system, query, accepted}` of the set. */
export function everydayQueries() {
  return readFileSync(file('../../tests/data/everyday-queries.tsv'), 'utf8').split('\n').slice(1)
    .filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
      const [system, query, accepted] = l.split('\t');
      return { system: system.trim(), query: query.trim(), accepted: accepted.trim().split(/\s+/) };
    });
}

/** Whether `code` is one of `accepted` (codes, or `PREFIX*`), dots ignored. */
export function accepts(accepted, code) {
  const c = code.replace('.', '');
  return accepted.some((a) => (a.endsWith('*') ? c.startsWith(a.slice(0, -1).replace('.', '')) : c === a.replace('.', '')));
}

/** Per system: `{queries, top1, top10, p50, p99, lexiconBytes}` (latency in µs, warm). */
export function runEverydayBench(sets) {
  const rows = everydayQueries();
  const out = {};
  for (const [system, set] of Object.entries(sets)) {
    const mine = rows.filter((r) => r.system === system);
    if (!mine.length) continue;
    let top1 = 0, top10 = 0;
    for (const r of mine) {
      const hits = set.find(r.query, { limit: 10 }).results;
      const rank = hits.findIndex((h) => accepts(r.accepted, h.code));
      if (rank === 0) top1++;
      if (rank >= 0) top10++;
    }
    // Every pass's time, and per query its fastest pass: the second says
    // what the code costs, less what other jobs on the machine took.
    const times = [];
    const best = mine.map(() => Infinity);
    for (let pass = 0; pass < 5; pass++) {
      mine.forEach((r, i) => {
        const t0 = performance.now();
        set.find(r.query, { limit: 10 });
        const us = (performance.now() - t0) * 1000;
        times.push(us);
        best[i] = Math.min(best[i], us);
      });
    }
    const lexicon = set.dataInfo().find((t) => t.table.endsWith('.lexicon.bin'));
    out[system] = {
      queries: mine.length, top1, top10, p50: percentile(times, 50), p99: percentile(times, 99),
      p99Best: percentile(best, 99), lexiconBytes: lexicon?.bytes ?? null,
    };
  }
  return out;
}

/** Prints the section. */
export function printEveryday(r) {
  console.log('everyday queries (tests/data/everyday-queries.tsv, through find, limit 10; targets top-10 ≥ 90%, top-1 ≥ 60%)');
  console.log('system     queries  top-1          top-10         warm p50   warm p99   p99 best-of-5  lexicon');
  for (const [system, x] of Object.entries(r)) {
    const pct = (n) => `${(100 * n / x.queries).toFixed(1)}% (${n})`;
    console.log(`${system.padEnd(10)} ${String(x.queries).padEnd(8)} ${pct(x.top1).padEnd(14)} ${pct(x.top10).padEnd(14)} ${`${x.p50.toFixed(0)} µs`.padEnd(10)} ${`${x.p99.toFixed(0)} µs`.padEnd(10)} ${`${x.p99Best.toFixed(0)} µs`.padEnd(14)} ${x.lexiconBytes == null ? '—' : `${(x.lexiconBytes / 1000).toFixed(1)} kB raw`}`);
  }
}
