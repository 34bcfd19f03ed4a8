// The Web Worker of <medcode-input worker>: opens the code sets off the main
// thread and answers the component's requests, so typing never waits on the
// wasm module. Messages in: `{id, op: 'open', systems, wasmUrl?}` then
// `{id, op, args}`; out: `{id, ok: true, value}` or `{id, ok: false, error}`.
import { open } from './browser.js';
import { run } from './medcode-ops.js';

const sets = new Map();

async function answer({ op, systems, wasmUrl, args }) {
  if (op === 'open') {
    for (const id of systems) {
      if (!sets.has(id)) {
        const set = await open(id, wasmUrl ? { wasmUrl } : undefined);
        sets.set(id, set);
        // The worker is idle until the first keystroke: build the word
        // index now, after answering, so that search answers at once.
        setTimeout(() => set.prepareSearch(), 0);
      }
    }
    return [...sets.keys()];
  }
  return run(sets, op, args);
}

self.addEventListener('message', async (event) => {
  const { id } = event.data ?? {};
  try {
    self.postMessage({ id, ok: true, value: await answer(event.data) });
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e?.message ?? e) });
  }
});
