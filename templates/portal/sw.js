/* Aduan service worker (rendered by aduan/portal/views/pwa.py; see docs/pwa.md).
 * - install: caches the app shell (styles, app.js, icons, the report form, the offline page)
 *   under a versioned name; a deploy that changes a static file changes the version;
 * - pages: network first, the cached copy or the offline page when there is no connection;
 * - /static/: cache first;
 * - private pages, receipts, attachments and anything sent with Cache-Control no-store or
 *   private are never stored (one exception: the empty report form, see cacheable()).
 * Reports written offline are queued by app.js, not here. */
"use strict";

const CONFIG = {{ config|safe }};
const CACHE = "aduan-" + CONFIG.version;
const PREFIX = "aduan-";

function isNever(url) {
  return CONFIG.never.some((prefix) => url.pathname.startsWith(prefix));
}

// The empty report form is the one page kept although it is sent with no-store: it holds
// nothing private (app.js gives every report its own submission id), and without it no
// report can be written offline. Only the plain GET of the form, never a POST's answer.
function cacheable(response, path) {
  if (!response || !response.ok || response.type !== "basic" || response.redirected) return false;
  if (path === CONFIG.form) return true;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return !control.includes("no-store") && !control.includes("private");
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        CONFIG.shell.map(async (url) => {
          let response;
          try {
            response = await fetch(url, { credentials: "same-origin", cache: "reload" });
          } catch (error) {
            if (url === CONFIG.offline) throw error; // no offline page: try again next visit
            return;
          }
          if (cacheable(response, url)) await cache.put(url, response);
          else if (url === CONFIG.offline) throw new Error("offline page not cacheable");
        }),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
      );
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}

async function page(request, url) {
  const cache = await caches.open(CACHE);
  const keep = !isNever(url) && CONFIG.pages.includes(url.pathname);
  try {
    const response = await fetch(request);
    if (keep && cacheable(response, url.search ? "" : url.pathname)) {
      await cache.put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    if (keep) {
      const cached = await cache.match(url.pathname);
      if (cached) return cached;
    }
    const fallback = await cache.match(CONFIG.offline);
    return fallback || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
    return;
  }
  if (isNever(url)) return;
  if (url.pathname.startsWith(CONFIG.static) || CONFIG.cacheFirst.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
