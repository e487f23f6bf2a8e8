import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLocale, localeInfo, type Catalog, type Locale } from '../i18n/locales.ts';

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

// One language's catalog at a time, each its own chunk: the first page loads only the language it shows.
const loaders: Record<Locale, () => Promise<{ default: Catalog }>> = {
  en: () => import('../i18n/catalog-en.ts'),
  he: () => import('../i18n/catalog-he.ts'),
  ar: () => import('../i18n/catalog-ar.ts'),
};

async function ensureCatalog(lang: Locale): Promise<void> {
  if (i18next.hasResourceBundle(lang, 'translation')) return;
  const catalog = (await loaders[lang]()).default;
  i18next.addResourceBundle(lang, 'translation', catalog, true, true);
}

// The Research pillar's strings are a chunk of their own too, loaded with its pages: most people open the app for
// the network, and the first page should not wait for strings it does not show.
const researchLoaders: Record<Locale, () => Promise<{ default: Catalog }>> = {
  en: () => import('../i18n/research-catalog-en.ts'),
  he: () => import('../i18n/research-catalog-he.ts'),
  ar: () => import('../i18n/research-catalog-ar.ts'),
};
const researchLoaded = new Set<Locale>();
let researchWanted = false;

async function ensureResearchCatalog(lang: Locale): Promise<void> {
  if (researchLoaded.has(lang)) return;
  const catalog = (await researchLoaders[lang]()).default;
  i18next.addResourceBundle(lang, 'translation', catalog, true, true);
  researchLoaded.add(lang);
}

/** Loads the Research pages' strings in the current language (and in any language switched to later). */
export async function loadResearchCatalog(): Promise<void> {
  researchWanted = true;
  await i18nReady;
  await ensureResearchCatalog(currentLanguage());
}

/** Switches the interface language, loading its catalog first. Use this, not i18next.changeLanguage. */
export async function changeLanguage(lang: Locale): Promise<void> {
  // every catalog has every key (src/i18n/catalogs.test.ts), so no English fallback needs loading
  await ensureCatalog(lang);
  if (researchWanted) await ensureResearchCatalog(lang);
  await i18next.changeLanguage(lang);
}

const lang = initialLanguage();
applyToDocument(lang);

/** Resolves when the first language is ready: render after it. */
export const i18nReady: Promise<void> = (async () => {
  await i18next.use(initReactI18next).init({
    resources: {},
    partialBundledLanguages: true,
    lng: lang,
    fallbackLng: 'en',
    supportedLngs: ['en', 'he', 'ar'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  await ensureCatalog(lang);
  await i18next.changeLanguage(lang);
})();
i18next.on('languageChanged', (l) => {
  if (isLocale(l)) applyToDocument(l);
});

export function currentLanguage(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

export { i18next };
