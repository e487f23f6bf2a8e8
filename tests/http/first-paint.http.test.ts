import { describe, expect, it } from 'vitest';
import { translate } from '../../src/i18n/catalogs.ts';
import { user } from '../../src/server/features/accounts/accounts.schema.ts';
import { escapeHtml } from '../../src/server/public/html.ts';
import { firstPaintHtml, firstPaintPage, signedOutLanguage } from '../../src/server/http/first-paint.ts';
import { createTestApp } from '../setup/test-app.ts';

// The staff app's first paint (issue 10, item 3): the server writes the sign-in page's form and the organisation
// list's heading and introduction in the reader's language, with <html lang dir> for that language, so the largest
// text shows before React has arrived. These requests read the real build (.ci/run and the journeys build it first).

const shellOf = (html: string) => ({
  html: /<html[^>]*>/.exec(html)?.[0],
  firstPaint: /<div id="first-paint"[^>]*data-path="([^"]+)"/.exec(html)?.[1] ?? null,
  h1: /<h1 class="fp-[^"]+">([^<]*)<\/h1>/.exec(html)?.[1],
});

describe('the first paint', () => {
  it('is the sign-in form for someone not signed in, in the language of their browser, or the one chosen on this device', async () => {
    const t = await createTestApp();
    await t.signedIn('admin'); // an install with an account (with none, the app goes to the setup page: below)
    for (const [headers, lang, dir] of [
      [{}, 'en', 'ltr'],
      [{ 'accept-language': 'he-IL,he;q=0.9,en;q=0.8' }, 'he', 'rtl'],
      [{ 'accept-language': 'fr-FR,ar;q=0.7' }, 'ar', 'rtl'],
      // the choice made on this device (language switch) wins over the browser's
      [{ 'accept-language': 'he', cookie: 'other=1; convene_locale=ar' }, 'ar', 'rtl'],
    ] as const) {
      const res = await t.client(headers).get('/sign-in');
      const html = await res.text();
      expect([res.status, shellOf(html)]).toEqual([200, { html: `<html lang="${lang}" dir="${dir}">`, firstPaint: '/sign-in', h1: escapeHtml(translate(lang, 'signIn.title')) }]);
      for (const key of ['fields.email', 'fields.password', 'signIn.action', 'signIn.help']) expect(html).toContain(escapeHtml(translate(lang, key)));
      // the whole app is still a script the page loads; nothing inline (the CSP forbids inline scripts)
      expect(html.match(/<script\b[^>]*>/g)?.every((tag) => / src="\/assets\/[^"]+\.js"/.test(tag))).toBe(true);
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
    // a session that is not one, or a cookie naming no language, is someone not signed in in their browser's language
    const stranger = await t.client({ cookie: 'better-auth.session_token=forged; convene_locale="><script>', 'accept-language': 'he' }).get('/network');
    expect(shellOf(await stranger.text())).toEqual({ html: '<html lang="he" dir="rtl">', firstPaint: '/sign-in', h1: escapeHtml(translate('he', 'signIn.title')) });
  });

  it('is the organisation list\'s heading and introduction for a signed-in reader, in the language of their profile, and nothing on other pages', async () => {
    const t = await createTestApp();
    const staff = await t.signedIn('staff', { headers: { 'accept-language': 'he' } });
    expect((await staff.patch('/api/me', { locale: 'ar' })).status).toBe(200);
    const html = await (await staff.get('/network')).text();
    expect(shellOf(html)).toEqual({ html: '<html lang="ar" dir="rtl">', firstPaint: '/network', h1: escapeHtml(translate('ar', 'org.list.title')) });
    expect(html).toContain(escapeHtml(translate('ar', 'org.list.intro')));
    // no sign-in form for someone signed in, and no first paint where there is none to show (the page starts blank)
    expect(html).not.toContain(escapeHtml(translate('ar', 'signIn.title')));
    for (const p of ['/network/people', '/', '/account', '/sign-in']) expect(shellOf(await (await staff.get(p)).text())).toEqual({ html: '<html lang="ar" dir="rtl">', firstPaint: null, h1: undefined });
    // nobody signed in: none on the setup and invitation pages either
    for (const p of ['/setup', '/invitation?token=x']) expect(shellOf(await (await t.client().get(p)).text()).firstPaint).toBeNull();
  });

  it('is none on an install with no account yet: the app goes to the setup page, and the sign-in form must not flash first', async () => {
    const t = await createTestApp();
    expect(await t.db.$count(user)).toBe(0);
    for (const p of ['/', '/sign-in', '/network']) {
      const html = await (await t.client({ 'accept-language': 'he' }).get(p)).text();
      expect(shellOf(html), p).toEqual({ html: '<html lang="he" dir="rtl">', firstPaint: null, h1: undefined });
    }
    // once the first account exists, the sign-in form is the first paint again
    await t.signedIn('admin');
    expect(shellOf(await (await t.client().get('/sign-in')).text()).firstPaint).toBe('/sign-in');
  });

  it('chooses pages and languages as the staff app does', () => {
    expect(['/sign-in', '/', '/network', '/setup', '/invitation', '/setupx'].map((p) => firstPaintPage(p, false))).toEqual(['sign-in', 'sign-in', 'sign-in', null, null, 'sign-in']);
    expect(firstPaintPage('/sign-in', false, true)).toBeNull();
    expect(['/network', '/network/', '/network/people', '/networks', '/'].map((p) => firstPaintPage(p, true))).toEqual(['organisations', 'organisations', null, null, null]);
    expect(signedOutLanguage(undefined, undefined)).toBe('en');
    expect(signedOutLanguage('convene_locale=fr', 'ar-PS, he')).toBe('ar');
    expect(signedOutLanguage('xconvene_locale=he', 'en')).toBe('en');
    expect(signedOutLanguage('convene_locale=he', 'ar')).toBe('he');
    expect(firstPaintHtml(null, 'he')).toBe('');
  });
});
