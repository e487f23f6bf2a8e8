import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, isLocale, localeInfo, type Locale } from '../i18n/locales.ts';

const STORAGE_KEY = 'convene.locale';

/** Before sign-in: the language chosen on this device, else the browser's, else English. */
export function initialLanguage(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
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
}

/** <html lang dir> follow the language, so the browser, screen readers and CSS logical properties agree. */
function applyToDocument(lang: Locale): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = localeInfo[lang].dir;
}

const lang = initialLanguage();
applyToDocument(lang);

i18next.use(initReactI18next).init({
  resources: { en: { translation: catalogs.en }, he: { translation: catalogs.he }, ar: { translation: catalogs.ar } },
  lng: lang,
  fallbackLng: 'en',
  supportedLngs: ['en', 'he', 'ar'],
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
i18next.on('languageChanged', (l) => {
  if (isLocale(l)) applyToDocument(l);
});

export function currentLanguage(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

export { i18next };
