// Browser tests of the offline lookup page (www/) in the system Chromium.
//   node --test tests/browser/
// Needs pkg/ built (bash scripts/build.sh) and /usr/bin/chromium; playwright-core
// never downloads a browser. Writes docs/screenshots/page.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { mceValidOn } from '../js/official.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = path.join(ROOT, 'docs/screenshots/page.png');
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH = {
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

const TEXT_NODE = 3;

let browser;

before(async () => {
  assert.ok(existsSync(path.join(ROOT, 'pkg/icd10cm_bg.wasm')), 'pkg/ is missing: run bash scripts/build.sh');
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  browser = await chromium.launch(LAUNCH);
});

after(async () => {
  await browser?.close();
});

/** A fresh server and browser context (fresh service-worker state) per test. */
async function session(t, contextOptions = {}) {
  const server = await serve({ port: 0 });
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...contextOptions });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  t.after(async () => {
    await context.close();
    await server.close().catch(() => {});
  });
  return { server, context, page, errors };
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
  assert.equal(r.hash, '#E11.9');
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
  await page.waitForFunction(() => location.hash === '#E08-E13');
  assert.equal(await page.inputValue('#q input'), 'E08-E13');
  await expectTitle(page, 'Diabetes mellitus (E08-E13)');
  // Clicking a child opens it.
  await page.click('#children-list a[data-code="E11"]');
  await page.waitForFunction(() => location.hash === '#E11');
  await expectTitle(page, 'Type 2 diabetes mellitus');
  // Back goes to the block again.
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#E08-E13');
  await expectTitle(page, 'Diabetes mellitus (E08-E13)');

  // A deep link in a fresh page.
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
  await page.evaluate(() => navigator.serviceWorker.ready);
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
  assert.equal(caches.names.length, 1);
  assert.match(caches.names[0], /^medcode-www-v\d+/);
  for (const p of ['/www/', '/www/app.js', '/www/style.css', '/js/browser.js', '/js/medcode.js', '/pkg/icd10cm.js', '/pkg/icd10cm_bg.wasm']) {
    assert.ok(caches.urls.includes(p), `${p} is not precached`);
  }

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
  await page.evaluate(() => navigator.serviceWorker.ready);
  for (const q of ['e119', 'E11', 'S72.001', '4', 'A00-A09', 'E1', 'x<y']) await search(page, q);
  await search(page, 'E11');
  await page.click('#children-list a[data-code="E11.9"]');
  await page.reload();
  await loaded(page);

  const urls = [...new Set(requests)];
  assert.ok(urls.some((u) => u.endsWith('/pkg/icd10cm_bg.wasm')), 'the wasm request was not seen');
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
  await page.waitForFunction(() => location.hash === '#E10');
  assert.deepEqual(await page.evaluate(() => window.__htmlSinks), []);
  assert.deepEqual(errors, []);
});

test('screenshot: docs/screenshots/page.png shows E11.9', async (t) => {
  const { server, page } = await session(t, { colorScheme: 'light' });
  await page.goto(server.url + '#E11.9');
  await loaded(page);
  assert.equal(await page.getAttribute('#status', 'data-state'), 'billable');
  await expectTitle(page, 'Type 2 diabetes mellitus without complications');
  await page.evaluate(() => document.activeElement?.blur());
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  const png = await page.screenshot({ path: SCREENSHOT });
  assert.equal(png.readUInt32BE(16), 1200);
  assert.equal(png.readUInt32BE(20), 800);
});
