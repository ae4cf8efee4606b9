// The site's service worker: pages a reader opened stay readable with no signal, and never
// pass for current. Network first for every page; a saved copy only offline, marked with
// when it was saved and reviewed. No push, no analytics, nothing sent anywhere.
"use strict";

const VERSION = "{{ version }}";
const SHELL = `shell-${VERSION}`; // what install saves: offline pages, bedside cards, styles
const PAGES = `pages-${VERSION}`; // what readers opened, newest kept
const SHELL_URLS = {{ shell_urls|safe }};
const OFFLINE_PAGES = {{ offline_pages|safe }}; // {language prefix: offline page}
const LANGUAGES = Object.keys(OFFLINE_PAGES).filter(Boolean); // the prefixes, such as /ru
const ARTICLE_PAGE = /^\/articles\/[^/]+\/(bedside-card\/)?$/;
// Shown if even the offline page is gone (the browser may clear a site's storage).
const LAST_RESORT = {{ last_resort|safe }};
const KEEP = {{ keep }};
const STALE_DAYS = {{ stale_days }};

self.addEventListener("install", (event) => {
  // Each saved with the time it was saved, as the pages a reader opens are. Only the
  // offline pages must be saved for the worker to start: a bedside card the site cannot
  // give now (its article has no steps) must not keep it from the rest.
  const fetched = SHELL_URLS.map(async (url) => {
    const response = await fetch(new Request(url, { cache: "reload" }));
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await save(url, response);
  });
  const required = Object.values(OFFLINE_PAGES).map((url) => fetched[SHELL_URLS.indexOf(url)]);
  event.waitUntil(
    Promise.allSettled(fetched).then(() => Promise.all(required)).then(() => self.skipWaiting()),
  );
});

// An article or bedside card in any of the site's languages: never the admin's pages.
function savable(path) {
  const language = LANGUAGES.find((prefix) => path.startsWith(`${prefix}/`));
  return ARTICLE_PAGE.test(language ? path.slice(language.length) : path);
}

self.addEventListener("activate", (event) => {
  // A new release's worker keeps the pages the reader saved (each carries its own note and
  // dates) and drops the rest of the old caches: install saved them afresh. Then it saves
  // the pages open now, which loaded before it could: the first visit counts.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name !== SHELL && name !== PAGES).map(async (name) => {
          if (name.startsWith("pages-")) await moveSaved(name);
          await caches.delete(name);
        }),
      ))
      .then(() => self.clients.claim())
      .then(() => self.clients.matchAll({ type: "window" }))
      .then((open) => Promise.all(open.map((client) => saveOpen(new URL(client.url))))),
  );
});

async function moveSaved(name) {
  const [old, kept] = await Promise.all([caches.open(name), caches.open(PAGES)]);
  for (const request of await old.keys()) {
    if (!(await kept.match(request))) await kept.put(request, await old.match(request));
  }
}

async function saveOpen(url) {
  if (url.origin !== self.location.origin || !savable(url.pathname)) return;
  try {
    const response = await fetch(url.pathname);
    if (response.ok) await save(url.pathname, response);
  } catch (offline) {
    // Saved on the next visit instead.
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (event.request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (SHELL_URLS.includes(url.pathname)) {
    event.respondWith(caches.match(event.request).then((saved) => saved || fetch(event.request)));
  }
});

async function page(event, url) {
  try {
    // Asked of the site every time (no-cache: the browser's own copy only if the site says
    // it is current), so that a page offline is always the saved copy and says so.
    const response = await fetch(new Request(event.request, { cache: "no-cache" }));
    const kept = savable(url.pathname) || SHELL_URLS.includes(url.pathname);
    if (kept && response.ok && !isPrivate(response)) {
      // The reader gets the page at once; the copy is saved meanwhile.
      event.waitUntil(save(url.pathname, response.clone()));
    } else if (kept && (response.status === 404 || response.status === 410)) {
      // Taken down: its old copy must not be read offline.
      event.waitUntil(caches.open(PAGES).then((cache) => cache.delete(url.pathname)));
    }
    return response;
  } catch (offline) {
    const saved = await caches.match(url.pathname);
    if (saved) return marked(saved, false);
    const fallback = await offlinePage(url.pathname);
    return fallback
      ? marked(fallback, true)
      : new Response(LAST_RESORT, { headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

function isPrivate(response) {
  const control = response.headers.get("Cache-Control") || "";
  return control.includes("no-store") || control.includes("private");
}

async function save(path, response) {
  const body = await response.text();
  const headers = new Headers(response.headers);
  // The body is kept decoded: no header may say otherwise.
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  headers.set("X-Saved-At", new Date().toISOString());
  const full = (body.match(/<title>([^<]{0,300})<\/title>/) || [])[1] || path;
  // The page's own title, without the site's name that base.html adds after " | ".
  const title = full.includes(" | ") ? full.slice(0, full.lastIndexOf(" | ")) : full;
  headers.set("X-Saved-Title", encodeURIComponent(title));
  const copy = new Response(body, { status: 200, headers });
  if (SHELL_URLS.includes(path)) return (await caches.open(SHELL)).put(path, copy);
  const cache = await caches.open(PAGES);
  await cache.delete(path); // to the end of the order: the newest is kept longest
  await cache.put(path, copy);
  const kept = await cache.keys();
  await Promise.all(kept.slice(0, Math.max(kept.length - KEEP, 0)).map((old) => cache.delete(old)));
}

async function offlinePage(path) {
  const prefix = Object.keys(OFFLINE_PAGES).find((code) => code && path.startsWith(`${code}/`));
  return caches.match(OFFLINE_PAGES[prefix || ""]);
}

// The note a saved page opens with, from the page's own <template id="offline-note">, in its
// language: when it was saved, when it was last reviewed, and whether it may be out of date.
async function marked(saved, fallback) {
  let html = await saved.text();
  const savedAt = saved.headers.get("X-Saved-At");
  const start = html.indexOf('<template id="offline-note">');
  const end = html.indexOf("</template>", start);
  const main = html.indexOf("<main");
  if (start < 0 || end < 0 || main < 0 || !savedAt) return new Response(html, { headers: saved.headers });
  const lang = attribute(html, "<html", "lang") || "en";
  // Review dates are days (read as midnight UTC, so shown in UTC); the saved time is a
  // moment, shown in the reader's own zone.
  const day = (when, zone) => new Date(when).toLocaleDateString(
    lang, { day: "numeric", month: "long", year: "numeric", timeZone: zone },
  );
  const reviewed = attribute(html, "<main", "data-last-reviewed");
  const nextReview = attribute(html, "<main", "data-next-review");
  const age = (Date.now() - Date.parse(savedAt)) / 86400000;
  const stale = age > STALE_DAYS || (nextReview && Date.now() > Date.parse(nextReview) + 86400000);
  let note = html.slice(start + '<template id="offline-note">'.length, end);
  note = keepIf(note, "reviewed", Boolean(reviewed));
  note = keepIf(note, "stale", Boolean(stale));
  note = keepIf(note, "missing", fallback);
  note = keepIf(note, "saved", !fallback);
  const list = fallback ? await savedPages() : "";
  note = keepIf(note, "saved-pages", Boolean(list));
  note = note.replace("{saved}", () => day(savedAt, undefined))
    .replace("{reviewed}", () => (reviewed ? day(reviewed, "UTC") : ""));
  note = note.replace("<!-- saved pages -->", () => list);
  const opened = html.indexOf(">", main) + 1;
  html = html.slice(0, opened) + note + html.slice(opened);
  // The page's own headers (its CSP among them), but for what was only the worker's.
  const headers = new Headers(saved.headers);
  headers.delete("X-Saved-At");
  headers.delete("X-Saved-Title");
  return new Response(html, { headers });
}

function attribute(html, tag, name) {
  const at = html.indexOf(tag);
  if (at < 0) return "";
  const opening = html.slice(at, html.indexOf(">", at));
  const from = opening.indexOf(` ${name}="`);
  if (from < 0) return "";
  const value = from + name.length + 3;
  return opening.slice(value, opening.indexOf('"', value));
}

// Drops what the note holds between <!-- when:key --> and <!-- /when:key --> unless `keep`
// (the markers go either way).
function keepIf(note, key, keep) {
  const open = `<!-- when:${key} -->`;
  const close = `<!-- /when:${key} -->`;
  let start = note.indexOf(open);
  while (start >= 0) {
    const end = note.indexOf(close, start);
    if (end < 0) break;
    const inside = keep ? note.slice(start + open.length, end) : "";
    note = note.slice(0, start) + inside + note.slice(end + close.length);
    start = note.indexOf(open, start + inside.length);
  }
  return note;
}

async function savedPages() {
  const cache = await caches.open(PAGES);
  const items = [];
  for (const request of (await cache.keys()).reverse()) {
    const saved = await cache.match(request);
    if (!saved) continue; // dropped meanwhile
    const path = new URL(request.url).pathname;
    const title = decodeURIComponent(saved.headers.get("X-Saved-Title") || "") || path;
    items.push(`<li><a href="${path}">${title}</a></li>`);
  }
  return items.join("");
}
