import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { Locale } from '../../i18n/locales.ts';
import { clientIp } from '../http/security.ts';
import { refuseBadText } from '../http/text.ts';
import { publicAssets, sameOriginForms, serveAssets } from './assets.ts';
import { askedLanguage } from './language.ts';
import type { PageAssets } from './layout.ts';

// What every set of public pages does the same way: its hashed assets under <mount>/assets, the same-origin check
// of its form posts, the check for text no service may see (both refused with a page in the reader's language),
// answering a form post with 303 to the next page, reading the form, and choosing the reader's language.

export type FormBody = Record<string, string | string[] | File | File[]>;

/** 303 to the next page, setting `cookies`: every form post answers so, so that reloading never posts again. */
export function see(url: string, cookies: string[] = []): Response {
  const headers = new Headers({ location: url, 'cache-control': 'no-store' });
  for (const k of cookies) headers.append('set-cookie', k);
  return new Response(null, { status: 303, headers });
}

/** A page; never cached (it is the reader's own state). */
export function page(text: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

export async function formBody(c: Context): Promise<FormBody> {
  return (await c.req.parseBody({ all: true })) as FormBody;
}

/** A form field as one string (the first, when it was sent several times). */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** The client address: as the app resolved it for /p and /s (honouring TRUST_PROXY), else the socket's. */
export function clientAddress(c: Context): string {
  return (c.var as { ctx?: { ip?: string } }).ctx?.ip ?? clientIp(c, false);
}

/**
 * A set of public pages mounted at `where.mount`, its stylesheet and script read from `<dir>/<name>.css|js`. A
 * form posted from elsewhere (403) or carrying a NUL or a lone surrogate (400) is refused before anything reads
 * it, with the page `refusal` renders for the body text key 'foreign' or 'error.body'.
 */
export function publicPageSet(publicUrl: string, where: { dir: string; name: string; mount: string }, refusal: (c: Context, lang: Locale, bodyKey: 'foreign' | 'error.body') => string) {
  const opts = { publicUrl, refusal };
  const assets = publicAssets(path.resolve(where.dir), where.name, where.mount);
  const app = new Hono();
  app.get('/assets/:file', serveAssets(assets));
  app.use(
    '*',
    sameOriginForms(opts.publicUrl, (c) => page(opts.refusal(c, askedLanguage(c) ?? 'en', 'foreign'), 403)),
  );
  app.use(
    '*',
    refuseBadText((c) => page(opts.refusal(c, askedLanguage(c) ?? 'en', 'error.body'), 400)),
  );
  return { app, assets: assets.urls satisfies PageAssets, secure: opts.publicUrl.startsWith('https://') };
}
