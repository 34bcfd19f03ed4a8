// Run in a fresh process by bench/run.mjs: `node --expose-gc load-child.mjs
// <medcode|baseline> <json path>`. Prints one JSON line:
//   firstAnswerMs  from the start of `import()` of the implementation to the
//                  first isValid answer (medcode: import js/node.js, open(),
//                  compile + instantiate the wasm; baseline: import, read the
//                  file, JSON.parse, build Set/Map/sorted array);
//   heap           growth of V8 heapUsed + external after full GCs, once one
//                  isValid, one lookup and one prefix call ran (so lazily
//                  built tables are counted). `external` already includes
//                  ArrayBuffers and (in V8) the WebAssembly.Memory; should a
//                  runtime not count the Memory there, it is added instead;
//   wasmMemory     the WebAssembly.Memory size (medcode only; part of heap).
const [impl, dataPath] = process.argv.slice(2);

async function settle() {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    globalThis.gc();
  }
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

const before = await settle();
const t0 = performance.now();
let api;
if (impl === 'medcode') {
  const { open } = await import('../../js/node.js');
  api = await open('icd10cm');
} else {
  const { loadBaseline } = await import('./baseline.mjs');
  api = await loadBaseline(dataPath);
}
const answer = api.isValid('E11.9');
const firstAnswerMs = performance.now() - t0;
if (!answer) throw new Error('E11.9 should be valid');
api.lookup('S72.001A');
api.prefix('S72', { limit: 50 });
const after = await settle();
let wasmMemory = 0;
if (impl === 'medcode') wasmMemory = (await import('../../pkg/icd10cm.js')).initSync().memory.buffer.byteLength;
const d = (k) => after[k] - before[k];
console.log(JSON.stringify({
  firstAnswerMs,
  heap: d('heapUsed') + Math.max(d('external'), wasmMemory),
  heapUsed: d('heapUsed'),
  external: d('external'),
  arrayBuffers: d('arrayBuffers'),
  wasmMemory,
}));
