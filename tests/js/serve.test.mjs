// The static server of the offline page (scripts/serve.mjs): strict headers,
// only GET/HEAD inside the root, and revalidation by ETag (a second visit
// costs 304s, not the modules again; issue 18 point 4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('ETag is the hash of the bytes; If-None-Match gets 304 with no body', async (t) => {
  const server = await serve({ port: 0 });
  t.after(() => server.close());
  const url = `${server.origin}/pkg/icd10cm_bg.wasm`;
  const first = await fetch(url);
  assert.equal(first.status, 200);
  const bytes = Buffer.from(await first.arrayBuffer());
  assert.deepEqual(bytes, readFileSync(`${ROOT}pkg/icd10cm_bg.wasm`));
  const etag = first.headers.get('etag');
  assert.equal(etag, `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`);
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const again = await fetch(url, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  assert.equal(again.headers.get('etag'), etag);
  assert.match(again.headers.get('content-security-policy'), /default-src/);
  // A list, a weak form and * match; another tag does not.
  for (const header of [`"x", ${etag}`, `W/${etag}`, '*']) assert.equal((await fetch(url, { headers: { 'If-None-Match': header } })).status, 304, header);
  assert.equal((await fetch(url, { headers: { 'If-None-Match': '"other"' } })).status, 200);
  // Another file has another tag.
  const page = await fetch(`${server.origin}/www/index.html`);
  assert.notEqual(page.headers.get('etag'), etag);
});

test('only GET and HEAD, nothing outside the root, no dotfiles', async (t) => {
  const server = await serve({ port: 0 });
  t.after(() => server.close());
  assert.equal((await fetch(`${server.origin}/www/index.html`, { method: 'POST' })).status, 405);
  assert.equal((await fetch(`${server.origin}/.git/config`)).status, 404);
  assert.equal((await fetch(`${server.origin}/www/%2e%2e/%2e%2e/etc/passwd`)).status, 404);
  const head = await fetch(`${server.origin}/www/index.html`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(head.headers.get('etag'));
});
