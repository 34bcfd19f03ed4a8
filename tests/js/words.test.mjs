// Search in the words coders type (issue 14), through the JS API of each
// system module: the lexicon's readings show on the results (`expanded`), a
// partial match names the words it left out (`unmatched`), and a code ended
// since the tabular was published is never `billable` in a result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { open } from '../../js/node.js';
import { mceValidOn } from './official.mjs';

const cm = await open('icd10cm');
const pcs = await open('icd10pcs');
const hcpcs = await open('hcpcs');

test('an abbreviation finds its codes and says what it was read as', () => {
  const { mode, results } = cm.find('chf', { limit: 10 });
  assert.equal(mode, 'words');
  assert.ok(results[0].code.startsWith('I50'), results[0].code);
  assert.deepEqual(Object.keys(results[0].expanded[0]), ['from', 'to']);
  assert.equal(results[0].expanded[0].from, 'chf');
  assert.match(results[0].expanded[0].to, /heart failure/);
  assert.deepEqual(results[0].unmatched, []);
});

test('lay terms and procedure names find the codes coders expect, in every system', () => {
  assert.ok(cm.find('heart attack').results[0].code.startsWith('I21'));
  assert.equal(cm.find('pneumonia').results[0].code, 'J18.9');
  const appendectomy = pcs.find('laparoscopic appendectomy', { limit: 10 }).results;
  assert.ok(appendectomy.some((r) => r.code === '0DTJ4ZZ'), JSON.stringify(appendectomy.map((r) => r.code)));
  assert.ok(appendectomy[0].expanded.some((e) => e.from === 'appendectomy'));
  const cushion = hcpcs.find('wheelchair cushion', { limit: 10 }).results;
  assert.ok(cushion.some((r) => r.code.startsWith('E26')), JSON.stringify(cushion.map((r) => r.code)));
});

test('one stray word gives the best partial matches and names the word', () => {
  const results = cm.search('essential hypertension qwertyuiop', { limit: 5 });
  assert.equal(results[0].code, 'I10');
  assert.deepEqual(results[0].unmatched, ['qwertyuiop']);
});

test('codes ended on 2026-09-30 are not billable in prefix, find or search results', () => {
  const now = new Set(mceValidOn(20261001));
  const ended = mceValidOn(20260930).filter((c) => !now.has(c));
  assert.equal(ended.length, 30);
  for (const code of ended) {
    const dotted = `${code.slice(0, 3)}.${code.slice(3)}`;
    const viaPrefix = cm.prefix(dotted, { limit: 5 }).find((r) => r.code === dotted);
    assert.equal(viaPrefix?.billable, false, `prefix ${dotted}`);
    const viaFind = cm.find(dotted).results.find((r) => r.code === dotted);
    assert.equal(viaFind?.billable, false, `find ${dotted}`);
    assert.equal(cm.lookup(dotted).billable, false, `lookup ${dotted}`);
  }
});

test('prepareSearch gets search ready ahead of the first search, which then answers the same', () => {
  // A fresh process: the sets above have searched already.
  const node = new URL('../../js/node.js', import.meta.url).href;
  const script = `const { open } = await import(${JSON.stringify(node)});
    const out = {};
    for (const system of ['icd10pcs', 'hcpcs', 'icd10cm', 'cpt']) {
      const set = await open(system);
      const ready = [set.prepareSearch(), set.prepareSearch()];
      out[system] = { ready, found: set.find('appendectomy', { limit: 5 }) };
    }
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString());
  for (const [system, set] of [['icd10pcs', pcs], ['hcpcs', hcpcs], ['icd10cm', cm]]) {
    assert.deepEqual(out[system].ready, [true, true], system);
    assert.deepEqual(out[system].found, set.find('appendectomy', { limit: 5 }), system);
  }
  assert.deepEqual(out.cpt.ready, [false, false], 'CPT without a licensed table has no titles to search');
});
