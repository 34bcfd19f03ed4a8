// The wire schema: js/wire.js (what the JS parsers read by) against the
// `wireSchema()` each module exports (crates/medcode-wasm/src/wire.rs), and
// the objects the API hands out against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { open } from '../../js/node.js';
import { SCHEMA } from '../../js/wire.js';

const pkg = new URL('../../pkg/', import.meta.url);
const MODULES = ['icd10cm', 'icd10cm-notes', 'icd10pcs', 'hcpcs', 'cpt'];
const BUILT = [
  ['custom', new URL('../../target/custom/pkg/', import.meta.url)],
  ['cpt', new URL('../../target/cpt-licensed/pkg/', import.meta.url)],
];

async function schemaOf(folder, name) {
  const glue = await import(new URL(`${name}.js`, folder));
  glue.initSync({ module: readFileSync(new URL(`${name}_bg.wasm`, folder)) });
  return JSON.parse(glue.wireSchema());
}

test('every module exports the schema js/wire.js parses by', async () => {
  for (const name of MODULES) {
    assert.deepEqual(await schemaOf(pkg, name), SCHEMA, name);
  }
  for (const [name, folder] of BUILT) {
    if (existsSync(new URL(`${name}_bg.wasm`, folder))) assert.deepEqual(await schemaOf(folder, name), SCHEMA, folder.pathname);
  }
});

/** Asserts `object`'s keys are declared in `fields`, in their order (`extra` keys the wrapper adds are allowed). */
function declared(object, fields, what, extra = []) {
  let at = 0;
  for (const key of Object.keys(object)) {
    if (extra.includes(key)) continue;
    const i = fields.indexOf(key, at);
    assert.ok(i >= 0, `${what}: ${key} is not declared (or out of order) in [${fields}]`);
    at = i + 1;
  }
}

test('the objects the API returns carry the declared fields', async () => {
  const cm = await open('icd10cm', { notes: true });
  for (const c of cm.prefix('S72.00', { limit: 20 })) declared(c, SCHEMA.prefixRow, 'prefix', ['system']);
  declared(cm.lookup('S72.001A'), SCHEMA.lookupRow, 'lookup', ['system']);
  for (const h of cm.search('heart attack')) declared(h, SCHEMA.hitRow, 'search', ['system']);
  for (const c of cm.children('E11')) declared(c, SCHEMA.concept, 'children');
  const v = cm.validate('S72.001');
  declared(v, SCHEMA.validation, 'validate');
  for (const i of v.issues) declared(i, SCHEMA.issue, 'issue');
  assert.ok(v.suggestions.length > 0);
  for (const s of v.suggestions) declared(s, SCHEMA.suggestion, 'suggestion');
  for (const n of cm.notes('E11.9')) {
    declared(n, SCHEMA.note, 'note');
    for (const r of n.refs) declared(r, SCHEMA.noteRef, 'note ref');
  }
  for (const r of cm.info().releases) declared(r, SCHEMA.release, 'release');
  for (const t of cm.dataInfo()) declared(t, SCHEMA.table, 'dataInfo');
  const pcs = await open('icd10pcs');
  for (const n of pcs.nextCharacters('0DT')) declared(n, SCHEMA.nextChar, 'nextCharacters');
  for (const a of pcs.axisLabels('0DTJ4ZZ')) declared(a, SCHEMA.axisLabel, 'axisLabels');
  declared((await open('hcpcs')).modifier('25'), SCHEMA.modifier, 'modifier');
});
