#!/usr/bin/env node
// Scan time of the extension's content script on a page with 5,000 codes
// (an EHR-like table: billable codes, headers, invalid dotted codes), in the
// system Chromium with the extension loaded. Prints figures; asserts nothing.
//
//   bash scripts/build.sh && node bench/extension-scan.mjs [runs=15]
//
// Each run reloads the page; the content script records its own timings
// (walk = finding tokens in text nodes and fields, check = the one batch
// message to the service worker and the module's answer, mark = wrapping).
// The first run includes starting the service worker and the wasm module.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { open } from '../js/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXT = path.join(ROOT, 'www/extension');
const RUNS = Number(process.argv[2] ?? 15);
const N = 5000;

execFileSync(process.execPath, [path.join(ROOT, 'scripts/extension.mjs')]);
const cm = await open('icd10cm');
// 5,000 distinct tokens from the module: 80% billable codes, 10% headers, 10% invalid.
const codes = [];
for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWYZ') {
  for (const e of cm.prefix(letter, { limit: 400 })) codes.push(e);
}
const billable = codes.filter((e) => e.billable).map((e) => e.code);
const headers = codes.filter((e) => !e.billable).map((e) => e.code);
const tokens = [
  ...billable.slice(0, N * 0.8),
  ...headers.slice(0, N * 0.1),
  ...billable.slice(0, N * 0.1).map((c) => (c.includes('.') ? c + 'Q' : c + '.Q')).filter((c) => !cm.isValid(c)),
];
while (tokens.length < N) tokens.push(billable[tokens.length % billable.length]);
const rows = tokens.map((c, i) => `<tr><td>${i + 1}</td><td>${c}</td><td>Line ${i + 1} of the claim history</td></tr>`).join('\n');
const dir = path.join(ROOT, 'target/bench');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'ehr-5000.html'), `<!doctype html><meta charset="utf-8"><title>5,000 codes</title><table>${rows}</table>\n`);

const server = await serve({ port: 0 });
const profile = mkdtempSync(path.join(tmpdir(), 'medcode-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  ignoreDefaultArgs: ['--disable-extensions'],
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`],
});
const page = await context.newPage();
const results = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${server.origin}/target/bench/ehr-5000.html`);
  await page.waitForSelector('html[data-medcode-scan]', { timeout: 30000 });
  results.push(JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).last);
}
await context.close();
await server.close();
rmSync(profile, { recursive: true, force: true });

const first = results[0];
const warm = results.slice(1);
const median = (k) => {
  const v = warm.map((r) => r[k]).sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
};
const max = (k) => Math.max(...warm.map((r) => r[k]));
console.log(`extension scan of ${first.tokens} code tokens (${first.asked} distinct, ${first.marks} marked), Chromium ${context.browser()?.version() ?? ''}`);
console.log(`  first load (service worker + wasm start): ${first.ms} ms (walk ${first.walkMs}, check ${first.checkMs}, mark ${first.markMs})`);
console.log(`  warm, median of ${warm.length}: ${median('ms')} ms (walk ${median('walkMs')}, check ${median('checkMs')}, mark ${median('markMs')}); worst ${max('ms')} ms`);
console.log(`  target: under 100 ms -> ${median('ms') < 100 ? 'met' : 'NOT met'} (warm median)`);
