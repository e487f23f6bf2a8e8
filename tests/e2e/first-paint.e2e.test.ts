import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// The staff app's first paint (issue 10, item 3): the server writes the sign-in form and the organisation list's
// heading in the reader's language, shown before the app's code has arrived and gone in the frame the React page
// appears, keeping what was typed into it (and "Sign in" pressed on it).

const { browser, watch, pageProblems, axe, setUpFirstAdmin, shot, switchLanguage } = browserJourney('first-paint');
const admin = { name: 'Dana Levi', email: 'dana@example.org', password: 'a long enough password' };

const htmlAttrs = (page: Page) => page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

describe('the first paint', () => {
  it('shows the sign-in form in Hebrew before the app, signs in with what was typed and pressed there, and gives way to the app; the organisation list\'s heading likewise', async () => {
    const adminContext = await browser().newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    const adminPage = await adminContext.newPage();
    watch(adminPage);
    await setUpFirstAdmin(adminPage, admin);

    // a Hebrew reader, not signed in, whose sign-in page code is held back: the server's form is there meanwhile
    const context = await browser().newContext({ viewport: { width: 375, height: 740 }, locale: 'he-IL' });
    const page = await context.newPage();
    watch(page);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/assets/sign-in.page-*.js', async (route) => {
      await released;
      await route.continue();
    });
    const origin = new URL(adminPage.url()).origin;
    await page.goto(`${origin}/network`, { waitUntil: 'commit' });
    const firstPaint = page.locator('#first-paint');
    await firstPaint.getByRole('heading', { level: 1, name: 'התחברות' }).waitFor();
    expect(await htmlAttrs(page)).toEqual({ lang: 'he', dir: 'rtl' });
    await shot(page, 'he-sign-in-before-the-app');
    await firstPaint.locator('input[name="email"]').fill(admin.email);
    await firstPaint.locator('input[name="password"]').fill(admin.password);
    // "Sign in" pressed before the app has arrived (once the page's first script listens): sent when the form appears
    await page.locator('#first-paint[data-listening]').waitFor();
    await firstPaint.getByRole('button', { name: 'התחברות' }).click();
    release();
    await page.waitForURL(`${origin}/`);
    expect(await page.locator('#first-paint').count()).toBe(0);
    await page.getByRole('heading', { level: 1 }).first().waitFor();

    // signed in (English profile): the list's heading first, then the app's page with its table, the first paint gone
    await adminPage.goto(`${origin}/network`);
    await adminPage.getByRole('table').first().waitFor();
    expect(await adminPage.locator('#first-paint').count()).toBe(0);
    expect(await adminPage.getByRole('heading', { level: 1, name: 'Network organisations' }).count()).toBe(1);
    expect(await htmlAttrs(adminPage)).toEqual({ lang: 'en', dir: 'ltr' });
    await axe(adminPage, 'organisation list en, after the first paint');

    // Arabic chosen on a Hebrew browser's sign-in page: the server's next page is in Arabic (the choice's cookie)
    const chooser = await browser().newContext({ viewport: { width: 375, height: 740 }, locale: 'he-IL' });
    const choosing = await chooser.newPage();
    watch(choosing);
    let releaseChooser!: () => void;
    const chooserReleased = new Promise<void>((resolve) => (releaseChooser = resolve));
    await choosing.route('**/assets/sign-in.page-*.js', async (route) => {
      await chooserReleased;
      await route.continue();
    });
    await choosing.goto(`${origin}/sign-in`, { waitUntil: 'commit' });
    // typing into the first paint as the app arrives: the app's field takes the text and the focus (not the email
    // field, which the app's form focuses by itself)
    await choosing.locator('#first-paint input[name="password"]').fill('half a passw');
    releaseChooser();
    await choosing.locator('#first-paint').waitFor({ state: 'detached' });
    expect(await choosing.evaluate(() => [document.activeElement?.getAttribute('autocomplete'), (document.activeElement as HTMLInputElement).value])).toEqual(['current-password', 'half a passw']);
    // the app's own form, in Hebrew, axe clean once the first paint has gone
    expect(await htmlAttrs(choosing)).toEqual({ lang: 'he', dir: 'rtl' });
    await choosing.getByRole('textbox', { name: 'דוא״ל' }).waitFor();
    await axe(choosing, 'sign-in he, after the first paint');
    await switchLanguage(choosing, 'ar');
    const next = await (await chooser.request.get(`${origin}/sign-in`)).text();
    expect(/<html[^>]*>/.exec(next)?.[0]).toBe('<html lang="ar" dir="rtl">');
    expect(next).toContain('<h1 class="fp-card-title">تسجيل الدخول</h1>');
    await chooser.close();

    expect(pageProblems).toEqual([]);
    await context.close();
    await adminContext.close();
  });
});
