// The extension's service worker: the only place the wasm modules run
// ('wasm-unsafe-eval' is allowed for extension pages only, so pages with a
// strict CSP are fine). It does two things.
//
// 1. It keeps the content script registered for exactly the sites the user
//    granted on the options page (optional host permissions; the manifest
//    asks for no site up front): on install, on browser start, when the
//    worker starts, and whenever a permission is added or removed.
//
// 2. It answers the content script's messages:
//
//   {type: 'medcode/settings'} -> {ok: true, settings} (settings.js)
//   {type: 'medcode/check', codes: string (one token a line), systems: ids,
//    date?: 'YYYY-MM-DD'}
//     -> {ok: true, statuses, systems, keep, ms}: one character a token each:
//        statuses b billable, h header, i invalid, d deleted, - not marked;
//        systems c ICD-10-CM, p ICD-10-PCS, h HCPCS, - none; keep: how many
//        HCPCS modifiers the mark covers (0-4)
//        (one string each way: a batch of 5,000 tokens crosses the message
//        channel as a few strings, not 10,000 array elements; ms: the
//        modules' time for the batch, for the content script's stats)
//   {type: 'medcode/card', code, system, date?}
//     -> {ok: true, card: {code, status, system, display, issues, suggestions,
//        release, modifiers?}}
//
// Each system's module is started the first time a message needs it (the
// chosen ones as soon as the worker starts, so the first scan is quick). The
// modules and the library are copied into lib/ by `node scripts/extension.mjs`.
// Nothing here makes a network request: the modules are read from the package.
import initCm, * as cmGlue from './lib/pkg/icd10cm.js';
import initPcs, * as pcsGlue from './lib/pkg/icd10pcs.js';
import initHcpcs, * as hcpcsGlue from './lib/pkg/hcpcs.js';
import { CodeSet } from './lib/js/medcode.js';
import { cardOf, classify, SYSTEM_LETTER } from './status.js';
import { loadSettings, siteOrigins, SYSTEM_NAMES } from './settings.js';

/** Largest batch one message may carry. */
const MAX_BATCH = 20000;
/** The id of the one dynamic content script registration. */
const SCRIPT_ID = 'medcode-content';

// (A service worker cannot import() at run time: the glue is imported up
// front, a few kB each; the wasm modules are fetched and compiled on demand.)
const MODULES = {
  icd10cm: [initCm, cmGlue],
  icd10pcs: [initPcs, pcsGlue],
  hcpcs: [initHcpcs, hcpcsGlue],
};
const opened = {};

/** The CodeSet of `system`, started on first use. */
function load(system) {
  const [init, glue] = MODULES[system];
  opened[system] ??= init({ module_or_path: chrome.runtime.getURL(`lib/pkg/${system}_bg.wasm`) }).then(() => new CodeSet(glue));
  return opened[system];
}

/** The open CodeSets of the known systems among `ids`: {icd10cm: CodeSet, ...}. */
async function setsOf(ids) {
  const wanted = Object.keys(SYSTEM_NAMES).filter((id) => Array.isArray(ids) && ids.includes(id));
  const sets = await Promise.all(wanted.map(load));
  return Object.fromEntries(wanted.map((id, i) => [id, sets[i]]));
}

const dayOf = (message) => (typeof message.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(message.date) ? message.date : '');

/** The answer to one batch of tokens. */
async function check(message) {
  const sets = await setsOf(message.systems);
  const tokens = typeof message.codes === 'string' && message.codes !== '' ? message.codes.split('\n', MAX_BATCH) : [];
  const t0 = performance.now();
  const answers = classify(sets, tokens, dayOf(message));
  const ms = +(performance.now() - t0).toFixed(2);
  return {
    ok: true,
    statuses: answers.map((a) => (a ? a.status[0] : '-')).join(''),
    systems: answers.map((a) => (a ? SYSTEM_LETTER[a.system] : '-')).join(''),
    keep: answers.map((a) => String(a?.keep ?? 0)).join(''),
    ms,
  };
}

async function answer(message) {
  if (message.type === 'medcode/settings') return { ok: true, settings: await loadSettings() };
  if (message.type === 'medcode/check') return check(message);
  if (message.type === 'medcode/card') {
    const system = String(message.system ?? '');
    if (!(system in SYSTEM_NAMES)) return { ok: false, error: `unknown system ${JSON.stringify(system)}` };
    const sets = await setsOf([system]);
    return { ok: true, card: cardOf(sets, system, String(message.code ?? ''), dayOf(message)) };
  }
  return { ok: false, error: `unknown message type ${JSON.stringify(message.type)}` };
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only this extension's own content scripts talk to it.
  if (sender.id !== chrome.runtime.id || typeof message?.type !== 'string' || !message.type.startsWith('medcode/')) return false;
  answer(message).then(sendResponse, (e) => sendResponse({ ok: false, error: String(e?.message ?? e) }));
  return true;
});

// ---- the content script, on the granted sites only ------------------------

/**
 * Registers the content script for the granted sites (match patterns such as
 * `https://ehr.example.org/*`), or unregisters it when there are none.
 * In every frame of those sites: a frame of another site is not matched, as
 * the extension has no access to it.
 */
async function registerForGrantedSites() {
  const { origins } = await chrome.permissions.getAll();
  const matches = siteOrigins(origins).sort();
  const [current] = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (current && JSON.stringify([...current.matches].sort()) === JSON.stringify(matches)) return matches;
  if (current) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) return matches;
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, matches, js: ['content.js'], css: ['content.css'], runAt: 'document_idle', allFrames: true, persistAcrossSessions: true },
  ]);
  return matches;
}

// One registration at a time: events can arrive together (install and start).
let registering = Promise.resolve();
function syncRegistration() {
  registering = registering.then(registerForGrantedSites).catch((e) => console.error('medcode: content script registration failed', e));
  return registering;
}

/**
 * Marks the pages of newly granted sites that are already open: the
 * registration covers pages loaded from now on, this the tabs open now (in
 * every frame of the site). A tab that cannot be scripted (an error page) is
 * marked on its next load.
 */
async function markOpenTabs(origins) {
  const matches = siteOrigins(origins ?? []);
  if (matches.length === 0) return;
  for (const tab of await chrome.tabs.query({ url: matches })) {
    const target = { tabId: tab.id, allFrames: true };
    try {
      await chrome.scripting.insertCSS({ target, files: ['content.css'] });
      await chrome.scripting.executeScript({ target, files: ['content.js'] });
    } catch {
      // Not scriptable now; the registered script runs on its next load.
    }
  }
}

chrome.runtime.onInstalled.addListener(syncRegistration);
chrome.runtime.onStartup.addListener(syncRegistration);
chrome.permissions.onAdded.addListener((granted) => syncRegistration().then(() => markOpenTabs(granted.origins)));
chrome.permissions.onRemoved.addListener(syncRegistration);
syncRegistration();

// Start the chosen systems' modules as soon as the worker starts.
loadSettings()
  .then((s) => setsOf(s.systems))
  .catch(() => {}); // a failure shows when a message asks for the module
