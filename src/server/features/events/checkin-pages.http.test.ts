import { HtmlValidate, type ConfigData } from 'html-validate';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// /checkin, the volunteers' door app: its shell page in each language (valid HTML, right-to-left in Hebrew and
// Arabic, its strings for the script), the manifest and service worker that make it installable and usable
// offline, the camera allowed there and nowhere else, and its script within the public pages' budget.
const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
} satisfies ConfigData);
const t = await createTestApp({ jobs: { work: false } });

describe('/checkin', () => {
  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`is a valid page in ${lang}, with its strings and manifest`, async () => {
      const res = await t.app.request(`/checkin?lang=${lang}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const report = await validator.validateString(text, `checkin-${lang}`);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
      expect(text).toContain(`<html lang="${lang}" dir="${lang === 'en' ? 'ltr' : 'rtl'}">`);
      expect(text).toContain(`<link rel="manifest" href="/checkin/manifest.webmanifest?lang=${lang}">`);
      const data = JSON.parse(/<script type="application\/json" id="checkin-data">(.*?)<\/script>/s.exec(text)![1]!);
      expect(data.lang).toBe(lang);
      expect(Object.keys(data.strings)).toEqual(expect.arrayContaining(['admitted', 'already_admitted', 'invalid', 'wrong_event', 'cancelled', 'conflict', 'pairFailed']));
      // the camera is allowed on the door app, and nowhere else
      expect(res.headers.get('permissions-policy')).toMatch(/^camera=\(self\)/);
      const manifest = await (await t.app.request(`/checkin/manifest.webmanifest?lang=${lang}`)).json();
      expect(manifest).toMatchObject({ start_url: '/checkin', scope: '/checkin', display: 'standalone', lang, dir: lang === 'en' ? 'ltr' : 'rtl' });
      expect(manifest.short_name).toBe(data.strings.title);
    });
  }

  it('has a service worker allowed to control /checkin that keeps the app shell, and a light script', async () => {
    const res = await t.app.request('/checkin/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('service-worker-allowed')).toBe('/checkin');
    const sw = await res.text();
    const page = await (await t.app.request('/checkin')).text();
    const js = /<script src="(\/checkin\/assets\/checkin\.[0-9a-f]+\.js)"/.exec(page)![1]!;
    expect(sw).toContain(JSON.stringify(js));
    const script = await t.app.request(js);
    expect(script.status).toBe(200);
    expect(gzipSync(Buffer.from(await script.arrayBuffer())).length).toBeLessThan(50 * 1024);
    expect((await t.app.request('/e/nothing')).headers.get('permissions-policy')).toMatch(/^camera=\(\)/);
    expect((await t.app.request('/checkin/icon.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('serves the QR decoder (zxing-wasm) and its WebAssembly from here, and lets /checkin alone compile WebAssembly', async () => {
    const page = await t.app.request('/checkin?lang=en');
    const data = JSON.parse(/<script type="application\/json" id="checkin-data">(.*?)<\/script>/s.exec(await page.text())![1]!);
    expect(data.zxing.js).toMatch(/^\/checkin\/zxing\/[0-9a-f]{10}\/zxing-reader\.js$/);
    expect(data.zxing.wasm).toMatch(/^\/checkin\/zxing\/[0-9a-f]{10}\/zxing_reader\.wasm$/);
    const js = await t.app.request(data.zxing.js);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toContain('prepareZXingModule');
    const wasm = await t.app.request(data.zxing.wasm, { headers: { 'accept-encoding': 'gzip' } });
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('content-encoding')).toBe('gzip');
    // an old or made-up hash, or another file, is not served
    expect((await t.app.request('/checkin/zxing/0000000000/zxing-reader.js')).status).toBe(404);
    expect((await t.app.request(data.zxing.js.replace('zxing-reader.js', 'package.json'))).status).toBe(404);
    // the app's script points the decoder at our copy, never the CDN the package defaults to
    const app = /<script src="(\/checkin\/assets\/checkin\.[0-9a-f]+\.js)"/.exec(await (await t.app.request('/checkin')).text())![1]!;
    const appJs = await (await t.app.request(app)).text();
    expect(appJs).toContain('locateFile');
    expect(appJs).not.toMatch(/https?:\/\//);
    // 'wasm-unsafe-eval' on the door app only; never 'unsafe-eval'
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    for (const other of ['/e/nothing', '/api/health', '/checkinx']) {
      expect((await t.app.request(other)).headers.get('content-security-policy'), other).toContain("script-src 'self';");
    }
  });
});
