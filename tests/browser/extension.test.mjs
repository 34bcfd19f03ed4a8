// The MV3 extension (www/extension/) loaded into the system Chromium (new
// headless mode, persistent context with a temporary profile) on a sample EHR
// page served with a strict CSP: every code-like token is marked with the
// status the module gives, the hover/focus card shows the title, mutations and
// edited fields are rescanned, and no request leaves localhost. Writes
// docs/screenshots/extension.png. Runs scripts/extension.mjs first (copies pkg/).
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

/** Status of the mark inside `#id`, or of the field `#id`. */
const status = (page, id) => page.$eval(`#${id}`, (el) => (el.matches('input, textarea') ? el : el.querySelector('medcode-mark'))?.dataset.medcodeStatus ?? null);
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
  const marked = await page.$$eval('medcode-mark', (l) => l.map((m) => m.textContent));
  for (const w of ['A1c', 'H2O', 'B12']) assert.ok(!marked.includes(w), `${w} is marked`);
  // Fields: values are checked too.
  assert.equal(await status(page, 'f-valid'), expected('S72.001A'));
  assert.equal(await status(page, 'f-invalid'), 'invalid');
  assert.equal(await status(page, 'f-notes'), expected('E11.65'));

  // Hover: the card shows the title, the status and (for an invalid code) suggestions.
  await page.hover('#c-valid medcode-mark');
  await page.waitForSelector('medcode-card:not([hidden])');
  let card = await page.textContent('medcode-card >> .card');
  assert.ok(card.includes(cm.lookup('E11.9').display), card);
  assert.ok(card.includes('Billable code'));
  await page.hover('#c-invalid medcode-mark');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('E11.99'));
  card = await page.textContent('medcode-card >> .card');
  assert.ok(card.includes('Not a code'));
  assert.ok(card.includes(cm.validate('E11.99').suggestions[0].code), card);
  // Focus on a field shows its card too.
  await page.focus('#f-valid');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('S72.001A'));
  assert.ok((await page.textContent('medcode-card >> .card')).includes(cm.lookup('S72.001A').display));

  // Mutations: an added row and an edited field are checked.
  await page.click('#add');
  await page.waitForSelector('#c-added-6 medcode-mark');
  assert.equal(await status(page, 'c-added-6'), expected('J45.909'));
  const scan = JSON.parse(await page.getAttribute('html', 'data-medcode-scan'));
  assert.equal(scan.last.tokens, 1, 'only the added row was scanned');
  await page.fill('#f-invalid', 'E11.9');
  await page.waitForFunction(() => document.getElementById('f-invalid').dataset.medcodeStatus === 'billable');

  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !local(u)), [], 'a request left localhost');

  // Screenshot with the card open on the header code.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.hover('#c-seventh medcode-mark');
  await page.waitForFunction(() => document.querySelector('medcode-card')?.shadowRoot.textContent.includes('S72.001 '));
  const file = path.join(ROOT, 'docs/screenshots/extension.png');
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
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
