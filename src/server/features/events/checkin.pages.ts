import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { flattenCatalog, localeInfo, LOCALES, type Locale } from '../../../i18n/locales.ts';
import { catalogs } from '../../../i18n/catalogs.ts';
import { projectRoot } from '../../paths.ts';
import { publicAssets, serveAssets } from '../../public/assets.ts';
import { preferredLanguage } from '../../public/language.ts';
import { page } from '../../public/pages.ts';
import { Html, html } from '../../public/html.ts';
import { publicDocument, languageSwitch } from '../../public/layout.ts';

// /checkin: the volunteers' door app, installable (a web app manifest, a service worker that keeps the app shell
// for offline use). The page is a shell in the reader's language; checkin-app/checkin.js does the rest against
// /api/checkin (pairing, the ticket list, scans), verifying ticket codes offline with WebCrypto's Ed25519 and
// queueing scans in IndexedDB until the network returns.

const dir = path.join(projectRoot, 'src/server/features/events/checkin-app');

/**
 * ZXing's WebAssembly QR reader (npm zxing-wasm, its reader build as a plain script that defines `ZXingWASM`), for
 * browsers without BarcodeDetector. Served from here, never from the CDN the package defaults to: the app points
 * its `locateFile` at our copy of the .wasm. Read once, on the first request; the URLs carry the content's hash.
 */
function zxingFiles() {
  const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
  const distDir = path.dirname(path.dirname(wasmPath));
  const js = fs.readFileSync(path.join(distDir, 'iife/reader/index.js'));
  const wasm = fs.readFileSync(wasmPath);
  const hash = createHash('sha256').update(js).update(wasm).digest('hex').slice(0, 10);
  const files = new Map<string, { body: Buffer; type: string; gz?: Buffer }>([
    ['zxing-reader.js', { body: js, type: 'text/javascript; charset=utf-8' }],
    ['zxing_reader.wasm', { body: wasm, type: 'application/wasm' }],
  ]);
  return { hash, urls: { js: `/checkin/zxing/${hash}/zxing-reader.js`, wasm: `/checkin/zxing/${hash}/zxing_reader.wasm` }, files };
}
let zxingCache: ReturnType<typeof zxingFiles> | null = null;
export const zxing = () => (zxingCache ??= zxingFiles());

/** The app's strings in one language, for its script (kept with the page for offline use). */
function strings(lang: Locale): Record<string, string> {
  const flat = flattenCatalog(catalogs[lang]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(flat)) if (k.startsWith('checkin.app.')) out[k.slice('checkin.app.'.length)] = v;
  return out;
}

export function checkinPages(deps: { publicUrl: string }) {
  const assets = publicAssets(dir, 'checkin', '/checkin');
  const app = new Hono();
  app.get('/assets/:file', serveAssets(assets));
  app.get('/zxing/:hash/:file', (c) => {
    const z = zxing();
    const f = c.req.param('hash') === z.hash ? z.files.get(c.req.param('file')) : undefined;
    if (!f) return c.text('Not found', 404);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) f.gz ??= gzipSync(f.body, { level: 6 });
    const headers: Record<string, string> = { 'content-type': f.type, 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' };
    if (gzip) headers['content-encoding'] = 'gzip';
    return new Response(new Uint8Array(gzip ? f.gz! : f.body), { status: 200, headers });
  });

  const swSource = (hash: string) => `// Convene check-in: keeps the app shell (the page in each language visited, its script and stylesheet) for offline use.
const CACHE = 'convene-checkin-${hash}';
const SHELL = [${JSON.stringify(assets.urls.js)}, ${JSON.stringify(assets.urls.css)}, '/checkin/icon.svg', '/checkin', '/checkin?lang=en', '/checkin?lang=he', '/checkin?lang=ar'];
self.addEventListener('install', (e) => { e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting())); });
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('convene-checkin-') && k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});
// a phone without BarcodeDetector asks for the QR decoder to be kept too, so its camera works offline
self.addEventListener('message', (e) => {
  const keep = e.data && Array.isArray(e.data.keep) ? e.data.keep.filter((u) => typeof u === 'string' && u.startsWith('/checkin/zxing/')) : [];
  if (keep.length) e.waitUntil(caches.open(CACHE).then((c) => Promise.all(keep.map((u) => c.match(u).then((r) => r || c.add(u))))));
});
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (e.request.mode === 'navigate') {
    // the page: from the network when there is one (and kept), else the kept copy
    e.respondWith(fetch(e.request).then((res) => { const copy = res.clone(); if (res.ok) caches.open(CACHE).then((c) => c.put(e.request, copy)); return res; })
      .catch(() => caches.match(e.request, { ignoreSearch: false }).then((r) => r || caches.match('/checkin', { ignoreSearch: true }))));
    return;
  }
  // the QR decoder (only fetched by phones without BarcodeDetector) is kept the first time it is fetched
  e.respondWith(caches.match(e.request).then((r) => r || fetch(e.request).then((res) => {
    if (res.ok && url.pathname.startsWith('/checkin/zxing/')) { const copy = res.clone(); caches.open(CACHE).then((c) => c.put(e.request, copy)); }
    return res;
  })));
});
`;
  const sw = swSource(assets.urls.js.replace(/.*checkin\.|\.js$/g, ''));

  app.get('/sw.js', () => new Response(sw, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/checkin' } }));
  app.get('/manifest.webmanifest', (c) => {
    const lang = preferredLanguage(c, LOCALES);
    const s = strings(lang);
    return c.body(
      JSON.stringify({
        name: `Convene · ${s.title}`,
        short_name: s.title,
        lang,
        dir: localeInfo[lang].dir,
        start_url: '/checkin',
        scope: '/checkin',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#f6f7f9',
        theme_color: '#1a5fb4',
        icons: [{ src: '/checkin/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      }),
      200,
      { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'no-cache' },
    );
  });
  app.get('/icon.svg', (c) =>
    c.body(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#1a5fb4"/><path d="M26 50l14 14 30-32" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/></svg>',
      200,
      { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' },
    ),
  );

  app.get('/', (c) => {
    const lang = preferredLanguage(c, LOCALES);
    const s = strings(lang);
    const data = JSON.stringify({ lang, intl: localeInfo[lang].intl, strings: s, zxing: zxing().urls }).replace(/</g, '\\u003c');
    const body = html`
<div class="bar">
  <h1>${s.title}</h1>
  ${languageSwitch({ lang, languages: LOCALES, label: s.language!, form: null, href: (l) => `/checkin?lang=${l}` })}
</div>
<p id="net" class="net" role="status" aria-live="polite"></p>
<section id="pair" class="panel" aria-labelledby="pair-h" hidden>
  <h2 id="pair-h">${s.pairHeading}</h2>
  <p>${s.pairIntro}</p>
  <button type="button" class="camera" data-scan="pair">${s.pairScan}</button>
  <form id="pair-form" class="row">
    <label for="pair-code">${s.pairCode}</label>
    <input id="pair-code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" dir="ltr" required maxlength="40">
    <button type="submit">${s.pairSubmit}</button>
  </form>
  <p id="pair-error" class="error" role="alert"></p>
</section>
<section id="door" class="panel" aria-labelledby="door-h" hidden>
  <h2 id="door-h"><bdi id="event-title"></bdi></h2>
  <p id="where"></p>
  <p><button type="button" class="camera" data-scan="ticket">${s.scanStart}</button></p>
  <form id="code-form" class="row">
    <label for="ticket-code">${s.codeLabel}</label>
    <input id="ticket-code" name="code" autocomplete="off" spellcheck="false" dir="ltr" required maxlength="400">
    <button type="submit">${s.codeCheck}</button>
  </form>
  <div class="row" role="search">
    <label for="search">${s.searchLabel}</label>
    <input id="search" type="search" name="q" autocomplete="off" dir="auto">
  </div>
  <ul id="found" class="found"></ul>
  <p id="counts" class="muted"></p>
  <p><button type="button" id="unpair" class="quiet">${s.unpair}</button></p>
</section>
<div id="camera" class="camera-view" hidden>
  <video id="video" playsinline muted></video>
  <button type="button" id="camera-stop">${s.scanStop}</button>
</div>
<p id="camera-note" class="error" role="alert"></p>
<section id="result" class="result" role="alert" aria-live="assertive" tabindex="-1" hidden>
  <p id="result-title" class="result-title"></p>
  <p id="result-name"><bdi></bdi></p>
  <p id="result-detail"></p>
  <button type="button" id="result-next">${s.next}</button>
</section>
<script type="application/json" id="checkin-data">${new Html(data)}</script>`;
    const doc = publicDocument({
      lang,
      title: s.title!,
      assets: assets.urls,
      skip: s.skip!,
      header: '',
      body,
    }).replace('<meta name="robots" content="noindex">', `<meta name="robots" content="noindex">\n<link rel="manifest" href="/checkin/manifest.webmanifest?lang=${lang}">\n<meta name="theme-color" content="#1a5fb4">\n<link rel="icon" href="/checkin/icon.svg">`);
    return page(doc);
  });
  void deps;
  return app;
}
