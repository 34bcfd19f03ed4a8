// The React example (examples/react/): built with esbuild (JSX, React 19 from
// this repository's pinned devDependencies), served with the strict CSP and
// run in Debian's Chromium. A code typed in <medcode-input> reaches React
// state through `onmedcode-change`, `within` keeps it to E08-E13, and the
// form submits it. No request leaves 127.0.0.1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { open } from '../../js/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'target/react-example');
const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};
const local = (u) => /^(data:|blob:|http:\/\/127\.0\.0\.1[:/])/.test(u);

/** `medcode` and `medcode/input` resolve to this checkout, as they would from node_modules. */
const thisPackage = {
  name: 'medcode-from-checkout',
  setup(b) {
    b.onResolve({ filter: /^medcode(\/input)?$/ }, (args) => ({ path: path.join(ROOT, args.path === 'medcode' ? 'js/browser.js' : 'js/medcode-input.js') }));
  },
};

let browser;
after(() => browser?.close());

test('React example: a typed code reaches React state, within holds, the form submits it', async (t) => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'examples/react/main.jsx')],
    bundle: true,
    format: 'esm',
    jsx: 'automatic',
    outfile: path.join(OUT, 'main.js'),
    plugins: [thisPackage],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  copyFileSync(path.join(ROOT, 'examples/react/index.html'), path.join(OUT, 'index.html'));
  const server = await serve({ port: 0 });
  t.after(() => server.close());
  browser = await chromium.launch(LAUNCH);
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/target/react-example/index.html`);
  await page.waitForSelector('medcode-input');
  const cm = await open('icd10cm');
  await page.fill('#dx input', 'e119');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('chosen').textContent !== '');
  assert.deepEqual(await page.evaluate(() => [document.getElementById('chosen').textContent, document.getElementById('title').textContent]), ['E11.9', cm.lookup('E11.9').display]);
  // Outside E08-E13: not taken; editing the text cleared the value, and
  // React heard that too.
  await page.fill('#dx input', 'I10');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('dx').validationMessage !== '');
  assert.match(await page.evaluate(() => document.getElementById('dx').validationMessage), /I10 is not within E08-E13/);
  assert.equal(await page.textContent('#chosen'), '');
  await page.fill('#dx input', 'E11.9');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.getElementById('chosen').textContent === 'E11.9');
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => window.submitted);
  assert.deepEqual(await page.evaluate(() => window.submitted), { dx: 'E11.9' });
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((u) => !local(u)), []);
});
