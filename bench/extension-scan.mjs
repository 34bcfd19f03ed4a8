#!/usr/bin/env node
// Scan time of the extension's content script on a page with 5,000 codes
// (an EHR-like table: billable codes, headers, invalid dotted codes), in the
// system Chromium with the extension loaded. Prints figures; asserts nothing.
//
//   bash scripts/build.sh && node bench/extension-scan.mjs [runs=15]
//
// MEDCODE_EXTENSION_DIR=dir loads another copy of the extension (with its
// lib/ in place), e.g. an older commit's, to compare under the same load.
//
// Each run reloads the page; the content script records its own timings
// (walk = finding tokens in text nodes and fields, check = the one batch
// message to the service worker and the module's answer, of which module =
// the module's own time in the service worker, mark = drawing the
// marks, total = all three; frame = from the start of the scan until the
// frame that shows the marks is done, style, layout and paint included).
// The first run includes starting the service worker and the wasm module.
// Prints the median, the quartiles and the extremes of the warm runs and the
// machine's load average (1 min) before and after.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { grantSite } from '../scripts/extension.mjs';
import { open } from '../js/node.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXT = path.resolve(process.env.MEDCODE_EXTENSION_DIR ?? path.join(ROOT, 'www/extension'));
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

const loadBefore = loadavg()[0];
const server = await serve({ port: 0 });
const profile = mkdtempSync(path.join(tmpdir(), 'medcode-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  ignoreDefaultArgs: ['--disable-extensions'],
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`],
});
// The extension marks only the sites it was given (its options page): give it the server's
// (an older copy with a content script on every site needs no grant).
if (JSON.parse(readFileSync(path.join(EXT, 'manifest.json'), 'utf8')).optional_host_permissions) await grantSite(context, server.origin);
const page = await context.newPage();
const results = [];
for (let i = 0; i < RUNS; i++) {
  await page.goto(`${server.origin}/target/bench/ehr-5000.html`);
  // The attribute is written once the frame that shows the marks is done.
  await page.waitForSelector('html[data-medcode-scan]', { timeout: 30000 });
  results.push(JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).last);
}
// Incremental: a row with one new code added to the 5,000-code page, ten times.
const added = [];
for (let i = 0; i < 10; i++) {
  const before = JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).scans;
  await page.evaluate((code) => {
    const row = document.createElement('tr');
    row.innerHTML = `<td>new</td><td>${code}</td><td>Added by the page</td>`;
    document.querySelector('tbody, table').append(row);
  }, billable[N + i]);
  await page.waitForFunction((n) => {
    const s = JSON.parse(document.documentElement.dataset.medcodeScan);
    return s.scans > n && s.last.frameMs !== undefined;
  }, before);
  added.push(JSON.parse(await page.getAttribute('html', 'data-medcode-scan')).last);
}
await context.close();
await server.close();
rmSync(profile, { recursive: true, force: true });

const loadAfter = loadavg()[0];
const first = results[0];
const warm = results.slice(1);
const sorted = (k) => warm.map((r) => r[k]).sort((a, b) => a - b);
const q = (k, p) => {
  const v = sorted(k);
  return v[Math.min(v.length - 1, Math.floor(p * v.length))];
};
const median = (k) => q(k, 0.5);
const spread = (k) => `median ${median(k)}, quartiles ${q(k, 0.25)}-${q(k, 0.75)}, range ${sorted(k)[0]}-${sorted(k).at(-1)}`;
console.log(`extension ${path.relative(ROOT, EXT)}: scan of ${first.tokens} code tokens (${first.asked} distinct, ${first.marks} marked, ${first.drawn ?? first.marks} drawn near the viewport), Chromium ${context.browser()?.version() ?? ''}`);
console.log(`  load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, ${cpus().length} cores`);
console.log(`  first load (service worker + wasm start): ${first.ms} ms (walk ${first.walkMs}, check ${first.checkMs}, mark ${first.markMs}; frame shown at ${first.frameMs})`);
console.log(`  warm runs: ${warm.length}, milliseconds:`);
const figures = [['ms', 'total'], ['walkMs', 'walk'], ['checkMs', 'check'], ['moduleMs', ' module'], ['markMs', 'mark'], ['frameMs', 'frame']];
for (const [k, name] of figures.filter(([k]) => warm.every((r) => typeof r[k] === 'number'))) console.log(`    ${name.padEnd(6)} ${spread(k)}`);
const am = (k) => added.map((r) => r[k]).sort((a, b) => a - b);
console.log(`  one added row (${added[0].tokens} token, rescanned alone), 10 times: total median ${am('ms')[5]} (range ${am('ms')[0]}-${am('ms')[9]}), frame median ${am('frameMs')[5]} (range ${am('frameMs')[0]}-${am('frameMs')[9]})`);
console.log(`  target: under 100 ms -> ${median('ms') < 100 ? 'met' : 'NOT met'} (warm median of the total); marks on screen (frame) ${median('frameMs') < 100 ? 'within' : 'NOT within'} 100 ms`);
