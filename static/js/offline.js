// Lets the site's pages be read with no signal (the service worker, /sw.js). Nothing else:
// every page works without it, and without JavaScript.
"use strict";

if ("serviceWorker" in navigator) {
  const worker = document.currentScript.dataset.worker;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(worker).catch(() => {
      // A browser that refuses (private mode, a policy) reads the site online as before.
    });
  });
}
