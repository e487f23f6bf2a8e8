import { isLocale, type Catalog, type Locale } from '../i18n/locales.ts';

// Which language a page starts in, and where each language's catalog comes from. Small on purpose: the page's first
// script (boot.ts) uses it before i18next and React have arrived.

const STORAGE_KEY = 'convene.locale';
const COOKIE = 'convene_locale';

/** Before sign-in: the language chosen on this device, else the browser's, else English. */
export function initialLanguage(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) {
      // a choice stored before the cookie existed: the server learns it for the next page's first paint
      if (!document.cookie.includes(`${COOKIE}=${stored}`)) rememberCookie(stored);
      return stored;
    }
  } catch {
    /* storage blocked */
  }
  for (const l of navigator.languages ?? []) {
    const base = l.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}

/** Whether someone chose a language on this device (else an invitation's language may be used). */
export function hasChosenLanguage(): boolean {
  try {
    return isLocale(localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

export function rememberLanguage(lang: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage blocked */
  }
  rememberCookie(lang);
}

/** The choice for the server too, which writes the sign-in page's first paint in it (server/http/first-paint.ts). */
function rememberCookie(lang: Locale): void {
  document.cookie = `${COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
}

// One language's catalog at a time, each its own chunk: the first page loads only the language it shows.
export const catalogLoaders: Record<Locale, () => Promise<{ default: Catalog }>> = {
  en: () => import('../i18n/catalog-en.ts'),
  he: () => import('../i18n/catalog-he.ts'),
  ar: () => import('../i18n/catalog-ar.ts'),
};
