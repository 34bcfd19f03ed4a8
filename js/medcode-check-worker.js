// The Web Worker of the offline page's file check: reads a CSV or TSV File
// as a stream of bytes (counted for the progress bar; the module reads them),
// checks every code through the module (js/medcode-check.js, the same
// checker as `medcode check`) and answers with the summary and the results
// as a Blob. Nothing leaves the page: the file is read here, in memory.
// Message in: `{op: 'check', file, system, date?, codeColumns?, wasmUrl?}`;
// out: `{type: 'progress', rows, bytes, total}` now and then, then
// `{type: 'done', summary, blob, seconds}` or `{type: 'error', message}`.
import { open } from './browser.js';
import { checkBytes } from './medcode-check.js';

/** Results kept as strings up to this many characters, then moved into a Blob part. */
const PART = 1 << 24;

/** The chunks of a ReadableStream, one by one. */
async function* chunksOf(stream) {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function check({ file, system, date, codeColumns, wasmUrl }) {
  const start = performance.now();
  let bytes = 0;
  const counted = file.stream().pipeThrough(
    new TransformStream({
      transform(chunk, out) {
        bytes += chunk.byteLength;
        out.enqueue(chunk);
      },
    }),
  );
  const blobs = [];
  let strings = [];
  let size = 0;
  let last = 0;
  const summary = await checkBytes(
    chunksOf(counted),
    { open: (id) => open(id, wasmUrl ? { wasmUrl } : undefined), system, date: date || undefined, codeColumns, source: file.name },
    {
      write(text) {
        strings.push(text);
        size += text.length; // characters or bytes: a rough measure is enough
        if (size >= PART) {
          blobs.push(new Blob(strings));
          strings = [];
          size = 0;
        }
      },
      progress(rows) {
        const now = performance.now();
        if (now - last < 100) return;
        last = now;
        self.postMessage({ type: 'progress', rows, bytes, total: file.size });
      },
    },
  );
  blobs.push(new Blob(strings));
  const blob = new Blob(blobs, { type: file.name.endsWith('.tsv') ? 'text/tab-separated-values' : 'text/csv' });
  return { type: 'done', summary, blob, seconds: (performance.now() - start) / 1000 };
}

self.addEventListener('message', async (event) => {
  if (event.data?.op !== 'check') return;
  try {
    self.postMessage(await check(event.data));
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e?.message ?? e) });
  }
});
