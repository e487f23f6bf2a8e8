// Languages of the interface. The catalogs themselves: catalogs.ts (server, tests) and catalog-<lang>.ts (web, loaded per language).
export const LOCALES = ['en', 'he', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

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

export type Catalog = Record<string, unknown>;

/** Feature catalogs (src/i18n/<feature>/<lang>.json) merged into the core one, key by key. */
export function mergeCatalogs(...parts: Catalog[]): Catalog {
  const out: Catalog = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      const prev = out[k];
      out[k] = prev && typeof prev === 'object' && v && typeof v === 'object' ? mergeCatalogs(prev as Catalog, v as Catalog) : v;
    }
  }
  return out;
}
