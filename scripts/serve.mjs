#!/usr/bin/env node
// A tiny, dependency-free static server for the repository root, for the
// offline lookup page in www/. Development use only: it binds 127.0.0.1.
//
//   node scripts/serve.mjs [PORT]        (or PORT=8081 node scripts/serve.mjs)
//
// PORT defaults to 8080; 0 picks any free port. Prints one line once listening:
//   medcode: serving http://127.0.0.1:PORT/www/
//
// Every response carries a strict Content-Security-Policy and
// `Cache-Control: no-cache` with a strong ETag (a SHA-256 of the bytes): a
// request with `If-None-Match` naming it gets 304 and no body. Only GET and
// HEAD; no directory listings; no dotfiles (.git, ...); nothing outside the
// root, symlinks included.
import { createServer } from 'node:http';
import { createReadStream, realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const BASE_HEADERS = {
  'Content-Security-Policy': CSP,
  'Cache-Control': 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

function send(res, status, text, extra = {}) {
  const body = Buffer.from(text + '\n');
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** Maps a request path to a file under `root`, or null when it must not be served. */
async function resolveFile(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const segments = decoded.split('/').filter((s) => s !== '');
  // No "..", no dotfiles or dot-directories (.git, .env, ...).
  if (segments.some((s) => s.startsWith('.'))) return { status: 404 };
  let file = path.join(root, ...segments);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 404 };

  let info;
  try {
    file = await realpath(file);
    info = await stat(file);
  } catch {
    return { status: 404 };
  }
  // Symlinks must not lead out of the root either.
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 404 };
  if (info.isDirectory()) {
    if (!decoded.endsWith('/')) return { status: 301, location: urlPath + '/' };
    file = path.join(file, 'index.html');
    try {
      info = await stat(file);
    } catch {
      return { status: 404 };
    }
    if (!info.isFile()) return { status: 404 };
  }
  if (!info.isFile()) return { status: 404 };
  return { status: 200, file, size: info.size, mtimeMs: info.mtimeMs };
}

/** ETags by file, kept while its size and time are unchanged: each file is hashed once per change. */
const etags = new Map();

/** A strong ETag of the file's bytes (SHA-256, 128 bits). */
async function etagOf({ file, size, mtimeMs }) {
  const known = etags.get(file);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return known.tag;
  const tag = `"${createHash('sha256').update(await readFile(file)).digest('base64url').slice(0, 22)}"`;
  etags.set(file, { size, mtimeMs, tag });
  return tag;
}

/** Whether an If-None-Match header names `tag` (or is `*`). */
function matches(header, tag) {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

function handler(root, log) {
  return async (req, res) => {
    if (log) res.on('finish', () => log(res.statusCode, req.url));
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
        return;
      }
      const { pathname } = new URL(req.url, `http://${HOST}`);
      if (pathname === '/') {
        send(res, 302, 'see /www/', { Location: '/www/' });
        return;
      }
      const found = await resolveFile(root, pathname);
      if (found.status === 301) {
        send(res, 301, 'moved', { Location: found.location });
        return;
      }
      if (found.status !== 200) {
        send(res, found.status, found.status === 400 ? 'bad request' : 'not found');
        return;
      }
      const type = MIME[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      // Revalidation: Cache-Control is no-cache, so a browser asks again each
      // time with the ETag it holds, and an unchanged file costs a 304.
      const etag = await etagOf(found);
      if (matches(req.headers['if-none-match'], etag)) {
        res.writeHead(304, { ...BASE_HEADERS, ETag: etag });
        res.end();
        return;
      }
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': type, 'Content-Length': found.size, ETag: etag });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(found.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    }
  };
}

/**
 * Starts the server. `port` 0 picks a free port; `log(status, url)`, if
 * given, is called after each response (tests count what was sent).
 * @returns {Promise<{url: string, origin: string, port: number, close: () => Promise<void>}>}
 *   `url` is the page (`http://127.0.0.1:PORT/www/`).
 */
export async function serve({ port = 8080, root = DEFAULT_ROOT, log } = {}) {
  const realRoot = realpathSync(path.resolve(root));
  const server = createServer(handler(realRoot, log));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = server.address().port;
  const origin = `http://${HOST}:${actual}`;
  return {
    url: `${origin}/www/`,
    origin,
    port: actual,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parsePort(value) {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new Error(`not a port: ${JSON.stringify(value)}`);
  }
  return Number(value);
}

const isMain = (() => {
  try {
    return process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;
  } catch {
    return false;
  }
})();

if (isMain) {
  try {
    const raw = process.argv[2] ?? process.env.PORT ?? '8080';
    const { url } = await serve({ port: parsePort(raw) });
    console.log(`medcode: serving ${url}`);
  } catch (e) {
    console.error(`medcode: ${e.message}`);
    process.exit(1);
  }
}
