import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import he from './he.json' with { type: 'json' };

export const LOCALES = ['en', 'he', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export const catalogs: Record<Locale, Record<string, unknown>> = { en, he, ar };

export const localeInfo: Record<Locale, { dir: 'ltr' | 'rtl'; label: string; intl: string }> = {
  en: { dir: 'ltr', label: 'English', intl: 'en-GB' },
  he: { dir: 'rtl', label: 'עברית', intl: 'he-IL' },
  // Latin digits are what most of our users in the region type and read on screens; chosen explicitly
  ar: { dir: 'rtl', label: 'العربية', intl: 'ar-PS-u-nu-latn' },
};

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Flattens a nested catalog into dotted keys. */
export function flattenCatalog(obj: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') Object.assign(out, flattenCatalog(v as Record<string, unknown>, key));
    else out[key] = String(v);
  }
  return out;
}

/** Server-side translation with {{name}} interpolation (the same syntax i18next uses in the web app). */
export function translate(locale: Locale, key: string, vars: Record<string, string> = {}): string {
  const flat = flattenCatalog(catalogs[locale]);
  const template = flat[key] ?? flattenCatalog(catalogs.en)[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '');
}
