import { escapeHtml } from '../../public/html.ts';
import { renderMarkdown } from './markdown.ts';
import type { PublicVersion } from './public.service.ts';
import { feedUrl, postUrl } from './updates.views.ts';

// Atom (RFC 4287) and RSS 2.0 feeds of one language's published posts, and the sitemap with hreflang alternates.
// The entries' content is the rendered HTML (photos with absolute addresses).

const x = escapeHtml;
const origin = (u: string) => u.replace(/\/+$/, '');

export function atomFeed(o: { publicUrl: string; lang: string; title: string; subtitle: string; posts: PublicVersion[]; updated: Date }): string {
  const self = feedUrl(o.publicUrl, o.lang, 'atom');
  const entries = o.posts.map(
    (v) => `<entry>
<title>${x(v.title)}</title>
<link rel="alternate" type="text/html" href="${x(postUrl(o.publicUrl, v.slug))}"/>
<id>urn:uuid:${v.postId}:${v.language}</id>
<published>${v.publishedAt.toISOString()}</published>
<updated>${(v.updatedAt > v.publishedAt ? v.updatedAt : v.publishedAt).toISOString()}</updated>
${v.summary ? `<summary>${x(v.summary)}</summary>\n` : ''}<content type="html">${x(renderMarkdown(v.body, { base: `${origin(o.publicUrl)}/news/photos` }))}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${o.lang}">
<title>${x(o.title)}</title>
<subtitle>${x(o.subtitle)}</subtitle>
<id>${x(self)}</id>
<link rel="self" type="application/atom+xml" href="${x(self)}"/>
<link rel="alternate" type="text/html" href="${x(`${origin(o.publicUrl)}/news?lang=${o.lang}`)}"/>
<updated>${o.updated.toISOString()}</updated>
<author><name>${x(o.title)}</name></author>
${entries.join('\n')}
</feed>
`;
}

export function rssFeed(o: { publicUrl: string; lang: string; title: string; subtitle: string; posts: PublicVersion[]; updated: Date }): string {
  const self = feedUrl(o.publicUrl, o.lang, 'rss');
  const items = o.posts.map(
    (v) => `<item>
<title>${x(v.title)}</title>
<link>${x(postUrl(o.publicUrl, v.slug))}</link>
<guid isPermaLink="false">urn:uuid:${v.postId}:${v.language}</guid>
<pubDate>${v.publishedAt.toUTCString()}</pubDate>
<description>${x(v.summary || renderMarkdown(v.body, { base: `${origin(o.publicUrl)}/news/photos` }))}</description>
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${x(o.title)}</title>
<link>${x(`${origin(o.publicUrl)}/news?lang=${o.lang}`)}</link>
<description>${x(o.subtitle)}</description>
<language>${o.lang}</language>
<lastBuildDate>${o.updated.toUTCString()}</lastBuildDate>
<atom:link href="${x(self)}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
</channel>
</rss>
`;
}

export function sitemap(publicUrl: string, versions: PublicVersion[]): string {
  const byPost = new Map<string, PublicVersion[]>();
  for (const v of versions) byPost.set(v.postId, [...(byPost.get(v.postId) ?? []), v]);
  const urls = ['en', 'he', 'ar'].map(
    (l) => `<url><loc>${x(`${origin(publicUrl)}/news?lang=${l}`)}</loc>${['en', 'he', 'ar'].map((a) => `<xhtml:link rel="alternate" hreflang="${a}" href="${x(`${origin(publicUrl)}/news?lang=${a}`)}"/>`).join('')}</url>`,
  );
  for (const v of versions) {
    const alts = byPost.get(v.postId)!;
    urls.push(
      `<url><loc>${x(postUrl(publicUrl, v.slug))}</loc><lastmod>${(v.updatedAt > v.publishedAt ? v.updatedAt : v.publishedAt).toISOString()}</lastmod>${alts
        .map((a) => `<xhtml:link rel="alternate" hreflang="${a.language}" href="${x(postUrl(publicUrl, a.slug))}"/>`)
        .join('')}</url>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
${urls.join('\n')}
</urlset>
`;
}
