import MarkdownIt from 'markdown-it';

// Posts' Markdown to HTML, one renderer for the staff preview and the public site: raw HTML off (typed tags are
// shown as text), links only to http(s), mailto and this site's own paths (markdown-it's validateLink already
// refuses javascript:, vbscript:, file: and data: other than images), external links with rel="noopener
// noreferrer", and dir="auto" on every block so that a Hebrew paragraph in an English post (or the reverse) takes
// its own direction. Photos of the post are written ![alt](photo:<id>) and become <picture> elements.

export type PhotoRef = { id: string; alt: string; caption?: string; credit?: string | null; width: number; height: number; files: { format: string; width: number }[] };

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim()) || /^photo:[0-9a-f-]{36}$/i.test(url.trim());

const BLOCKS = new Set(['paragraph_open', 'heading_open', 'blockquote_open', 'bullet_list_open', 'ordered_list_open', 'list_item_open', 'table_open']);
md.core.ruler.push('dir_auto', (state) => {
  for (const t of state.tokens) if (BLOCKS.has(t.type)) t.attrSet('dir', 'auto');
});
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const t = tokens[idx]!;
  const href = String(t.attrGet('href') ?? '');
  if (/^https?:/i.test(href)) t.attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

md.renderer.rules.post_photo = (tokens, idx) => String((tokens[idx]!.meta as { html?: string } | null)?.html ?? '');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A photo as <figure><picture> with AVIF and WebP sources and the JPEG fallback, each at every width. */
export function pictureHtml(p: PhotoRef, base: string, sizes = '(min-width: 50rem) 48rem, 100vw'): string {
  const set = (format: string) =>
    p.files
      .filter((f) => f.format === format)
      .sort((a, b) => a.width - b.width)
      .map((f) => `${base}/${p.id}/${f.width}.${format === 'jpeg' ? 'jpg' : format} ${f.width}w`)
      .join(', ');
  const jpegs = p.files.filter((f) => f.format === 'jpeg').sort((a, b) => a.width - b.width);
  const fallback = jpegs[Math.min(1, jpegs.length - 1)];
  const h = fallback ? Math.round((p.height * fallback.width) / p.width) : p.height;
  const caption = [p.caption, p.credit ? `© ${p.credit}` : ''].filter(Boolean).join(' · ');
  return (
    `<figure class="photo"><picture>` +
    (['avif', 'webp'] as const).map((f) => (set(f) ? `<source type="image/${f}" srcset="${esc(set(f))}" sizes="${sizes}">` : '')).join('') +
    `<img src="${esc(`${base}/${p.id}/${fallback?.width ?? p.width}.jpg`)}" srcset="${esc(set('jpeg'))}" sizes="${sizes}" alt="${esc(p.alt)}" width="${fallback?.width ?? p.width}" height="${h}" loading="lazy" decoding="async">` +
    `</picture>${caption ? `<figcaption dir="auto">${esc(caption)}</figcaption>` : ''}</figure>`
  );
}

/**
 * The Markdown as HTML. `photos` are the post's photos by id, `base` the path their files are served under; a
 * photo reference to no photo of the post renders nothing.
 */
export function renderMarkdown(source: string, opts: { photos?: Map<string, PhotoRef>; base?: string } = {}): string {
  const env = {};
  const tokens = md.parse(source, env);
  // a paragraph holding only a photo reference becomes a figure (a figure may not sit inside a <p>)
  const out: typeof tokens = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const inline = tokens[i + 1];
    if (t.type === 'paragraph_open' && inline?.type === 'inline' && inline.children?.length === 1 && inline.children[0]!.type === 'image') {
      const src = String(inline.children[0]!.attrGet('src') ?? '');
      const m = /^photo:([0-9a-f-]{36})$/i.exec(src);
      if (m) {
        const p = opts.photos?.get(m[1]!.toLowerCase());
        t.type = 'post_photo';
        t.tag = '';
        t.meta = { html: p ? pictureHtml(p, opts.base ?? '') : '' };
        out.push(t);
        i += 2;
        continue;
      }
    }
    out.push(t);
  }
  // inline photo references (inside text) are dropped: photos stand on their own lines
  for (const t of out) {
    if (t.type === 'inline' && t.children) t.children = t.children.filter((c) => !(c.type === 'image' && /^photo:/i.test(String(c.attrGet('src') ?? ''))));
  }
  return md.renderer.render(out, md.options, env);
}

/** The body as plain text (for feeds' summaries and descriptions): the rendered HTML without tags. */
export function plainText(source: string, max = 300): string {
  const text = md
    .render(source)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
