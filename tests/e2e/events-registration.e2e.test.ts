import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.ts';
import { event, eventSigningKey, registrationQuestion, ticketType } from '../../src/server/features/events/events.schema.ts';
import { generateEventKeys } from '../../src/server/features/events/ticket-code.ts';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { AXE_TAGS, CHROMIUM, root } from './support.ts';

// The public registration pages of an event on a 375 px phone with JavaScript off, in English, Hebrew and Arabic:
// axe finds nothing on the form, the ticket page and the waitlist page; a registration goes through with the form
// alone; nothing is requested from another site.

const PHONE = { width: 375, height: 740 };
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
let server: ServerProcess;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first (apt-get update && apt-get install -y chromium).`);
  const dataDir = tempDataDir();
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await database.migrate();
  const starts = new Date(Date.now() + 30 * 86_400_000);
  const [e] = await database.db
    .insert(event)
    .values({
      slug: 'time-is-now',
      title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
      description: { en: 'Israelis and Palestinians together.', he: 'ישראלים ופלסטינים יחד.', ar: 'إسرائيليون وفلسطينيون معًا.' },
      practicalInfo: { en: 'Doors open at 17:00.' },
      venueName: 'Arena',
      venueAddress: 'Rokach Blvd 101, Tel Aviv',
      mapUrl: 'https://www.openstreetmap.org/',
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 5 * 3_600_000),
      timeZone: 'Asia/Jerusalem',
      languages: ['he', 'ar', 'en'],
      status: 'published',
    })
    .returning();
  await database.db.insert(eventSigningKey).values({ eventId: e!.id, ...generateEventKeys() });
  await database.db.insert(ticketType).values({ eventId: e!.id, name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: 2 });
  await database.db.insert(registrationQuestion).values([
    { eventId: e!.id, kind: 'consent', consentPurpose: 'terms', required: true, label: { en: 'I accept the terms', he: 'מסכימים לתנאים', ar: 'أوافق على الشروط' } },
    { eventId: e!.id, kind: 'yes_no', label: { en: 'First time at such an event?', he: 'פעם ראשונה באירוע כזה?', ar: 'أول مرة في فعالية كهذه؟' } },
  ]);
  await database.close();
  server = await startServer({ dataDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false });
  const page = await context.newPage();
  context.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`third-party request: ${r.url()}`);
  });
  return { context, page };
}

async function axe(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  // axe needs script in the page: run it through a context of its own on the same HTML
  const html = await page.content();
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, javaScriptEnabled: true });
  const check = await context.newPage();
  await check.route('**/*', (route) => (route.request().url() === `${server.url}/axe-check` ? route.fulfill({ body: html, contentType: 'text/html' }) : route.continue()));
  await check.goto(`${server.url}/axe-check`);
  await check.evaluate(AXE_SOURCE);
  const result = await check.evaluate(async (tags) => {
    const a = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
  await context.close();
  expect(result.map((v) => `${name}: [${v.impact}] ${v.id}: ${v.help} at ${v.targets.join(' | ')}`)).toEqual([]);
}

describe('registering for "Time is Now" on a phone, JavaScript off', () => {
  const people = { en: 'Noa Levi', he: 'נועה לוי', ar: 'سلمى خليل' } as const;
  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}: the form, then the ticket (or the waitlist), axe-clean and right to left where it should be`, async () => {
      const { context, page } = await phone();
      await page.goto(`${server.url}/e/time-is-now?lang=${lang}`);
      expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
      await axe(page, `form ${lang}`);
      // nothing is wider than the phone
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await page.locator('input[name="ticketTypeId"]').first().check();
      await page.fill('#name', people[lang]);
      await page.fill('#email', `${lang}@example.org`);
      await page.locator('input[type="checkbox"][name^="q_"]').first().check();
      await page.locator('main form button[type="submit"]').click();
      await page.waitForURL(/\/e\/time-is-now\/t\//);
      // two places: English and Hebrew get tickets, Arabic joins the waitlist
      if (lang === 'ar') expect(await page.locator('h1').innerText()).toBe('أنت على قائمة الانتظار');
      else expect(await page.locator('.ticket svg').count()).toBe(1);
      await axe(page, `after ${lang}`);
      await context.close();
    });
  }

  it('asked nothing of another site', () => {
    expect(problems).toEqual([]);
  });
});
