import { Hono, type Context } from 'hono';
import { isUuid } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { paths } from '../../paths.ts';
import { publicAssets, serveAssets } from '../../public/assets.ts';
import { preferredLanguage } from '../../public/language.ts';
import { LOCALES, isLocale, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { readSettings } from '../accounts/accounts.service.ts';
import { atomFeed, rssFeed, sitemap } from './feeds.ts';
import { MIME } from './photos.ts';
import * as pub from './public.service.ts';
import { shareImage } from './share-image.ts';
import { dateText, listView, notFoundView, postView, tr } from './updates.views.ts';

// The public news site: /news (list, ?lang=), /news/{slug} (a post: the slug names the language version),
// /news/{slug}/share.png (its 1200×630 share image), /news/photos/{photoId}/{width}.{avif|webp|jpg},
// /news/feed/{lang}/atom.xml and rss.xml, /news/sitemap.xml (also /sitemap.xml), /news/assets/*. Server-rendered,
// read-only, no script needed, nothing from another origin. Only published public posts exist here.

/** settings: the install's settings, cached by the app (the organisation's name is the site's name) */
export type NewsPagesDeps = {
  db: Db;
  publicUrl: string;
  settings?: { get: () => Promise<{ organisationName: Record<string, string | undefined> }> };
  /** the server's rendered pages, which the app forgets on any staff write (app.ts) */
  rendered?: RenderedPages;
};

const PAGE = 20;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/**
 * Pages and feeds are asked for again on every visit (an unpublished post must leave at once: it may name someone it
 * should not); the server answers from the pages it rendered in the last 2 seconds, and forgets them all as soon as
 * any staff write happens on any server (RenderedPages.clear, called with the session caches' invalidation).
 */
const PUBLIC_CACHE = 'public, no-cache';
/** how long a server reuses a page it rendered */
const CACHE_MS = 2000;

/** The pages a server rendered, by address: reused for CACHE_MS, forgotten at once by clear(). */
export class RenderedPages {
  private readonly pages = new Map<string, { at: number; status: number; html: string }>();
  private generation = 0;

  async get(key: string, make: () => Promise<{ status: number; html: string }>) {
    const hit = this.pages.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit;
    const generation = this.generation;
    const fresh = { at: Date.now(), ...(await make()) };
    // a write that happened while this page was being made: do not keep what it may have changed
    if (generation !== this.generation) return fresh;
    this.pages.delete(key);
    this.pages.set(key, fresh);
    if (this.pages.size > 500) this.pages.delete(this.pages.keys().next().value!);
    return fresh;
  }

  clear() {
    this.generation++;
    this.pages.clear();
  }
}

export function newsPages(deps: NewsPagesDeps) {
  const { db, publicUrl } = deps;
  const files = publicAssets(paths.newsAssets, 'news', '/news');
  const assets = files.urls;
  // share images by post, language, revision and change time (an erasure rewrites a text without a new revision), the newest 200
  const images = new Map<string, Buffer>();
  // rendered pages by address (RenderedPages: a staff write anywhere forgets them)
  const rendered = deps.rendered ?? new RenderedPages();
  const cached = (key: string, make: () => Promise<{ status: number; html: string }>) => rendered.get(key, make);
  const app = new Hono();

  const siteName = async (lang: Locale) => {
    const name = (await (deps.settings?.get() ?? readSettings(db))).organisationName;
    return name[lang] || name.en || Object.values(name).find(Boolean) || tr(lang, 'site');
  };
  const send = (body: string | Uint8Array<ArrayBuffer>, type: string, status = 200, cache = PUBLIC_CACHE) =>
    new Response(body, { status, headers: { 'content-type': type, 'cache-control': cache } });
  const notFound = (c: Context) => send(notFoundView({ lang: preferredLanguage(c, LOCALES), assets, publicUrl }), 'text/html; charset=utf-8', 404, 'no-store');

  app.get('/news/assets/:file', serveAssets(files));
  app.get('/news', async (c) => {
    const lang = preferredLanguage(c, LOCALES);
    const before = c.req.query('before');
    let cursor: { at: Date; id: string } | undefined;
    if (before) {
      const [t, id] = before.split('_');
      if (!t || !id || !isUuid(id) || Number.isNaN(Date.parse(t))) return notFound(c);
      cursor = { at: new Date(t), id };
    }
    const posts = await pub.publishedIn(db, lang, PAGE + 1, cursor);
    const shown = posts.slice(0, PAGE);
    const last = shown[shown.length - 1];
    const older = posts.length > PAGE && last ? `/news?lang=${lang}&before=${encodeURIComponent(`${last.publishedAt.toISOString()}_${last.postId}`)}` : null;
    const photos = await pub.photoRefs(db, shown.map((p) => p.postId), lang);
    return send(listView({ lang, assets, publicUrl, posts: shown, photos, older }), 'text/html; charset=utf-8');
  });
  const feed = (kind: 'atom' | 'rss') => async (c: Context) => {
    const lang = c.req.param('lang');
    if (!isLocale(lang)) return notFound(c);
    const posts = await pub.publishedIn(db, lang, 50);
    const updated = posts.reduce((m, p) => (p.updatedAt > m ? p.updatedAt : p.publishedAt > m ? p.publishedAt : m), new Date(0));
    const o = { publicUrl, lang, title: await siteName(lang), subtitle: tr(lang, 'intro'), posts, updated: posts.length ? updated : new Date(0) };
    return kind === 'atom' ? send(atomFeed(o), 'application/atom+xml; charset=utf-8') : send(rssFeed(o), 'application/rss+xml; charset=utf-8');
  };
  app.get('/news/feed/:lang/atom.xml', feed('atom'));
  app.get('/news/feed/:lang/rss.xml', feed('rss'));
  const map = async () => send(sitemap(publicUrl, await pub.allPublished(db)), 'application/xml; charset=utf-8');
  app.get('/news/sitemap.xml', map);
  app.get('/sitemap.xml', map);
  app.get('/news/photos/:photoId/:file', async (c) => {
    const photoId = c.req.param('photoId');
    const m = /^(\d{1,5})\.(avif|webp|jpg)$/.exec(c.req.param('file'));
    if (!isUuid(photoId) || !m) return notFound(c);
    const format = m[2] === 'jpg' ? 'jpeg' : m[2]!;
    const bytes = await pub.publicPhotoFile(db, photoId, Number(m[1]), format);
    if (!bytes) return notFound(c);
    // the files of a photo never change (a new upload is a new photo)
    return send(new Uint8Array(bytes), MIME[format]!, 200, 'public, max-age=86400');
  });
  app.get('/news/:slug/share.png', async (c) => {
    const slug = c.req.param('slug');
    const v = SLUG.test(slug) ? await pub.versionBySlug(db, slug) : null;
    if (!v) return notFound(c);
    const lang = isLocale(v.language) ? v.language : 'en';
    const key = `${v.postId}:${v.language}:${v.revision}:${v.updatedAt.getTime()}`;
    let png = images.get(key);
    if (!png) {
      png = await shareImage({ title: v.title, site: await siteName(lang), date: dateText(v.publishedAt, lang), rtl: localeInfo[lang].dir === 'rtl' });
      images.set(key, png);
      if (images.size > 200) images.delete(images.keys().next().value!);
    }
    return send(new Uint8Array(png), 'image/png', 200, 'public, max-age=3600');
  });
  app.get('/news/:slug', async (c) => {
    const slug = c.req.param('slug');
    if (!SLUG.test(slug)) return notFound(c);
    const page = await cached(`post:${slug}`, async () => {
      const v = await pub.versionBySlug(db, slug);
      if (!v) return { status: 404, html: '' };
      const lang = isLocale(v.language) ? v.language : 'en';
      const [translations, photos] = await Promise.all([pub.translationsOf(db, v.postId), pub.photoRefs(db, [v.postId], v.language)]);
      return { status: 200, html: postView({ assets, publicUrl, siteName: await siteName(lang), version: v, translations, photos }) };
    });
    return page.status === 200 ? send(page.html, 'text/html; charset=utf-8') : notFound(c);
  });
  return app;
}
