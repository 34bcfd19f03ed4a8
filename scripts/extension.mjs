#!/usr/bin/env node
// Makes www/extension/ loadable: copies the built modules (pkg/: ICD-10-CM,
// ICD-10-PCS, HCPCS) and the library they need (js/medcode.js) into
// www/extension/lib/, which is not committed. Run after `bash
// scripts/build.sh`; then load www/extension/ in chrome://extensions ("Load
// unpacked") and add your sites on its options page.
//
// Also exports `grantSite`, which the browser tests and bench/extension-scan.mjs
// use to give the loaded extension a site, as a user would, without the
// browser's permission prompt (which automation cannot answer).
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lib = path.join(root, 'www/extension/lib');
const MODULES = ['icd10cm', 'icd10pcs', 'hcpcs'].flatMap((m) => [`pkg/${m}.js`, `pkg/${m}_bg.wasm`]);
const FILES = [...MODULES, 'js/medcode.js', 'js/medcode-fhir.js', 'js/wire.js'];

/** Copies the modules and the library into www/extension/lib/. */
export function copyLib() {
  for (const f of FILES) {
    if (!existsSync(path.join(root, f))) {
      console.error(`extension: ${f} is missing; run bash scripts/build.sh first`);
      process.exit(1);
    }
  }
  rmSync(lib, { recursive: true, force: true });
  for (const f of FILES) {
    mkdirSync(path.dirname(path.join(lib, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(lib, f));
  }
}

/**
 * Gives the extension loaded in a Playwright persistent `context` access to
 * the site of `origin` (e.g. `http://127.0.0.1:8123`), and resolves once its
 * content script is registered there. Two steps, as a user would take them:
 * chrome://extensions' site access grants the host (the page's own
 * `chrome.developerPrivate.addHostPermission`, what "Site access: on specific
 * sites" calls); then the options page's "Add site" (a real click, so a user
 * gesture) calls `chrome.permissions.request`, which the browser answers yes
 * without a prompt, as the user already allowed that host. Returns the
 * extension's id and its service worker.
 */
export async function grantSite(context, origin) {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const { protocol, hostname } = new URL(origin);
  const pattern = `${protocol}//${hostname}/*`;
  const manager = await context.newPage();
  await manager.goto(`chrome://extensions/?id=${id}`);
  await manager.waitForFunction(() => typeof globalThis.chrome?.developerPrivate?.addHostPermission === 'function');
  await manager.evaluate(([ext, host]) => chrome.developerPrivate.addHostPermission(ext, host), [id, pattern]);
  await manager.close();
  const options = await context.newPage();
  await options.goto(`chrome-extension://${id}/options.html`);
  await options.waitForSelector('html[data-ready]');
  await options.fill('#site', origin);
  await options.click('#add-site');
  await options.waitForSelector(`#sites li[data-pattern="${pattern}"]`);
  await options.close();
  await worker.evaluate(async (p) => {
    for (let i = 0; i < 200; i++) {
      const [script] = await chrome.scripting.getRegisteredContentScripts({ ids: ['medcode-content'] });
      if (script?.matches.includes(p)) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no content script registered for ${p}`);
  }, pattern);
  return { id, worker, pattern };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  copyLib();
  console.log(`extension: ready to load unpacked from ${path.relative(process.cwd(), path.join(root, 'www/extension')) || '.'}`);
}
