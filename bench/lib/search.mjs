// The search section of `npm run bench`: medcode's `search` against
// MiniSearch 7 and FlexSearch 0.8 indexing the same titles (every category and
// code of the release, 98,186 entries, with their full displays). Shared by
// bench/run.mjs. Figures: download gzip, time to ready, p50/p99 latency over a
// fixed list of 500 queries, recall@1/@5 on the short-title relevance set.
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import MiniSearch from 'minisearch';
import FlexSearch from 'flexsearch';
import { percentile } from './measure.mjs';

const file = (p) => new URL(p, import.meta.url);

/** splitmix64 partial Fisher–Yates: the same sample as tests/search_relevance.rs (seed 2026). */
export function sample(items, n, seed = 2026n) {
  const M = (1n << 64n) - 1n;
  let state = seed;
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & M;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  };
  const idx = items.map((_, i) => i);
  for (let i = 0; i < Math.min(n, idx.length); i++) {
    const j = i + Number(next() % BigInt(idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, n).map((i) => items[i]);
}

/** Newest short title per billable code (key without dot), in key order, as the Rust test reads them. */
export function shortTitles(billable) {
  const text = gunzipSync(readFileSync(file('../../tables/registry/ioce_icd10cm.tsv.gz'))).toString('utf8');
  const best = new Map();
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const [key, desc] = line.split('\t');
    const [code, , hi] = key.split('|');
    const h = Number(hi);
    if (!best.has(code) || best.get(code)[0] < h) best.set(code, [h, desc.trim()]);
  }
  return [...best.entries()].filter(([c]) => billable.has(c)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, [, t]]) => [c, t]);
}

/** The 500 queries: hand-checked queries, prefix typing sequences of some of them, then short titles. */
export function queryList(relevance) {
  const hand = readFileSync(file('../../tests/data/search_queries.tsv'), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#')).slice(1).map((l) => l.split('\t')[0]);
  const out = [...hand];
  for (const q of hand.slice(0, 25)) {
    for (let i = 1; i < q.length && out.length < 400; i++) if (q[i] !== ' ') out.push(q.slice(0, i + 1).trimEnd());
    out.push(q.slice(0, 1));
  }
  for (const [, short] of relevance) {
    if (out.length >= 500) break;
    out.push(short);
  }
  return out.slice(0, 500);
}

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

/** Runs the comparison. `entries`: [{code, display, billable}]; `cm`: an opened medcode set; `readyMs`: medcode's import → first search. */
export function runSearchBench(entries, cm, { readyMs, wasmGzip }) {
  const billable = new Set(entries.filter((e) => e.billable).map((e) => e.code.replace('.', '')));
  const relevance = sample(shortTitles(billable), 2000);
  const queries = queryList(relevance);
  const docs = entries.map((e, id) => ({ id, code: e.code, display: e.display }));
  const dataJson = JSON.stringify(docs.map(({ code, display }) => [code, display]));

  // MiniSearch: prefix and fuzzy matching, as its docs suggest for search-as-you-type.
  const miniOptions = { fields: ['display'], storeFields: ['code'], searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'AND' } };
  const [miniBuild, mini] = time(() => {
    const m = new MiniSearch(miniOptions);
    m.addAll(JSON.parse(dataJson).map(([code, display], id) => ({ id, code, display })));
    return m;
  });
  const miniIndexJson = JSON.stringify(mini);
  const [miniLoad] = time(() => MiniSearch.loadJSON(miniIndexJson, miniOptions));
  const miniLib = gzipSync(readFileSync(file('../../node_modules/minisearch/dist/umd/index.js'))).length;

  // FlexSearch: forward tokenizer (prefixes), the default encoder.
  const [flexBuild, flex] = time(() => {
    const f = new FlexSearch.Index({ tokenize: 'forward' });
    for (const [id, [, display]] of JSON.parse(dataJson).entries()) f.add(id, display);
    return f;
  });
  const flexParts = [];
  flex.export((key, data) => flexParts.push(`${key}\n${data ?? ''}`));
  const flexIndexGzip = gzipSync(flexParts.join('\n')).length;
  const flexLib = gzipSync(readFileSync(file('../../node_modules/flexsearch/dist/flexsearch.bundle.min.js'))).length;
  const dataGzip = gzipSync(dataJson).length;

  const impls = {
    medcode: (q) => cm.search(q, { limit: 5 }).map((h) => h.code.replace('.', '')),
    MiniSearch: (q) => mini.search(q).slice(0, 5).map((r) => r.code.replace('.', '')),
    FlexSearch: (q) => flex.search(q, { limit: 5 }).map((id) => docs[id].code.replace('.', '')),
  };
  const results = {};
  for (const [name, run] of Object.entries(impls)) {
    for (let i = 0; i < 2; i++) for (const q of queries) run(q); // warm-up
    const us = [];
    for (let round = 0; round < 3; round++) {
      for (const q of queries) {
        const t0 = process.hrtime.bigint();
        run(q);
        us.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
    let at1 = 0;
    let at5 = 0;
    for (const [code, short] of relevance) {
      const got = run(short);
      if (got[0] === code) at1++;
      if (got.includes(code)) at5++;
    }
    results[name] = { p50: percentile(us, 50), p99: percentile(us, 99), recall1: at1 / relevance.length, recall5: at5 / relevance.length };
  }
  results.medcode.downloadGzip = wasmGzip;
  results.medcode.readyMs = readyMs;
  // A library needs its code plus its index (serialized, to be ready at once) or the titles to index on load.
  results.MiniSearch.downloadGzip = miniLib + gzipSync(miniIndexJson).length;
  results.MiniSearch.titlesGzip = miniLib + dataGzip;
  results.MiniSearch.readyMs = miniLoad;
  results.MiniSearch.buildMs = miniBuild;
  results.FlexSearch.downloadGzip = flexLib + flexIndexGzip;
  results.FlexSearch.titlesGzip = flexLib + dataGzip;
  results.FlexSearch.readyMs = flexBuild;
  results.FlexSearch.buildMs = flexBuild;
  return { queries: queries.length, relevance: relevance.length, results };
}
