// The staff app's first paint, sent in the page shell (issue 10, item 3). On a slow phone the sign-in page and the
// organisation list showed nothing until React, Mantine, the router and the catalog had downloaded and run: their
// largest text appeared 3-4.5 s after the address was typed. The server knows the page and the reader's language, so
// it writes that page's frame and its largest text (the heading, the sign-in form, the list's introduction) as plain
// HTML, styled by src/web/first-paint.css, which loads with the app's own stylesheet. It lies over the page, outside
// the React root, until the React page has rendered the same text beneath it (src/web/first-paint.ts removes it in the
// same frame), so nothing moves when it goes. Pages without one start blank, as before.
import { translate } from '../../i18n/catalogs.ts';
import { isLocale, localeInfo, type Locale } from '../../i18n/locales.ts';
import { escapeHtml } from '../public/html.ts';

/** The page at the address a reader (signed in or not) is shown first, when it has a first paint. */
export function firstPaintPage(pathname: string, signedIn: boolean, setupPending = false): 'sign-in' | 'organisations' | null {
  // someone not signed in is sent to the sign-in page from everywhere but the setup and invitation pages; on an
  // install with no account yet, to the setup page (which has no first paint: it would flash the sign-in form)
  if (!signedIn) return setupPending || /^\/(setup|invitation)\b/.test(pathname) ? null : 'sign-in';
  return /^\/network\/?$/.test(pathname) ? 'organisations' : null;
}

const text = (lang: Locale, key: string) => escapeHtml(translate(lang, key));

/** The page's frame and largest text, in the reader's language; empty when the page has none. */
export function firstPaintHtml(page: 'sign-in' | 'organisations' | null, lang: Locale): string {
  if (page === 'sign-in') {
    const label = (key: string) => `<span class="fp-label">${text(lang, key)}<span class="fp-required" aria-hidden="true"> *</span></span>`;
    return `<div id="first-paint" class="fp-public" data-path="/sign-in">
      <div class="fp-header"><span class="fp-logo">Convene</span><span class="fp-language" lang="${lang}">${escapeHtml(localeInfo[lang].label)}</span></div>
      <div class="fp-container">
        <div class="fp-card">
          <h1 class="fp-card-title">${text(lang, 'signIn.title')}</h1>
          <div class="fp-stack">
            <label class="fp-field">${label('fields.email')}<input class="fp-input" name="email" type="email" autocomplete="username" dir="ltr" required></label>
            <label class="fp-field">${label('fields.password')}<input class="fp-input" name="password" type="password" autocomplete="current-password" required></label>
            <button class="fp-button" type="button">${text(lang, 'signIn.action')}</button>
            <p class="fp-help">${text(lang, 'signIn.help')}</p>
          </div>
        </div>
      </div>
    </div>`;
  }
  if (page === 'organisations') {
    return `<div id="first-paint" class="fp-app" data-path="/network">
      <div class="fp-header"><span class="fp-burger" aria-hidden="true"></span><span class="fp-logo">Convene</span></div>
      <div class="fp-navbar"></div>
      <div class="fp-main">
        <h1 class="fp-title">${text(lang, 'org.list.title')}</h1>
        <p class="fp-dimmed">${text(lang, 'org.list.intro')}</p>
      </div>
    </div>`;
  }
  return '';
}

/**
 * The language a reader not signed in sees first, as the staff app chooses it (src/web/language-choice.ts): the one
 * chosen on this device (remembered in a cookie as well as in the browser's storage), else the browser's, else English.
 */
export function signedOutLanguage(cookieHeader: string | undefined, acceptLanguage: string | undefined): Locale {
  const chosen = /(?:^|;\s*)convene_locale=([a-z]{2})(?:;|$)/.exec(cookieHeader ?? '')?.[1];
  if (isLocale(chosen)) return chosen;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const base = part.trim().slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}
