import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { PageShell, type ShellReader } from '../../src/server/http/first-page-preloads.ts';
import { webDistDir } from '../../src/server/app.ts';
import { FIRST_PAGES } from '../../src/web/first-pages.ts';
import { FIRST_PAGE_LOADERS } from '../../src/web/first-page.ts';
import { createTestApp } from '../setup/test-app.ts';

// The page shell names the files of the first page at its address, for who is signed in (issue 10, item 3): the page's
// module and what it imports, the signed-in shell and the reader's catalog, none of them twice, nothing the shell
// already links, and nothing for someone not signed in but the sign-in page.

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-shell-'));
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));
fs.mkdirSync(path.join(dist, '.vite'), { recursive: true });
fs.writeFileSync(
  path.join(dist, 'index.html'),
  '<!doctype html><html lang="en"><head><title>Convene</title>\n<script type="module" crossorigin src="/assets/index-1.js"></script>\n<link rel="modulepreload" crossorigin href="/assets/framework-1.js">\n</head><body><div id="root"></div></body></html>',
);
fs.writeFileSync(
  path.join(dist, '.vite/manifest.json'),
  JSON.stringify({
    'index.html': { file: 'assets/index-1.js', imports: ['_framework-1.js'], isEntry: true },
    '_framework-1.js': { file: 'assets/framework-1.js' },
    '_Table-1.js': { file: 'assets/Table-1.js', imports: ['_framework-1.js'] },
    '_Badge-1.js': { file: 'assets/Badge-1.js', imports: ['_framework-1.js', '_Table-1.js'] },
    'features/accounts/sign-in.page.tsx': { file: 'assets/sign-in.page-1.js', imports: ['_framework-1.js'] },
    'features/shell/app-shell.tsx': { file: 'assets/app-shell-1.js', imports: ['_framework-1.js', '_Badge-1.js'], css: ['assets/app-shell-1.css'] },
    'features/network/organisations.page.tsx': { file: 'assets/organisations.page-1.js', imports: ['_Table-1.js', '_Badge-1.js'], dynamicImports: ['features/network/organisation.page.tsx'] },
    'features/network/organisation.page.tsx': { file: 'assets/organisation.page-1.js', imports: ['_Table-1.js'] },
    '../i18n/catalog-en.ts': { file: 'assets/catalog-en-1.js' },
    '../i18n/catalog-he.ts': { file: 'assets/catalog-he-1.js' },
    '../i18n/catalog-ar.ts': { file: 'assets/catalog-ar-1.js' },
  }),
);
const shell = PageShell.load(dist)!;
let reader: ShellReader = { signedIn: false };
const app = new Hono();
app.get('*', (c) => shell.respond(c, reader));
const shellAt = async (p: string, who: ShellReader, encoding?: string) => {
  reader = who;
  return app.request(p, { headers: encoding ? { 'accept-encoding': encoding } : {} });
};
const links = (html: string) => [...html.matchAll(/<link rel="(?:modulepreload|stylesheet)" crossorigin href="\/(assets\/[^"]+)">/g)].map((m) => m[1]!);
/** the links added to the built shell's own */
let base = new Set(links(fs.readFileSync(path.join(dist, 'index.html'), 'utf8')));
const preloaded = (html: string) => links(html).filter((f) => !base.has(f));

describe('the page shell', () => {
  it('names, for a signed-in Hebrew reader of the organisation list, the catalog, the shell and the page with what they import, once each', async () => {
    const html = await (await shellAt('/network', { signedIn: true, locale: 'he' })).text();
    const links = preloaded(html);
    expect(links.sort()).toEqual(
      ['assets/Badge-1.js', 'assets/Table-1.js', 'assets/app-shell-1.css', 'assets/app-shell-1.js', 'assets/catalog-he-1.js', 'assets/organisations.page-1.js'].sort(),
    );
    // what the shell links already, a page it only may open later, and other languages' catalogs are not named
    expect(html.match(/framework-1\.js/g)).toHaveLength(1);
    expect(html).not.toMatch(/organisation\.page-1|catalog-en|catalog-ar|sign-in/);
    expect(html.indexOf('app-shell-1.css')).toBeLessThan(html.indexOf('</head>'));
  });

  it('names the sign-in page alone for someone not signed in (with the catalog of the language they will see), nothing on the setup and invitation pages, and no page module off the first pages', async () => {
    expect(preloaded(await (await shellAt('/network', { signedIn: false })).text())).toEqual(['assets/sign-in.page-1.js']);
    expect(preloaded(await (await shellAt('/sign-in', { signedIn: false, locale: 'he' })).text())).toEqual(['assets/catalog-he-1.js', 'assets/sign-in.page-1.js']);
    expect(preloaded(await (await shellAt('/setup', { signedIn: false })).text())).toEqual([]);
    expect(preloaded(await (await shellAt('/invitation/abc', { signedIn: false })).text())).toEqual([]);
    const elsewhere = preloaded(await (await shellAt('/research/studies', { signedIn: true, locale: 'ar' })).text());
    expect(elsewhere.sort()).toEqual(['assets/Badge-1.js', 'assets/Table-1.js', 'assets/app-shell-1.css', 'assets/app-shell-1.js', 'assets/catalog-ar-1.js'].sort());
  });

  it('is sent compressed as the browser accepts, never kept by a shared cache, varying with the cookie', async () => {
    const plain = await (await shellAt('/network/people', { signedIn: true, locale: 'en' })).text();
    for (const [encoding, decode] of [
      ['br', zlib.brotliDecompressSync],
      ['gzip', zlib.gunzipSync],
    ] as const) {
      const res = await shellAt('/network/people', { signedIn: true, locale: 'en' }, encoding);
      expect([res.status, res.headers.get('content-encoding'), res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual([
        200,
        encoding,
        'text/html; charset=utf-8',
        'no-cache, private',
      ]);
      expect(res.headers.get('vary')).toBe('Accept-Encoding, Cookie, Accept-Language');
      const body = Buffer.from(await res.arrayBuffer());
      expect(Number(res.headers.get('content-length'))).toBe(body.length);
      expect(decode(body).toString()).toBe(plain);
    }
  });

  it('lists the same first pages as the staff app loads', () => {
    expect(Object.keys(FIRST_PAGE_LOADERS).sort()).toEqual(FIRST_PAGES.map((p) => p.module).sort());
  });
});

describe('the app', () => {
  // .ci/run and the browser journeys build the web app first; this reads that build
  it('names real files of the build: the reader\'s catalog and the organisation list for a signed-in reader, the sign-in page otherwise', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(webDistDir, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string }>;
    base = new Set(links(fs.readFileSync(path.join(webDistDir, 'index.html'), 'utf8')));
    const t = await createTestApp();
    const staff = await t.signedIn('staff');
    expect((await staff.patch('/api/me', { locale: 'ar' })).status).toBe(200);
    const res = await staff.get('/network');
    expect([res.status, res.headers.get('vary')]).toEqual([200, 'Accept-Encoding, Cookie, Accept-Language']);
    const named = preloaded(await res.text());
    for (const m of ['../i18n/catalog-ar.ts', 'features/network/organisations.page.tsx', 'features/shell/app-shell.tsx']) expect(named).toContain(manifest[m]!.file);
    expect(named).not.toContain(manifest['../i18n/catalog-en.ts']!.file);
    for (const f of named) expect(fs.existsSync(path.join(webDistDir, f))).toBe(true);

    const anonymous = preloaded(await (await t.client().get('/network')).text());
    expect(anonymous).toContain(manifest['features/accounts/sign-in.page.tsx']!.file);
    expect(anonymous).not.toContain(manifest['features/network/organisations.page.tsx']!.file);
    // the language someone not signed in will see: their browser's here (English when it says nothing)
    expect(anonymous.filter((f) => f.includes('catalog'))).toEqual([manifest['../i18n/catalog-en.ts']!.file]);
  });
});
