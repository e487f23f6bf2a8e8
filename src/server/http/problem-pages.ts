// The pages that problem `type` URIs lead to: /problems/<code> explains one problem, /problems lists them all. HTML in
// the reader's language (Accept-Language, or ?lang=), JSON when the client asks for it (Accept: application/json).
import { Hono, type Context } from 'hono';
import { LOCALES, isLocale, localeInfo, type Locale } from '../../i18n/locales.ts';
import type { AppEnv } from './context.ts';
import { problemResponse } from './problem.ts';
import { PROBLEM_CODES, describeProblem, problemCatalogs } from './problem-types.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');

/** Media ranges or language tags of an Accept-style header, best first (q=0 dropped). */
function preferences(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part, i) => {
      const [value, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { value: value!.trim(), q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((p) => p.value && p.q > 0 && !Number.isNaN(p.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((p) => p.value);
}

/** ?lang= first, then the first language of Accept-Language that Convene speaks, then English. */
export function pageLocale(c: Context): Locale {
  const asked = c.req.query('lang');
  if (isLocale(asked)) return asked;
  for (const tag of preferences(c.req.header('accept-language'))) {
    const primary = tag.split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return 'en';
}

/** Whether the client prefers JSON to HTML (a browser sends text/html first; no Accept at all gets HTML). */
export function wantsJson(c: Context): boolean {
  for (const range of preferences(c.req.header('accept'))) {
    if (range === 'text/html' || range === 'application/xhtml+xml') return false;
    if (range === 'application/json' || range === 'application/problem+json' || /^application\/[\w.-]+\+json$/.test(range)) return true;
  }
  return false;
}

function layout(locale: Locale, title: string, path: string, body: string): string {
  const { dir } = localeInfo[locale];
  const p = problemCatalogs[locale].page;
  const languages = LOCALES.map((l) =>
    l === locale
      ? `<li><span aria-current="true" lang="${l}">${esc(localeInfo[l].label)}</span></li>`
      : `<li><a href="${esc(`${path}?lang=${l}`)}" hreflang="${l}" lang="${l}">${esc(localeInfo[l].label)}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:46rem;margin-inline:auto;padding:1rem;line-height:1.6;color:#1a1b1e}
code{font-family:ui-monospace,monospace;background:#f1f3f5;padding:0 .25rem;border-radius:4px}
nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
a{color:#1864ab}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0}
.codes li{margin-block:.25rem}
</style>
</head>
<body>
<nav aria-label="${esc(p.languages!)}"><ul>${languages}</ul></nav>
<main>
${body}
</main>
</body>
</html>
`;
}

function problemPage(locale: Locale, code: string): string {
  const p = problemCatalogs[locale].page;
  const d = describeProblem(locale, code)!;
  const statuses = d.statuses.length ? `<dt>${esc(p.statuses!)}</dt><dd>${d.statuses.map((s) => `<code>${s}</code>`).join(' ')}</dd>` : '';
  return layout(
    locale,
    `${d.title} (${code})`,
    `/problems/${code}`,
    `<h1>${esc(d.title)}</h1>
<dl><dt>${esc(p.code!)}</dt><dd><code dir="ltr">${esc(code)}</code></dd>${statuses}</dl>
<p>${esc(d.text)}</p>
<p>${esc(p.fields!)}</p>
<p><a href="/problems?lang=${locale}">${esc(p.index!)}</a> · <a href="/api/docs">${esc(p.apiReference!)}</a></p>`,
  );
}

function indexPage(locale: Locale, heading: string, intro: string): string {
  const p = problemCatalogs[locale].page;
  const items = PROBLEM_CODES.map((code) => {
    const d = describeProblem(locale, code)!;
    return `<li><a href="/problems/${code}?lang=${locale}"><code dir="ltr">${esc(code)}</code></a> ${esc(d.title)}</li>`;
  }).join('\n');
  return layout(
    locale,
    heading,
    '/problems',
    `<h1>${esc(heading)}</h1>
<p>${esc(intro)}</p>
<ul class="codes">
${items}
</ul>
<p><a href="/api/docs">${esc(p.apiReference!)}</a></p>`,
  );
}

function send(c: Context, locale: Locale, status: 200 | 404, html: string) {
  return c.html(html, status, { 'Content-Language': locale, Vary: 'Accept, Accept-Language', 'Cache-Control': 'public, max-age=3600' });
}

/** GET /problems and /problems/:code. */
export function problemPages() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const locale = pageLocale(c);
    const p = problemCatalogs[locale].page;
    if (wantsJson(c)) {
      const items = PROBLEM_CODES.map((code) => {
        const d = describeProblem(locale, code)!;
        return { type: `/problems/${code}`, code, title: d.title, statuses: d.statuses };
      });
      return c.json({ language: locale, items }, 200, { 'Content-Language': locale, Vary: 'Accept, Accept-Language', 'Cache-Control': 'public, max-age=3600' });
    }
    return send(c, locale, 200, indexPage(locale, p.indexTitle!, p.indexIntro!));
  });
  r.get('/:code', (c) => {
    const locale = pageLocale(c);
    const code = c.req.param('code');
    const d = describeProblem(locale, code);
    if (wantsJson(c)) {
      if (!d) return problemResponse(404, 'route_not_found', `No problem type ${code}.`, undefined, { Vary: 'Accept, Accept-Language' });
      return c.json({ type: `/problems/${code}`, code, language: locale, title: d.title, explanation: d.text, statuses: d.statuses }, 200, {
        'Content-Language': locale,
        Vary: 'Accept, Accept-Language',
        'Cache-Control': 'public, max-age=3600',
      });
    }
    if (!d) {
      const p = problemCatalogs[locale].page;
      return send(c, locale, 404, indexPage(locale, fill(p.unknownTitle!, { code }), p.unknownText!));
    }
    return send(c, locale, 200, problemPage(locale, code));
  });
  return r;
}
