import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, pickOption, type Lang } from './support.ts';

// Issue 14's acceptance in the browser, on the demo's trip (5 travellers, 40 requests, Jerusalem, Ramallah, Tel Aviv):
// it plans; no meeting with the Israeli counterpart lands in Area A and none with the counterpart without a permit in
// Jerusalem; moving one meeting by hand and re-planning keeps the pinned item; the itinerary prints and exports to
// .ics; axe is clean in en, he and ar, on a desktop and on a 375 px phone.

const journey = browserJourney('trips', { demo: true });
const { axe, shot } = journey;
const PASSWORD = 'convene-demo-password';
const ACCOUNT: Record<Lang, string> = { en: 'admin@demo.convene.example', he: 'noa@demo.convene.example', ar: 'rana@demo.convene.example' };
const origin = () => journey.server().url.replace('127.0.0.1', 'localhost');

async function signedIn(lang: Lang, viewport = { width: 1280, height: 860 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await journey.browser().newContext({ viewport, locale: lang, timezoneId: 'Asia/Jerusalem' });
  const page = await context.newPage();
  journey.watch(page);
  const res = await context.request.post(`${origin()}/api/auth/sign-in/email`, { data: { email: ACCOUNT[lang], password: PASSWORD }, headers: { origin: origin() } });
  expect(res.status(), await res.text()).toBe(200);
  expect((await context.request.patch(`${origin()}/api/me`, { data: { locale: lang }, headers: { origin: origin() } })).status()).toBe(200);
  return { context, page };
}

type Plan = { items: Array<{ requestId: string | null; placeId: string | null; startsAt: string; travellerIds: string[]; pinned: boolean }> };
type Detail = { id: string; places: Array<{ id: string; area: string | null }>; rules: Array<{ personId: string | null; area: string; note: string | null; permits: Array<{ validFrom: string; validTo: string }> }>; requests: Array<{ id: string; people: Array<{ id: string }>; pin: { startsAt: string; placeId: string } | null }> };

describe('trips in the browser', () => {
  let tripId = '';

  it('plans the demo week from the trip page; the access rules hold', async () => {
    const { context, page } = await signedIn('en');
    await page.goto(`${origin()}/trips`);
    await journey.heading(page, 'Trips');
    await page.getByRole('link', { name: /July week/ }).click();
    await journey.heading(page, /July week/);
    tripId = page.url().split('/').pop()!;
    await page.getByTestId('replan').click();
    await expect.poll(() => page.getByTestId('plan-item').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await axe(page, 'trip en');
    await shot(page, 'week-en');

    const detail = (await (await context.request.get(`${origin()}/api/trips/${tripId}`)).json()) as Detail;
    const plan = (await (await context.request.get(`${origin()}/api/trips/${tripId}/plan`)).json()) as Plan;
    const area = (placeId: string | null) => detail.places.find((p) => p.id === placeId)?.area;
    const israeli = detail.rules.find((r) => r.personId && r.area.includes('Area A'))!.personId!;
    const noPermit = detail.rules.find((r) => r.note === 'No permit for Jerusalem')!.personId!;
    const withPerson = (personId: string) => plan.items.filter((i) => detail.requests.find((r) => r.id === i.requestId)?.people.some((p) => p.id === personId));
    expect(withPerson(israeli).length).toBeGreaterThan(0);
    for (const i of withPerson(israeli)) expect(area(i.placeId)).not.toMatch(/Area A/);
    expect(withPerson(noPermit).length).toBeGreaterThan(0);
    for (const i of withPerson(noPermit)) expect(area(i.placeId)).not.toBe('Jerusalem');
    await context.close();
  });

  it('moving one meeting by hand and re-planning keeps it where it was put; prints; exports .ics', async () => {
    const { context, page } = await signedIn('en');
    await page.goto(`${origin()}/trips/${tripId}`);
    await journey.heading(page, /July week/);
    await expect.poll(() => page.getByTestId('plan-item').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // move the first meeting by hand to 16:00 the same day: it is pinned there, and the page says what that breaks, if anything
    const first = page.getByTestId('plan-item').first();
    await first.getByRole('button', { name: 'Move' }).click();
    const starts = first.getByLabel('Starts');
    const value = await starts.inputValue();
    await starts.fill(`${value.slice(0, 10)}T16:00`);
    await first.getByRole('button', { name: 'Move and pin' }).click();
    await expect.poll(() => page.getByText('Pinned').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await shot(page, 'moved-en');
    const detail = (await (await context.request.get(`${origin()}/api/trips/${tripId}`)).json()) as Detail;
    const pins = detail.requests.filter((r) => r.pin);
    expect(pins).toHaveLength(1);
    expect(new Date(pins[0]!.pin!.startsAt).toISOString()).toMatch(/T13:00:00.000Z$/); // 16:00 in Jerusalem in July
    await page.getByTestId('replan').click();
    await page.waitForLoadState('networkidle');
    const after = (await (await context.request.get(`${origin()}/api/trips/${tripId}/plan`)).json()) as Plan;
    const kept = after.items.find((i) => i.requestId === pins[0]!.id)!;
    expect(kept).toMatchObject({ pinned: true, startsAt: new Date(pins[0]!.pin!.startsAt).toISOString(), placeId: pins[0]!.pin!.placeId });

    await page.emulateMedia({ media: 'print' });
    await shot(page, 'print-en');
    expect(await page.getByTestId('replan').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    const href = await page.getByTestId('ics').getAttribute('href');
    const ics = await context.request.get(`${origin()}${href}`);
    expect(ics.status()).toBe(200);
    const text = await ics.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).toContain('BEGIN:VEVENT');
    await context.close();
  });

  it('the staff forms: a base per night, a fixed item added then removed, a request changed and shared', async () => {
    const { context, page } = await signedIn('en');
    type Records = { startsOn: string; travellers: Array<{ nights: unknown[] }>; fixedItems: unknown[]; requests: Array<{ title: string; restricted: boolean }> };
    const detail = async () => (await (await context.request.get(`${origin()}/api/trips/${tripId}`)).json()) as Records;
    await page.goto(`${origin()}/trips/${tripId}`);
    await journey.heading(page, /July week/);
    const choose = (label: string | RegExp, option: string | RegExp, within = page.locator('body')) => pickOption(page, within.getByLabel(label).first(), option);
    // a base for the first night of the first traveller
    await page.getByRole('button', { name: /\d+ travellers$/ }).click();
    await page.getByTestId('traveller-row').first().getByRole('button', { name: /^Bases per night: / }).click();
    const nights = page.getByRole('form', { name: /^Bases per night of/ });
    await choose(/^Night of/, /Hotel|office/i, nights);
    await nights.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await detail()).travellers[0]!.nights.length).toBeGreaterThan(0);
    // a fixed item, then removed
    const fixedBefore = (await detail()).fixedItems.length;
    await page.getByRole('button', { name: /\d+ fixed items?$/ }).click();
    const fixed = page.getByRole('form', { name: 'A new fixed item' });
    await fixed.getByLabel('Title').fill('Flight home');
    await choose('Place', /./, fixed);
    const first = (await detail()).startsOn;
    await fixed.getByLabel('Starts').fill(`${first}T18:00`);
    await fixed.getByLabel('Ends').fill(`${first}T19:00`);
    await choose('Travellers', /./, fixed);
    await page.keyboard.press('Escape');
    await fixed.getByRole('button', { name: 'Add' }).click();
    await expect.poll(async () => (await detail()).fixedItems.length).toBe(fixedBefore + 1);
    await page.getByRole('button', { name: 'Remove: Flight home' }).click();
    await expect.poll(async () => (await detail()).fixedItems.length).toBe(fixedBefore);
    // the first request: renamed and made need-to-know, then shared with a colleague
    await page.getByRole('button', { name: /\d+ meeting requests$/ }).click();
    await page.getByTestId('request-row').first().getByRole('button', { name: /^Edit: / }).click();
    const edit = page.getByRole('form', { name: /^Edit / });
    await edit.getByLabel('Title').fill('Renamed in the browser');
    await edit.getByLabel('Need-to-know').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await detail()).requests.find((r) => r.title === 'Renamed in the browser')?.restricted).toBe(true);
    await page.getByRole('button', { name: 'Share: Renamed in the browser' }).click();
    const share = page.getByRole('form', { name: 'Share Renamed in the browser' });
    await choose('Share with', /נועה/, share);
    await share.getByRole('button', { name: 'Share' }).click();
    await page.getByRole('button', { name: /^Remove: נועה/ }).waitFor();
    await axe(page, 'trip records en');
    await shot(page, 'records-en');
    await context.close();
  });

  for (const lang of ['he', 'ar'] as const) {
    it(`reads in ${lang}, right to left, on a desktop and a 375 px phone; axe clean`, async () => {
      const { context, page } = await signedIn(lang);
      await page.goto(`${origin()}/trips/${tripId}`);
      await expect.poll(() => page.getByTestId('plan-item').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      await axe(page, `trip ${lang}`);
      await shot(page, `week-${lang}`);
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(`${origin()}/trips`);
      await page.waitForLoadState('networkidle');
      await axe(page, `trips list ${lang} phone`);
      await shot(page, `list-${lang}-phone`);
      await page.goto(`${origin()}/trips/${tripId}`);
      await expect.poll(() => page.getByTestId('plan-item').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      // every section of the trip's records open: the lists, their buttons and forms, right to left on a phone
      const sections = page.locator('.trip-records .mantine-Accordion-control');
      for (let i = 0; i < (await sections.count()); i++) await sections.nth(i).click();
      await axe(page, `trip ${lang} phone, the records' forms open`);
      await shot(page, `week-${lang}-phone`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await context.close();
    });
  }

  it('asked nothing of another site, and no page error', () => {
    expect(journey.pageProblems).toEqual([]);
    const outside = journey.requests.filter((u) => !u.startsWith(origin()) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});
