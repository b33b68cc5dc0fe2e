// The portal's service worker (served at /portal/sw.js by congress/lib/offline.py; docs/architecture.md, "Offline
// drafts"). It keeps the pages and files that offline_drafts.js puts into the cache below, so that a form page opened
// without a connection still renders, and answers every other page it cannot reach with a short Chinese notice.
// Network first: while online, the phone always sees the server's current page, and the kept copy is refreshed.
"use strict";

var CACHE = "congress-offline-v1";  // offline_drafts.js writes to the same cache
var OFFLINE_PAGE = "<!doctype html><html lang=\"zh-hans\"><head><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>没有网络连接</title></head>" +
  "<body><h1>没有网络连接</h1><p>这个页面没有保存在本机，请联网后再打开。已填写的履职活动和建议草稿仍保存在本机。</p>" +
  "</body></html>";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("congress-offline-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, {ignoreVary: true});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;  // form posts and everything else go to the network untouched
  }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      // refresh only what the pages asked to keep: no other page (with other people's data) lands on the phone
      caches.open(CACHE).then(function (cache) {
        return cache.match(request, {ignoreVary: true}).then(function (old) {
          return old ? cache.put(request, copy) : null;
        });
      });
    }
    return response;
  }, function (error) {
    return kept(request).then(function (response) {
      if (response) {
        return response;
      }
      if (request.mode === "navigate") {
        return new Response(OFFLINE_PAGE, {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
      }
      throw error;
    });
  }));
});
