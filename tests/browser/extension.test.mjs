// The MV3 extension (www/extension/) loaded into the system Chromium (new
// headless mode, persistent context with a temporary profile) on a sample EHR
// page served with a strict CSP: every code-like token is marked with the
// status the module gives, the hover/focus card shows the title, mutations and
// edited fields are rescanned, the keyboard reaches every code through one tab
// stop, and no request leaves localhost. Writes docs/screenshots/extension.png.
// Runs scripts/extension.mjs first (copies pkg/).
//
// Codes in the text are marked with CSS Custom Highlights (no element around
// them): the tests read the page's highlight registry, which is what Chromium
// paints (CSS.highlights is the document's, shared by the page and the content
// script), and hover the pointer over the code's boxes on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { open } from '../../js/node.js';
import { card, statuses, statusOf } from '../../www/extension/status.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXT = path.join(ROOT, 'www/extension');
const local = (u) => /^(data:|blob:|chrome-extension:|http:\/\/(127\.0\.0\.1|localhost)[:/])/.test(u);

let cm;
let context;
let server;
let profile;
const requests = [];

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/extension.mjs')]);
  cm = await open('icd10cm');
  server = await serve({ port: 0 });
  profile = mkdtempSync(path.join(tmpdir(), 'medcode-ext-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 760 },
    colorScheme: 'light',
    ignoreDefaultArgs: ['--disable-extensions'],
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`],
  });
  context.setDefaultTimeout(10000);
  context.on('request', (r) => requests.push(r.url()));
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/**
 * Status of the field `#id`, or of the code marked inside `#id`: the name of
 * the one highlight (medcode-billable, ...) holding a range in it, whose text
 * must be the element's code; null when none, an error when several.
 */
const status = (page, id) =>
  page.$eval(`#${id}`, (el) => {
    if (el.matches('input, textarea')) return el.dataset.medcodeStatus ?? null;
    const found = [];
    for (const [name, h] of CSS.highlights) {
      if (name === 'medcode-current') continue;
      for (const r of h) if (el.contains(r.startContainer)) found.push([name, r.startContainer.data.slice(r.startOffset, r.endOffset)]);
    }
    if (found.length > 1) throw new Error(`#${el.id}: ${found.length} marks`);
    if (found.length === 0) return null;
    const [name, text] = found[0];
    if (text !== el.textContent.trim()) throw new Error(`#${el.id}: mark over "${text}", not "${el.textContent.trim()}"`);
    return name.replace(/^medcode-/, '');
  });
/** The text of every marked code on the page. */
const markedTexts = (page) => page.evaluate(() => [...CSS.highlights].filter(([n]) => n.startsWith('medcode-') && n !== 'medcode-current').flatMap(([, h]) => [...h].map((r) => r.startContainer.data.slice(r.startOffset, r.endOffset))));
/** Moves the pointer onto the middle of the code marked inside `#id`. */
async function hoverCode(page, id) {
  const box = await page.$eval(`#${id}`, (el) => {
    for (const [name, h] of CSS.highlights) {
      if (name === 'medcode-current') continue;
      for (const r of h) {
        if (!el.contains(r.startContainer)) continue;
        const range = document.createRange();
        range.setStart(r.startContainer, r.startOffset);
        range.setEnd(r.endContainer, r.endOffset);
        const b = range.getBoundingClientRect();
        return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
      }
    }
    return null;
  });
  assert.ok(box, `no mark in #${id}`);
  await page.mouse.move(box.x, box.y, { steps: 2 });
}
const scans = async (page) => JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).scans;
const expected = (code) => statuses(cm, [code])[0];

async function ehr() {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${server.origin}/tests/browser/pages/ehr.html`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'.*style-src 'self'/);
  await page.waitForSelector('html[data-medcode-scan]', { timeout: 15000 });
  return { page, errors };
}

test('the extension marks valid, header, invalid and deleted codes on a strict-CSP page; the card shows the title', async () => {
  const [worker] = context.serviceWorkers().length ? context.serviceWorkers() : [await context.waitForEvent('serviceworker')];
  assert.match(worker.url(), /^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
  const { page, errors } = await ehr();

  const cases = { 'c-valid': 'E11.9', 'c-header': 'E11', 'c-seventh': 'S72.001', 'c-invalid': 'E11.99', 'c-nodot': 'I10', 'c-text': 'E78.5', 'c-bad': 'Z99.99', 'c-deleted': 'D69.1' };
  const seen = {};
  for (const [id, code] of Object.entries(cases)) seen[id] = [code, await status(page, id)];
  assert.deepEqual(seen, Object.fromEntries(Object.entries(cases).map(([id, code]) => [id, [code, expected(code)]])));
  // The statuses are the module's: one of each kind is on the page.
  assert.deepEqual(new Set(Object.values(seen).map((s) => s[1])), new Set(['billable', 'header', 'invalid', 'deleted']));
  // Words that look a little like codes are not flagged: HbA1c, H2O, B12.
  const marked = await markedTexts(page);
  assert.equal(marked.length, 8, `marked: ${marked}`);
  for (const w of ['A1c', 'H2O', 'B12']) assert.ok(!marked.includes(w), `${w} is marked`);
  // Fields: values are checked too.
  assert.equal(await status(page, 'f-valid'), expected('S72.001A'));
  assert.equal(await status(page, 'f-invalid'), 'invalid');
  assert.equal(await status(page, 'f-notes'), expected('E11.65'));

  // Hover: the card shows the title, the status and (for an invalid code) suggestions.
  await hoverCode(page, 'c-valid');
  await page.waitForSelector('medcode-card:not([hidden])');
  let card = await page.textContent('medcode-card >> .card');
  assert.ok(card.includes(cm.lookup('E11.9').display), card);
  assert.ok(card.includes('Billable code'));
  await hoverCode(page, 'c-invalid');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('E11.99'));
  card = await page.textContent('medcode-card >> .card');
  assert.ok(card.includes('Not a code'));
  assert.ok(card.includes(cm.validate('E11.99').suggestions[0].code), card);
  // The pointer off the codes (on plain text) closes the card.
  const off = await page.$eval('#dx td:nth-child(3)', (el) => {
    const b = el.getBoundingClientRect();
    return { x: b.left + 4, y: b.top + b.height / 2 };
  });
  await page.mouse.move(off.x, off.y, { steps: 2 });
  await page.waitForSelector('medcode-card[hidden]', { state: 'attached' });
  // Focus on a field shows its card too.
  await page.focus('#f-valid');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('S72.001A'));
  assert.ok((await page.textContent('medcode-card >> .card')).includes(cm.lookup('S72.001A').display));

  // Mutations: an added row and an edited field are checked.
  const before = await scans(page);
  await page.click('#add');
  await page.waitForFunction((n) => JSON.parse(document.documentElement.dataset.medcodeScan).scans > n, before);
  assert.equal(await status(page, 'c-added-6'), expected('J45.909'));
  const scan = JSON.parse(await page.getAttribute('html', 'data-medcode-scan'));
  assert.equal(scan.last.tokens, 1, 'only the added row was scanned');
  // A changed text node is marked again; the old range goes.
  await page.$eval('#c-text', (el) => {
    el.firstChild.data = 'E11.99';
  });
  await page.waitForFunction(() => [...CSS.highlights.get('medcode-invalid')].some((r) => r.startContainer.parentElement.id === 'c-text'));
  assert.equal(await status(page, 'c-text'), expected('E11.99'));
  // A removed row takes its mark with it.
  await page.$eval('#c-added-6', (el) => el.parentElement.remove());
  await page.waitForFunction(() => ![...CSS.highlights.get('medcode-billable')].some((r) => !r.startContainer.isConnected));
  await page.fill('#f-invalid', 'E11.9');
  await page.waitForFunction(() => document.getElementById('f-invalid').dataset.medcodeStatus === 'billable');

  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !local(u)), [], 'a request left localhost');

  // Screenshot with the card open on the header code.
  await page.evaluate(() => window.scrollTo(0, 0));
  await hoverCode(page, 'c-seventh');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('S72.001 '));
  const file = path.join(ROOT, 'docs/screenshots/extension.png');
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  await page.close();
});

test('the keyboard reaches every code through one tab stop, and its card', async () => {
  const { page, errors } = await ehr();
  const codes = ['E11.9', 'E11', 'S72.001', 'E11.99', 'I10', 'E78.5', 'Z99.99', 'D69.1']; // document order
  const toCheck = codes.filter((c) => expected(c) !== 'billable');
  // The page's own tab stops, read from the page; the extension adds one, first.
  const own = await page.evaluate(() => [...document.querySelectorAll('input, textarea, button, a[href], [tabindex]')].filter((e) => e.tagName !== 'MEDCODE-NAV').map((e) => e.id));
  const active = () => page.evaluate(() => (document.activeElement === document.body ? 'body' : document.activeElement.id || document.activeElement.tagName.toLowerCase()));
  const stops = [];
  for (let i = 0; i <= own.length; i++) {
    await page.keyboard.press('Tab');
    stops.push(await active());
  }
  assert.deepEqual(stops, ['medcode-nav', ...own]);
  // Back to the reviewer: it names what it found and opens cards.
  for (let i = 0; i < own.length; i++) await page.keyboard.press('Shift+Tab');
  assert.equal(await active(), 'medcode-nav');
  const label = await page.getAttribute('medcode-nav', 'aria-label');
  assert.match(label, new RegExp(`${codes.length} codes marked, ${toCheck.length} to check`));
  const currentText = () => page.evaluate(() => [...CSS.highlights.get('medcode-current')].map((r) => r.startContainer.data.slice(r.startOffset, r.endOffset)).join());
  const cardHas = (code) => page.waitForFunction((c) => !document.querySelector('medcode-card')?.hidden && document.querySelector('medcode-card').shadowRoot.querySelector('.code')?.textContent === c, code);
  // The live region, outside the control (a button's content is presentational).
  const live = () => page.$eval('medcode-live', (n) => n.shadowRoot.querySelector('[role=status]').textContent);
  // Enter: the codes to check, in document order, each with its card and an announcement.
  for (const [i, code] of toCheck.entries()) {
    await page.keyboard.press('Enter');
    await cardHas(code);
    assert.equal(await currentText(), code);
    await page.waitForFunction((c) => document.querySelector('medcode-live').shadowRoot.querySelector('[role=status]').textContent.startsWith(`${c}:`), code);
    const said = await live();
    assert.ok(said.includes(`${i + 1} of ${toCheck.length}`), said);
    const title = cm.lookup(code)?.display;
    if (title) assert.ok(said.includes(title), said);
  }
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('medcode-live').shadowRoot.querySelector('[role=status]').textContent === 'No further code to check.');
  // Arrows: every code, billable ones too.
  await page.keyboard.press('ArrowLeft');
  await cardHas(codes.at(-2));
  await page.keyboard.press('ArrowLeft');
  await cardHas(codes.at(-3));
  assert.ok((await page.textContent('medcode-card >> .card')).includes(cm.lookup(codes.at(-3)).display));
  assert.equal(await page.getAttribute('medcode-nav', 'aria-describedby'), 'medcode-card');
  // By role: one button for the reviewer, its announcements in a status region.
  assert.equal(await page.getByRole('button', { name: /codes marked/ }).count(), 1);
  assert.match(await page.getByRole('status').textContent(), new RegExp(`^${codes.at(-3).replace('.', '\\.')}: `));
  // Escape closes the card; leaving the reviewer clears the current code.
  await page.keyboard.press('Escape');
  await page.waitForSelector('medcode-card[hidden]', { state: 'attached' });
  await page.keyboard.press('Tab');
  assert.equal(await active(), own[0]);
  assert.equal(await currentText(), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long page: marks are drawn near the viewport, scrolling draws the others, the reviewer reaches them', async () => {
  const { page, errors } = await ehr();
  // 600 rows of billable codes from the module, then one invalid code at the end.
  const rows = [...'JKLM'].flatMap((l) => cm.prefix(l, { limit: 400 })).filter((e) => e.billable).slice(0, 600).map((e) => e.code);
  assert.equal(rows.length, 600);
  const before = await scans(page);
  await page.evaluate((codes) => {
    const body = document.querySelector('#dx tbody');
    codes.forEach((code, i) => {
      const row = document.createElement('tr');
      row.innerHTML = `<td>${i + 10}</td><td id="long-${i}">${code}</td><td>Long list</td>`;
      body.append(row);
    });
    const last = document.createElement('p');
    last.innerHTML = 'Last line: <span id="long-end">E11.99</span>';
    document.querySelector('main').append(last);
  }, rows);
  await page.waitForFunction((n) => JSON.parse(document.documentElement.dataset.medcodeScan).scans > n, before);
  const scan = JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).last;
  assert.equal(scan.marks, rows.length + 1);
  assert.ok(scan.drawn < rows.length / 2, `drawn ${scan.drawn} of ${scan.marks}`);
  // Near the top: drawn; far below: not drawn (yet), though found.
  assert.equal(await status(page, 'long-0'), expected(rows[0]));
  assert.equal(await status(page, 'long-599'), null);
  assert.equal(await status(page, 'long-end'), null);
  // Scrolled to the end: the marks there are drawn, those at the top are dropped.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => [...CSS.highlights.get('medcode-invalid')].some((r) => r.startContainer.parentElement.id === 'long-end'));
  assert.equal(await status(page, 'long-599'), expected(rows[599]));
  await page.waitForFunction(() => ![...CSS.highlights.get('medcode-billable')].some((r) => r.startContainer.parentElement.id === 'c-valid'));
  // Hover still opens the card down there.
  await hoverCode(page, 'long-599');
  await page.waitForFunction((c) => document.querySelector('medcode-card')?.shadowRoot.querySelector('.code')?.textContent === c, rows[599]);
  // Back to the top; the reviewer goes from the codes to check at the top to the one at the end, scrolling to it.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus('medcode-nav');
  const toCheck = ['E11', 'S72.001', 'E11.99', 'Z99.99', 'D69.1'].filter((c) => expected(c) !== 'billable');
  for (let i = 0; i <= toCheck.length; i++) await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...CSS.highlights.get('medcode-current')].some((r) => r.startContainer.parentElement.id === 'long-end'));
  const visible = await page.$eval('#long-end', (el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  assert.ok(visible, 'the reviewer scrolled to the code');
  await page.waitForFunction(() => [...CSS.highlights.get('medcode-invalid')].some((r) => r.startContainer.parentElement.id === 'long-end'));
  // A code whose element has no box (display: contents) is drawn too.
  await page.evaluate(() => window.scrollTo(0, 0));
  const n = await scans(page);
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.innerHTML = 'Boxless: <span id="boxless">E11.9</span>';
    p.querySelector('span').style.setProperty('display', 'contents');
    document.querySelector('main').prepend(p);
  });
  await page.waitForFunction((k) => JSON.parse(document.documentElement.dataset.medcodeScan).scans > k, n);
  await page.waitForFunction(() => [...CSS.highlights.get('medcode-billable')].some((r) => r.startContainer.parentElement.id === 'boxless'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('status mapping: the date of service decides billable and deleted', () => {
  // D69.1 ended on 2026-09-30 (MCE validity table); A04.7 on 2017-09-30.
  const codes = ['E11.9', 'E11', 'E11.99', 'S72.001', 'D69.1', 'A04.7'];
  assert.deepEqual(statuses(cm, codes, '2026-11-27'), ['billable', 'header', 'invalid', 'header', 'deleted', 'deleted']);
  assert.deepEqual(statuses(cm, codes, '2026-05-01'), ['billable', 'header', 'invalid', 'header', 'billable', 'deleted']);
  assert.deepEqual(statuses(cm, codes, '2017-05-01'), ['billable', 'header', 'invalid', 'header', 'billable', 'billable']);
  // The card says why, from validate(code, {date}).
  const c = card(cm, 'D69.1', '2026-11-27');
  assert.equal(c.status, 'deleted');
  assert.match(c.issues[0], /2026-09-30/);
  assert.equal(statusOf(cm.validate('D69.1', { date: '2026-11-27' })), 'deleted');
});

test('the card says when the date of service is past what the embedded release covers (issue 15 point 3)', async () => {
  const hcpcs = await open('hcpcs');
  const { to } = hcpcs.info().coverage;
  const after = new Date(Date.parse(`${to}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const c = card(hcpcs, 'E0114', after);
  assert.ok(c.issues.some((t) => t.includes(`codes added or ended after ${to} are not known`)), JSON.stringify(c));
  assert.ok(!card(hcpcs, 'E0114', to).issues.some((t) => t.includes('are not known')));
});
