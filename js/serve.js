// A tiny, dependency-free HTTP server: the offline lookup page (the static
// files of the repository root) and, with a FhirService, FHIR R4 terminology
// under /fhir (js/fhir-http.js). It binds 127.0.0.1 unless told otherwise.
// `scripts/serve.mjs` and `medcode serve` start it.
//
// Every static response carries a strict Content-Security-Policy and
// `Cache-Control: no-cache` with a strong ETag (a SHA-256 of the bytes): a
// request with `If-None-Match` naming it gets 304 and no body. Only GET and
// HEAD; no directory listings; no dotfiles (.git, ...); nothing outside the
// root, symlinks included.
import { createServer } from 'node:http';
import { createReadStream, realpathSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fhirHandler } from './fhir-http.js';

const HOST = '127.0.0.1';
/** The package folder (the repository root in a checkout). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

function handler(root, log, fhir) {
  return async (req, res) => {
    if (log) res.on('finish', () => log(res.statusCode, req.url));
    try {
      const url = new URL(req.url, `http://${HOST}`);
      if (fhir && (await fhir(req, res, url))) return;
      if (root === null) {
        send(res, 404, 'not found: this server answers FHIR under /fhir (see /fhir/metadata)');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
        return;
      }
      const { pathname } = url;
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
 * Starts the server. `port` 0 picks a free port; `host` defaults to
 * 127.0.0.1; `root` is the folder of static files (null: none); `fhir`, a
 * FhirService, is answered under `/fhir`; `log(status, url)`, if given, is
 * called after each response (tests count what was sent).
 * @returns {Promise<{url: string, origin: string, port: number, fhir: string | null, close: () => Promise<void>}>}
 *   `url` is the page (`http://127.0.0.1:PORT/www/`), `fhir` the FHIR base.
 */
export async function serve({ port = 8080, host = HOST, root = PACKAGE_ROOT, log, fhir = null } = {}) {
  const realRoot = root === null ? null : realpathSync(path.resolve(root));
  const fhirAt = fhir ? fhirHandler(fhir, { prefix: '/fhir', headers: BASE_HEADERS }) : null;
  const server = createServer(handler(realRoot, log, fhirAt));
  // Keep-alive clients (FHIR validators, load tests) reuse connections.
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = server.address().port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  if (fhir) fhir.base = `${origin}/fhir`;
  return {
    url: `${origin}/www/`,
    origin,
    port: actual,
    fhir: fhir ? `${origin}/fhir` : null,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A port number from text (0-65535), or an Error naming it. */
export function parsePort(value) {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new Error(`not a port: ${JSON.stringify(value)}`);
  }
  return Number(value);
}
