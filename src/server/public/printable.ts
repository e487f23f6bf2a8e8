import { localeInfo, type Locale } from '../../i18n/locales.ts';
import { formatDateTime } from '../../web/format.ts';
import { escapeHtml as esc } from './html.ts';

// The frame of a printable report (a dialogue's, a message test's): one server-rendered HTML page with no script
// that prints well to PDF, in the reader's language and direction. Like the public pages it is plain HTML
// rendered on the server; unlike them it is read by signed-in staff (the routes that serve it check who asks).

/** The locale reports format numbers and dates in: Arabic with Latin digits, chosen explicitly (as in the staff app). */
export function reportNumberLocale(locale: Locale): string {
  return locale === 'ar' ? 'ar-u-nu-latn' : locale;
}

/** "6 Dec 2026, 23:21" in the reader's language and time zone: written as every page of the staff app writes it. */
export function reportDate(locale: Locale, timeZone: string, at: Date): string {
  return formatDateTime(at, locale, timeZone);
}

const BASE_CSS = (maxWidth: string) => `
  body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Hebrew", "Noto Sans Arabic", sans-serif; color: #1a1a1a; margin: 2rem auto; max-inline-size: ${maxWidth}; padding-inline: 1rem; line-height: 1.45; }
  h1 { margin-block-end: 0.25rem; } h2 { margin-block-start: 2rem; border-block-end: 2px solid #ddd; padding-block-end: 0.25rem; }
  .meta, .note { color: #444; font-size: 0.9rem; }
  table { border-collapse: collapse; inline-size: 100%; font-size: 0.8rem; } th, td { border: 1px solid #ccc; padding: 0.25rem 0.4rem; text-align: start; vertical-align: top; }
  td.n { font-variant-numeric: tabular-nums; white-space: nowrap; }
  @media print { body { margin: 0; max-inline-size: none; } .noprint { display: none; } h2, h3 { break-after: avoid; } }`;

/**
 * The whole report page. `subject` and `description` are as staff typed them (escaped here); every other part is
 * HTML the caller built and escaped: `strings` are the report's own (its name, "generated on …", "print with …"),
 * `facts` more lines of the header, `css` the report's own rules, `main` its body.
 */
export function reportPage(o: {
  locale: Locale;
  subject: string;
  description: string | null;
  strings: { name: string; generated: string; print: string };
  facts: string;
  maxWidth: string;
  css: string;
  main: string;
}): string {
  return `<!doctype html>
<html lang="${o.locale}" dir="${localeInfo[o.locale].dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.strings.name} — ${esc(o.subject)}</title>
<style>${BASE_CSS(o.maxWidth)}${o.css}
</style>
</head>
<body>
<header>
  <h1 dir="auto">${esc(o.subject)}</h1>
  <p class="meta">${o.strings.name} · ${o.strings.generated}</p>
  ${o.description ? `<p dir="auto">${esc(o.description)}</p>` : ''}
  ${o.facts}
  <p class="note noprint">${o.strings.print}</p>
</header>
<main>
${o.main}
</main>
</body>
</html>`;
}
