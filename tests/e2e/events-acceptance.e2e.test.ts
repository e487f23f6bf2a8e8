import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, type Lang } from './support.ts';

// Issue 12's acceptance, first bullet: staff create an event in the browser with three co-hosts from the Network
// (one sharing contacts, two figures only), a ticket type of capacity 50 and the "share with the co-host" consent;
// 60 people register through the co-hosts' referral links (50 tickets, 10 waitlisted); 3 cancel from their ticket
// pages, the server's own job offers their places to the next 3, who take them from their ticket pages; each
// co-host's secret view link shows only what its mode allows; axe on the staff event page, the report and a co-host
// view (and the staff co-host page) in en, he and ar; the staff pages and the new-event form also at 375 px.
//
// A few registrations go through the form in the browser; the rest are the same form posts (the Origin a browser
// sends), from six browser contexts at once, each with its own client address (the server trusts the proxy header
// here, so the per-address limit of 20 registrations per 10 minutes counts each "household" on its own).

const journey = browserJourney('events-acceptance', { env: { TRUST_PROXY: 'true' } });
// the address the setup link (and so the staff's session cookie) uses
const origin = () => journey.server().url.replace('127.0.0.1', 'localhost');
const ADMIN = { name: 'Dana Staff', email: 'dana@example.org', password: 'a long enough password' };
const ORGS = [
  { name: 'Parents Circle Acceptance', mode: 'contacts' as const },
  { name: 'Standing Together Acceptance', mode: 'aggregate' as const },
  { name: 'Combatants Acceptance', mode: 'aggregate' as const },
];
const MODE_LABEL = { contacts: 'Contacts of those who agreed', aggregate: 'Figures only' };
const SHARE_LABEL = 'I agree to share my name and email with the organisation that invited me';
const PEOPLE = 60;
/** person i comes through co-host i % 3; the even ones agree to share with it */
const personName = (i: number) => {
  const n = String(i).padStart(2, '0');
  return i % 3 === 0 ? `Guest ${n}` : i % 3 === 1 ? `נועה ${n}` : `سلمى ${n}`;
};
const consents = (i: number) => i % 2 === 0;

let eventId = '';
const orgIds: string[] = [];
const referral: string[] = [];
const tokens: string[] = []; // ticket page paths, by person
const viewLinks: string[] = [];

async function api(page: Page, method: 'get' | 'post' | 'patch', path: string, data?: unknown) {
  const url = origin();
  const res = await page.request.fetch(`${url}/api${path}`, { method: method.toUpperCase(), data, headers: { origin: url } });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.json();
}

async function pick(page: Page, label: string, option: string, last = false) {
  // the input, not its listbox (Mantine labels both)
  const input = page.getByLabel(label, { exact: true }).and(page.locator('input'));
  await (last ? input.last() : input.first()).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function stateOf(request: APIRequestContext, path: string): Promise<'ticket' | 'waiting' | 'offered' | 'cancelled' | 'other'> {
  const html = await (await request.get(`${origin()}${path}`)).text();
  if (html.includes('/cancel"')) return 'ticket';
  if (html.includes('class="card offer"')) return 'offered';
  if (html.includes('class="card waiting"')) return 'waiting';
  if (html.includes('ticket cancelled')) return 'cancelled';
  return 'other';
}

describe('Time is Now: three co-hosts, 60 registrations into 50 places, offers taken, each co-host sees its own', () => {
  let staff: Page;
  const households: BrowserContext[] = [];

  it('staff create the event in the browser: capacity 50, three co-hosts from the Network, their links, the sharing consent', async () => {
    const url = origin();
    const context = await journey.browser().newContext({ viewport: { width: 1280, height: 900 }, locale: 'en', timezoneId: 'Asia/Jerusalem' });
    staff = await context.newPage();
    journey.watch(staff);
    await journey.setUpFirstAdmin(staff, ADMIN);
    for (const o of ORGS) {
      const created = await api(staff, 'post', '/organisations', { kind: 'member', status: 'active', names: [{ name: o.name }] });
      orgIds.push(created.id);
    }

    await staff.goto(`${url}/events/new`);
    await journey.heading(staff, 'New event');
    await staff.getByLabel('Title', { exact: true }).first().fill('Time is Now');
    await staff.getByRole('tab', { name: 'Hebrew' }).click();
    await staff.getByLabel('Title', { exact: true }).nth(1).fill('הזמן הוא עכשיו');
    await staff.getByRole('tab', { name: 'Arabic' }).click();
    await staff.getByLabel('Title', { exact: true }).nth(2).fill('الوقت الآن');
    await staff.getByLabel('Address of the registration page').fill('time-is-now');
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await staff.getByLabel('Starts (venue time)').fill(`${day}T18:00`);
    await staff.getByLabel('Ends (venue time)').fill(`${day}T23:00`);
    await pick(staff, 'Status', 'Registration open');
    // the first ticket type's name left empty: “General” in English, Hebrew and Arabic (checked below)
    await staff.getByLabel('Capacity', { exact: true }).fill('50');
    await staff.getByRole('button', { name: 'Create the event' }).click();
    await staff.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    eventId = staff.url().split('/').pop()!;
    await journey.heading(staff, 'Time is Now');
    expect((await api(staff, 'get', `/events/${eventId}`)).ticketTypes[0].name).toEqual({ en: 'General', he: 'כללי', ar: 'عام' });

    // the co-hosts, found by searching the Network, each with its mode
    for (const [k, o] of ORGS.entries()) {
      const search = staff.getByLabel('Organisation from the Network', { exact: true }).and(staff.locator('input')).first();
      await search.click();
      await search.fill(o.name.split(' ')[0]!);
      await staff.getByRole('option', { name: o.name }).click();
      await pick(staff, 'What it sees', MODE_LABEL[o.mode], true);
      await staff.getByRole('button', { name: 'Add co-host' }).click();
      await expect.poll(() => staff.locator('[data-testid="cohost"]').count(), { timeout: 15_000 }).toBe(k + 1);
    }
    // a referral link each, as staff hand them out (read from the page)
    for (const o of ORGS) {
      const block = staff.locator('[data-testid="cohost"]').filter({ hasText: o.name });
      await block.getByRole('button', { name: 'New link' }).click();
      await expect
        .poll(() => block.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).find((v) => v.includes('ref=')) ?? ''), { timeout: 15_000 })
        .toMatch(/\/e\/time-is-now\?ref=/);
      referral.push(await block.locator('input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value).find((v) => v.includes('ref='))!));
    }
    // the consent to share with the co-host that referred them, in three languages
    await pick(staff, 'Kind', 'Consent');
    await pick(staff, 'What the person agrees to', 'Sharing with the co-host that referred them');
    await staff.getByLabel('Question (EN)').fill(SHARE_LABEL);
    await staff.getByLabel('Question (HE)').fill('אני מסכים/ה לשתף את שמי ואת האימייל שלי עם הארגון שהזמין אותי');
    await staff.getByLabel('Question (AR)').fill('أوافق على مشاركة اسمي وبريدي الإلكتروني مع المنظمة التي دعتني');
    await staff.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => staff.getByRole('cell', { name: SHARE_LABEL }).count(), { timeout: 15_000 }).toBe(1);

    const e = await api(staff, 'get', `/events/${eventId}`);
    expect(e.status).toBe('published');
    expect(e.ticketTypes.map((t: { capacity: number }) => t.capacity)).toEqual([50]);
    expect(Object.fromEntries(e.cohosts.map((c: { organisationId: string; sharingMode: string }) => [c.organisationId, c.sharingMode]))).toEqual(
      Object.fromEntries(ORGS.map((o, k) => [orgIds[k], o.mode])),
    );
  });

  it('60 people register through the co-hosts\' links: exactly 50 tickets and 10 on the waitlist', async () => {
    const url = origin();
    for (let k = 0; k < 6; k++) {
      const context = await journey.browser().newContext({ extraHTTPHeaders: { 'x-forwarded-for': `198.51.100.${k + 10}` } });
      households.push(context);
    }
    // the form as people see it, through a link, in each language: the ticket type and the questions' names
    const langs: Lang[] = ['en', 'he', 'ar'];
    const page = await households[0]!.newPage();
    journey.watch(page);
    await page.goto(`${referral[0]}&lang=en`);
    const ticketTypeId = (await page.locator('input[name="ticketTypeId"]').first().getAttribute('value'))!;
    const boxes = await page.locator('input[type="checkbox"][name^="q_"]').evaluateAll((els) =>
      els.map((e) => ({ name: (e as HTMLInputElement).name, label: document.querySelector(`label[for="${e.id}"]`)?.textContent?.trim() ?? '' })),
    );
    const share = boxes.find((b) => b.label.includes(SHARE_LABEL))!;
    expect(share, JSON.stringify(boxes)).toBeTruthy();
    const required = boxes.filter((b) => b !== share).map((b) => b.name);

    // the first three in the browser, one per co-host and language, with the form alone
    for (let i = 0; i < 3; i++) {
      const p = await households[i]!.newPage();
      await p.goto(`${referral[i % 3]}&lang=${langs[i]}`);
      expect(await p.locator('main').innerText()).toContain(ORGS[i % 3]!.name);
      await p.locator('input[name="ticketTypeId"]').first().check();
      await p.fill('#name', personName(i));
      await p.fill('#email', `p${i}@example.org`);
      for (const name of required) await p.locator(`input[name="${name}"]`).check();
      if (consents(i)) await p.locator(`input[name="${share.name}"]`).check();
      await p.locator('main form button[type="submit"]').click();
      await p.waitForURL(/\/e\/time-is-now\/t\//);
      expect(await p.locator('.ticket svg').count()).toBe(1);
      tokens[i] = new URL(p.url()).pathname;
      await p.close();
    }

    // the other 57: the same form posts, six households at once
    const rest = Array.from({ length: PEOPLE - 3 }, (_, j) => j + 3);
    await Promise.all(
      households.map(async (context, k) => {
        for (const i of rest.filter((i) => i % 6 === k)) {
          const ref = new URL(referral[i % 3]!).searchParams.get('ref')!;
          const form: Record<string, string> = { language: langs[i % 3]!, ref, ticketTypeId, name: personName(i), email: `p${i}@example.org`, website: '' };
          for (const name of required) form[name] = 'yes';
          if (consents(i)) form[share.name] = 'yes';
          const res = await context.request.post(`${url}/e/time-is-now`, { form, headers: { origin: url }, maxRedirects: 0 });
          expect(res.status(), await res.text()).toBe(303);
          tokens[i] = new URL(res.headers().location!, url).pathname;
        }
      }),
    );
    const states = await Promise.all(tokens.map((t, i) => stateOf(households[i % 6]!.request, t)));
    expect(states.filter((s) => s === 'ticket').length).toBe(50);
    expect(states.filter((s) => s === 'waiting').length).toBe(10);
    const totals = await api(staff, 'get', `/events/${eventId}/totals`);
    expect({ registrations: totals.registrations, tickets: totals.tickets, capacity: totals.capacity, waiting: totals.waiting }).toEqual({ registrations: 60, tickets: 50, capacity: 50, waiting: 10 });
    // the staff page says so too
    await staff.goto(`${url}/events/${eventId}`);
    await expect.poll(() => staff.locator('[data-testid="total-tickets"]').innerText(), { timeout: 15_000 }).toBe('50');
    expect(await staff.locator('[data-testid="total-waiting"]').innerText()).toBe('10');
  });

  it('3 cancel from their ticket pages; the server offers their places to the next 3, who take them', async () => {
    const url = origin();
    const holders = tokens.map((t, i) => ({ t, i })).filter((_, i) => i >= 3);
    const states = await Promise.all(holders.map((h) => stateOf(households[0]!.request, h.t)));
    const withTicket = holders.filter((_, k) => states[k] === 'ticket');
    // the queue, in its order, as each waiting person's page says it (asked in English for the digits)
    const queue = (
      await Promise.all(
        holders
          .filter((_, k) => states[k] === 'waiting')
          .map(async (h) => {
            const html = await (await households[0]!.request.get(`${url}${h.t}?lang=en`)).text();
            return { ...h, position: Number(/Your place in the queue: (\d+)/.exec(html)?.[1]) };
          }),
      )
    ).sort((a, b) => a.position - b.position);
    expect(queue.map((q) => q.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // one of each co-host's people cancels
    const cancelling = [0, 1, 2].map((c) => withTicket.find((h) => h.i % 3 === c)!);
    for (const h of cancelling) {
      const page = await households[h.i % 6]!.newPage();
      journey.watch(page);
      await page.goto(`${url}${h.t}`);
      await page.locator('.ticket details summary').click();
      await page.locator('.ticket details button[type="submit"]').click();
      await page.locator('.ticket.cancelled').waitFor();
      await page.close();
    }
    // the offer job runs in the server: wait for its result, not for a time
    const offeredNow = async () => (await Promise.all(queue.map((h) => stateOf(households[0]!.request, h.t)))).map((s, k) => (s === 'offered' ? queue[k]!.i : -1)).filter((i) => i >= 0);
    await expect.poll(async () => (await offeredNow()).length, { timeout: 60_000, interval: 500 }).toBe(3);
    // the first three in the queue, nobody else
    expect((await offeredNow()).sort((a, b) => a - b)).toEqual(queue.slice(0, 3).map((q) => q.i).sort((a, b) => a - b));
    const taking = queue.slice(0, 3);
    for (const [n, h] of taking.entries()) {
      const page = await households[h.i % 6]!.newPage();
      journey.watch(page);
      await page.goto(`${url}${h.t}`);
      if (n === 0) await journey.shot(page, 'offer');
      await page.locator('.offer form[action$="/accept"] button').click();
      await page.locator('.ticket svg').waitFor();
      await page.close();
    }
    const totals = await api(staff, 'get', `/events/${eventId}/totals`);
    expect({ tickets: totals.tickets, waiting: totals.waiting }).toEqual({ tickets: 50, waiting: 7 });
    const e = await api(staff, 'get', `/events/${eventId}`);
    expect(e.ticketTypes[0].taken).toBe(50);
  });

  it('each co-host\'s view link shows only what its mode allows, and nobody else\'s registrants', async () => {
    const url = origin();
    for (const [k] of ORGS.entries()) {
      await staff.goto(`${url}/events/${eventId}/cohosts/${orgIds[k]}`);
      await staff.getByRole('button', { name: 'New link' }).click();
      const field = staff.locator('[data-testid="cohost-view-link"]').first();
      await field.waitFor();
      viewLinks[k] = await field.evaluate((el) => (el instanceof HTMLInputElement ? el.value : (el.querySelector('input')?.value ?? '')));
      expect(viewLinks[k]).toMatch(/\/e\/time-is-now\/cohost\//);
    }
    const outsider = await journey.browser().newContext({ javaScriptEnabled: false });
    const page = await outsider.newPage();
    journey.watch(page);
    const everyone = Array.from({ length: PEOPLE }, (_, i) => i);
    for (const [k, o] of ORGS.entries()) {
      await page.goto(`${viewLinks[k]}?lang=en`);
      const text = await page.locator('main').innerText();
      expect(text).toContain(o.name);
      // its own 20 registrations, counted
      const figures = await page.locator('dl.figures').evaluate((dl) => Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent!.trim(), dt.nextElementSibling!.textContent!.trim()])));
      expect(figures['Registrations'], JSON.stringify(figures)).toBe('20');
      // nobody else's registrant, by name or address
      for (const i of everyone.filter((i) => i % 3 !== k)) {
        expect(text).not.toContain(personName(i));
        expect(text).not.toContain(`p${i}@example.org`);
      }
      if (o.mode === 'contacts') {
        const shown = await page.locator('[aria-labelledby="people"] tbody tr td:first-child bdi[dir="auto"]').allInnerTexts();
        const expected = everyone.filter((i) => i % 3 === k && consents(i)).map(personName);
        expect(shown.sort()).toEqual(expected.sort());
        // those who did not agree are not there
        for (const i of everyone.filter((i) => i % 3 === k && !consents(i))) expect(text).not.toContain(personName(i));
      } else {
        expect(await page.locator('[aria-labelledby="people"]').count()).toBe(0);
        expect(text).not.toContain('@');
        for (const i of everyone) expect(text).not.toContain(personName(i));
        expect((await outsider.request.get(`${viewLinks[k]}/registrants.csv?bom=1`)).status()).toBe(404);
      }
      await journey.shot(page, `cohost-${o.mode}-${k}`);
    }
    await outsider.close();
  });

  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}: the staff event page, the report, the staff co-host page and a co-host view are axe-clean`, async () => {
      const url = origin();
      await api(staff, 'patch', '/me', { locale: lang });
      await staff.goto(`${url}/events/${eventId}`);
      await expect.poll(() => staff.evaluate(() => document.documentElement.lang)).toBe(lang);
      await expect.poll(() => staff.locator('[data-testid="total-tickets"]').count(), { timeout: 15_000 }).toBe(1);
      await journey.axe(staff, `event ${lang}`);
      await journey.shot(staff, `event-${lang}`);
      await staff.goto(`${url}/events/${eventId}/report`);
      await expect.poll(() => staff.getByRole('heading', { level: 1 }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await journey.axe(staff, `report ${lang}`);
      await journey.shot(staff, `report-${lang}`);
      // the staff side of the contacts co-host's view: its registrants and its links
      await staff.goto(`${url}/events/${eventId}/cohosts/${orgIds[0]}`);
      await journey.heading(staff, ORGS[0]!.name);
      await staff.locator('[data-testid="cohost-view-link"]').first().waitFor();
      await journey.axe(staff, `staff cohost page ${lang}`);
      await journey.shot(staff, `staff-cohost-${lang}`);
      // the same staff pages, and the new-event form, on a 375 px phone: axe-clean, nothing wider than the screen
      await staff.setViewportSize({ width: 375, height: 740 });
      try {
        for (const [name, at, ready] of [
          ['event', `/events/${eventId}`, '[data-testid="total-tickets"]'],
          ['report', `/events/${eventId}/report`, 'h1'],
          ['staff-cohost', `/events/${eventId}/cohosts/${orgIds[0]}`, '[data-testid="cohost-view-link"]'],
          ['new-event', '/events/new', '#first-type-hint'],
        ] as const) {
          await staff.goto(`${url}${at}`);
          await staff.locator(ready).first().waitFor({ timeout: 15_000 });
          await journey.axe(staff, `${name} ${lang} 375`);
          expect(await staff.evaluate(() => document.documentElement.scrollWidth), `${name} ${lang} 375`).toBeLessThanOrEqual(375);
          await journey.shot(staff, `${name}-${lang}-375`);
        }
      } finally {
        await staff.setViewportSize({ width: 1280, height: 900 });
      }
      const viewer = await journey.browser().newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
      const page = await viewer.newPage();
      journey.watch(page);
      await page.goto(`${viewLinks[0]}?lang=${lang}`);
      expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
      await journey.axe(page, `cohost view ${lang}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await journey.shot(page, `cohost-view-${lang}-375`);
      await viewer.close();
    });
  }

  it('asked nothing of another site and raised no page error', async () => {
    for (const c of households) await c.close();
    const url = origin();
    expect(journey.requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:') && !r.startsWith('blob:'))).toEqual([]);
    expect(journey.pageProblems).toEqual([]);
  });
});
