import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT, type Lang } from './support.ts';

// The Network pages in a real browser: organisations (with an Arabic name), the header search (with a typo),
// an organisation's timeline, people, member health, import and offices; axe in English, Hebrew and Arabic.

const journey = browserJourney('network');
const { requests, pageProblems, axe, shot, switchLanguage } = journey;
const heading = journey.heading;

describe('the Network pages, end to end', () => {
  const admin = { name: 'Nadia Haddad', email: 'nadia@example.org', password: 'harbour lights over jaffa' };
  const arabicName = 'جمعية الأمل للتنمية المجتمعية';
  const latinName = 'Al-Amal Community Development Association';
  // search hits and member health name an organisation in the reader's script once the server sends its names
  // (Latin in English); until then they show the display name, the Arabic one
  const englishName = new RegExp(`^(${latinName}|${arabicName})$`);

  it('creates an organisation with an Arabic name, finds it with a typo, opens its timeline, and every page passes axe in three languages', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);

    // ---- the first administrator ----
    await journey.setUpFirstAdmin(page, { name: admin.name, email: admin.email, password: admin.password });

    // ---- the nav: Network is a group ----
    const nav = page.locator('.mantine-AppShell-navbar');
    for (const name of ['Organisations', 'People', 'Meetings', 'Follow-ups', 'Member health', 'Dashboard', 'Import', 'Offices']) {
      await expect.poll(() => nav.getByRole('link', { name, exact: true }).count(), { message: name }).toBe(1);
    }
    await nav.getByRole('link', { name: 'Organisations', exact: true }).click();
    await heading(page, 'Network organisations');
    await page.getByText('No organisations match these filters.').waitFor();

    // ---- a new organisation: Arabic name first, a Latin one beside it ----
    await page.getByRole('button', { name: 'New organisation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New organisation' });
    await dialog.getByRole('textbox', { name: 'Name 1' }).fill(arabicName);
    await expect.poll(() => dialog.getByText('Written in: Arabic script').count()).toBe(1);
    await dialog.getByRole('button', { name: 'Add a name' }).click();
    await dialog.getByRole('textbox', { name: 'Name 2' }).fill(latinName);
    await expect.poll(() => dialog.getByText('Written in: Latin script').count()).toBe(1);
    await dialog.getByRole('textbox', { name: 'City' }).fill('Ramallah');
    await dialog.getByRole('textbox', { name: 'Area' }).fill('West Bank');
    await dialog.getByRole('textbox', { name: 'Country' }).fill('ps');
    await axe(page, 'new organisation en');
    await shot(page, 'en-organisation-new');
    await dialog.getByRole('button', { name: 'Create organisation' }).click();
    await page.waitForURL(/\/network\/organisations\/[0-9a-f-]{36}$/);
    const orgUrl = page.url();
    // the page names it in the reader's script: Latin in English, the Arabic name shown beside it
    await heading(page, latinName);
    await expect.poll(() => page.getByText(arabicName).count()).toBeGreaterThan(0);
    // the status set at creation is on the timeline
    await expect.poll(() => page.getByTestId('timeline').getByText('Status changed to Active').count()).toBe(1);

    // a second organisation, then a typed link between them: both show on the timeline
    await nav.getByRole('link', { name: 'Organisations', exact: true }).click();
    await page.getByRole('button', { name: 'New organisation' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Name 1' }).fill('Friedrich Foundation');
    await page.getByRole('dialog').getByLabel('Kind', { exact: true }).click();
    await page.getByRole('option', { name: 'Funder' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create organisation' }).click();
    await heading(page, 'Friedrich Foundation');
    await page.goto(orgUrl);
    await heading(page, latinName);
    await page.getByRole('button', { name: 'Add link' }).click();
    const linkDialog = page.getByRole('dialog');
    await linkDialog.getByLabel('Kind of link', { exact: true }).click();
    await page.getByRole('option', { name: 'Funded by' }).click();
    await linkDialog.getByLabel(/^Other organisation/).fill('Friedrich');
    await page.getByRole('option', { name: 'Friedrich Foundation' }).click();
    await linkDialog.getByRole('button', { name: 'Add link' }).click();
    await linkDialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('section', { has: page.getByRole('heading', { name: 'Links to other organisations' }) }).getByRole('link', { name: 'Friedrich Foundation' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('timeline').getByText('Funded by').count()).toBeGreaterThan(0);
    await axe(page, 'organisation en');
    await shot(page, 'en-organisation');

    // ---- the header search finds it through a typo (a letter missing), in Arabic ----
    const typo = 'جمعية الأمل للتمية';
    const searchBox = page.getByRole('searchbox', { name: 'Search the network' });
    await searchBox.fill(typo);
    await searchBox.press('Enter');
    await page.waitForURL(/\/network\/search\?q=/);
    await heading(page, 'Search');
    const orgResults = page.locator('section', { has: page.getByRole('heading', { name: /^Organisations/ }) });
    await expect.poll(() => orgResults.getByRole('link', { name: englishName }).count(), { timeout: 15_000 }).toBe(1);
    await axe(page, 'search en');
    await shot(page, 'en-search');
    await orgResults.getByRole('link', { name: englishName }).click();
    await page.waitForURL(orgUrl);
    await heading(page, latinName);
    await page.getByTestId('timeline').waitFor();

    // ---- import: a bad row is named with its field; dropped, the rest is written ----
    await nav.getByRole('link', { name: 'Import', exact: true }).click();
    await heading(page, 'Import from CSV');
    const csv = 'name,name_he,kind,city\nمركز الشباب,מרכז הנוער,member,Nablus\nBroken Org,,spaceship,Jenin\nHope Media,,media,Haifa\n';
    await page.locator('input[type=file]').setInputFiles({ name: 'orgs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 15_000 });
    await expect.poll(() => errors.locator('tbody tr').count()).toBe(1);
    expect(await errors.locator('tbody tr td').first().textContent()).toBe('3');
    expect(await errors.locator('tbody tr td').nth(1).textContent()).toBe('Kind');
    expect(await errors.locator('tbody tr td').nth(4).textContent()).toBe('Use member, partner, funder, mission, media or other');
    await axe(page, 'import en');
    await shot(page, 'en-import');
    await page.getByRole('checkbox', { name: 'Drop row 3' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Drop row 3' }).isChecked()).toBe(true);
    const commit = page.getByRole('button', { name: 'Import the valid rows (2)' });
    await expect.poll(() => commit.isEnabled(), { timeout: 15_000 }).toBe(true);
    await commit.click();
    await expect.poll(() => page.getByText('Created: 2. Updated: 0. Dropped: 1.').count(), { timeout: 15_000 }).toBe(1);

    // ---- every page in three languages ----
    const pages: { link: Record<Lang, string>; heading: Record<Lang, string>; name: string }[] = [
      { name: 'organisations', link: { en: 'Organisations', he: 'ארגונים', ar: 'المنظمات' }, heading: { en: 'Network organisations', he: 'ארגוני הרשת', ar: 'منظمات الشبكة' } },
      { name: 'people', link: { en: 'People', he: 'אנשים', ar: 'الأشخاص' }, heading: { en: 'People', he: 'אנשים', ar: 'الأشخاص' } },
      { name: 'health', link: { en: 'Member health', he: 'קשר עם החברים', ar: 'التواصل مع الأعضاء' }, heading: { en: 'Member health', he: 'קשר עם החברים', ar: 'التواصل مع الأعضاء' } },
      { name: 'import', link: { en: 'Import', he: 'ייבוא', ar: 'الاستيراد' }, heading: { en: 'Import from CSV', he: 'ייבוא מקובץ CSV', ar: 'الاستيراد من ملف CSV' } },
      { name: 'offices', link: { en: 'Offices', he: 'משרדים', ar: 'المكاتب' }, heading: { en: 'Offices and staff', he: 'משרדים וצוות', ar: 'المكاتب والموظفون' } },
    ];
    // row errors in the reader's language, from the error's code and params (not the server's English detail)
    const rowProblems: Record<'he' | 'ar', string[]> = {
      he: ['יש לכתוב אחד מהסוגים: חבר, שותף, מממן, נציגות, תקשורת או אחר, או באנגלית: member, partner, funder, mission, media, other', 'אותו ארגון כמו בשורה 2'],
      ar: ['استخدم أحد الأنواع: عضو، شريك، مانح، بعثة، إعلام أو أخرى، أو بالإنجليزية: member, partner, funder, mission, media, other', 'المنظمة نفسها كما في الصف 2'],
    };
    const sampleValues: Record<'he' | 'ar', string> = {
      he: 'שמות: مركز النور (כתב ערבי), מרכז האור (כתב עברי) · סוג: שותף',
      ar: 'الأسماء: مركز النور (بالحروف العربية), מרכז האור (بالحروف العبرية) · النوع: شريك',
    };
    for (const lang of ['en', 'he', 'ar'] as const) {
      if (lang !== 'en') await switchLanguage(page, lang);
      for (const p of pages) {
        await nav.getByRole('link', { name: p.link[lang], exact: true }).click();
        await heading(page, p.heading[lang]);
        if (p.name === 'organisations' || p.name === 'health') await page.locator('tbody tr').first().waitFor();
        if (p.name === 'import' && lang !== 'en') {
          const bad = 'name,name_he,kind\nBroken Org,,spaceship\nbroken org,,member\nمركز النور,מרכז האור,partner\n';
          await page.locator('input[type=file]').setInputFiles({ name: 'orgs.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
          const rows = page.getByTestId('import-errors').locator('tbody tr');
          await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
          const problems = await rows.evaluateAll((trs) => trs.map((tr) => ({ text: tr.children[4]!.textContent, lang: tr.children[4]!.querySelector('[lang]')?.getAttribute('lang') ?? null })));
          expect(problems).toEqual(rowProblems[lang].map((text) => ({ text, lang: null })));
          // the valid row's preview: names with their scripts, the kind named, labels and the action badge whole, in the reader's words
          const sample = page.getByTestId('import-sample').locator('tbody tr').first();
          await sample.waitFor();
          const values = await sample.locator('td').nth(2).textContent();
          expect(values).toBe(sampleValues[lang]);
          const badge = sample.locator('td').nth(1).locator('.mantine-Badge-label');
          expect(await badge.textContent()).toBe(lang === 'he' ? 'יצירה' : 'إنشاء');
          expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= el.closest('.mantine-Badge-root')!.getBoundingClientRect().right + 0.5)).toBe(true);
        }
        await axe(page, `${p.name} ${lang}`);
        await shot(page, `${lang}-${p.name}`);
      }
      await page.goto(orgUrl);
      // no Hebrew name is recorded, so Hebrew readers see the display name (the Arabic one)
      await heading(page, lang === 'en' ? latinName : arabicName);
      await page.getByTestId('timeline').waitFor();
      await axe(page, `organisation ${lang}`);
      await shot(page, `${lang}-organisation`);
      await page.goto(`${origin}/network/search?q=${encodeURIComponent('Al-Amal')}`);
      await expect.poll(() => page.getByRole('link', { name: lang === 'en' ? englishName : arabicName }).count(), { timeout: 15_000 }).toBe(1);
      await axe(page, `search ${lang}`);
      await shot(page, `${lang}-search`);
    }
    await switchLanguage(page, 'en');

    // member health lists the new member, never met
    await nav.getByRole('link', { name: 'Member health', exact: true }).click();
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: englishName }) });
    await expect.poll(() => row.getByText('Never met').count()).toBe(1);

    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    expect(pageProblems).toEqual([]);
    await context.close();
  }, 420_000);
});
