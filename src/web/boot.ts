import { isLocale, type Catalog, type Locale } from '../i18n/locales.ts';
import { api, type Me } from './api.ts';
import { preloadFirstPage, signInPage } from './first-page.ts';
import { catalogLoaders, initialLanguage } from './language-choice.ts';

export type Boot = { me: Me | null; needsSetup: boolean; sessionFailed: boolean; lang: Locale; catalog: Catalog };

/**
 * What the first page needs before it can show anything, asked while the app's code downloads: who is signed in
 * (index.html preloads the answer) and, from that, the language and its catalog. The signed-in user's language wins
 * over this device's choice, and that over the browser's.
 */
export async function boot(): Promise<Boot> {
  let me: Me | null = null;
  let needsSetup = false;
  let sessionFailed = false;
  try {
    ({ me, needsSetup } = await api.session());
  } catch {
    // the router asks again, and says what went wrong
    sessionFailed = true;
  }
  if (me) preloadFirstPage(location.pathname);
  else if (!needsSetup && !sessionFailed && !/^\/(setup|invitation)\b/.test(location.pathname)) signInPage().catch(() => {});
  const lang = me && isLocale(me.locale) ? me.locale : initialLanguage();
  const catalog = (await catalogLoaders[lang]()).default;
  return { me, needsSetup, sessionFailed, lang, catalog };
}
