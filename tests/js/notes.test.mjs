// Instructional notes through the JS API, against the committed CDC tabular
// XML read here with plain string scanning (not the crate's extractor).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { open } from '../../js/node.js';

const cm = await open('icd10cm', { notes: true });
const xml = gunzipSync(readFileSync(new URL('../../tables/icd10cm/icd10cm-tabular-2026-04.xml.gz', import.meta.url))).toString('utf8');

const squash = (s) => s.replace(/\s+/g, ' ').trim();
const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The XML of a node up to its first child node (where its own notes are written). */
function ownPart(start) {
  const rest = xml.slice(start);
  const end = rest.search(/<diag>|<section /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The `<note>` texts of each `<kind>` element in a node's own part. */
function notesIn(part, kind) {
  const out = [];
  for (const block of part.matchAll(new RegExp(`<${kind}>([\\s\\S]*?)</${kind}>`, 'g'))) {
    for (const n of block[1].matchAll(/<note>([\s\S]*?)<\/note>/g)) out.push(squash(unescape(n[1])));
  }
  return out.filter((t) => t !== '');
}

const diagAt = (code) => xml.indexOf(`<name>${code}</name>`);
const chapterAt = (n) => xml.search(new RegExp(`<chapter>\\s*<name>${n}</name>`));

test('E11.9 carries its own, E11\'s and chapter 4\'s notes, nearest first', () => {
  const notes = cm.notes('E11.9');
  const e11 = ownPart(diagAt('E11'));
  const ch4 = ownPart(chapterAt(4));
  for (const [kind, api] of [['excludes1', 'excludes1'], ['useAdditionalCode', 'useAdditionalCode'], ['includes', 'includes']]) {
    const want = notesIn(e11, kind);
    assert.ok(want.length > 0, kind);
    assert.deepEqual(notes.filter((n) => n.from === 'E11' && n.kind === api).map((n) => n.text), want, kind);
  }
  const ch4ex1 = notesIn(ch4, 'excludes1');
  assert.ok(ch4ex1.length > 0);
  assert.deepEqual(notes.filter((n) => n.from === '4' && n.kind === 'excludes1').map((n) => n.text), ch4ex1);
  const froms = [...new Set(notes.map((n) => n.from))];
  assert.ok(froms.indexOf('E11') < froms.indexOf('4'), froms.join());
  // Own notes only.
  const own = cm.notes('E11.9', { inherited: false });
  assert.ok(own.every((n) => n.from === 'E11.9'));
  assert.deepEqual(own.map((n) => n.text), notesIn(ownPart(diagAt('E11.9')), 'excludes1'));
});

test('references name codes of the release; ranges give their ends and block', () => {
  const notes = cm.notes('E11.9');
  const refs = notes.flatMap((n) => n.refs);
  assert.ok(refs.length > 5);
  for (const r of refs) {
    assert.notEqual(cm.lookup(r.code), null, r.code);
    if (r.through) assert.notEqual(cm.lookup(r.through), null, r.through);
    if (r.block) assert.equal(cm.lookup(r.block).kind, 'block');
  }
  const incomplete = refs.find((r) => r.incomplete);
  assert.ok(incomplete.text.endsWith('-'), JSON.stringify(incomplete));
  // A range in the notes of chapter 4 or E11, from the XML, comes back resolved.
  const kinds = ['includes', 'excludes1', 'excludes2', 'codeFirst', 'useAdditionalCode', 'codeAlso', 'notes'];
  const texts = [ownPart(chapterAt(4)), ownPart(diagAt('E11'))].flatMap((p) => kinds.flatMap((k) => notesIn(p, k)));
  const range = texts.join(' ').match(/\(([A-Z]\d\d)-([A-Z]\d\d)\)/);
  assert.ok(range);
  const r = notes.flatMap((n) => n.refs).find((x) => x.text === `${range[1]}-${range[2]}`);
  assert.deepEqual([r.code, r.through], [range[1], range[2]]);
});

test('a code made with a 7th character shows only its own character\'s definition', () => {
  const defs = cm.notes('S72.001A').filter((n) => n.kind === 'sevenChrDef');
  assert.deepEqual([...new Set(defs.map((d) => d.char))], ['A']);
  const all = cm.notes('S72.001').filter((n) => n.kind === 'sevenChrDef');
  const xmlChars = [...ownPart(diagAt('S72')).matchAll(/<extension char="(.)">/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(all.map((d) => d.char))], xmlChars);
});

test('chapters and blocks answer; dotted, undotted, lower case are the same', () => {
  assert.ok(cm.notes('4').length > 0);
  assert.ok(cm.notes('1', { inherited: false }).every((n) => n.from === '1'));
  assert.deepEqual(cm.notes('e119'), cm.notes(' E11.9 '));
});

test('hostile input is null, never a throw', () => {
  for (const v of [undefined, null, 119, {}, [], Symbol.iterator, () => 1, '', '   ', 'E11..9', 'Z99.999', 'E'.repeat(16 << 20), '\uD800', 'Ｅ１１.９', 'E11.9\u0000', '-', 'A00--A09']) {
    assert.equal(cm.notes(v), null, typeof v === 'string' ? JSON.stringify(v.slice(0, 20)) : typeof v);
  }
  for (const o of [null, 7, 'x', [], { inherited: 'no' }, { inherited: 0 }]) {
    assert.deepEqual(cm.notes('E11.9', o), cm.notes('E11.9'), String(o));
  }
  assert.equal(cm.isValid('E11.9'), true);
});
