import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// Recording a group meeting in Ramallah through the browser, then finding it in the week calendar (at the
// right time in the viewer's zone, with the place's time beside it) and its follow-up in "My follow-ups".

const journey = browserJourney('meetings');
const { requests, pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;

/** A Mantine select's text box (its role varies between combobox and textbox) by its label. */
function selectInput(scope: Page | ReturnType<Page['locator']>, label: string) {
  // a required field's label ends with an asterisk
  return scope.getByLabel(new RegExp(`^${label}( \\*)?$`)).and(scope.locator('input:not([type=hidden])'));
}

/** Picks an option of the open Mantine combobox by its visible name. */
async function pick(page: Page, name: string | RegExp) {
  const option = page.getByRole('option', { name }).first();
  await option.waitFor();
  await option.click();
}

describe('meetings, end to end', () => {
  it('records a group meeting in Ramallah with eight members, two concerns and a follow-up; finds it by an Arabic name with a typo, on the timeline, in member health, the week and My follow-ups', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    // the viewer sits in London: the meeting's place (Ramallah, Asia/Hebron) is an hour ahead in July
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    journey.watch(page);

    // ---- the first administrator ----
    await journey.setUpFirstAdmin(page, { name: 'Maya Cohen-Haddad', email: 'maya@example.org', password: 'olive branch 2024 bridge' });

    // ---- eight member organisations and two topics, through the API to save time (the cookie is the browser's) ----
    const api = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const res = await page.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
      return body;
    };
    const members = [
      ['Parents Circle Ramallah', 'حلقة الأهالي رام الله'],
      ['Women Lawyers for Peace', 'محاميات من أجل السلام'],
      ['Green Jordan Valley', 'وادي الأردن الأخضر'],
      ['Bilingual Schools Network', 'شبكة المدارس ثنائية اللغة'],
      ['Tech Jobs Bridge', 'جسر وظائف التكنولوجيا'],
      ['Youth Dialogue Al-Bireh', 'حوار الشباب البيرة'],
      ['Combatants Listening Circle', 'دائرة الإصغاء للمقاتلين'],
      ['Policy Forum Nablus', 'منتدى السياسات نابلس'],
    ];
    const orgIds: string[] = [];
    for (const [en, ar] of members) {
      const org = await api('POST', '/organisations', { kind: 'member', status: 'active', names: [{ name: en }, { name: ar }], name: en, city: 'Ramallah', country: 'PS' });
      orgIds.push(org.id);
    }
    await api('POST', '/topics', { key: 'ceasefire-hostages', nameEn: 'Ceasefire and hostages', nameHe: 'הפסקת אש וחטופים', nameAr: 'وقف إطلاق النار والرهائن' });
    await api('POST', '/topics', { key: 'day-after', nameEn: 'Day-after plans', nameHe: 'תוכניות היום שאחרי', nameAr: 'خطط اليوم التالي' });

    // ---- record the meeting through the form ----
    await page.goto(`${origin}/network/meetings/new`);
    await h1(page, 'Record a meeting');
    await axe(page, 'new meeting en');
    await page.getByRole('textbox', { name: 'Title' }).fill('Regional team meeting in Ramallah');
    await page.getByLabel('Starts').fill('2024-07-09T10:00');
    await page.getByLabel('Ends').fill('2024-07-09T11:30');
    const zone = selectInput(page, 'Time zone of the place');
    await zone.click();
    await zone.fill('Hebron');
    await pick(page, /Asia\/Hebron/);
    // 10:00 in Ramallah in July is 07:00 UTC
    await expect.poll(() => page.getByTestId('start-utc').textContent()).toContain('2024-07-09T07:00:00Z');
    await page.getByRole('textbox', { name: 'City' }).fill('Ramallah');
    await page.getByRole('textbox', { name: 'Venue' }).fill('Alliance office, Al-Irsal Street');

    const orgPicker = selectInput(page, 'Organisations');
    for (const [i, [en, ar]] of members.entries()) {
      await orgPicker.click();
      // the last one is found by its Arabic name: the picker searches names in every script
      await orgPicker.fill(i === members.length - 1 ? ar!.split(' ').slice(0, 2).join(' ') : en!.split(' ').slice(0, 2).join(' '));
      await pick(page, en!);
    }
    await expect.poll(() => page.getByRole('list', { name: 'Roles of the organisations' }).getByRole('listitem').count()).toBe(8);

    const topicsPicker = selectInput(page, 'Topics');
    await topicsPicker.click();
    await pick(page, 'Ceasefire and hostages');
    await page.keyboard.press('Escape');

    await page.getByRole('textbox', { name: 'Notes' }).fill('Members asked for **joint messaging** support.\n\n- permits for Jerusalem meetings\n- [research brief](https://example.org/brief)');

    // two concerns
    const concerns = [
      [members[0]![0]!, 'Permits to reach Jerusalem meetings are refused more often since June.'],
      [members[5]![0]!, 'Youth participants face pressure at home for joining joint activities.'],
    ];
    for (const [i, [org, text]] of concerns.entries()) {
      await page.getByRole('button', { name: 'Add what a member shared' }).click();
      const row = page.getByRole('group', { name: `Shared item ${i + 1}` });
      await selectInput(row, 'Organisation').click();
      await pick(page, org!);
      await row.getByRole('textbox', { name: 'What they said' }).fill(text!);
    }

    // a follow-up for the administrator (the owner by default)
    await page.getByRole('button', { name: 'Add follow-up' }).click();
    const fu = page.getByRole('group', { name: 'Follow-up 1' });
    await fu.getByRole('textbox', { name: 'What to do' }).fill('Send the permit letter template to Parents Circle');
    await expect.poll(() => selectInput(fu, 'Owner').inputValue()).toBe('Maya Cohen-Haddad');
    await selectInput(fu, 'Organisation').click();
    await pick(page, members[0]![0]!);
    await shot(page, 'en-form');

    await page.getByRole('button', { name: 'Record meeting' }).click();
    await page.waitForURL(/\/network\/meetings\/[0-9a-f-]{36}$/);
    await h1(page, 'Regional team meeting in Ramallah');
    const meetingId = page.url().split('/').pop()!;

    // the meeting as stored: both times, eight organisations, two concerns, one follow-up
    const stored = await api('GET', `/meetings/${meetingId}`);
    expect(stored.startsAt).toMatch(/^2024-07-09T07:00:00(\.000)?(Z|\+00:00)$/);
    expect(stored.timeZone).toBe('Asia/Hebron');
    expect(stored.organisations).toHaveLength(8);
    expect(stored.sharedItems.filter((s: { kind: string }) => s.kind === 'concern')).toHaveLength(2);
    expect(stored.followUps).toHaveLength(1);
    expect(await page.getByTestId('viewer-time').textContent()).toContain('08:00');
    expect(await page.getByTestId('place-time').textContent()).toContain('10:00');
    // markdown rendered safely: bold and a list, the link opens with noopener
    await expect.poll(() => page.locator('strong', { hasText: 'joint messaging' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'research brief' }).getAttribute('rel')).toContain('noopener');
    await expect.poll(() => page.getByText('Permits to reach Jerusalem meetings').count()).toBe(1);

    // ---- the week calendar: 08:00 in London, with Ramallah's 10:00 beside it ----
    await page.goto(`${origin}/network/meetings?view=week&week=2024-07-09`);
    const tuesday = page.locator('[data-date="2024-07-09"]');
    await tuesday.getByRole('link', { name: 'Regional team meeting in Ramallah' }).waitFor();
    const block = tuesday.getByRole('listitem').filter({ hasText: 'Regional team meeting in Ramallah' });
    // Unicode isolates keep a Hebrew or Arabic place name in order; they are invisible
    const blockText = (await block.textContent())!.replace(/[\u2066-\u2069]/g, '');
    expect(blockText).toContain('08:00–09:30');
    expect(blockText).toContain('10:00 Ramallah time');
    // English weeks run Monday to Sunday
    expect(await page.locator('[data-date]').first().getAttribute('data-date')).toBe('2024-07-08');
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => page.locator('[data-date]').first().getAttribute('data-date')).toBe('2024-07-15');
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => page.locator('[data-date]').first().getAttribute('data-date')).toBe('2024-07-08');

    // ---- My follow-ups ----
    await page.goto(`${origin}/network/follow-ups`);
    await h1(page, 'My follow-ups');
    await page.getByRole('cell', { name: 'Send the permit letter template to Parents Circle', exact: true }).waitFor();

    // ---- found by an organisation's Arabic name typed with a typo; the meeting is on its timeline and in member health ----
    const [parentsEn, parentsAr] = members[0]!;
    const typo = parentsAr!.replace('الأهالي', 'الأهلي'); // a letter dropped
    expect(typo).not.toBe(parentsAr);
    const searchBox = page.getByRole('searchbox', { name: 'Search the network' });
    await searchBox.fill(typo);
    await searchBox.press('Enter');
    await page.waitForURL(/\/network\/search\?q=/);
    const orgResults = page.locator('section', { has: page.getByRole('heading', { name: /^Organisations/ }) });
    const hit = orgResults.getByRole('link', { name: parentsEn! });
    await expect.poll(() => hit.count(), { timeout: 15_000 }).toBe(1);
    await hit.click();
    await page.waitForURL(`${origin}/network/organisations/${orgIds[0]}`);
    const timeline = page.getByTestId('timeline');
    await expect.poll(() => timeline.getByText('Regional team meeting in Ramallah').count()).toBeGreaterThan(0);
    await expect.poll(() => timeline.getByText('Permits to reach Jerusalem meetings').count()).toBeGreaterThan(0);

    await page.goto(`${origin}/network/health`);
    const healthRow = page.locator('tbody tr', { has: page.getByRole('link', { name: parentsEn! }) });
    await healthRow.waitFor();
    // met on 9 July 2024, so no longer "never met"; the others of the eight too
    expect(await healthRow.getByText('Never met').count()).toBe(0);
    const health = await api('GET', `/member-health?limit=500`);
    const ours = health.items.filter((h: { id: string }) => orgIds.includes(h.id));
    expect(ours).toHaveLength(8);
    for (const h of ours) expect(h.lastMeetingAt).toMatch(/^2024-07-09T07:00:00/);

    // ---- every page in three languages: axe and a screenshot ----
    const pages: { name: string; url: string; ready: (p: Page) => Promise<unknown> }[] = [
      { name: 'list', url: '/network/meetings', ready: (p) => p.getByRole('link', { name: 'Regional team meeting in Ramallah' }).waitFor() },
      { name: 'week', url: '/network/meetings?view=week&week=2024-07-09', ready: (p) => p.getByRole('link', { name: 'Regional team meeting in Ramallah' }).waitFor() },
      { name: 'details', url: `/network/meetings/${meetingId}`, ready: (p) => p.getByTestId('place-time').waitFor() },
      { name: 'edit', url: `/network/meetings/${meetingId}/edit`, ready: (p) => p.getByTestId('start-utc').waitFor() },
      { name: 'follow-ups', url: '/network/follow-ups', ready: (p) => p.getByRole('cell', { name: 'Send the permit letter template to Parents Circle', exact: true }).waitFor() },
      { name: 'dashboard', url: '/network/dashboard', ready: (p) => p.getByTestId('met-sentence').waitFor() },
      { name: 'calendar', url: '/network/calendar', ready: (p) => p.getByRole('heading', { level: 2 }).first().waitFor() },
    ];
    for (const lang of ['en', 'he', 'ar'] as const) {
      if (lang !== 'en') await switchLanguage(page, lang);
      for (const pg of pages) {
        await page.goto(`${origin}${pg.url}`);
        await pg.ready(page).catch(async (err) => {
          await shot(page, `${lang}-${pg.name}-failed`);
          throw new Error(`${pg.name} ${lang} did not show: ${err}\n${pageProblems.join('\n')}`);
        });
        expect(await page.evaluate(() => document.documentElement.dir)).toBe(lang === 'en' ? 'ltr' : 'rtl');
        await axe(page, `${pg.name} ${lang}`);
        await shot(page, `${lang}-${pg.name}`);
      }
      if (lang !== 'en') {
        // Hebrew and Arabic weeks run Sunday to Saturday
        await page.goto(`${origin}/network/meetings?view=week&week=2024-07-09`);
        await expect.poll(() => page.locator('[data-date]').first().getAttribute('data-date')).toBe('2024-07-07');
      }
    }
    await switchLanguage(page, 'en');

    // ---- the dashboard over July 2024 counts the eight members ----
    await page.goto(`${origin}/network/dashboard`);
    await page.locator('label', { hasText: /^Custom$/ }).click();
    // the last day first: the period may span at most 400 days at any moment
    await page.getByLabel('Until', { exact: true }).fill('2024-07-31');
    await page.getByLabel('From', { exact: true }).fill('2024-07-01');
    await expect.poll(() => page.getByTestId('met-sentence').textContent()).toContain('We met 8 member organisations');
    await shot(page, 'en-dashboard-july');

    // ---- a private calendar feed, reached from the meetings list: shown once, listed, revoked ----
    await page.goto(`${origin}/network/meetings`);
    await page.getByRole('link', { name: 'Calendar feed' }).click();
    await page.waitForURL(`${origin}/network/calendar`);
    await page.getByRole('button', { name: 'Create feed address' }).click();
    const url = await page.getByTestId('feed-url').inputValue();
    expect(url).toMatch(/\/api\/calendar\/feed\/[^/]+\.ics$/);
    const feed = await page.request.get(url.replace(/^https?:\/\/[^/]+/, origin));
    expect(feed.status()).toBe(200);
    // the feed holds recent meetings only (the July 2024 one is long past): it is a calendar all the same
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await shot(page, 'en-calendar-created');
    await page.getByRole('button', { name: 'Revoke' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByText('You have no active feeds.').count()).toBe(1);
    expect((await page.request.get(url.replace(/^https?:\/\/[^/]+/, origin))).status()).toBe(404);

    // ---- the follow-up is marked done and leaves the list of open ones ----
    await page.goto(`${origin}/network/follow-ups`);
    await page.getByRole('button', { name: 'Mark done: Send the permit letter template to Parents Circle' }).click();
    await expect.poll(() => page.getByText('No follow-ups here.').count()).toBe(1);

    // ---- nothing went to another origin; the CSP refused nothing ----
    expect(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin)).toEqual([]);
    expect(pageProblems).toEqual([]);
    await context.close();
  });
});
