// Service worker of the lookup page. Its precache list, www/precache.js, is
// written by the build (scripts/precache.mjs): every file the page loads,
// the wasm module of every system included, each with its SHA-256 and a
// version made of them all. Install fetches exactly those files, each
// checked against its hash (Subresource Integrity), into a cache named by
// the version; they are then answered from the cache (the page opens with
// no request for them, and works with no network at all). A build that
// changes a file changes precache.js, so the browser installs the new worker,
// which caches the new files and deletes the old cache.
importScripts('./precache.js');

const { version, files } = self.PRECACHE;
const CACHE = `medcode-www-${version}`;
const href = (path) => new URL(path, self.location).href;
/** URL → integrity of each listed file; the page's folder is its index.html. */
const LISTED = new Map(files.map((f) => [href(f.url), f.integrity]));
const PAGE = href('./');
LISTED.set(PAGE, LISTED.get(href('index.html')));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `cache: 'reload'` skips the HTTP cache; `integrity` refuses a file
      // that is not the one the list was made from.
      await cache.addAll([...LISTED].map(([url, integrity]) => new Request(url, { cache: 'reload', integrity })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('medcode-www-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  url.search = '';
  url.hash = '';
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      // Cache first: the listed files are exactly this build's.
      const hit = LISTED.has(url.href) ? await cache.match(url.href) : undefined;
      if (hit) return hit;
      try {
        return await fetch(request);
      } catch (e) {
        // Offline navigation to anything in scope: the page itself.
        const page = request.mode === 'navigate' ? await cache.match(PAGE) : undefined;
        if (page) return page;
        throw e;
      }
    })(),
  );
});
