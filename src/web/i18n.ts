import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLocale, localeInfo, type Catalog, type Locale } from '../i18n/locales.ts';
import { catalogLoaders as loaders } from './language-choice.ts';

export { hasChosenLanguage, initialLanguage, rememberLanguage } from './language-choice.ts';

/** <html lang dir> follow the language, so the browser, screen readers and CSS logical properties agree. */
function applyToDocument(lang: Locale): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = localeInfo[lang].dir;
}

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

let markReady: () => void = () => {};
/** Resolves when the first language is ready: render after it (main.tsx starts it with startI18n). */
export const i18nReady: Promise<void> = new Promise((resolve) => (markReady = resolve));

/**
 * Starts i18next in the first language with its catalog, both already loaded (boot.ts): the signed-in user's language,
 * else the one chosen on this device, else the browser's. Only that catalog is downloaded; a Hebrew reader never loads
 * the English one (every catalog has every key, so nothing falls back).
 */
export async function startI18n(lang: Locale, catalog: Catalog): Promise<void> {
  applyToDocument(lang);
  await i18next.use(initReactI18next).init({
    resources: { [lang]: { translation: catalog } },
    partialBundledLanguages: true,
    lng: lang,
    fallbackLng: false,
    supportedLngs: ['en', 'he', 'ar'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  markReady();
}

i18next.on('languageChanged', (l) => {
  if (isLocale(l)) applyToDocument(l);
});

export function currentLanguage(): Locale {
  return isLocale(i18next.language) ? i18next.language : 'en';
}

export { i18next };
