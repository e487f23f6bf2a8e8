// The public pages' assets and the check of their form posts: each page set (dialogue participation under /p,
// surveys under /s) has one stylesheet (after the shared base.css) and one script, named by content hash and
// cached for a year (gzip'ed once, when the app is created); a form post must come from one of our pages.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { paths } from '../paths.ts';

type Asset = { body: Buffer; gz: Buffer; type: string };
export type PublicAssets = { urls: { css: string; js: string }; files: Map<string, Asset> };

/**
 * Reads `<name>.css` (after the shared base.css) and `<name>.js` from `dir` once; their URLs are
 * `<mount>/assets/<name>.<hash>.<ext>`.
 */
export function publicAssets(dir: string, name: string, mount: string): PublicAssets {
  const files = new Map<string, Asset>();
  const urls = { css: '', js: '' };
  const base = fs.readFileSync(path.join(paths.publicBase, 'base.css'));
  for (const [kind, type] of [
    ['css', 'text/css; charset=utf-8'],
    ['js', 'text/javascript; charset=utf-8'],
  ] as const) {
    const file = `${name}.${kind}`;
    const own = fs.readFileSync(path.join(dir, file));
    const body = kind === 'css' ? Buffer.concat([base, own]) : own;
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const hashed = `${name}.${hash}.${kind}`;
    files.set(hashed, { body, gz: gzipSync(body, { level: 9 }), type });
    urls[kind] = `${mount}/assets/${hashed}`;
  }
  return { urls, files };
}

/** GET /assets/:file for those assets: immutable, gzip'ed when the browser takes it. */
export function serveAssets(assets: PublicAssets) {
  return (c: Context) => {
    const a = assets.files.get(c.req.param('file') ?? '');
    if (!a) return c.text('Not found', 404);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const headers: Record<string, string> = { 'content-type': a.type, 'cache-control': 'public, max-age=31536000, immutable', vary: 'Accept-Encoding' };
    if (gzip) headers['content-encoding'] = 'gzip';
    return new Response(new Uint8Array(gzip ? a.gz : a.body), { status: 200, headers });
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Form posts must come from our own pages (the SameSite=Lax cookie already stays home on cross-site posts). The
 * pages are sent with Referrer-Policy: no-referrer, so browsers send Origin: null on their form posts: the fetch
 * metadata (Sec-Fetch-Site) decides when present, the Origin otherwise.
 */
export function sameOriginForms(publicUrl: string, refuse: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const ok = site ? site === 'same-origin' : !origin || origin === 'null' || origin === publicOrigin || origin === new URL(c.req.url).origin;
      if (!ok) return refuse(c);
    }
    await next();
  };
}
