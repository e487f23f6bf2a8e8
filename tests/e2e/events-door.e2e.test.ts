import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/client.ts';
import { createUserWithPassword } from '../../src/server/features/accounts/accounts.service.ts';
import { checkinDevice, event, eventSigningKey, ticketType } from '../../src/server/features/events/events.schema.ts';
import { canonicalPairingCode } from '../../src/server/features/events/checkin.service.ts';
import { generateEventKeys } from '../../src/server/features/events/ticket-code.ts';
import { buildTickets, type BuiltTicket } from '../setup/checkin-factories.ts';
import { startServer, tempDataDir, type ServerProcess } from '../setup/server-process.ts';
import { writeQrVideo } from './fake-camera.ts';
import { AXE_TAGS, CHROMIUM, root } from './support.ts';

// The door, as the acceptance says: three phones (browser contexts) paired at two gates scan tickets; one
// of them goes offline for 10 tickets, two of which the others admit online meanwhile; after it reconnects the
// admitted totals are exact, exactly 2 conflicts are listed for staff, and every nonce is recorded once.
// The phones scan real QR codes through a camera: Chromium's fake camera plays a Y4M video made here from the
// tickets' QR codes (fake-camera.ts), rewritten before each scan (a capture reads the file when it opens). Chromium
// on Linux has no BarcodeDetector, so this is the app's WebAssembly decoder (zxing-wasm, served from this server).
// The typed code (the manual path) and the search by name are used too.

const PHONE = { width: 375, height: 740 };
const AXE_SOURCE = fs.readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(root, 'screenshots');
const PASSWORD = 'a long enough password';
const CODES = { north1: 'NRTH-AAAA-0001', south: 'SUTH-BBBB-0002', north2: 'NRTH-CCCC-0003' };
let server: ServerProcess;
let browser: Browser;
let eventId = '';
let tickets: BuiltTicket[] = [];
const problems: string[] = [];
let video = '';
let youthId = '';

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium first.`);
  // the staff pages below need the web app built (the server alone is built by startServer)
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-build.mjs')], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}\n${build.stderr}`);
  const dataDir = tempDataDir();
  const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pglite') });
  await database.migrate();
  await createUserWithPassword(database.db, { name: 'Door Staff', email: 'door@example.org', password: PASSWORD, role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem' });
  const starts = new Date(Date.now() + 3_600_000);
  const [e] = await database.db
    .insert(event)
    .values({
      slug: 'time-is-now',
      title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 5 * 3_600_000),
      timeZone: 'Asia/Jerusalem',
      languages: ['he', 'ar', 'en'],
      gates: ['North', 'South'],
      status: 'published',
    })
    .returning();
  eventId = e!.id;
  await database.db.insert(eventSigningKey).values({ eventId, ...generateEventKeys() });
  const [tt] = await database.db.insert(ticketType).values({ eventId, name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: 100 }).returning();
  tickets = await buildTickets(database.db, eventId, tt!.id, Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? `נועה ${i}` : i % 3 === 1 ? `سلمى ${i}` : `Guest ${i}`)));
  const [youth] = await database.db.insert(ticketType).values({ eventId, name: { en: 'Youth', he: 'נוער', ar: 'شباب' }, capacity: 5, position: 1 }).returning();
  youthId = youth!.id;
  const sha = (s: string) => createHash('sha256').update(canonicalPairingCode(s)).digest('hex');
  const expires = new Date(Date.now() + 30 * 60_000);
  await database.db.insert(checkinDevice).values([
    { eventId, gate: 'North', label: 'phone 1', pairingCodeHash: sha(CODES.north1), pairingExpiresAt: expires },
    { eventId, gate: 'South', label: 'phone 2', pairingCodeHash: sha(CODES.south), pairingExpiresAt: expires },
    { eventId, gate: 'North', label: 'phone 3', pairingCodeHash: sha(CODES.north2), pairingExpiresAt: expires },
  ]);
  await database.close();
  server = await startServer({ dataDir });
  video = path.join(dataDir, 'camera.y4m');
  await writeQrVideo(video, ['']);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

async function phone(lang: 'en' | 'he' | 'ar'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, permissions: ['camera'] });
  const page = await context.newPage();
  context.on('request', (r) => {
    if (!r.url().startsWith(server.url)) problems.push(`third-party request: ${r.url()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  await page.goto(`${server.url}/checkin?lang=${lang}`);
  return { context, page };
}

async function axe(page: Page, name: string) {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const a = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => `${v.impact} ${v.id} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE_TAGS);
  expect(found.map((f) => `${name}: ${f}`)).toEqual([]);
}

async function pair(page: Page, code: string) {
  await page.fill('#pair-code', code);
  await page.locator('#pair-form button[type="submit"]').click();
  await page.locator('#door').waitFor({ state: 'visible' });
  await page.waitForFunction((n) => (window as unknown as { conveneCheckin: { state: () => { tickets: number } } }).conveneCheckin.state().tickets === n, tickets.length);
}

/** Types a code (the manual path) and answers what the result screen says, then dismisses it. */
async function typed(page: Page, code: string): Promise<string> {
  await page.fill('#ticket-code', code);
  await page.locator('#code-form button[type="submit"]').click();
  await page.locator('#result').waitFor({ state: 'visible' });
  const result = (await page.locator('#result').getAttribute('data-result'))!;
  await page.locator('#result-next').click();
  await page.locator('#result').waitFor({ state: 'hidden' });
  return result;
}

/**
 * Holds a QR code up to the phone's camera: the fake camera's video becomes that code, the volunteer taps "Scan"
 * and the app reads it from the video; answers what the result screen says, dismisses it and closes the camera.
 */
async function scan(page: Page, code: string, opts: { keepOpen?: boolean } = {}): Promise<string> {
  await writeQrVideo(video, [code]);
  await page.locator('button[data-scan="ticket"]').click();
  await page.locator('#result').waitFor({ state: 'visible', timeout: 20_000 });
  const result = (await page.locator('#result').getAttribute('data-result'))!;
  await page.locator('#result-next').click();
  await page.locator('#result').waitFor({ state: 'hidden' });
  if (!opts.keepOpen) {
    await page.locator('#camera-stop').click();
    await page.locator('#camera').waitFor({ state: 'hidden' });
  }
  return result;
}

const state = (page: Page) => page.evaluate(() => (window as unknown as { conveneCheckin: { state: () => { queue: number; conflicts: number; tickets: number } } }).conveneCheckin.state());

describe('the door: three phones at two gates, one of them offline for a while', () => {
  let a: { context: BrowserContext; page: Page };
  let b: { context: BrowserContext; page: Page };
  let c: { context: BrowserContext; page: Page };

  it('pairs three phones, in English, Hebrew and Arabic, axe-clean at 375 px', async () => {
    a = await phone('en');
    b = await phone('he');
    c = await phone('ar');
    for (const [p, lang] of [[a, 'en'], [b, 'he'], [c, 'ar']] as const) {
      expect(await p.page.locator('html').getAttribute('dir')).toBe(lang === 'en' ? 'ltr' : 'rtl');
      await axe(p.page, `pairing ${lang}`);
      await p.page.screenshot({ path: path.join(SHOTS, `door-pair-${lang}.png`) });
    }
    // phone 1 scans the pairing QR code staff show (its address), with the camera; the others type the code
    await writeQrVideo(video, [`${server.url}/checkin#pair=${CODES.north1}`]);
    await a.page.locator('button[data-scan="pair"]').click();
    await a.page.locator('#door').waitFor({ state: 'visible', timeout: 20_000 });
    await a.page.waitForFunction((n) => (window as unknown as { conveneCheckin: { state: () => { tickets: number } } }).conveneCheckin.state().tickets === n, tickets.length);
    expect(await a.page.locator('#camera').isHidden()).toBe(true);
    await pair(b.page, CODES.south.toLowerCase());
    await pair(c.page, CODES.north2);
    for (const [p, lang] of [[a, 'en'], [b, 'he'], [c, 'ar']] as const) {
      await axe(p.page, `door ${lang}`);
      expect(await p.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await p.page.screenshot({ path: path.join(SHOTS, `door-ready-${lang}.png`) });
    }
    // the camera open, nothing in front of it yet: the view fills the screen, with its stop button
    await writeQrVideo(video, ['']);
    for (const [p, lang] of [[a, 'en'], [b, 'he'], [c, 'ar']] as const) {
      await p.page.locator('button[data-scan="ticket"]').click();
      await p.page.locator('#camera[data-state="on"]').waitFor({ timeout: 20_000 });
      await p.page.waitForFunction(() => (document.getElementById('video') as HTMLVideoElement).readyState >= 2);
      await axe(p.page, `camera ${lang}`);
      await p.page.screenshot({ path: path.join(SHOTS, `door-camera-${lang}.png`) });
      await p.page.locator('#camera-stop').click();
      await p.page.locator('#camera').waitFor({ state: 'hidden' });
      expect(await p.page.locator('#camera-note').innerText()).toBe('');
    }
  });

  it('admits online, shows a repeat with where and when, refuses a forged code', async () => {
    for (const tk of tickets.slice(0, 9)) expect(await scan(a.page, tk.code)).toBe('admitted');
    // the manual path: a code typed in
    expect(await typed(a.page, tickets[9]!.code)).toBe('admitted');
    // a ticket held up to the camera a second time is a repeat, read from the camera
    expect(await scan(a.page, tickets[3]!.code)).toBe('already_admitted');
    await b.page.fill('#ticket-code', tickets[0]!.code);
    await b.page.locator('#code-form button[type="submit"]').click();
    await b.page.locator('#result').waitFor({ state: 'visible' });
    expect(await b.page.locator('#result').getAttribute('data-result')).toBe('already_admitted');
    expect(await b.page.locator('#result-detail').innerText()).toContain('North');
    await b.page.screenshot({ path: path.join(SHOTS, 'door-repeat-he.png') });
    await b.page.locator('#result-next').click();
    const [p, s] = tickets[1]!.code.split('.') as [string, string];
    expect(await scan(b.page, `${p}.${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`)).toBe('invalid');
  });

  it('keeps admitting offline, verifying codes on the phone, and uploads when the network returns: 2 conflicts, exact totals', async () => {
    await c.context.setOffline(true);
    await c.page.waitForFunction(() => !navigator.onLine);
    const offline = tickets.slice(10, 20);
    // meanwhile, online, the other phones admit two of them
    expect(await scan(b.page, offline[0]!.code)).toBe('admitted');
    expect(await scan(a.page, offline[1]!.code)).toBe('admitted');
    // the app itself opens offline (the service worker keeps it) and keeps its pairing and ticket list
    await c.page.waitForFunction(() => navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready.then(() => true));
    // (the decoder too: a phone without BarcodeDetector asks the service worker to keep it)
    await c.page.waitForFunction(async () => {
      const d = JSON.parse(document.getElementById('checkin-data')!.textContent!);
      return !!(await caches.match(d.zxing.js)) && !!(await caches.match(d.zxing.wasm));
    });
    await c.page.reload();
    await c.page.locator('#door').waitFor({ state: 'visible' });
    await c.page.waitForFunction((n) => (window as unknown as { conveneCheckin: { state: () => { tickets: number } } }).conveneCheckin.state().tickets === n, tickets.length);
    for (const tk of offline.slice(0, 6)) expect(await scan(c.page, tk.code)).toBe('admitted');
    // the queue is in IndexedDB: closing the app (a reload, offline) loses no scan
    expect((await state(c.page)).queue).toBe(6);
    await c.page.reload();
    await c.page.locator('#door').waitFor({ state: 'visible' });
    await c.page.evaluate(() => (window as unknown as { conveneCheckin: { ready: () => Promise<boolean> } }).conveneCheckin.ready());
    expect((await state(c.page)).queue).toBe(6);
    expect(await c.page.evaluate(() => localStorage.getItem('convene-checkin:queue'))).toBeNull();
    for (const tk of offline.slice(6)) expect(await scan(c.page, tk.code)).toBe('admitted');
    // a forged code is refused offline too, by the signature
    const [p, s] = tickets[25]!.code.split('.') as [string, string];
    expect(await scan(c.page, `${p}.${s.slice(0, 30)}${s[30] === 'A' ? 'B' : 'A'}${s.slice(31)}`)).toBe('invalid');
    // a search by name, offline, admits by hand
    await c.page.fill('#search', 'Guest 29');
    await c.page.locator('#found button').first().click();
    await c.page.locator('#result').waitFor({ state: 'visible' });
    expect(await c.page.locator('#result').getAttribute('data-result')).toBe('admitted');
    await c.page.screenshot({ path: path.join(SHOTS, 'door-offline-ar.png') });
    await c.page.locator('#result-next').click();
    expect(await c.page.evaluate(() => (window as unknown as { conveneCheckin: { state: () => { queue: number } } }).conveneCheckin.state().queue)).toBe(12);

    // the first upload reaches the server but its answer is lost: the phone sends the same scans again (the same
    // nonces), and the server records each once
    let lost = 0;
    await c.context.route('**/api/checkin/scans', async (route) => {
      if (lost++ === 0) {
        await route.fetch();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await c.context.setOffline(false);
    await c.page.waitForFunction(() => (window as unknown as { conveneCheckin: { state: () => { queue: number } } }).conveneCheckin.state().queue === 0, undefined, { timeout: 30_000 });
    expect(await c.page.evaluate(() => (window as unknown as { conveneCheckin: { state: () => { conflicts: number } } }).conveneCheckin.state().conflicts)).toBe(2);
    expect(lost).toBeGreaterThanOrEqual(2);
    await c.context.unroute('**/api/checkin/scans');

    const staff = await browser.newContext();
    const signIn = await staff.request.post(`${server.url}/api/auth/sign-in/email`, { data: { email: 'door@example.org', password: PASSWORD }, headers: { origin: server.url } });
    expect(signIn.ok()).toBe(true);
    const totals = await (await staff.request.get(`${server.url}/api/events/${eventId}/checkin`)).json();
    // 10 + 2 online, 8 more offline, and Guest 29 by hand
    expect(totals.admitted).toBe(21);
    expect(totals.conflicts).toBe(2);
    expect(totals.conflictList.map((x: { ticketId: string }) => x.ticketId).sort()).toEqual([offline[0]!.id, offline[1]!.id].sort());
    expect(totals.byGate).toEqual([
      { gate: 'North', admitted: 20, refused: 1 },
      { gate: 'South', admitted: 1, refused: 1 },
    ]);
    // every nonce once: phone 1 made 12 scans, phone 2 made 3, phone 3 made 12
    const devices = await (await staff.request.get(`${server.url}/api/events/${eventId}/checkin-devices`)).json();
    expect(Object.fromEntries(devices.items.map((d: { label: string; scans: number }) => [d.label, d.scans]))).toEqual({ 'phone 1': 12, 'phone 2': 3, 'phone 3': 12 });
    await staff.close();
  });

  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`shows staff the door on the event page in ${lang}: totals, the 2 conflicts, the phones; axe-clean at 375 px and wide`, async () => {
      for (const viewport of [PHONE, { width: 1280, height: 900 }]) {
        const staff = await browser.newContext({ viewport, locale: lang, timezoneId: 'Asia/Jerusalem' });
        const page = await staff.newPage();
        page.on('pageerror', (err) => problems.push(`staff page error: ${err.message}`));
        const res = await staff.request.post(`${server.url}/api/auth/sign-in/email`, { data: { email: 'door@example.org', password: PASSWORD }, headers: { origin: server.url } });
        expect(res.ok()).toBe(true);
        expect((await staff.request.patch(`${server.url}/api/me`, { data: { locale: lang }, headers: { origin: server.url } })).ok()).toBe(true);
        await page.goto(`${server.url}/events/${eventId}`);
        await page.locator('[data-testid="checkin-conflicts"] tbody tr').first().waitFor();
        expect(await page.locator('[data-testid="checkin-conflicts"] tbody tr').count()).toBe(2);
        expect(await page.locator('[data-testid="checkin-admitted"]').innerText()).toBe('21');
        expect(await page.locator('[data-testid="checkin-devices"] tbody tr').count()).toBe(3);
        const panel = page.locator('section[aria-labelledby="event-checkin"]');
        await panel.scrollIntoViewIfNeeded();
        await panel.screenshot({ path: path.join(SHOTS, `door-staff-${lang}-${viewport.width}.png`) });
        await axe(page, `staff ${lang} ${viewport.width}`);
        await staff.close();
      }
    });
  }

  it('lets staff resolve a conflict from the panel at 375 px: the same person twice, with a note; one left to resolve', async () => {
    const staff = await browser.newContext({ viewport: PHONE, locale: 'en', timezoneId: 'Asia/Jerusalem' });
    const page = await staff.newPage();
    page.on('pageerror', (err) => problems.push(`staff page error: ${err.message}`));
    expect((await staff.request.post(`${server.url}/api/auth/sign-in/email`, { data: { email: 'door@example.org', password: PASSWORD }, headers: { origin: server.url } })).ok()).toBe(true);
    expect((await staff.request.patch(`${server.url}/api/me`, { data: { locale: 'en' }, headers: { origin: server.url } })).ok()).toBe(true);
    await page.goto(`${server.url}/events/${eventId}`);
    const open = page.locator('[data-testid="conflict-open"]');
    await open.first().waitFor();
    expect(await open.count()).toBe(2);
    await open.first().getByRole('textbox').fill('Came back for a coat');
    await open.first().getByRole('button', { name: /^Same person twice/ }).click();
    await page.locator('[data-testid="conflict-resolved"]').waitFor();
    expect(await page.locator('[data-testid="conflict-open"]').count()).toBe(1);
    expect(await page.locator('[data-testid="checkin-unresolved"]').innerText()).toBe('To resolve: 1');
    const totals = await (await staff.request.get(`${server.url}/api/events/${eventId}/checkin`)).json();
    expect(totals).toMatchObject({ conflicts: 2, unresolvedConflicts: 1 });
    expect(totals.conflictList.find((x: { resolution: unknown }) => x.resolution).resolution).toMatchObject({ resolution: 'same_person', note: 'Came back for a coat' });
    const panel = page.locator('section[aria-labelledby="event-checkin"]');
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(SHOTS, 'door-staff-resolved-en-375.png') });
    await axe(page, 'staff resolved 375');
    await staff.close();
  });

  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`lets staff change a ticket's type from the registrants list in ${lang} at 375 px (axe-clean)`, async () => {
      const staff = await browser.newContext({ viewport: PHONE, locale: lang, timezoneId: 'Asia/Jerusalem' });
      const page = await staff.newPage();
      page.on('pageerror', (err) => problems.push(`staff page error: ${err.message}`));
      expect((await staff.request.post(`${server.url}/api/auth/sign-in/email`, { data: { email: 'door@example.org', password: PASSWORD }, headers: { origin: server.url } })).ok()).toBe(true);
      expect((await staff.request.patch(`${server.url}/api/me`, { data: { locale: lang }, headers: { origin: server.url } })).ok()).toBe(true);
      await page.goto(`${server.url}/events/${eventId}`);
      const holder = tickets[{ en: 27, he: 28, ar: 29 }[lang]]!;
      const select = page.getByRole('combobox', { name: new RegExp(holder.name) });
      await select.scrollIntoViewIfNeeded();
      await select.selectOption(youthId);
      await page.locator('section[aria-labelledby="event-registrants"] [role="status"]').waitFor();
      const panel = page.locator('section[aria-labelledby="event-registrants"]');
      await panel.screenshot({ path: path.join(SHOTS, `door-registrants-type-${lang}-375.png`) });
      await axe(page, `registrants ${lang} 375`);
      const list = await (await staff.request.get(`${server.url}/api/events/${eventId}/registrations?limit=100`)).json();
      expect(list.items.find((r: { id: string }) => r.id === holder.registrationId).validTickets).toEqual([{ id: holder.id, ticketTypeId: youthId }]);
      await staff.close();
    });
  }

  it('asked nothing of another site and raised no page error', async () => {
    for (const p of [a, b, c]) await p.context.close();
    expect(problems).toEqual([]);
  });
});
