import type { Context } from 'hono';
import { isLocale, type Locale } from '../../i18n/locales.ts';

// Choosing the reader's language on the public pages: among the languages a dialogue, a survey or a page offers,
// what the reader asked for (?lang=, a remembered choice), else what their browser prefers, else the first.

/** ?lang= when it names an interface language. */
export function askedLanguage(c: Context): Locale | null {
  const l = c.req.query('lang');
  return isLocale(l) ? l : null;
}

/** `wanted` when it is one of `offered`, else the first offered. */
export function chooseLanguage<L extends string>(offered: readonly L[], wanted: string | null | undefined): L {
  return wanted && offered.includes(wanted as L) ? (wanted as L) : offered[0]!;
}

/** ?lang=, else the browser's preference (Accept-Language) among `offered`, else the first offered. */
export function preferredLanguage<L extends string>(c: Context, offered: readonly L[]): L {
  const asked = askedLanguage(c);
  if (asked) return chooseLanguage(offered, asked);
  const prefs = (c.req.header('accept-language') ?? '').toLowerCase().split(',').map((p) => p.trim().slice(0, 2));
  return chooseLanguage(offered, prefs.find((p) => (offered as readonly string[]).includes(p)));
}

/** Text staff wrote, in the reader's language, else the first of `order` that has it, else any. */
export function localized(text: Record<string, string | undefined>, lang: string, order: readonly string[]): string {
  for (const l of [lang, ...order]) if (text[l]) return text[l]!;
  return Object.values(text).find((v) => !!v) ?? '';
}
