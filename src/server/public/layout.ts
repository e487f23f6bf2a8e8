import { localeInfo, type Locale } from '../../i18n/locales.ts';
import { attr, html, type Html } from './html.ts';

// The frame every public page shares (participation, surveys, …): the document head with the page set's hashed
// stylesheet and script, the skip link, the header, and the language switch. Strings come from the caller, in the
// reader's language.

export type PageAssets = { css: string; js: string };

/** Numbers in the reader's locale; the digits are chosen explicitly (Latin for Arabic, see locales.ts). */
export function formatNumber(lang: Locale, n: number): string {
  return new Intl.NumberFormat(localeInfo[lang].intl).format(n);
}

/**
 * The language switch: a form posting `language` to `form.action` for readers whose choice is remembered (a
 * participant who joined, a respondent who started), links to `href(l)` for everyone else; nothing when there
 * is one language.
 */
export function languageSwitch(o: {
  lang: Locale;
  languages: readonly Locale[];
  label: string;
  form: { action: string; hidden?: Html } | null;
  href: (l: Locale) => string;
}): Html | '' {
  if (o.languages.length <= 1) return '';
  const autonym = (l: Locale) => localeInfo[l].label;
  return o.form
    ? html`<form class="langs" method="post" action="${o.form.action}" aria-label="${o.label}">
            ${o.form.hidden ?? ''}${o.languages.map((l) => html`<button type="submit" name="language" value="${l}" lang="${l}"${attr('aria-pressed', l === o.lang ? 'true' : 'false')}>${autonym(l)}</button>`)}
          </form>`
    : html`<nav class="langs" aria-label="${o.label}"><ul>
            ${o.languages.map((l) => html`<li><a href="${o.href(l)}" lang="${l}" hreflang="${l}"${attr('aria-current', l === o.lang ? 'true' : null)}>${autonym(l)}</a></li>`)}
          </ul></nav>`;
}

/** A whole public page: no inline script, no referrer, not indexed; `mainAttrs` carries data for the page's script. */
export function publicDocument(o: { lang: Locale; title: string; assets: PageAssets; skip: string; header: Html | ''; body: Html; mainAttrs?: Html }): string {
  return `<!doctype html>${html`<html lang="${o.lang}" dir="${localeInfo[o.lang].dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>${o.title}</title>
<link rel="stylesheet" href="${o.assets.css}">
<script src="${o.assets.js}" defer></script>
</head>
<body>
<a class="skip" href="#main">${o.skip}</a>
${o.header}
<main id="main" tabindex="-1"${o.mainAttrs ?? ''}>
${o.body}
</main>
</body>
</html>`}`;
}
