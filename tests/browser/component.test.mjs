// <medcode-input> in the system Chromium, on a page served with the strict
// CSP (tests/browser/pages/component.html): the WAI-ARIA combobox flow, form
// association and validity, headers that cannot be chosen but open to their
// billable codes, the Web Worker mode, no style leaks, text-only rendering,
// no request leaving localhost. Writes docs/screenshots/component.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { open } from '../../js/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};
const local = (u) => /^(data:|blob:|http:\/\/(127\.0\.0\.1|localhost)[:/])/.test(u);

let browser;
let cm;
before(async () => {
  browser = await chromium.launch(LAUNCH);
  cm = await open('icd10cm');
});
after(() => browser?.close());

/** The test page in a fresh context; every request is recorded and checked after the test. */
async function session(t, options = {}) {
  const server = await serve({ port: 0 });
  const context = await browser.newContext({ viewport: { width: 900, height: 640 }, ...options });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
  await page.addInitScript(() => {
    window.__htmlSinks = [];
    for (const [proto, prop] of [[Element.prototype, 'innerHTML'], [Element.prototype, 'outerHTML'], [ShadowRoot.prototype, 'innerHTML']]) {
      const d = Object.getOwnPropertyDescriptor(proto, prop);
      Object.defineProperty(proto, prop, { ...d, set(v) { window.__htmlSinks.push(prop); return d.set.call(this, v); } });
    }
    for (const fn of ['insertAdjacentHTML', 'setHTMLUnsafe']) {
      const orig = Element.prototype[fn];
      if (orig) Element.prototype[fn] = function (...a) { window.__htmlSinks.push(fn); return orig.apply(this, a); };
    }
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  t.after(async () => {
    await context.close();
    await server.close();
  });
  await page.goto(`${server.origin}/tests/browser/pages/component.html`);
  await page.waitForSelector('html[data-ready="true"]');
  const finish = async () => {
    assert.deepEqual(requests.filter((u) => !local(u)), [], 'a request left localhost');
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(await page.evaluate(() => window.__htmlSinks), []);
    assert.deepEqual(errors, []);
  };
  return { page, requests, finish };
}

/** ARIA state of the combobox `id`. */
function aria(page, id) {
  return page.evaluate((id) => {
    const host = document.getElementById(id);
    const input = host.shadowRoot.querySelector('input');
    const active = input.getAttribute('aria-activedescendant');
    const option = active ? host.shadowRoot.getElementById(active) : null;
    return {
      role: input.getAttribute('role'),
      expanded: input.getAttribute('aria-expanded'),
      controls: input.getAttribute('aria-controls'),
      listboxRole: host.shadowRoot.getElementById(input.getAttribute('aria-controls'))?.getAttribute('role'),
      listboxHidden: host.shadowRoot.getElementById(input.getAttribute('aria-controls'))?.hidden,
      active,
      activeCode: option?.dataset.code ?? null,
      activeSelected: option?.getAttribute('aria-selected') ?? null,
      focused: document.activeElement === host && host.shadowRoot.activeElement === input,
      invalid: input.getAttribute('aria-invalid'),
      label: input.getAttribute('aria-label'),
    };
  }, id);
}

const options = (page, id) =>
  page.$$eval(`#${id} [role="option"]`, (l) => l.map((o) => ({ code: o.dataset.code, disabled: o.getAttribute('aria-disabled') === 'true', depth: Number(o.dataset.depth ?? 0) })));

test('type diab, ArrowDown, Enter: the form value is a billable E code, events fired, focus and ARIA right', async (t) => {
  const { page, finish } = await session(t);
  await page.click('#dx');
  await page.keyboard.type('diab');
  await page.waitForSelector('#dx [role="option"]');
  let a = await aria(page, 'dx');
  assert.equal(a.role, 'combobox');
  assert.equal(a.expanded, 'true');
  assert.equal(a.listboxRole, 'listbox');
  assert.equal(a.listboxHidden, false);
  assert.equal(a.active, null);
  assert.equal(a.label, 'Diagnosis');
  const shown = await options(page, 'dx');
  assert.deepEqual(shown.map((o) => o.code), cm.find('diab', { limit: 20 }).results.map((r) => r.code));
  // Matched words are highlighted, as text.
  const marks = await page.$$eval('#dx [role="option"] mark', (l) => l.map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.length > 0 && marks.every((m) => m.startsWith('diab')), JSON.stringify(marks));

  await page.keyboard.press('ArrowDown');
  a = await aria(page, 'dx');
  assert.equal(a.activeCode, shown[0].code);
  assert.equal(a.activeSelected, 'true');
  assert.ok(a.focused);
  // End and Home move to the last and first options.
  await page.keyboard.press('End');
  assert.equal((await aria(page, 'dx')).activeCode, shown[shown.length - 1].code);
  await page.keyboard.press('Home');
  assert.equal((await aria(page, 'dx')).activeCode, shown[0].code);

  await page.keyboard.press('Enter');
  const state = await page.evaluate(() => {
    const dx = document.getElementById('dx');
    return { value: dx.value, form: new FormData(document.getElementById('claim')).get('dx'), valid: dx.checkValidity(), events: window.__events, text: dx.text };
  });
  assert.match(state.value, /^E\d/);
  assert.equal(cm.isValid(state.value), true, `${state.value} is billable`);
  assert.equal(state.form, state.value);
  assert.equal(state.text, state.value);
  assert.equal(state.valid, true);
  assert.deepEqual(state.events.map((e) => e.type), ['medcode-select', 'medcode-change']);
  const entry = cm.lookup(state.value);
  assert.deepEqual(
    { code: state.events[0].detail.code, display: state.events[0].detail.display, billable: state.events[0].detail.billable, system: state.events[0].detail.system },
    { code: entry.code, display: entry.display, billable: true, system: entry.system },
  );
  assert.equal(state.events[1].detail.value, state.value);
  // Plain form code (issue 18 point 2): typing reached the form as input
  // events from the element, and the choice as one change event with its value.
  const formEvents = await page.evaluate(() => window.__formEvents);
  assert.equal(formEvents.filter((e) => e.type === 'input' && e.target === 'dx').length, 'diab'.length);
  assert.deepEqual(formEvents.filter((e) => e.type === 'change'), [{ type: 'change', target: 'dx', value: state.value }]);
  a = await aria(page, 'dx');
  assert.equal(a.expanded, 'false');
  assert.equal(a.active, null);
  assert.equal(a.listboxHidden, true);
  assert.ok(a.focused, 'focus stays in the box');

  // Escape closes an open list without changing the value.
  await page.keyboard.type('x');
  await page.waitForFunction(() => document.getElementById('dx').shadowRoot.querySelector('input').getAttribute('aria-expanded') === 'true');
  await page.keyboard.press('Escape');
  assert.equal((await aria(page, 'dx')).expanded, 'false');
  await finish();
});

test('a header is shown but cannot be chosen; Enter lists its billable codes under it', async (t) => {
  const { page, finish } = await session(t);
  await page.click('#dx');
  await page.keyboard.type('E11');
  await page.waitForSelector('#dx [role="option"]');
  let list = await options(page, 'dx');
  assert.equal(list[0].code, 'E11');
  assert.equal(list[0].disabled, true);
  assert.ok(list.filter((o) => !o.disabled).every((o) => cm.isValid(o.code)));
  assert.ok(list.filter((o) => o.disabled).every((o) => !cm.isValid(o.code)));

  await page.keyboard.press('ArrowDown');
  assert.equal((await aria(page, 'dx')).activeCode, 'E11');
  await page.keyboard.press('Enter');
  // Not chosen: no value, no event, the list stays open and grows.
  await page.waitForFunction(() => document.getElementById('dx').shadowRoot.querySelectorAll('[data-depth="1"]').length > 0);
  assert.equal(await page.evaluate(() => document.getElementById('dx').value), '');
  assert.deepEqual(await page.evaluate(() => window.__events), []);
  list = await options(page, 'dx');
  const under = list.filter((o) => o.depth === 1).map((o) => o.code);
  const billableUnder = cm.prefix('E11', { limit: 10000 }).filter((e) => e.billable).map((e) => e.code);
  const before = new Set(list.filter((o) => o.depth === 0).map((o) => o.code));
  assert.deepEqual(under, billableUnder.filter((c) => !before.has(c)));
  let a = await aria(page, 'dx');
  assert.equal(a.expanded, 'true');
  assert.equal(a.activeCode, under[0]);
  // A click on a header does not choose it either.
  await page.click('#dx [role="option"][data-code="E11"]', { force: true });
  assert.equal(await page.evaluate(() => document.getElementById('dx').value), '');
  // The first listed code is one Enter away.
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.getElementById('dx').value), under[0]);
  a = await aria(page, 'dx');
  assert.equal(a.expanded, 'false');
  await finish();
});

test('form: required, an invalid typed code with suggestions, a typed billable code, reset', async (t) => {
  const { page, finish } = await session(t);
  let v = await page.evaluate(() => {
    const dx = document.getElementById('dx');
    return { valid: dx.checkValidity(), missing: dx.validity.valueMissing, form: document.getElementById('claim').checkValidity() };
  });
  assert.deepEqual(v, { valid: false, missing: true, form: false });

  await page.click('#dx');
  await page.keyboard.type('E11.99');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('dx').validity.badInput);
  const expected = cm.validate('E11.99');
  v = await page.evaluate(() => {
    const dx = document.getElementById('dx');
    const message = dx.shadowRoot.querySelector('[part~="message"]');
    return { value: dx.value, msg: dx.validationMessage, shown: message.textContent, hidden: message.hidden, invalid: dx.shadowRoot.querySelector('input').getAttribute('aria-invalid'), state: dx.matches(':state(invalid)') };
  });
  assert.equal(v.value, '');
  assert.equal(v.invalid, 'true');
  assert.equal(v.hidden, false);
  assert.equal(v.state, true);
  assert.ok(v.msg.startsWith(expected.issues[0].text), v.msg);
  assert.ok(v.msg.includes(expected.suggestions[0].code), 'the first suggestion is named');
  assert.equal(v.shown, v.msg);

  // A billable code typed in any form is accepted on blur.
  await page.fill('#dx input', 's72001a');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('dx').value !== '');
  v = await page.evaluate(() => ({ value: document.getElementById('dx').value, valid: document.getElementById('dx').checkValidity(), text: document.getElementById('dx').text }));
  assert.deepEqual(v, { value: 'S72.001A', valid: true, text: 'S72.001A' });
  await page.click('#submit');
  await page.waitForFunction(() => window.__submitted);
  assert.deepEqual(await page.evaluate(() => window.__submitted), { dx: 'S72.001A', dx2: '' });

  // Reset clears the value.
  await page.evaluate(() => document.getElementById('claim').reset());
  assert.deepEqual(await page.evaluate(() => ({ value: document.getElementById('dx').value, text: document.getElementById('dx').text })), { value: '', text: '' });
  await finish();
});

test('worker mode: the module runs in a Web Worker; billable-only and limit are applied', async (t) => {
  const { page, finish, requests } = await session(t);
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.click('#dx2');
  await page.keyboard.type('E11');
  await page.waitForSelector('#dx2 [role="option"]');
  assert.ok(workers.some((u) => u.endsWith('/js/medcode-worker.js')), JSON.stringify(workers));
  const list = await options(page, 'dx2');
  const expected = cm.find('E11', { limit: 100 }).results.filter((r) => r.billable).slice(0, 10).map((r) => r.code);
  assert.deepEqual(list.map((o) => o.code), expected);
  // The main thread stays free while the worker answers: a 16 ms timer is
  // never late by more than a frame while 30 queries are typed.
  const worst = await page.evaluate(async () => {
    const input = document.getElementById('dx2').shadowRoot.querySelector('input');
    let last = performance.now();
    let worst = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 16);
    for (const q of ['d', 'di', 'dia', 'diab', 'diabe', 'diabet', 'diabete', 'diabetes', 'diabetes t', 'diabetes ty'].flatMap((q) => [q, q + ' ', q])) {
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 300));
    clearInterval(timer);
    return worst;
  });
  console.log(`worker mode: longest main-thread timer gap while typing 30 queries: ${worst.toFixed(1)} ms`);
  assert.ok(requests.some((u) => u.endsWith('/pkg/icd10cm_bg.wasm')));
  await finish();
});

test('shadow DOM: page CSS does not reach inside; ::part and custom properties do; dark scheme', async (t) => {
  const { page, finish } = await session(t, { colorScheme: 'dark' });
  await page.click('#dx');
  await page.keyboard.type('diabetes');
  await page.waitForSelector('#dx [role="option"] mark');
  const s = await page.evaluate(() => {
    const root = document.getElementById('dx').shadowRoot;
    const cs = (el) => getComputedStyle(el);
    const li = root.querySelector('[role="option"]');
    const mark = root.querySelector('mark');
    return { liColor: cs(li).color, liSize: cs(li).fontSize, markWeight: cs(mark).fontWeight, inputBg: cs(root.querySelector('input')).backgroundColor };
  });
  assert.notEqual(s.liColor, 'rgb(255, 0, 0)');
  assert.notEqual(s.liSize, '40px');
  assert.equal(s.markWeight, '700', 'the page styles ::part(match)');
  assert.equal(s.inputBg, 'rgb(24, 28, 34)', 'dark background');
  await page.evaluate(() => document.getElementById('dx').style.setProperty('--medcode-bg', 'rgb(1, 2, 3)'));
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('dx').shadowRoot.querySelector('input')).backgroundColor), 'rgb(1, 2, 3)');
  await finish();
});

test('screenshot: docs/screenshots/component.png', async (t) => {
  const { page } = await session(t, { colorScheme: 'light', viewport: { width: 760, height: 520 } });
  await page.click('#dx');
  await page.keyboard.type('diabetes typ 2');
  await page.waitForSelector('#dx [role="option"] mark');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const file = path.join(ROOT, 'docs/screenshots/component.png');
  mkdirSync(path.dirname(file), { recursive: true });
  const png = await page.screenshot({ path: file });
  assert.equal(png.readUInt32BE(16), 760);
});

// ---- Words: the search lexicon, and no malformed state (issue 14) ----------

/** Adds a `<medcode-input>` for `system` to the test page (created as DOM nodes, no HTML parsing). */
async function addBox(page, id, system) {
  await page.evaluate(
    ({ id, system }) => {
      const box = document.createElement('medcode-input');
      box.id = id;
      box.setAttribute('system', system);
      box.setAttribute('label', `Words in ${system}`);
      box.setAttribute('name', id);
      document.body.append(box);
    },
    { id, system },
  );
  await page.evaluate((id) => document.getElementById(id).ready, id);
}

/** The box's state: its text, ARIA invalid state, validity, message and options (code, expansion line). */
function boxState(page, id) {
  return page.evaluate((id) => {
    const host = document.getElementById(id);
    const root = host.shadowRoot;
    const message = root.querySelector('[part~="message"]');
    return {
      text: host.text,
      invalid: root.querySelector('input').getAttribute('aria-invalid'),
      badInput: host.validity.badInput,
      message: message.hidden ? '' : message.textContent,
      note: root.querySelector('[part~="note"]')?.textContent ?? null,
      options: [...root.querySelectorAll('[role="option"]')].map((o) => ({
        code: o.dataset.code,
        expansion: o.querySelector('[part~="expansion"]')?.textContent ?? null,
      })),
    };
  }, id);
}

/**
 * Types `text` into box `id` one character at a time; after each one the
 * box is never invalid and never says malformed. Then waits until the list
 * answers the whole text: exactly the codes `expected` when given, and
 * `code` (a RegExp) among its options.
 */
async function typeInBox(page, id, text, code, expected = null) {
  await page.click(`#${id}`);
  for (const ch of text) {
    await page.keyboard.type(ch);
    const s = await boxState(page, id);
    assert.equal(s.invalid, null, `after “${s.text}”: ${s.message}`);
    assert.ok(!/malformed|well-formed/i.test(s.message), `after “${s.text}”: ${s.message}`);
  }
  await page.waitForFunction(
    ({ id, source, expected }) => {
      const codes = [...document.getElementById(id).shadowRoot.querySelectorAll('[role="option"]')].map((o) => o.dataset.code);
      return codes.some((c) => new RegExp(source).test(c)) && (expected === null || codes.join(' ') === expected.join(' '));
    },
    { id, source: code.source, expected },
  );
  return boxState(page, id);
}

/** Blur after words: not a code, asked to be chosen from the list, never called malformed; no event. */
async function blurAfterWords(page, id, text) {
  await page.keyboard.press('Tab');
  await page.waitForFunction((id) => document.getElementById(id).validity.badInput, id);
  const s = await boxState(page, id);
  assert.equal(s.message, `“${text}” is not a code: choose one of the codes found for it.`);
  assert.ok(!/malformed|well-formed/i.test(s.message), s.message);
  assert.equal(await page.evaluate((id) => document.getElementById(id).value, id), '');
  assert.deepEqual(await page.evaluate((id) => window.__events.filter((e) => e.target === id), id), []);
}

test('ICD-10-CM words in the component: chf offers I50 with its expansion shown, heart attack offers I21, never malformed (issue 14)', async (t) => {
  const { page, finish } = await session(t);
  let s = await typeInBox(page, 'dx', 'chf', /^I50/, cm.find('chf', { limit: 20 }).results.map((r) => r.code));
  const through = s.options.find((o) => o.code.startsWith('I50') && o.expansion !== null);
  assert.ok(through, JSON.stringify(s.options.slice(0, 5)));
  assert.match(through.expansion, /^chf → .*congestive heart failure/);
  const { from, to } = cm.find('chf', { limit: 20 }).results.find((r) => r.code === through.code).expanded[0];
  assert.equal(through.expansion.split('; ')[0], `${from} → ${to}`);
  assert.ok(await page.isVisible(`#dx [role="option"][data-code="${through.code}"] [part~="expansion"]`));
  // The expansion is part of the option's name, as text.
  const nodes = await page.$$eval('#dx [part~="expansion"]', (els) => els.map((e) => [...e.childNodes].map((n) => n.nodeType).join(',')));
  assert.ok(nodes.length > 0 && nodes.every((n) => n === '3'), JSON.stringify(nodes));
  await blurAfterWords(page, 'dx', 'chf');

  // heart attack: an I21 code; choosing it works as always.
  await page.fill('#dx input', '');
  s = await typeInBox(page, 'dx', 'heart attack', /^I21/, cm.find('heart attack', { limit: 20 }).results.map((r) => r.code));
  assert.ok(s.options.some((o) => o.code.startsWith('I21') && o.expansion?.startsWith('heart attack → ')), JSON.stringify(s.options.slice(0, 5)));
  const i21 = s.options.findIndex((o) => o.code.startsWith('I21') && cm.isValid(o.code));
  assert.ok(i21 >= 0, 'no billable I21 code offered');
  for (let i = 0; i <= i21; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.getElementById('dx').value), s.options[i21].code);
  assert.deepEqual(await page.evaluate(() => window.__events.map((e) => e.type)), ['medcode-select', 'medcode-change']);
  // A mistyped code is still a code: its validation message, as before.
  await page.fill('#dx input', 'E11..9');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('dx').validity.badInput);
  assert.ok((await boxState(page, 'dx')).message.startsWith(cm.validate('E11..9').issues[0].text));
  await finish();
});

test('words typed in ICD-10-PCS never put the component in a malformed state; appendectomy and laparoscopic appendectomy offer 0DTJ (issue 14)', async (t) => {
  const { page, finish } = await session(t);
  const pcs = await open('icd10pcs');
  await addBox(page, 'pcs', 'icd10pcs');
  let s = await typeInBox(page, 'pcs', 'appendectomy', /^0DTJ/, pcs.find('appendectomy', { limit: 20 }).results.map((r) => r.code));
  assert.ok(s.options.some((o) => o.expansion?.startsWith('appendectomy → ')), JSON.stringify(s.options.slice(0, 5)));
  await blurAfterWords(page, 'pcs', 'appendectomy');
  await page.fill('#pcs input', '');
  s = await typeInBox(page, 'pcs', 'laparoscopic appendectomy', /^0DTJ4ZZ$/, pcs.find('laparoscopic appendectomy', { limit: 20 }).results.map((r) => r.code));
  await blurAfterWords(page, 'pcs', 'laparoscopic appendectomy');
  // A code-shaped text is still validated.
  await page.fill('#pcs input', '0DTJ4ZZZ');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('pcs').validity.badInput);
  assert.ok((await boxState(page, 'pcs')).message.startsWith(pcs.validate('0DTJ4ZZZ').issues[0].text));
  await finish();
});

test('HCPCS words in the component: wheelchair cushion offers an E26xx or K0669 code, never malformed (issue 14)', async (t) => {
  const { page, finish } = await session(t);
  const hcpcs = await open('hcpcs');
  await addBox(page, 'hcpcs', 'hcpcs');
  await typeInBox(page, 'hcpcs', 'wheelchair cushion', /^(E26\d\d|K0669)$/, hcpcs.find('wheelchair cushion', { limit: 20 }).results.map((r) => r.code));
  await blurAfterWords(page, 'hcpcs', 'wheelchair cushion');
  await finish();
});

test('partial matches in the component name the words not used (issue 14)', async (t) => {
  const { page, finish } = await session(t);
  const text = 'congestive heart failure qwertyzzy';
  const expected = cm.find(text, { limit: 20 }).results;
  assert.ok(expected.length > 0 && expected[0].unmatched.includes('qwertyzzy'), JSON.stringify(expected.slice(0, 3)));
  const s = await typeInBox(page, 'dx', text, /./, expected.map((r) => r.code));
  assert.equal(s.note, 'No code matches every word; not used: qwertyzzy');
  await finish();
});

test('a chosen code says when today is past what the embedded release covers (issue 15 point 3)', async (t) => {
  const { page, finish } = await session(t);
  const hcpcs = await open('hcpcs');
  // Today (the browser's and this process's) against the embedded quarters.
  const stale = hcpcs.coverageOn();
  await addBox(page, 'cov', 'hcpcs');
  await page.evaluate(() => {
    document.getElementById('cov').value = 'E0114';
  });
  await page.waitForFunction(() => document.getElementById('cov').value === 'E0114');
  const text = await page.evaluate(() => document.getElementById('cov').shadowRoot.querySelector('[part~="coverage"]')?.textContent ?? null);
  if (stale) assert.equal(text?.trim(), stale.text);
  else assert.equal(text, null);
  await finish();
});

// Issue 18 point 2: `within` scopes the box to part of a classification (a
// range of codes, a chapter, the start of a code). What is in scope comes
// from the module: E08-E13's blocks, chapter 19's blocks.
test('within: results, typed codes and opened headers stay inside the scope', async (t) => {
  const { page, finish } = await session(t);
  await page.evaluate(() => document.getElementById('dx').setAttribute('within', 'E08-E13'));
  await page.click('#dx');
  await page.keyboard.type('diab');
  await page.waitForSelector('#dx [role="option"]');
  const inRange = (code) => code.replace('.', '').slice(0, 3) >= 'E08' && code.replace('.', '').slice(0, 3) <= 'E13';
  const shown = (await options(page, 'dx')).map((o) => o.code);
  assert.ok(shown.length > 0 && shown.every(inRange), JSON.stringify(shown));
  // Without the scope the same words find codes outside it.
  assert.ok(cm.find('diab', { limit: 20 }).results.some((r) => !inRange(r.code)));
  // A billable code typed outside the scope is not taken.
  await page.fill('#dx input', 'A00.1');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('dx').validity.badInput || document.getElementById('dx').validationMessage !== '');
  const v = await page.evaluate(() => ({ value: document.getElementById('dx').value, msg: document.getElementById('dx').validationMessage }));
  assert.equal(v.value, '');
  assert.match(v.msg, /A00\.1 is not within E08-E13/);
  // A chapter as the scope: its blocks' range.
  await page.evaluate(() => document.getElementById('dx').setAttribute('within', '19'));
  await page.fill('#dx input', '');
  await page.click('#dx');
  await page.keyboard.type('fracture femur');
  await page.waitForSelector('#dx [role="option"]');
  const blocks = cm.children('19');
  const [lo, hi] = [blocks[0].code.split('-')[0], blocks.at(-1).code.split('-')[1]];
  const chapter = (await options(page, 'dx')).map((o) => o.code);
  assert.ok(chapter.length > 0 && chapter.every((c) => c.replace('.', '').slice(0, 3) >= lo && c.replace('.', '').slice(0, 3) <= hi), JSON.stringify(chapter));
  await finish();
});

// Issue 18 point 2: `multiple` (like autocomplete-lhc's maxSelect): each
// choice joins a list shown as removable chips, the form submits the name
// once per code, Backspace in the empty box and the × button remove.
test('multiple: several codes chosen, submitted as repeated values, removed by Backspace and ×', async (t) => {
  const { page, finish } = await session(t);
  await page.evaluate(() => {
    const el = document.createElement('medcode-input');
    el.id = 'many';
    el.setAttribute('name', 'codes');
    el.setAttribute('multiple', '');
    el.setAttribute('required', '');
    el.setAttribute('label', 'Codes');
    document.getElementById('claim').append(el);
    window.__many = [];
    el.addEventListener('change', () => window.__many.push(el.values));
  });
  assert.equal(await page.evaluate(() => document.getElementById('many').validity.valueMissing), true);
  const pick = async (text) => {
    const n = (await page.evaluate(() => document.getElementById('many').values.length)) + 1;
    await page.fill('#many input', text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((want) => document.getElementById('many').values.length === want || document.getElementById('many').invalidText, n);
  };
  await page.click('#many');
  for (const code of ['e119', 'I10', 's72001a']) await pick(code);
  const expected = ['E11.9', 'I10', 'S72.001A'].map((c) => cm.lookup(c).code);
  const state = await page.evaluate(() => {
    const el = document.getElementById('many');
    return { values: el.values, value: el.value, text: el.text, form: new FormData(document.getElementById('claim')).getAll('codes'), chips: [...el.shadowRoot.querySelectorAll('[part~="chip"] [part~="code"]')].map((c) => c.textContent), valid: el.checkValidity() };
  });
  assert.deepEqual(state, { values: expected, value: expected[0], text: '', form: expected, chips: expected, valid: true });
  // The same code again is not added twice.
  await page.fill('#many input', 'I10');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('many').text === '');
  assert.deepEqual(await page.evaluate(() => document.getElementById('many').values), expected);
  // Backspace in the empty box removes the last; × removes that one.
  await page.keyboard.press('Backspace');
  await page.click('#many >> [part~="chip-remove"][aria-label="Remove E11.9"]');
  assert.deepEqual(await page.evaluate(() => [document.getElementById('many').values, new FormData(document.getElementById('claim')).getAll('codes')]), [['I10'], ['I10']]);
  // One change event per change of the list.
  assert.deepEqual(await page.evaluate(() => window.__many), [['E11.9'], ['E11.9', 'I10'], expected, ['E11.9', 'I10'], ['I10']]);
  await page.evaluate(() => document.getElementById('claim').reset());
  assert.deepEqual(await page.evaluate(() => [document.getElementById('many').values, document.getElementById('many').validity.valueMissing]), [[], true]);
  await finish();
});
