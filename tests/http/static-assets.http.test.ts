import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { precompress } from '../../scripts/precompress.mjs';
import { chooseEncoding, sendFile, serveAsset } from '../../src/server/http/static-assets.ts';
import { createTestApp } from '../setup/test-app.ts';

// The staff app's files: compressed once at build time (scripts/precompress.mjs) and sent in the encoding the browser
// accepts, with Vary: Accept-Encoding, the right type, and a year's immutable caching for hashed files.

const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-assets-'));
afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));
fs.mkdirSync(path.join(dist, 'assets'));
const js = `export const greeting = ${JSON.stringify('שלום, مرحبا, hello '.repeat(400))};\n`;
const css = `.a{color:red}\n`.repeat(300);
fs.writeFileSync(path.join(dist, 'assets/app-Ab12.js'), js);
fs.writeFileSync(path.join(dist, 'assets/app-Cd34.css'), css);
fs.writeFileSync(path.join(dist, 'assets/logo-Ef56.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
fs.writeFileSync(path.join(dist, 'index.html'), `<!doctype html><html><head><title>Convene</title></head><body>${'<div></div>'.repeat(50)}</body></html>`);
const written = precompress(dist);

const app = new Hono();
app.on(['GET', 'HEAD'], '/assets/*', (c) => serveAsset(c, dist));
app.get('*', async (c) => (await sendFile(c, path.join(dist, 'index.html'), 'no-cache')) ?? c.text('none', 503));
const get = (p: string, encoding?: string, method = 'GET') => app.request(p, { method, headers: encoding === undefined ? {} : { 'accept-encoding': encoding } });

describe('precompressed staff app files', () => {
  it('writes a brotli and a gzip copy of each text file at build time, and none of an image', () => {
    expect(written.map((w) => w.file).sort()).toEqual(['assets/app-Ab12.js.br', 'assets/app-Ab12.js.gz', 'assets/app-Cd34.css.br', 'assets/app-Cd34.css.gz', 'index.html.br', 'index.html.gz']);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(dist, 'assets/app-Ab12.js.br'))).toString()).toBe(js);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dist, 'assets/app-Ab12.js.gz'))).toString()).toBe(js);
    for (const w of written) expect(w.compressed).toBeLessThan(w.raw);
  });

  it('sends brotli to a browser that accepts it, gzip to one that accepts only gzip, and the file itself otherwise', async () => {
    const br = await get('/assets/app-Ab12.js', 'gzip, deflate, br, zstd');
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBody.length);
    expect(zlib.brotliDecompressSync(brBody).toString()).toBe(js);

    const gz = await get('/assets/app-Ab12.js', 'gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(js);

    const plain = await get('/assets/app-Ab12.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    expect(await plain.text()).toBe(js);

    const css = await get('/assets/app-Cd34.css', 'br;q=0, gzip;q=0.8');
    expect([css.headers.get('content-encoding'), css.headers.get('content-type')]).toEqual(['gzip', 'text/css; charset=utf-8']);
  });

  it('answers HEAD with the headers of the copy it would send, and no body', async () => {
    const res = await get('/assets/app-Ab12.js', 'br', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(Number(res.headers.get('content-length'))).toBe(fs.statSync(path.join(dist, 'assets/app-Ab12.js.br')).size);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('sends an image as it is (no Vary, no encoding), and 404 for a file that does not exist or a path out of the folder', async () => {
    const png = await get('/assets/logo-Ef56.png', 'br, gzip');
    expect([png.status, png.headers.get('content-type'), png.headers.get('content-encoding'), png.headers.get('vary')]).toEqual([200, 'image/png', null, null]);
    for (const p of ['/assets/gone-0000.js', '/assets/..%2Findex.html', '/assets/.hidden', '/assets/sub/app-Ab12.js', '/assets/app-Ab12.js.br']) {
      const res = await get(p, 'br');
      expect([p, res.status]).toEqual([p, p.endsWith('.br') ? 200 : 404]);
      if (res.status === 404) expect(res.headers.get('content-type')).not.toMatch(/html/);
    }
  });

  it('sends the page shell compressed too, revalidated on every visit', async () => {
    const res = await get('/network/organisations', 'br');
    expect([res.status, res.headers.get('content-encoding'), res.headers.get('cache-control'), res.headers.get('content-type')]).toEqual([200, 'br', 'no-cache', 'text/html; charset=utf-8']);
  });

  it('reads Accept-Encoding as RFC 9110 says: q-values, "*" and refusals', () => {
    const both = new Set(['br', 'gzip'] as const);
    const cases: [string | undefined, ReadonlySet<'br' | 'gzip'>, string][] = [
      [undefined, both, 'identity'],
      ['', both, 'identity'],
      ['br', both, 'br'],
      ['gzip, br', both, 'br'],
      ['br;q=0, gzip', both, 'gzip'],
      ['BR;Q=0.5', both, 'br'],
      ['*', both, 'br'],
      ['*;q=0, gzip', both, 'gzip'],
      ['deflate', both, 'identity'],
      ['identity', both, 'identity'],
      ['x-gzip', both, 'gzip'],
      ['br, gzip', new Set(['gzip'] as const), 'gzip'],
      ['br', new Set(['gzip'] as const), 'identity'],
      ['gzip;q=0', new Set(['gzip'] as const), 'identity'],
    ];
    for (const [header, available, want] of cases) expect([header, chooseEncoding(header, available)]).toEqual([header, want]);
  });
});

describe('the app', () => {
  it('answers 404 for a missing hashed file, not the page shell (a stale page must not run HTML as a script)', async () => {
    const t = await createTestApp();
    const res = await t.app.request('/assets/index-stale000.js', { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).not.toMatch(/html/);
  });
});
