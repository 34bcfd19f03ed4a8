// The MV3 extension (www/extension/) loaded into the system Chromium (new
// headless mode, persistent context with a temporary profile) on a sample EHR
// page served with a strict CSP: every code-like token is marked with the
// status the module gives, the hover/focus card shows the title, mutations and
// edited fields are rescanned, the keyboard reaches every code through one tab
// stop, and no request leaves localhost. Writes docs/screenshots/extension.png.
// Copies pkg/ into the extension first (scripts/extension.mjs).
//
// Sites: the extension has no host permission until the user adds a site on
// its options page. The test server's site (127.0.0.1) is granted in before()
// by grantSite (scripts/extension.mjs): chrome://extensions' site access, then
// a click on the options page's "Add site" (chrome.permissions.request, which
// Chromium then answers without its prompt: a prompt cannot be answered from
// automation). The same server reached as localhost is a site not granted.
// Later tests switch ICD-10-PCS and HCPCS on and read the date of service from
// a field, through the options page.
//
// Codes in the text are marked with CSS Custom Highlights (no element around
// them): the tests read the page's highlight registry, which is what Chromium
// paints (CSS.highlights is the document's, shared by the page and the content
// script), and hover the pointer over the code's boxes on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { copyLib, grantSite } from '../../scripts/extension.mjs';
import { open } from '../../js/node.js';
import { card, classify, statuses, statusOf } from '../../www/extension/status.js';
import { sitePattern } from '../../www/extension/settings.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXT = path.join(ROOT, 'www/extension');
/** Requests that stay in the browser (`chrome:` pages: the tests grant sites through chrome://extensions) or on this machine. */
const local = (u) => /^(data:|blob:|chrome-extension:|chrome:|http:\/\/(127\.0\.0\.1|localhost)[:/])/.test(u);

let cm;
let sets;
let context;
let server;
let profile;
/** The extension's id, service worker and granted match pattern (grantSite). */
let ext;
const requests = [];

before(async () => {
  copyLib();
  cm = await open('icd10cm');
  sets = { icd10cm: cm, icd10pcs: await open('icd10pcs'), hcpcs: await open('hcpcs') };
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
  ext = await grantSite(context, server.origin);
  // (After the grant: chrome://extensions loads chrome:// resources.)
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

/** A new page that gathers its errors and CSP violations (`window.__csp`), opened at `url`. */
async function watchedPage(url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(url);
  return { page, errors, response };
}

async function ehr(file = 'ehr.html') {
  const { page, errors, response } = await watchedPage(`${server.origin}/tests/browser/pages/${file}`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'.*style-src 'self'/);
  await page.waitForSelector('html[data-medcode-scan]', { timeout: 15000 });
  return { page, errors };
}

test('the extension marks valid, header, invalid and deleted codes on a strict-CSP page; the card shows the title', async () => {
  assert.match(ext.worker.url(), /^chrome-extension:\/\/[a-p]{32}\/background\.js$/);
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

// ---- sites, systems and the date of service (issue 18 point 3) -------------

test('which system a token is a code of, and which tokens are left alone', () => {
  const of = (tokens, date) => classify(sets, tokens, date).map((a) => a && `${a.status} ${a.system} ${a.keep}`);
  const hcpcs = (code) => `${statuses(sets.hcpcs, [code])[0]} hcpcs`;
  // Each form goes to its system; the HCPCS form is tried before ICD-10-CM's (E0601 could be read as E06.01).
  assert.deepEqual(of(['0DTJ4ZZ', 'E11.9', 'E0601']), [`billable icd10pcs 0`, `${expected('E11.9')} icd10cm 0`, `${hcpcs('E0601')} 0`]);
  // Modifiers: after a hyphen always part of the code, after a space only when known.
  assert.ok(sets.hcpcs.modifier('KX') && !sets.hcpcs.modifier('OR') && !sets.hcpcs.modifier('ZZ'));
  assert.deepEqual(of(['E0601 KX', 'E0601 OR', 'E0601-ZZ', 'J1885-RT-LT']), [`${hcpcs('E0601')} 1`, `${hcpcs('E0601')} 0`, 'invalid hcpcs 1', `${hcpcs('J1885')} 2`]);
  // Not codes: words, a record number, a dotless token no system knows.
  for (const t of ['H2O', 'B12', '0048213', 'Q1234']) assert.equal(Object.values(sets).some((s) => s.lookup(t) !== null), false, t);
  assert.deepEqual(of(['H2O', 'B12', '0048213', 'Q1234']), [null, null, null, null]);
  // Known to HCPCS but not valid on the date (before it took effect): flagged, though it has no dot.
  const later = sets.hcpcs.prefix('C', { limit: 10000 }).map((e) => sets.hcpcs.lookup(e.code)).find((c) => c.validFrom > '2020-01-01' && cm.lookup(c.code) === null);
  assert.deepEqual(of([later.code], '2019-12-31'), ['invalid hcpcs 0']);
  assert.deepEqual(of([later.code], later.validFrom), ['billable hcpcs 0']);
  // Only the chosen systems answer: ICD-10-CM alone leaves the PCS and HCPCS codes unmarked.
  assert.deepEqual(classify({ icd10cm: cm }, ['0DTJ4ZZ', 'E0601', 'E11.9']).map((a) => a?.system ?? null), [null, null, 'icd10cm']);
});

/** Today's local calendar day, as the content script reads it. */
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
/** The site of the test server as the options page lists it: `http://127.0.0.1`. */
const site = () => ext.pattern.replace(/\/\*$/, '');
/** The answer the extension should give for `token` on `date` with every system on. */
const answer = (token, date = today()) => classify(sets, [token], date)[0];

/** The options page, loaded, with its CSP violations and errors gathered. */
async function options() {
  const { page, errors } = await watchedPage(`chrome-extension://${ext.id}/options.html`);
  await page.waitForSelector('html[data-ready]');
  return { page, errors };
}
const stored = (page) => page.evaluate(() => chrome.storage.local.get('settings').then((r) => r.settings));
const registered = () => ext.worker.evaluate(() => chrome.scripting.getRegisteredContentScripts().then((list) => list.map((s) => ({ id: s.id, matches: s.matches, allFrames: s.allFrames }))));
/** Waits until the code inside `#id` is marked with `status`. */
const markedAs = (page, id, status) =>
  page.waitForFunction(([i, s]) => [...(CSS.highlights.get(`medcode-${s}`) ?? [])].some((r) => document.getElementById(i).contains(r.startContainer)), [id, status]);
/** Waits for the card of `code` and returns its text. */
async function cardText(page, id, code) {
  await hoverCode(page, id);
  await page.waitForFunction((c) => {
    const card = document.querySelector('medcode-card');
    return card !== null && !card.hidden && card.shadowRoot.querySelector('.code')?.textContent === c;
  }, code);
  return page.textContent('medcode-card >> .card');
}

test('no site up front: the content script is registered for the granted site only, and a site not granted is never marked', async () => {
  const manifest = await ext.worker.evaluate(() => chrome.runtime.getManifest());
  assert.equal(manifest.content_scripts, undefined);
  assert.equal(manifest.host_permissions, undefined);
  assert.deepEqual(manifest.permissions, ['storage', 'scripting']);
  assert.deepEqual((await ext.worker.evaluate(() => chrome.permissions.getAll())).origins, [ext.pattern]);
  assert.deepEqual(await registered(), [{ id: 'medcode-content', matches: [ext.pattern], allFrames: true }]);

  // The same server under another host name (localhost): a site not granted.
  const other = await context.newPage();
  const errors = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(`http://localhost:${server.port}/tests/browser/pages/ehr.html`);
  await other.waitForLoadState('load');
  // The granted site, opened after it, is scanned: the content script had its chance on the other one.
  const granted = await ehr();
  assert.ok((await markedTexts(granted.page)).length > 0);
  await granted.page.close();
  assert.equal(await other.getAttribute('html', 'data-medcode-scan'), null);
  assert.deepEqual(await other.evaluate(() => [...CSS.highlights.keys()]), []);
  assert.equal(await other.locator('medcode-nav, medcode-card, [data-medcode-status]').count(), 0);
  assert.deepEqual(errors, []);
  await other.close();
});

test('a site granted while its page is open: the open page is marked at once, without a reload', async () => {
  const open = await context.newPage();
  const errors = [];
  open.on('pageerror', (e) => errors.push(e.message));
  await open.goto(`http://localhost:${server.port}/tests/browser/pages/ehr.html`);
  await open.waitForLoadState('load');
  assert.equal(await open.getAttribute('html', 'data-medcode-scan'), null);
  const { pattern } = await grantSite(context, `http://localhost:${server.port}`);
  await open.waitForSelector('html[data-medcode-scan]', { timeout: 15000 });
  assert.ok((await markedTexts(open)).includes('E11.9'));
  assert.deepEqual(errors, []);
  await open.close();
  // Taken back, for the tests after this one.
  const { page } = await options();
  await page.getByRole('button', { name: 'Remove http://localhost' }).click();
  await page.waitForSelector(`#sites li[data-pattern="${pattern}"]`, { state: 'detached' });
  await page.close();
  for (let i = 0; i < 100 && (await registered())[0]?.matches.length !== 1; i++) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(await registered(), [{ id: 'medcode-content', matches: [ext.pattern], allFrames: true }]);
});

test('on a granted site with ICD-10-PCS and HCPCS switched on, procedure codes and HCPCS codes with modifiers are marked', async () => {
  const { page, errors } = await ehr('ehr-procedures.html');
  // The default: ICD-10-CM only.
  assert.deepEqual(await markedTexts(page), ['E11.9']);

  // The options page: switch on ICD-10-PCS and HCPCS (labels, as a user finds them); the open page rescans.
  const opts = await options();
  assert.equal(await opts.page.getByLabel(/ICD-10-CM/).isChecked(), true);
  assert.equal(await opts.page.getByLabel('Today').isChecked(), true);
  await opts.page.getByLabel(/ICD-10-PCS/).check();
  await opts.page.getByLabel(/HCPCS Level II/).check();
  await opts.page.waitForFunction(() => document.getElementById('saved').textContent === 'Saved.');
  assert.deepEqual(await stored(opts.page), { systems: ['icd10cm', 'icd10pcs', 'hcpcs'], dos: { mode: 'today', selector: '', date: '' } });
  assert.deepEqual(await opts.page.evaluate(() => window.__csp), []);
  assert.deepEqual(opts.errors, []);
  await opts.page.close();
  await markedAs(page, 'p-pcs', answer('0DTJ4ZZ').status);

  // Each code with the module's answer: the PCS code, HCPCS with a modifier after a hyphen and after a space,
  // a modifier that is none (the code is known, so it is flagged), and the diagnosis as before.
  const cases = { 'p-pcs': '0DTJ4ZZ', 'p-hyphen': 'J1885-RT', 'p-space': 'E0601 KX', 'p-badmod': 'J1885-ZZ', 'p-dx': 'E11.9' };
  assert.equal(answer('0DTJ4ZZ').system, 'icd10pcs');
  assert.ok(sets.icd10pcs.isValid('0DTJ4ZZ'));
  assert.equal(sets.hcpcs.modifier('ZZ'), null);
  assert.equal(answer('J1885-ZZ').status, 'invalid');
  for (const [id, code] of Object.entries(cases)) {
    await markedAs(page, id, answer(code).status);
    assert.equal(await status(page, id), answer(code).status, `${id} ${code}`);
  }
  assert.deepEqual(new Set(Object.values(cases).map((c) => answer(c).system)), new Set(['icd10pcs', 'hcpcs', 'icd10cm']));
  // Nothing else: not the 7-digit record number (no PCS code), nor B12 or H2O.
  assert.equal(sets.icd10pcs.lookup('0048213'), null);
  assert.deepEqual((await markedTexts(page)).sort(), Object.values(cases).sort());

  // The card names the system, the title, and each modifier.
  let text = await cardText(page, 'p-pcs', '0DTJ4ZZ');
  assert.ok(text.includes('ICD-10-PCS') && text.includes(sets.icd10pcs.lookup('0DTJ4ZZ').display), text);
  text = await cardText(page, 'p-hyphen', 'J1885-RT');
  assert.ok(text.includes('HCPCS Level II') && text.includes(sets.hcpcs.lookup('J1885').display), text);
  assert.ok(text.includes(`Modifier RT: ${sets.hcpcs.modifier('RT').short}`), text);
  text = await cardText(page, 'p-badmod', 'J1885-ZZ');
  assert.ok(text.includes('ZZ is not an HCPCS modifier'), text);
  assert.ok(text.includes(`Date of service ${today()} (today)`), text);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  await page.close();
});

test('the date of service read from a field on the page decides a code that ended on a date', async () => {
  // An HCPCS code the module says ended within the embedded releases (not an ICD-10-CM code too).
  const { hcpcs } = sets;
  const { from, to } = hcpcs.info().coverage;
  let ended = null;
  for (const letter of 'ABCEGHJKLQ') {
    ended = hcpcs
      .prefix(letter, { limit: 10000 })
      .map((e) => hcpcs.lookup(e.code))
      .find((c) => c.validTo && c.validTo > from && c.validTo < to && cm.lookup(c.code) === null);
    if (ended) break;
  }
  assert.ok(ended, 'no HCPCS code ended within the releases');
  const last = ended.validTo;
  const after = new Date(Date.parse(`${last}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  const us = (day) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;
  assert.equal(answer(ended.code, last).status, 'billable');
  assert.equal(answer(ended.code, after).status, 'deleted');

  // The options page: read the date from #dos; the selector is checked before it is saved.
  const opts = await options();
  await opts.page.getByLabel('Read from a field on the page').check();
  await opts.page.waitForFunction(() => document.getElementById('dos-error').textContent.includes('Type the CSS selector'));
  await opts.page.getByLabel('CSS selector of the field').fill('#dos[');
  await opts.page.keyboard.press('Tab');
  await opts.page.waitForFunction(() => document.getElementById('dos-error').textContent.includes('is not a CSS selector'));
  assert.equal(await opts.page.getAttribute('#dos-selector', 'aria-invalid'), 'true');
  assert.equal((await stored(opts.page)).dos.mode, 'today');
  await opts.page.getByLabel('CSS selector of the field').fill('#dos');
  await opts.page.keyboard.press('Tab');
  await opts.page.waitForFunction(() => document.getElementById('saved').textContent === 'Saved.');
  assert.deepEqual((await stored(opts.page)).dos, { mode: 'field', selector: '#dos', date: '' });
  assert.deepEqual(opts.errors, []);
  await opts.page.close();

  const { page, errors } = await ehr('ehr-procedures.html');
  const before = (await markedTexts(page)).sort();
  await page.$eval('#p-dated', (el, code) => {
    el.textContent = code;
  }, ended.code);
  // The field is empty: today's date, and the card says so.
  await markedAs(page, 'p-dated', answer(ended.code).status);
  let text = await cardText(page, 'p-dated', ended.code);
  assert.ok(text.includes(`Date of service ${today()} (today: #dos holds no date)`), text);
  // Its last day, typed MM/DD/YYYY: billable, and the whole page is checked again on that date.
  await page.fill('#dos', us(last));
  await markedAs(page, 'p-dated', 'billable');
  text = await cardText(page, 'p-dated', ended.code);
  assert.ok(text.includes(`Date of service ${last} (from #dos)`), text);
  assert.deepEqual((await markedTexts(page)).sort(), [...before, ended.code].sort());
  // The day after, typed ISO: deleted, the card saying when it ended.
  await page.fill('#dos', after);
  await markedAs(page, 'p-dated', 'deleted');
  text = await cardText(page, 'p-dated', ended.code);
  assert.ok(text.includes(last) && text.includes(`Date of service ${after} (from #dos)`), text);
  // Not a date: today again.
  const n = await scans(page);
  await page.fill('#dos', '02/30/2025');
  await page.waitForFunction((k) => JSON.parse(document.documentElement.dataset.medcodeScan).scans > k, n);
  await markedAs(page, 'p-dated', answer(ended.code).status);
  text = await cardText(page, 'p-dated', ended.code);
  assert.ok(text.includes(`(today: #dos holds no date)`), text);
  assert.deepEqual(errors, []);
  await page.close();
});

test('options page: an address that is not a site gives a clear error, and nothing is asked for', async () => {
  const { page, errors } = await options();
  const granted = await page.evaluate(() => chrome.permissions.getAll());
  const cases = [
    ['ftp://ehr.example.org', /only http and https sites can be added/],
    ['<all_urls>', /would give access to every site/],
    ['https://*.org', /every site under \.org/],
    ['not a site', /is not a site address/],
    ['', /No address given/],
  ];
  for (const [typed, message] of cases) {
    await page.getByLabel('Site address').fill(typed);
    await page.keyboard.press('Enter'); // the keyboard submits the form
    await page.waitForFunction(() => document.getElementById('site-error').textContent !== '');
    assert.match(await page.textContent('#site-error'), message, typed);
    assert.equal(await page.getAttribute('#site', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site');
    // Typing again clears the error.
    await page.keyboard.type('x');
    await page.waitForFunction(() => document.getElementById('site-error').textContent === '');
  }
  assert.deepEqual(await page.evaluate(() => chrome.permissions.getAll()), granted);
  // The error is read out: its region is live, and named by the field.
  assert.equal(await page.getAttribute('#site-error', 'aria-live'), 'assertive');
  assert.match(await page.getAttribute('#site', 'aria-describedby'), /site-error/);
  // The granted site is listed with a Remove button named after it.
  assert.equal(await page.getByRole('button', { name: `Remove ${site()}` }).count(), 1);
  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  await page.close();
  // What the page does with a typed site: a match pattern for the host, any port, no path.
  assert.deepEqual(sitePattern('http://10.0.0.5:8080/chart'), { pattern: 'http://10.0.0.5/*' });
  assert.deepEqual(sitePattern('ehr.example.org'), { pattern: 'https://ehr.example.org/*' });
  assert.deepEqual(sitePattern('https://*.example.org'), { pattern: 'https://*.example.org/*' });
  for (const bad of ['http://*/*', '*', 'chrome://extensions', 'file:///etc/hosts', 'https://user:pw@ehr.example.org', 'https://ehr..org']) assert.ok(sitePattern(bad).error, bad);
});

test('removing the site on the options page unregisters the content script: its pages are no longer marked', async () => {
  const { page, errors } = await options();
  await page.getByRole('button', { name: `Remove ${site()}` }).click();
  await page.waitForSelector('#sites li', { state: 'detached' });
  assert.match(await page.textContent('#site-status'), /Removed/);
  await page.close();
  for (let i = 0; i < 100 && (await registered()).length; i++) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(await registered(), []);
  const ehrPage = await context.newPage();
  await ehrPage.goto(`${server.origin}/tests/browser/pages/ehr.html`);
  await ehrPage.waitForTimeout(1000);
  assert.equal(await ehrPage.getAttribute('html', 'data-medcode-scan'), null);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !local(u)), [], 'a request left localhost');
  await ehrPage.close();
});
