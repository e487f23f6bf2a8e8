import { normalizeName } from './names.ts';

// Finding and replacing an erased record's names in free text (docs/erasure.md). Pure functions.
//
// A text "mentions" the record when, folded as search folds names (names.ts: case, accents, Hebrew points, Arabic
// letter forms), it holds one of the record's names, emails, phones or its website as whole words, or holds one as
// typed (ignoring case) between non-letters. Replacing works on
// the text as typed: each name, ignoring case, where it stands as whole words; a mention that only folding finds (a
// name typed with Hebrew points, say) is left for the administrator to edit by hand and listed so.

/** Names shorter than this (folded) are not looked for in other records' texts: "Li" or "Ali" would match too much. */
export const MIN_TERM_LETTERS = 3;

export type Terms = {
  /** as stored: names in every script, transliterations, pseudonym, emails, phones, website */
  raw: string[];
  /** folded forms of those long enough to look for */
  folded: string[];
};

export function termsOf(values: (string | null | undefined)[]): Terms {
  const raw = [...new Set(values.map((v) => (v ?? '').trim()).filter((v) => v.length > 0))];
  const folded = [...new Set(raw.map((v) => normalizeName(v)).filter((f) => [...f.replace(/ /g, '')].length >= MIN_TERM_LETTERS))];
  return { raw, folded };
}

/** A website as people write it in text: without the scheme, www. and a trailing slash. */
export function websiteTerms(website: string | null | undefined): string[] {
  if (!website) return [];
  const bare = website
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '');
  return [...new Set([website.trim(), bare])].filter((w) => w.length >= MIN_TERM_LETTERS);
}

/** Whether the text names the record: folded, or as typed (where folding would join "Haddad's" into one word). */
export function mentions(text: string | null | undefined, terms: Terms): boolean {
  if (!text || terms.folded.length === 0) return false;
  const folded = ` ${normalizeName(text)} `;
  if (terms.folded.some((f) => folded.includes(` ${f} `))) return true;
  const re = termPattern(terms);
  return !!re && re.test(text);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const patterns = new WeakMap<Terms, RegExp | null>();

/** One regular expression for every term, longest first, each only as whole words (global: reset lastIndex before exec). */
export function termPattern(terms: Terms): RegExp | null {
  if (patterns.has(terms)) {
    const re = patterns.get(terms)!;
    if (re) re.lastIndex = 0;
    return re;
  }
  const re = buildPattern(terms);
  patterns.set(terms, re);
  return re;
}

function buildPattern(terms: Terms): RegExp | null {
  const usable = terms.raw.filter((r) => [...normalizeName(r).replace(/ /g, '')].length >= MIN_TERM_LETTERS || /[@+\d]/.test(r));
  if (usable.length === 0) return null;
  const alternatives = [...usable].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'giu');
}

/** The text with each term replaced by `replacement`. */
export function replaceTerms(text: string, terms: Terms, replacement: string): string {
  const re = termPattern(terms);
  return re ? text.replace(re, () => replacement) : text;
}

/** Every string inside a JSON value with the terms replaced; the same object when nothing changed. */
export function replaceInJson<T>(value: T, terms: Terms, replacement: string): T {
  const re = termPattern(terms);
  if (!re) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, () => replacement);
    if (Array.isArray(v)) {
      const out = v.map(walk);
      return out.some((x, i) => x !== v[i]) ? out : v;
    }
    if (v && typeof v === 'object') {
      let changed = false;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const y = walk(x);
        if (y !== x) changed = true;
        out[k] = y;
      }
      return changed ? out : v;
    }
    return v;
  };
  return walk(value) as T;
}

/** Some text around the first mention, for the administrator's review (before the erasure). */
export function snippet(text: string, terms: Terms, width = 60): string {
  const re = termPattern(terms);
  const m = re ? re.exec(text) : null;
  const at = m?.index ?? 0;
  const start = Math.max(0, at - width);
  const end = Math.min(text.length, at + (m?.[0].length ?? 0) + width);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

/** LIKE patterns that find candidate rows in SQL (confirmed by `mentions` afterwards). */
export function likePatterns(terms: Terms): string[] {
  const escape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const all = [...terms.raw.filter((r) => [...r].length >= MIN_TERM_LETTERS), ...terms.folded];
  return [...new Set(all.map((s) => `%${escape(s)}%`))];
}

/** The same for text inside JSON (the audit log's detail): as jsonb writes strings, quotes and backslashes escaped. */
export function jsonLikePatterns(terms: Terms): string[] {
  const escape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const usable = terms.raw.filter((r) => [...r].length >= MIN_TERM_LETTERS);
  return [...new Set(usable.map((s) => `%${escape(JSON.stringify(s).slice(1, -1))}%`))];
}
