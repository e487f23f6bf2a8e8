import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// The audit log in Hebrew and Arabic, as an administrator reads it: actions in words ("restricted record viewed", not
// record.read), each record by its kind and name linked to its page (a restricted meeting by its kind only), details in
// words (no "restricted: true"), no raw code or uuid in the table; the action and record-kind filters are pickers of
// words. axe is clean in English, Hebrew and Arabic.

const journey = browserJourney('audit');
const { pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** codes the log used to show: actions, kinds, field names and coded values */
const CODE = /\b(record\.read|meeting\.create|organisation\.create|restricted|one_on_one|partner|password|followUps|sharedItems|organisations|people)\b/;

/** A Mantine select's text box by its label. */
function selectInput(page: Page, label: string) {
  return page.getByLabel(new RegExp(`^${label}$`)).and(page.locator('input:not([type=hidden])'));
}

async function tableText(page: Page): Promise<string> {
  return (await page.getByRole('table').innerText()).replace(/\s+/g, ' ');
}

describe('the audit log, in words', () => {
  it('shows actions, records and details in Hebrew and Arabic, filters by picked action and kind, links the records', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);
    await journey.setUpFirstAdmin(page, { name: 'Dana Levi-Nasser', email: 'dana@example.org', password: 'two peoples one coastline' });

    const ok = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const res = await page.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.status(), `${method} ${p}: ${JSON.stringify(body)}`).toBeLessThan(300);
      return body;
    };
    const org = await ok('POST', '/organisations', { kind: 'partner', name: 'Roots Jerusalem', names: [{ name: 'Roots Jerusalem' }] });
    const secretTitle = 'Quiet talks in Beit Jala';
    const meeting = await ok('POST', '/meetings', {
      kind: 'one_on_one',
      title: secretTitle,
      startsAt: '2024-07-10T10:00:00+03:00',
      endsAt: '2024-07-10T11:00:00+03:00',
      timeZone: 'Asia/Jerusalem',
      restricted: true,
      organisations: [{ organisationId: org.id }],
    });
    await ok('GET', `/meetings/${meeting.id}`); // read: audited as a read of a restricted record

    // ---- Hebrew ----
    await switchLanguage(page, 'he');
    await page.goto(`${origin}/admin/audit`);
    await h1(page, 'יומן ביקורת');
    await page.getByRole('link', { name: 'Roots Jerusalem' }).first().waitFor();
    let text = await tableText(page);
    expect(text).toContain('נצפתה רשומה מוגבלת');
    expect(text).toContain('נוצר ארגון');
    expect(text).toContain('נוצרה פגישה');
    expect(text).toContain('ארגון: Roots Jerusalem');
    expect(text).toContain('מוגבל: כן');
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(CODE);
    // the restricted meeting: linked by its kind, its title not in the record column's link
    const restrictedLinks = page.getByRole('link', { name: 'פגישה (רשומה מוגבלת)' });
    expect(await restrictedLinks.count()).toBeGreaterThan(0);
    expect(await restrictedLinks.first().getAttribute('href')).toBe(`/network/meetings/${meeting.id}`);
    expect(await page.getByRole('link', { name: 'Roots Jerusalem' }).first().getAttribute('href')).toBe(`/network/organisations/${org.id}`);
    await axe(page, 'audit-he');
    await shot(page, 'he');

    // the action picker offers words; picking one shows only those entries
    await selectInput(page, 'פעולה').click();
    await page.keyboard.type('נצפתה');
    await page.getByRole('option', { name: 'נצפתה רשומה מוגבלת' }).click();
    await page.getByRole('button', { name: 'החלת סינון' }).click();
    await expect.poll(async () => (await tableText(page)).includes('נוצר ארגון')).toBe(false);
    text = await tableText(page);
    expect(text).toContain('נצפתה רשומה מוגבלת');
    await page.getByRole('button', { name: 'ניקוי' }).click();

    // the record-kind picker
    await selectInput(page, 'סוג רשומה').click();
    await page.getByRole('option', { name: 'ארגון', exact: true }).click();
    await page.getByRole('button', { name: 'החלת סינון' }).click();
    await expect.poll(async () => (await tableText(page)).includes('נוצרה פגישה')).toBe(false);
    expect(await tableText(page)).toContain('נוצר ארגון');
    await page.getByRole('button', { name: 'ניקוי' }).click();

    // one record's entries, from its row
    await page.getByRole('button', { name: 'רשומות על הרשומה הזו' }).first().waitFor();

    // ---- Arabic ----
    await switchLanguage(page, 'ar');
    await h1(page, 'سجل التدقيق');
    await expect.poll(async () => (await tableText(page)).includes('عُرض سجل مقيّد')).toBe(true);
    text = await tableText(page);
    expect(text).toContain('أُنشئت منظمة');
    expect(text).toContain('منظمة: Roots Jerusalem');
    expect(text).toContain('مقيّد: نعم');
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(CODE);
    expect(await page.getByRole('link', { name: 'اجتماع (سجل مقيّد)' }).count()).toBeGreaterThan(0);
    await axe(page, 'audit-ar');
    await shot(page, 'ar');

    // ---- English ----
    await switchLanguage(page, 'en');
    await h1(page, 'Audit log');
    await expect.poll(async () => (await tableText(page)).includes('Restricted record viewed')).toBe(true);
    expect(await tableText(page)).not.toMatch(UUID);
    await axe(page, 'audit-en');

    // the restricted meeting's page opens from its link
    await page.getByRole('link', { name: 'Meeting (restricted record)' }).first().click();
    await h1(page, secretTitle);

    expect(pageProblems).toEqual([]);
    await context.close();
  });
});
