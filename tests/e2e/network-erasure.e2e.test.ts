import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// A person at risk asks to be forgotten. The install requires a second administrator for erasures (turned on in
// Settings). The first administrator asks for the erasure from the person's page in English, choosing to replace the
// name in a meeting title that names them; a second administrator confirms it from the Erasure requests page in
// Arabic; the person's page then shows the tombstone, in Arabic and in Hebrew, and the meeting keeps its attendee.
// The dialogs and pages pass axe in English, Hebrew and Arabic.

const journey = browserJourney('erasure');
const { requests, pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;

const NAMES = { en: 'Samira Tawil', he: 'סמירה טוויל', ar: 'سميرة طويل' };

describe('erasure on request, end to end', () => {
  it('one administrator asks, a second confirms, the person page shows the tombstone', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await context.newPage();
    journey.watch(page);
    await journey.setUpFirstAdmin(page, { name: 'Dana Levi-Nasser', email: 'dana@example.org', password: 'two peoples one coastline' });

    const call = (p: Page) => async (method: 'POST' | 'GET' | 'PATCH', path: string, data?: unknown) => {
      const res = await p.request.fetch(`${origin}/api${path}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.status(), `${method} ${path}: ${JSON.stringify(body)}`).toBeLessThan(300);
      return body;
    };
    const api = call(page);
    const org = await api('POST', '/organisations', { kind: 'member', status: 'active', name: 'Women Wage Peace', names: [{ name: 'Women Wage Peace' }, { name: 'נשים עושות שלום' }, { name: 'نساء يصنعن السلام' }] });
    const person = await api('POST', '/people', {
      names: [{ name: NAMES.en }, { name: NAMES.he, kind: 'alternate' }, { name: NAMES.ar, kind: 'alternate' }],
      contacts: [{ kind: 'email', value: 'samira.tawil@example.org' }],
      affiliations: [{ organisationId: org.id, title: 'Field coordinator' }],
      notes: 'Prefers calls after dark',
    });
    const title = `Coffee with ${NAMES.en}`;
    const meeting = await api('POST', '/meetings', {
      kind: 'one_on_one',
      title,
      startsAt: '2026-11-20T10:00:00+02:00',
      endsAt: '2026-11-20T11:00:00+02:00',
      timeZone: 'Asia/Jerusalem',
      organisations: [{ organisationId: org.id }],
      people: [{ personId: person.id, organisationId: org.id }],
    });

    // ---- Settings: erasure needs a second administrator
    await page.goto(`${origin}/admin/settings`);
    await h1(page, 'Settings');
    const second = page.getByRole('switch', { name: 'Erasure needs a second administrator' });
    await second.waitFor();
    expect(await second.isChecked()).toBe(false);
    await second.click({ force: true });
    await expect.poll(() => second.isChecked()).toBe(true);
    await axe(page, 'settings en');

    // a second administrator, invited and signed in in their own browser
    const invited = await api('POST', '/invitations', { email: 'khalil@example.org', name: 'Khalil Odeh', role: 'admin', locale: 'en' });
    const context2 = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Hebron' });
    const page2 = await context2.newPage();
    journey.watch(page2);
    await page2.goto(invited.link);
    await h1(page2, 'Join Convene');
    await page2.getByLabel('Choose a password').fill('olive trees in the rain');
    await page2.getByRole('button', { name: 'Create account and sign in' }).click();
    await page2.waitForURL(`${origin}/`);

    // ---- the first administrator asks, from the person's page (English)
    await page.goto(`${origin}/network/people/${person.id}`);
    await h1(page, NAMES.en);
    const section = page.locator(`section[aria-labelledby="person-erasure"]`);
    await section.waitFor();
    expect(await section.textContent()).toContain('An erasure cannot be undone.');
    expect(await section.textContent()).toContain('your request waits until another administrator confirms it');
    await section.getByRole('button', { name: 'Erase on request…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase on request' });
    await dialog.waitFor();
    const mentions = dialog.getByTestId('erasure-mentions');
    await mentions.waitFor();
    expect(await mentions.textContent()).toContain(title);
    // every place is chosen at first
    expect(await dialog.getByRole('checkbox', { name: /^Meeting title:/ }).isChecked()).toBe(true);
    await dialog.getByLabel('Reason').fill('Asked by phone on 3 December; ticket 7');
    await axe(page, 'erase dialog en');
    await shot(page, 'en-erase-dialog');
    // a name typed wrong is refused, in words
    const confirmField = dialog.getByRole('textbox', { name: /^Type .* to confirm/ });
    await confirmField.fill('Samira');
    await dialog.getByRole('button', { name: 'Ask a second administrator' }).click();
    await expect.poll(() => dialog.getByText('Type the name exactly as shown to confirm.').count()).toBe(1);
    await confirmField.fill(NAMES.en.toLowerCase());
    await dialog.getByRole('button', { name: 'Ask a second administrator' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => section.getByText('Erasure requested').count()).toBe(1);
    expect(await section.textContent()).toContain('You asked for this erasure: another administrator must confirm it.');
    expect(await section.getByRole('button', { name: 'Confirm the erasure' }).count()).toBe(0);
    // nothing is erased yet
    await h1(page, NAMES.en);
    await switchLanguage(page, 'he');
    await expect.poll(() => section.getByText('התבקשה מחיקה').count()).toBe(1);
    await axe(page, 'person pending he');
    await shot(page, 'he-person-pending');

    // ---- the second administrator confirms, from the Erasure requests page (Arabic)
    await switchLanguage(page2, 'ar');
    await page2.goto(`${origin}/admin/erasures`);
    await h1(page2, 'طلبات المحو');
    const row = page2.locator('tbody tr').filter({ hasText: NAMES.en });
    await row.waitFor();
    expect(await row.textContent()).toContain('Dana Levi-Nasser');
    expect(await row.textContent()).toContain('Asked by phone on 3 December; ticket 7');
    await axe(page2, 'erasure requests ar');
    await shot(page2, 'ar-erasure-requests');
    await row.getByRole('button', { name: 'أكّد المحو' }).click();
    const confirm = page2.getByRole('dialog', { name: 'أكّد المحو' });
    await confirm.waitFor();
    await expect.poll(() => confirm.getByText('مواضع النص المختارة لاستبدال الاسم: 1 من 1.').count()).toBe(1);
    await axe(page2, 'confirm dialog ar');
    await shot(page2, 'ar-confirm-dialog');
    await confirm.getByRole('textbox', { name: /^اكتب .* للتأكيد/ }).fill(NAMES.en);
    await confirm.getByRole('button', { name: 'امحُ الآن' }).click();
    await confirm.waitFor({ state: 'detached' });
    await expect.poll(() => page2.getByText('لا يوجد طلب محو ينتظر.').count()).toBe(1);

    // ---- the person's page shows the tombstone (Arabic), and nothing of them
    await page2.goto(`${origin}/network/people/${person.id}`);
    await h1(page2, /^Erased person · [0-9A-Z]{4}$/);
    const banner = page2.getByTestId('erasure-tombstone');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('مُحيت بيانات هذا الشخص بناءً على طلب');
    expect(await banner.textContent()).toContain('لم يبقَ نص في سجل آخر يذكره.');
    const body = (await page2.locator('main').textContent()) ?? '';
    for (const n of [...Object.values(NAMES), 'samira.tawil@example.org', 'Field coordinator', 'Prefers calls after dark']) expect(body).not.toContain(n);
    expect(await page2.locator(`section[aria-labelledby="person-erasure"]`).count()).toBe(0);
    // the tombstone is frozen: no edit, merge or name to add
    expect(await page2.getByRole('button', { name: 'تعديل' }).count()).toBe(0);
    expect(await page2.getByRole('button', { name: 'دمج سجل مكرر' }).count()).toBe(0);
    await axe(page2, 'person erased ar');
    await shot(page2, 'ar-person-erased');
    // the meeting keeps its attendee under the tombstone; its title no longer names them
    const stored = await call(page2)('GET', `/meetings/${meeting.id}`);
    expect(stored.people.map((p: { personId: string }) => p.personId)).toEqual([person.id]);
    expect(stored.title).toMatch(/^Coffee with \[Erased person · [0-9A-Z]{4}\]$/);

    // ---- and in Hebrew for the first administrator
    await page.reload();
    await h1(page, /^Erased person · [0-9A-Z]{4}$/);
    await expect.poll(() => page.getByTestId('erasure-tombstone').textContent()).toContain('הנתונים של האדם הזה נמחקו לפי בקשה');
    await axe(page, 'person erased he');
    await shot(page, 'he-person-erased');
    // search finds nothing any more
    const found = await api('GET', `/search?q=${encodeURIComponent(NAMES.he)}`);
    expect(found.items).toEqual([]);

    const foreign = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(foreign).toEqual([]);
    expect(pageProblems).toEqual([]);
    await context2.close();
    await context.close();
  }, 300_000);
});
