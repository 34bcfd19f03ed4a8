// The package itself in headless Chromium, on a page served with a strict CSP
// (script-src 'self' 'wasm-unsafe-eval'): the module loads, answers, survives
// the hostile-input battery, and no request leaves localhost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};

/** A server, a browser and a page on the blank test page, closed after the test. */
async function blankPage(t) {
  const server = await serve({ port: 0 });
  const browser = await chromium.launch(LAUNCH);
  t.after(async () => {
    await browser.close();
    await server.close();
  });
  const page = await browser.newPage();
  const goto = () => page.goto(`${server.url.replace(/\/www\/$/, '')}/tests/browser/blank.html`);
  return { page, goto };
}

test('the module answers in a page with a strict CSP and survives 100,000 hostile inputs per function', async (t) => {
  const { page, goto } = await blankPage(t);
  const requests = [];
  const violations = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => /Content Security Policy/.test(m.text()) && violations.push(m.text()));
  await goto();
  const result = await page.evaluate(async () => {
    const { open } = await import('/js/browser.js');
    const { runBattery } = await import('/tests/js/battery.mjs');
    const cm = await open('icd10cm');
    const before = { valid: cm.isValid('e11.9'), title: cm.lookup('S72.001A')?.display, header: cm.validate('E11').issues[0]?.reason };
    const battery = runBattery(cm, { count: 100000, seed: 7 });
    return { before, battery, after: cm.isValid('E11.9') };
  });
  assert.deepEqual(result.before, {
    valid: true,
    title: 'Fracture of unspecified part of neck of right femur, initial encounter for closed fracture',
    header: 'header',
  });
  assert.deepEqual(result.battery.failures, []);
  assert.ok(result.battery.calls >= 900000);
  assert.equal(result.after, true);
  assert.deepEqual(violations, []);
  const outside = requests.filter((u) => !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u));
  assert.deepEqual(outside, []);
});

test('the module works inside a module Web Worker under the same CSP', async (t) => {
  const { page, goto } = await blankPage(t);
  await goto();
  const answer = await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker('/tests/browser/worker.mjs', { type: 'module' });
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage('s72001a');
      }),
  );
  assert.equal(answer.valid, true);
  assert.equal(answer.lookup.code, 'S72.001A');
  assert.equal(answer.validate.result, true);
});

test('a module that traps is re-instantiated and keeps answering (test-only trap build)', async (t) => {
  const { page, goto } = await blankPage(t);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await goto();
  const result = await page.evaluate(async () => {
    const { CodeSet } = await import('/js/medcode.js');
    const glue = await import('/target/test-trap/pkg/icd10cm.js');
    await glue.default({ module_or_path: '/target/test-trap/pkg/icd10cm_bg.wasm' });
    const cm = new CodeSet(glue);
    const trapped = cm.validate('medcode:test-trap').issues[0].reason;
    const falseAfterTrap = cm.isValid('medcode:test-trap');
    return { trapped, falseAfterTrap, restarts: cm.restarts, valid: cm.isValid('e11.9'), title: cm.lookup('E11.9')?.display };
  });
  assert.deepEqual(result, {
    trapped: 'internal',
    falseAfterTrap: false,
    restarts: 2,
    valid: true,
    title: 'Type 2 diabetes mellitus without complications',
  });
  assert.deepEqual(requests.filter((u) => !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u)), []);
});

// Issue 14: the first search of each system in Chromium, a fresh page each
// (every module ships its word index; the first search lists the codes with
// their ranks). The figures are printed,
// as the bench prints Node's (`node bench/first-search.mjs`); the test holds
// what the user sees: the everyday word finds its code.
test('the first search of each system finds an everyday word (time printed)', async (t) => {
  const { page, goto } = await blankPage(t);
  const cases = [
    ['icd10cm', 'heart attack', 'I21'],
    ['icd10pcs', 'appendectomy', '0DTJ'],
    ['hcpcs', 'wheelchair cushion', 'E26'],
  ];
  for (const [system, query, family] of cases) {
    await goto();
    const r = await page.evaluate(async ([system, query]) => {
      const { open } = await import('/js/browser.js');
      const set = await open(system);
      const t0 = performance.now();
      const codes = set.find(query, { limit: 10 }).results.map((h) => h.code.replace('.', ''));
      return { ms: performance.now() - t0, codes };
    }, [system, query]);
    console.log(`chromium first search, ${system} "${query}": ${r.ms.toFixed(0)} ms (target ≤ 50 ms)`);
    assert.ok(r.codes.some((c) => c.startsWith(family)), `${system} "${query}": ${r.codes.join(' ')}`);
    // What the page and the component do when idle: prepareSearch(), then
    // the coder's first search answers the same, from the ready index.
    await goto();
    const p = await page.evaluate(async ([system, query]) => {
      const { open } = await import('/js/browser.js');
      const set = await open(system);
      const t0 = performance.now();
      const ready = set.prepareSearch();
      const t1 = performance.now();
      const codes = set.find(query, { limit: 10 }).results.map((h) => h.code.replace('.', ''));
      return { ready, prepareMs: t1 - t0, ms: performance.now() - t1, codes };
    }, [system, query]);
    console.log(`chromium prepareSearch, ${system}: ${p.prepareMs.toFixed(0)} ms at idle, then the first search ${p.ms.toFixed(1)} ms`);
    assert.equal(p.ready, true, system);
    assert.deepEqual(p.codes, r.codes, `${system}: the same answer after prepareSearch`);
  }
});
