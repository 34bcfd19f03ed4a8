// The extension's service worker: the only place the wasm module runs
// ('wasm-unsafe-eval' is allowed for extension pages only, so pages with a
// strict CSP are fine). It answers the content script's messages:
//
//   {type: 'medcode/check', codes: string (one code a line), date?: 'YYYY-MM-DD'}
//     -> {ok: true, statuses: string (one letter a code: b billable, h header,
//        i invalid, d deleted), ms}
//        (one string each way: a batch of 5,000 codes crosses the message
//        channel as two strings, not 10,000 array elements; ms: the module's
//        time for the batch, for the content script's stats)
//   {type: 'medcode/card', code: string, date?}
//     -> {ok: true, card: {code, status, display, issues, suggestions, release}}
//
// The module and the library are copied into lib/ by `node scripts/extension.mjs`.
// Nothing here makes a network request: the module is read from the package.
import init, * as glue from './lib/pkg/icd10cm.js';
import { CodeSet } from './lib/js/medcode.js';
import { card, statuses } from './status.js';

/** Largest batch one message may carry. */
const MAX_BATCH = 20000;

let codeSet = null;

function load() {
  codeSet ??= init({ module_or_path: chrome.runtime.getURL('lib/pkg/icd10cm_bg.wasm') }).then(() => new CodeSet(glue));
  return codeSet;
}

async function answer(message) {
  const cm = await load();
  const date = typeof message.date === 'string' ? message.date.slice(0, 10) : '';
  if (message.type === 'medcode/check') {
    const codes = typeof message.codes === 'string' && message.codes !== '' ? message.codes.split('\n', MAX_BATCH) : [];
    const t0 = performance.now();
    const answer = statuses(cm, codes, date)
      .map((s) => s[0])
      .join('');
    return { ok: true, statuses: answer, ms: +(performance.now() - t0).toFixed(2) };
  }
  if (message.type === 'medcode/card') return { ok: true, card: card(cm, String(message.code ?? ''), date) };
  return { ok: false, error: `unknown message type ${JSON.stringify(message.type)}` };
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only this extension's own content scripts talk to it.
  if (sender.id !== chrome.runtime.id || typeof message?.type !== 'string' || !message.type.startsWith('medcode/')) return false;
  answer(message).then(sendResponse, (e) => sendResponse({ ok: false, error: String(e?.message ?? e) }));
  return true;
});

// Load the module as soon as the worker starts, so the first scan is quick.
load();
