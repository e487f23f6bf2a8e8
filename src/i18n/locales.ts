import ar from './ar.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import he from './he.json' with { type: 'json' };
import meetingsAr from './meetings/ar.json' with { type: 'json' };
import meetingsEn from './meetings/en.json' with { type: 'json' };
import meetingsHe from './meetings/he.json' with { type: 'json' };
import networkAr from './network/ar.json' with { type: 'json' };
import networkEn from './network/en.json' with { type: 'json' };
import networkHe from './network/he.json' with { type: 'json' };

export const LOCALES = ['en', 'he', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

type Catalog = Record<string, unknown>;

/** Feature catalogs (src/i18n/<feature>/<lang>.json) merged into the core one, key by key. */
function merge(...parts: Catalog[]): Catalog {
  const out: Catalog = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      const prev = out[k];
      out[k] = prev && typeof prev === 'object' && v && typeof v === 'object' ? merge(prev as Catalog, v as Catalog) : v;
    }
  }
  return out;
}

export const catalogs: Record<Locale, Catalog> = {
  en: merge(en, networkEn, meetingsEn),
  he: merge(he, networkHe, meetingsHe),
  ar: merge(ar, networkAr, meetingsAr),
};

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
