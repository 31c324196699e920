/* Earmark's service worker: the shell from the precache, pages from the network first and
   from the cache when there is none, the offline page for a page never opened. */
importScripts("{{ workbox|escapejs }}");
workbox.setConfig({ modulePathPrefix: "{{ modules|escapejs }}", debug: false });
workbox.core.setCacheNameDetails({ prefix: "earmark" });
workbox.core.skipWaiting();
workbox.core.clientsClaim();

workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute({{ precache|safe }});

var PAGES = "earmark-pages";

// Pages: the network while there is one; the copy kept on the device when there is not.
workbox.routing.registerRoute(
  function (context) { return context.request.mode === "navigate"; },
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES,
    // Pages vary by cookie and language; the copy kept is this device's own.
    matchOptions: { ignoreVary: true },
    plugins: [
      new workbox.expiration.ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 14 * 24 * 3600 }),
      // A page that failed (a sign-in page after a redirect, an error) is not kept.
      { cacheWillUpdate: async function (param) {
          var response = param.response;
          return response && response.status === 200 && !response.redirected ? response : null;
      } },
    ],
  })
);

// The app's other static files (their names change with their content in production).
workbox.routing.registerRoute(
  function (context) {
    return context.url.origin === self.location.origin &&
      context.url.pathname.indexOf("{{ static_prefix|escapejs }}") === 0;
  },
  new workbox.strategies.StaleWhileRevalidate({ cacheName: "earmark-static" })
);

workbox.routing.setCatchHandler(async function (context) {
  if (context.request.mode === "navigate") {
    return (await workbox.precaching.matchPrecache("{{ offline|escapejs }}")) || Response.error();
  }
  return Response.error();
});

// The page script asks for the pages of the user's daily work to be kept, once signed in, so
// that they open in the barn even if they were never opened before on this device; and for
// every kept page to be forgotten at sign-out.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    event.waitUntil(caches.open(PAGES).then(function (cache) {
      return Promise.all(data.urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) {
            return cache.put(url, response);
          }
        }).catch(function () { /* kept on the next visit */ });
      }));
    }));
  }
  if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});
