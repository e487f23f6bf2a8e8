import { parseFeed } from '@rowanmanning/feed-parser';
import { HtmlValidate, type ConfigData } from 'html-validate';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN } from '../../../../tests/setup/test-app.ts';
import { createPostVia, jpegWithGps, uploadPhoto, version } from '../../../../tests/setup/post-factories.ts';

// The public news site (issue 15) as a browser with JavaScript off and a feed reader meet it: valid HTML in each
// language, Open Graph and Twitter card tags with the share image, JSON-LD NewsArticle, hreflang alternates, the
// feeds parsed by a maintained parser, the sitemap, photos served only for published public posts, and nothing a
// page loads from another origin. Drafts, scheduled, unpublished and internal posts do not exist here.

const VALIDATOR: ConfigData = {
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
};
const validator = new HtmlValidate(VALIDATOR);
const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const reader = () => t.client();

async function valid(where: string, html: string) {
  const report = await validator.validateString(html, where);
  expect(report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
}

const body = (lang: string) => `## ${lang === 'en' ? 'What we did' : lang === 'he' ? 'מה עשינו' : 'ماذا فعلنا'}\n\nWe met **60+** member organisations. [Report](https://example.org/report)\n\n> A quote\n\n- one\n- two\n\nPHOTO\n\n<script>alert(1)</script>`;
const p = await createPostVia(staff, {
  en: { ...version('regional-meeting', 'Regional team meeting in Ramallah'), body: body('en') },
  he: { ...version('regional-meeting-he', 'פגישת הצוות האזורי ברמאללה'), body: body('he') },
  ar: { ...version('regional-meeting-ar', 'اجتماع الفريق الإقليمي في رام الله'), body: body('ar') },
});
const photo = await (await uploadPhoto(staff, p.id, await jpegWithGps(1000, 600), { alt_en: 'The team at the table', alt_he: 'הצוות ליד השולחן', alt_ar: 'الفريق حول الطاولة', caption_en: 'Ramallah', credit: 'Team' })).json();
for (const l of ['en', 'he', 'ar']) {
  const slug = l === 'en' ? 'regional-meeting' : `regional-meeting-${l}`;
  const v = (await (await staff.get(`/api/posts/${p.id}`)).json()).versions.find((x: { language: string }) => x.language === l);
  await staff.put(`/api/posts/${p.id}/versions/${l}`, { slug, title: v.title, summary: v.summary, body: v.body.replace('PHOTO', `![photo](photo:${photo.id})`) });
}
expect((await staff.post(`/api/posts/${p.id}/publish`)).status).toBe(200);
const draft = await createPostVia(staff, { en: version('still-a-draft') });
const internal = await createPostVia(staff, { en: version('staff-only-news') }, 'internal');
await staff.post(`/api/posts/${internal.id}/publish`);
const gone = await createPostVia(staff, { en: version('taken-down') });
await staff.post(`/api/posts/${gone.id}/publish`);
await staff.post(`/api/posts/${gone.id}/unpublish`);

describe('the news site', () => {
  for (const [lang, slug] of [
    ['en', 'regional-meeting'],
    ['he', 'regional-meeting-he'],
    ['ar', 'regional-meeting-ar'],
  ] as const) {
    it(`the list and the post are valid HTML in ${lang}, right-to-left where the language is`, async () => {
      const list = await reader().get(`/news?lang=${lang}`);
      expect(list.status).toBe(200);
      const listHtml = await list.text();
      await valid(`list ${lang}`, listHtml);
      expect(listHtml).toContain(`<html lang="${lang}" dir="${lang === 'en' ? 'ltr' : 'rtl'}">`);
      expect(listHtml).toContain(`href="/news/${slug}"`);
      const res = await reader().get(`/news/${slug}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      await valid(`post ${lang}`, html);
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain('<h2 dir="auto">');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toMatch(/<script>alert/);
      // hreflang alternates to each language version
      for (const [l, s] of [
        ['en', 'regional-meeting'],
        ['he', 'regional-meeting-he'],
        ['ar', 'regional-meeting-ar'],
      ]) {
        expect(html).toContain(`<link rel="alternate" hreflang="${l}" href="${ORIGIN}/news/${s}">`);
      }
      // the photo, with this language's alt text, in modern formats and a JPEG fallback
      expect(html).toContain(`alt="${{ en: 'The team at the table', he: 'הצוות ליד השולחן', ar: 'الفريق حول الطاولة' }[lang]}"`);
      expect(html).toContain('type="image/avif"');
      expect(html).toContain(`/news/photos/${photo.id}/480.jpg`);
    });
  }

  it('carries Open Graph, Twitter card and JSON-LD NewsArticle, and the share image is a 1200×630 PNG', async () => {
    const html = await (await reader().get('/news/regional-meeting-ar')).text();
    const meta = (prop: string) => html.match(new RegExp(`<meta (?:property|name)="${prop}" content="([^"]*)">`))?.[1];
    expect(meta('og:type')).toBe('article');
    expect(meta('og:title')).toBe('اجتماع الفريق الإقليمي في رام الله');
    expect(meta('og:url')).toBe(`${ORIGIN}/news/regional-meeting-ar`);
    expect(meta('og:image')).toBe(`${ORIGIN}/news/regional-meeting-ar/share.png`);
    expect([meta('og:image:width'), meta('og:image:height')]).toEqual(['1200', '630']);
    expect(meta('og:locale')).toBe('ar_AR');
    expect(meta('og:description')).toBeTruthy();
    expect(meta('twitter:card')).toBe('summary_large_image');
    expect(meta('twitter:image')).toBe(meta('og:image'));
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">([^<]*)<\/script>/)![1]!);
    expect(ld).toMatchObject({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: 'اجتماع الفريق الإقليمي في رام الله', inLanguage: 'ar' });
    const png = await reader().get('/news/regional-meeting-ar/share.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const m = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    expect([m.format, m.width, m.height]).toEqual(['png', 1200, 630]);
  });

  it('loads nothing from another origin: every src and stylesheet is our own; share links are plain links', async () => {
    const html = await (await reader().get('/news/regional-meeting')).text();
    const loaded = [...html.matchAll(/\s(?:src|srcset)="([^"]*)"/g), ...html.matchAll(/<link rel="stylesheet" href="([^"]*)"/g)].map((m) => m[1]!);
    expect(loaded.length).toBeGreaterThan(3);
    for (const u of loaded) for (const part of u.split(',')) expect(part.trim()).toMatch(/^\//);
    expect(html).not.toMatch(/<iframe|<img[^>]+src="https?:/);
    for (const host of ['https://www.facebook.com/sharer/sharer.php?u=', 'https://x.com/intent/post?url=', 'https://www.linkedin.com/sharing/share-offsite/?url=', 'https://wa.me/?text=', 'https://t.me/share/url?url=', 'mailto:?subject=']) {
      expect(html).toContain(`<a href="${host}`);
    }
    expect(html).toContain('data-copy');
  });

  it('drafts, internal and unpublished posts are 404 everywhere public, and absent from lists, feeds and the sitemap', async () => {
    for (const slug of ['still-a-draft', 'staff-only-news', 'taken-down', 'no-such-post', 'BAD..slug']) {
      expect((await reader().get(`/news/${slug}`)).status, slug).toBe(404);
      expect((await reader().get(`/news/${slug}/share.png`)).status, slug).toBe(404);
    }
    const list = await (await reader().get('/news?lang=en')).text();
    const atom = await (await reader().get('/news/feed/en/atom.xml')).text();
    const map = await (await reader().get('/sitemap.xml')).text();
    for (const text of [list, atom, map]) for (const slug of ['still-a-draft', 'staff-only-news', 'taken-down']) expect(text).not.toContain(slug);
    await valid('not found', await (await reader().get('/news/no-such-post?lang=he')).text());
    expect(draft.id && internal.id).toBeTruthy();
  });

  it('an unpublished post leaves at once, though its page was just served (the rendered page is forgotten at the write)', async () => {
    const post = await createPostVia(staff, { en: version('here-then-gone') });
    expect((await staff.post(`/api/posts/${post.id}/publish`)).status).toBe(200);
    const page = await reader().get('/news/here-then-gone');
    expect([page.status, page.headers.get('cache-control')]).toEqual([200, 'public, no-cache']);
    expect((await reader().get('/news/here-then-gone')).status).toBe(200);
    expect((await staff.post(`/api/posts/${post.id}/unpublish`)).status).toBe(200);
    expect((await reader().get('/news/here-then-gone')).status).toBe(404);
    expect(await (await reader().get('/news?lang=en')).text()).not.toContain('here-then-gone');
  });

  it('serves the photo files of published public posts, with no metadata', async () => {
    const res = await reader().get(`/news/photos/${photo.id}/960.webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const m = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(m.exif).toBeUndefined();
    expect((await reader().get(`/news/photos/${photo.id}/961.webp`)).status).toBe(404);
    expect((await reader().get(`/news/photos/${photo.id}/960.gif`)).status).toBe(404);
  });

  it('Atom and RSS per language parse in a maintained feed parser', async () => {
    for (const lang of ['en', 'he', 'ar']) {
      for (const kind of ['atom', 'rss']) {
        const res = await reader().get(`/news/feed/${lang}/${kind}.xml`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain(kind === 'atom' ? 'application/atom+xml' : 'application/rss+xml');
        const feed = parseFeed(await res.text());
        expect(feed.meta.type).toBe(kind);
        expect(feed.language).toBe(lang);
        expect(feed.items).toHaveLength(1);
        const item = feed.items[0]!;
        expect(item.url).toBe(`${ORIGIN}/news/regional-meeting${lang === 'en' ? '' : `-${lang}`}`);
        expect(item.published).toBeInstanceOf(Date);
        expect(item.title).toBeTruthy();
      }
    }
    expect((await reader().get('/news/feed/fr/atom.xml')).status).toBe(404);
  });

  it('the sitemap lists every published version with its alternates', async () => {
    const res = await reader().get('/news/sitemap.xml');
    expect(res.headers.get('content-type')).toContain('application/xml');
    const xml = await res.text();
    expect(xml).toContain(`<loc>${ORIGIN}/news/regional-meeting-he</loc>`);
    expect(xml).toContain(`hreflang="ar" href="${ORIGIN}/news/regional-meeting-ar"`);
  });

  it('the page is small and needs no script: the one script is a few hundred bytes; the stylesheet has a print part', async () => {
    const html = await (await reader().get('/news/regional-meeting')).text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const js = await reader().request(scripts[0]!, { headers: { 'accept-encoding': 'gzip' } });
    expect((await js.arrayBuffer()).byteLength).toBeLessThan(2_000);
    const css = html.match(/<link rel="stylesheet" href="([^"]+)"/)![1]!;
    expect(await (await reader().get(css)).text()).toContain('@media print');
  });
});
