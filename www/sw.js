// Service worker of the lookup page: precaches the page, its scripts and the
// wasm module of every code system (the page itself fetches only the system
// chosen, so after the first visit every system works offline), then answers network-first (refreshing the cache), falling
// back to the cache, so after the first visit the page works with no network
// at all and a rebuilt page or module is never served stale while online.
const VERSION = 'medcode-www-v5';

const PRECACHE = [
  './',
  './index.html',
  './app.js',
  './filecheck.js',
  './style.css',
  './manifest.webmanifest',
  './icon.svg',
  './icon-192.png',
  './icon-512.png',
  './icon-maskable-512.png',
  '../js/browser.js',
  '../js/medcode-input.js',
  '../js/medcode-ops.js',
  '../js/medcode-worker.js',
  '../js/medcode.js',
  '../js/wire.js',
  '../js/medcode-fhir.js',
  '../js/medcode-check.js',
  '../js/medcode-check-worker.js',
  ...['icd10cm', 'icd10pcs', 'hcpcs', 'cpt'].flatMap((system) => [`../pkg/${system}.js`, `../pkg/${system}_bg.wasm`]),
].map((path) => new URL(path, self.location).href);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(VERSION);
      // `cache: 'reload'` skips the HTTP cache, so the copy is the server's.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('medcode-www-') && name !== VERSION) await caches.delete(name);
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
  event.respondWith(
    (async () => {
      const cache = await caches.open(VERSION);
      // Network first, so a rebuilt page or module is picked up at once;
      // the cache answers when the network (or the server) is gone.
      try {
        const response = await fetch(request, { cache: 'no-cache' });
        if (response.ok && PRECACHE.includes(url.href)) await cache.put(request, response.clone());
        return response;
      } catch (e) {
        const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
        if (hit) return hit;
        // Offline navigation to anything in scope: the page itself.
        if (request.mode === 'navigate') {
          const page = await cache.match(new URL('./', self.location).href);
          if (page) return page;
        }
        throw e;
      }
    })(),
  );
});
