import { translate } from '../../../i18n/catalogs.ts';
import { LOCALES, localeInfo, type Locale } from '../../../i18n/locales.ts';
import { Html, attr, html } from '../../public/html.ts';
import { languageSwitch, type PageAssets } from '../../public/layout.ts';
import { pictureHtml, plainText, renderMarkdown, type PhotoRef } from './markdown.ts';
import type { PublicVersion } from './public.service.ts';

// The news site's HTML: the list (/news) and a post (/news/{slug}), as the server sends it, with no script needed.
// The head carries what sharing and search need: canonical and hreflang alternates, Open Graph and Twitter card
// tags with the generated share image, JSON-LD NewsArticle, and the language's Atom and RSS feeds.

export const tr = (lang: Locale, key: string, vars?: Record<string, string>) => translate(lang, `news.public.${key}`, vars);
export const SITE_TIME_ZONE = 'Asia/Jerusalem';
const OG_LOCALE: Record<Locale, string> = { en: 'en_GB', he: 'he_IL', ar: 'ar_AR' };

export function dateText(d: Date, lang: Locale): string {
  return new Intl.DateTimeFormat(localeInfo[lang].intl, { dateStyle: 'long', timeZone: SITE_TIME_ZONE }).format(d);
}

const asLocale = (l: string): Locale => ((LOCALES as readonly string[]).includes(l) ? (l as Locale) : 'en');
const origin = (publicUrl: string) => publicUrl.replace(/\/+$/, '');
export const postUrl = (publicUrl: string, slug: string) => `${origin(publicUrl)}/news/${slug}`;
export const feedUrl = (publicUrl: string, lang: string, kind: 'atom' | 'rss') => `${origin(publicUrl)}/news/feed/${lang}/${kind}.xml`;

type Frame = { lang: Locale; assets: PageAssets; publicUrl: string; title: string; head: Html; header: Html; body: Html };

function document(f: Frame): string {
  return `<!doctype html>${html`<html lang="${f.lang}" dir="${localeInfo[f.lang].dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${f.title}</title>
<link rel="stylesheet" href="${f.assets.css}">
<script src="${f.assets.js}" defer></script>
<link rel="alternate" type="application/atom+xml" href="${feedUrl(f.publicUrl, f.lang, 'atom')}" title="${tr(f.lang, 'atom')}">
<link rel="alternate" type="application/rss+xml" href="${feedUrl(f.publicUrl, f.lang, 'rss')}" title="${tr(f.lang, 'rss')}">
${f.head}
</head>
<body>
<a class="skip" href="#main">${tr(f.lang, 'skip')}</a>
${f.header}
<main id="main" tabindex="-1">
${f.body}
</main>
</body>
</html>`}`;
}

function header(lang: Locale, languages: readonly Locale[], href: (l: Locale) => string): Html {
  return html`<header class="top"><a class="brand" href="/news?lang=${lang}">${tr(lang, 'site')}</a>${languageSwitch({ lang, languages, label: tr(lang, 'languageNav'), form: null, href })}</header>`;
}

function feeds(lang: Locale, publicUrl: string): Html {
  return html`<nav class="feeds" aria-labelledby="feeds-h"><h2 id="feeds-h">${tr(lang, 'feeds')}</h2><ul>
<li><a href="${feedUrl(publicUrl, lang, 'atom')}" type="application/atom+xml">${tr(lang, 'atom')}</a></li>
<li><a href="${feedUrl(publicUrl, lang, 'rss')}" type="application/rss+xml">${tr(lang, 'rss')}</a></li>
</ul></nav>`;
}

export function listView(o: { lang: Locale; assets: PageAssets; publicUrl: string; posts: PublicVersion[]; photos: Map<string, PhotoRef & { postId: string }>; older: string | null }): string {
  const { lang } = o;
  const cover = (postId: string) => [...o.photos.values()].find((p) => p.postId === postId);
  const items = o.posts.map((v) => {
    const photo = cover(v.postId);
    return html`<li lang="${v.language}">
${photo ? html`<a class="thumb" href="/news/${v.slug}" tabindex="-1" aria-hidden="true">${new Html(pictureHtml({ ...photo, caption: '', credit: null, alt: '' }, '/news/photos', '(min-width: 46rem) 44rem, 100vw'))}</a>` : ''}
<h2 dir="auto"><a href="/news/${v.slug}">${v.title}</a></h2>
<p class="meta"><time datetime="${v.publishedAt.toISOString()}">${tr(lang, 'published', { date: dateText(v.publishedAt, lang) })}</time></p>
${v.summary ? html`<p dir="auto">${v.summary}</p>` : ''}
</li>`;
  });
  const canonical = `${origin(o.publicUrl)}/news?lang=${lang}`;
  return document({
    lang,
    assets: o.assets,
    publicUrl: o.publicUrl,
    title: tr(lang, 'listTitle'),
    head: html`<meta name="description" content="${tr(lang, 'intro')}">
<link rel="canonical" href="${canonical}">
${LOCALES.map((l) => html`<link rel="alternate" hreflang="${l}" href="${origin(o.publicUrl)}/news?lang=${l}">`)}
<link rel="alternate" hreflang="x-default" href="${origin(o.publicUrl)}/news">`,
    header: header(lang, LOCALES, (l) => `/news?lang=${l}`),
    body: html`<h1>${tr(lang, 'listTitle')}</h1>
<p class="summary">${tr(lang, 'intro')}</p>
${o.posts.length ? html`<ul class="posts">${items}</ul>` : html`<p>${tr(lang, 'empty')}</p>`}
${o.older ? html`<p><a class="more" href="${o.older}">${tr(lang, 'older')}</a></p>` : ''}
${feeds(lang, o.publicUrl)}`,
  });
}

/** The share links: plain links to each service's own share address; nothing is loaded from any other origin. */
export function shareLinks(lang: Locale, url: string, title: string): Html {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  const links: [string, string][] = [
    ['Facebook', `https://www.facebook.com/sharer/sharer.php?u=${u}`],
    ['X', `https://x.com/intent/post?url=${u}&text=${t}`],
    ['LinkedIn', `https://www.linkedin.com/sharing/share-offsite/?url=${u}`],
    ['WhatsApp', `https://wa.me/?text=${encodeURIComponent(`${title} ${url}`)}`],
    ['Telegram', `https://t.me/share/url?url=${u}&text=${t}`],
    [tr(lang, 'shareEmail'), `mailto:?subject=${t}&body=${u}`],
  ];
  return html`<nav class="share" aria-labelledby="share-h"><h2 id="share-h">${tr(lang, 'share')}</h2><ul>
${links.map(([name, href]) => html`<li><a href="${href}" rel="noopener noreferrer">${name}</a></li>`)}
<li><a href="${url}" data-copy data-copied="${tr(lang, 'copied')}">${tr(lang, 'copyLink')}</a></li>
</ul></nav>`;
}

/** JSON for a <script type="application/ld+json">: "<" escaped so that no text can close the element. */
function jsonLd(value: unknown): Html {
  return new Html(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
}

export function postView(o: {
  assets: PageAssets;
  publicUrl: string;
  siteName: string;
  version: PublicVersion;
  translations: { language: string; slug: string; title: string }[];
  photos: Map<string, PhotoRef & { postId: string }>;
}): string {
  const v = o.version;
  const lang = asLocale(v.language);
  const url = postUrl(o.publicUrl, v.slug);
  const image = `${url}/share.png`;
  const description = v.summary || plainText(v.body, 200);
  const langs = LOCALES.filter((l) => o.translations.some((t) => t.language === l));
  const slugOf = (l: string) => o.translations.find((t) => t.language === l)?.slug ?? v.slug;
  const others = o.translations.filter((t) => t.language !== v.language);
  const body = renderMarkdown(v.body, { photos: o.photos, base: '/news/photos' });
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: v.title,
    description,
    inLanguage: v.language,
    datePublished: v.publishedAt.toISOString(),
    dateModified: v.updatedAt.toISOString(),
    mainEntityOfPage: url,
    url,
    image: [image],
    publisher: { '@type': 'Organization', name: o.siteName },
  };
  return document({
    lang,
    assets: o.assets,
    publicUrl: o.publicUrl,
    title: `${v.title} · ${o.siteName}`,
    head: html`<meta name="description" content="${description}">
<link rel="canonical" href="${url}">
${o.translations.map((t) => html`<link rel="alternate" hreflang="${t.language}" href="${postUrl(o.publicUrl, t.slug)}">`)}
<link rel="alternate" hreflang="x-default" href="${postUrl(o.publicUrl, slugOf(o.translations.some((t) => t.language === 'en') ? 'en' : v.language))}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${o.siteName}">
<meta property="og:title" content="${v.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${url}">
<meta property="og:image" content="${image}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:image:alt" content="${v.title}">
<meta property="og:locale" content="${OG_LOCALE[lang]}">
${others.map((t) => html`<meta property="og:locale:alternate" content="${OG_LOCALE[asLocale(t.language)]}">`)}
<meta property="article:published_time" content="${v.publishedAt.toISOString()}">
<meta property="article:modified_time" content="${v.updatedAt.toISOString()}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${v.title}">
<meta name="twitter:description" content="${description}">
<meta name="twitter:image" content="${image}">
<meta name="twitter:image:alt" content="${v.title}">
<script type="application/ld+json">${jsonLd(ld)}</script>`,
    header: header(lang, langs.length > 1 ? langs : [], (l) => `/news/${slugOf(l)}`),
    body: html`<article>
<h1 dir="auto">${v.title}</h1>
<p class="meta"><time datetime="${v.publishedAt.toISOString()}">${tr(lang, 'published', { date: dateText(v.publishedAt, lang) })}</time></p>
${v.summary ? html`<p class="summary" dir="auto">${v.summary}</p>` : ''}
<div class="body">${new Html(body)}</div>
</article>
${others.length ? html`<nav class="also" aria-labelledby="also-h"><h2 id="also-h">${tr(lang, 'otherLanguages')}</h2><ul>${others.map((t) => html`<li><a href="/news/${t.slug}" lang="${t.language}" hreflang="${t.language}"${attr('dir', 'auto')}>${localeInfo[asLocale(t.language)].label}: ${t.title}</a></li>`)}</ul></nav>` : ''}
${shareLinks(lang, url, v.title)}
<p class="back"><a class="more" href="/news?lang=${lang}">${tr(lang, 'back')}</a></p>
${feeds(lang, o.publicUrl)}`,
  });
}

export function notFoundView(o: { lang: Locale; assets: PageAssets; publicUrl: string }): string {
  return document({
    lang: o.lang,
    assets: o.assets,
    publicUrl: o.publicUrl,
    title: tr(o.lang, 'notFound.title'),
    head: html`<meta name="robots" content="noindex">`,
    header: header(o.lang, LOCALES, (l) => `/news?lang=${l}`),
    body: html`<h1>${tr(o.lang, 'notFound.title')}</h1><p>${tr(o.lang, 'notFound.body')}</p><p><a class="more" href="/news?lang=${o.lang}">${tr(o.lang, 'back')}</a></p>`,
  });
}
