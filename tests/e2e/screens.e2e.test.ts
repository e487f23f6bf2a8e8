import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, root, type Lang } from './support.ts';

// What a person sees on the screens of issue 10 (items 5–8 and 11–13), on the demo's data, in the language where each
// was seen, mostly on a 375 px phone: titles in the reader's language, opinion groups held back until they mean
// something, pages no wider than the phone and no text cut, badges and selects whole, mixed directions isolated,
// names in the reader's script and order, dates written one way. Then every staff page in the three languages at
// 375 px: no catalog key or raw code shown as text, no page wider than the screen.

const journey = browserJourney('screens', { demo: true });
const { axe, shot } = journey;

const PHONE = { width: 375, height: 740 };
const PASSWORD = 'convene-demo-password';
const ACCOUNT: Record<Lang, string> = { en: 'admin@demo.convene.example', he: 'noa@demo.convene.example', ar: 'rana@demo.convene.example' };

const origin = () => journey.server().url.replace('127.0.0.1', 'localhost');

/** A phone signed in as the demo's account of that language (the admin for English), in that language. */
async function phone(lang: Lang, who = ACCOUNT[lang]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await journey.browser().newContext({ viewport: PHONE, locale: lang, timezoneId: 'Asia/Jerusalem', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  journey.watch(page);
  const res = await context.request.post(`${origin()}/api/auth/sign-in/email`, { data: { email: who, password: PASSWORD }, headers: { origin: origin() } });
  expect(res.status(), await res.text()).toBe(200);
  // the profile's language wins over the device's
  const me = await context.request.patch(`${origin()}/api/me`, { data: { locale: lang }, headers: { origin: origin() } });
  expect(me.status()).toBe(200);
  return { context, page };
}

async function api<T>(context: BrowserContext, p: string): Promise<T> {
  const res = await context.request.get(`${origin()}/api${p}`, { headers: { origin: origin() } });
  expect(res.status(), p).toBe(200);
  return res.json() as Promise<T>;
}

async function open(page: Page, p: string) {
  await page.goto(`${origin()}${p}`);
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('h1').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  // loaders gone
  await expect.poll(() => page.locator('[role=status].mantine-Loader-root').count(), { timeout: 20_000 }).toBe(0);
}

/**
 * What the phone shows fits it: the page is no wider than the screen, and no element cuts its own text (clips it, or
 * ends it with an ellipsis). Elements that scroll on purpose (a wide table's frame) do not cut.
 */
async function fitsPhone(page: Page, where: string) {
  const found = await page.evaluate(() => {
    const cut: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('[hidden], [aria-hidden="true"], .mantine-AppShell-navbar, svg, input, textarea')) continue;
      const rect = el.getBoundingClientRect();
      // nothing to see (a label kept for screen readers is a 1 px box)
      if (rect.width <= 1 || rect.height <= 1) continue;
      const cs = getComputedStyle(el);
      const clips = cs.overflowX === 'hidden' || cs.overflowX === 'clip' || cs.textOverflow === 'ellipsis';
      if (!clips) continue;
      const text = (el.innerText || '').trim();
      if (!text) continue;
      if (el.scrollWidth > el.clientWidth + 1) cut.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}: "${text.slice(0, 60)}" (${el.scrollWidth} > ${el.clientWidth})`);
    }
    // what sticks out: the outermost elements past either edge of the screen (a scrolling frame's content aside)
    const screen = document.documentElement.clientWidth;
    const out = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > screen + 1 || r.left < -1);
    };
    const wide = [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((el) => out(el) && !out(el.parentElement!) && !el.closest('[role="region"][tabindex="0"]'))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 50)} "${(el.innerText || '').trim().slice(0, 40)}"`);
    return { screen, page: document.documentElement.scrollWidth, cut, wide };
  });
  expect(found.page, `${where}: the page is ${found.page} px wide on a ${found.screen} px screen (${found.wide.join('; ')})`).toBeLessThanOrEqual(found.screen);
  expect(found.cut, `${where}: text cut`).toEqual([]);
}

/** Every catalog key (namespaced as the app asks for it), to tell one shown as text. */
function catalogKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (o: unknown, prefix: string) => {
    if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) walk(v, prefix ? `${prefix}.${k}` : k);
    else keys.add(prefix.replace(/_(zero|one|two|few|many|other)$/, ''));
  };
  const dir = path.join(root, 'src/i18n');
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) if (f.endsWith('en.json')) walk(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), '');
  return keys;
}
const KEYS = catalogKeys();

/** Text that no reader should meet: a catalog key, a code of the data, or what JavaScript writes for a missing value. */
async function noRawText(page: Page, lang: Lang, where: string) {
  const text = await page.locator('body').innerText();
  // addresses and e-mail addresses carry dots and underscores of their own
  const plain = text.replace(/\S+@\S+/g, ' ').replace(/https?:\/\/\S+/g, ' ').replace(/\/[\w/-]+/g, ' ');
  const keys = [...new Set(plain.match(/\b[a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+\b/g) ?? [])].filter((k) => KEYS.has(k));
  expect(keys, `${where}: catalog keys shown`).toEqual([]);
  for (const bad of ['[object Object]', 'undefined', 'NaN', 'Invalid Date', '{{']) expect(text.includes(bad), `${where}: shows "${bad}"`).toBe(false);
  if (lang !== 'en' && !CODES_HANDLED_ELSEWHERE.some((p) => where.includes(` ${p}`))) {
    // in Hebrew and Arabic a lower-case code ("record.read", "shared_item") is a word left untranslated; a file's
    // name ("statements.csv") and a web address ("network.example.org") are not codes
    const codes = [...new Set(plain.match(/\b[a-z]+(?:[._][a-z]+)+\b/g) ?? [])].filter((c) => !/\.(csv|json|ics|pdf|html|txt|xlsx|org|com|net|example)$/.test(c) && !/^www\./.test(c));
    expect(codes, `${where}: codes shown`).toEqual([]);
  }
}

/**
 * Pages whose codes another change of issue 10 translates (item 15, the audit log: actions such as
 * 'user.update_preferences'); the walk checks them for catalog keys and width meanwhile. Remove once merged.
 */
const CODES_HANDLED_ELSEWHERE = ['/admin/audit'];

type Dialogue = { id: string; title: string; titles: Record<string, string>; languages: string[]; invites: { url: string; revoked: boolean }[]; segments: { id: string }[] };

describe('the screens of issue 10 on a phone', () => {
  it('5 · a dialogue is titled in the reader’s language: the participant’s page and its tab, and the staff app, in Hebrew and Arabic', async () => {
    for (const lang of ['he', 'ar'] as const) {
      const { context, page } = await phone(lang);
      const [first] = (await api<{ items: Dialogue[] }>(context, '/dialogues?limit=5')).items;
      const d = await api<Dialogue>(context, `/dialogues/${first!.id}`);
      const title = d.titles[lang]!;
      expect(title).toBeTruthy();
      // the staff app
      await open(page, `/research/dialogues/${d.id}`);
      await expect.poll(() => page.locator('h1').innerText()).toBe(title);
      await fitsPhone(page, `${lang} dialogue page`);
      await axe(page, `${lang} dialogue page`);
      // the participant's landing page, its tab and its heading
      const invite = d.invites.find((i) => !i.revoked)!;
      const participant = await journey.browser().newContext({ viewport: PHONE, locale: lang });
      const p = await participant.newPage();
      await p.goto(`${invite.url.replace(/^https?:\/\/[^/]+/, origin())}?lang=${lang}`);
      expect(await p.title()).toContain(title);
      expect(await p.locator('h1').innerText()).toBe(title);
      expect(await p.locator('body').innerText()).not.toContain(d.titles.en!);
      await fitsPhone(p, `${lang} participant entry`);
      await shot(p, `${lang}-participant-entry`);
      await participant.close();
      await context.close();
    }
  });

  it('6 · three voters: no opinion groups, and the page says why; the demo’s groups: each segment one colour and shape on every card', async () => {
    const { context, page } = await phone('en');
    const post = async (p: string, data: unknown) => {
      const res = await context.request.post(`${origin()}/api${p}`, { data, headers: { origin: origin() } });
      expect(res.ok(), `${p}: ${await res.text()}`).toBe(true);
      return res.json();
    };
    let d: Dialogue = await post('/dialogues', { title: { en: 'Three voters' }, languages: ['en'], segments: [{ key: 'a', name: { en: 'Side A' } }, { key: 'b', name: { en: 'Side B' } }] });
    d = await post(`/dialogues/${d.id}/sessions`, { title: 'Open now', status: 'open' });
    const session = (d as unknown as { sessions: { id: string }[] }).sessions[0]!;
    await post(`/dialogue-sessions/${session.id}/questions`, { kind: 'open', prompt: { en: 'What matters?' }, seeds: [{ body: 'Safety first', language: 'en' }, { body: 'Talks now', language: 'en' }, { body: 'Aid at once', language: 'en' }] });
    d = await post(`/dialogues/${d.id}/invites`, { segmentId: null });
    const token = d.invites[0]!.url.split('/p/')[1]!;
    for (let i = 0; i < 3; i++) {
      const voter = await journey.browser().newContext();
      const join = await voter.request.post(`${origin()}/api/participate/${token}/join`, { data: { language: 'en', segmentId: d.segments[i % 2]!.id }, headers: { origin: origin() } });
      expect(join.ok(), await join.text()).toBe(true);
      for (let k = 0; k < 3; k++) {
        const next = (await (await voter.request.get(`${origin()}/api/participate/${token}/next`, { headers: { origin: origin() } })).json()) as { item: { kind: string; statement?: { id: string } } };
        if (next.item.kind !== 'statement') break;
        const vote = await voter.request.post(`${origin()}/api/participate/${token}/votes`, { data: { statementId: next.item.statement!.id, value: (i + k) % 2 ? 1 : -1 }, headers: { origin: origin() } });
        expect(vote.ok(), await vote.text()).toBe(true);
      }
      await voter.close();
    }
    await open(page, `/research/dialogues/${d.id}?tab=analysis`);
    await expect.poll(() => page.getByTestId('fig-voters').textContent(), { timeout: 30_000 }).toBe('3');
    const why = page.getByTestId('groups-held-back');
    await expect.poll(() => why.count()).toBe(1);
    expect(await why.innerText()).toMatch(/^No opinion groups yet: .*at least 10; so far 3/);
    expect(await page.getByTestId('opinion-group').count()).toBe(0);
    expect(await page.getByTestId('fig-groups').textContent()).toBe('0');
    await fitsPhone(page, 'en analysis, three voters');
    await axe(page, 'en analysis, three voters');
    await shot(page, 'en-analysis-three-voters');

    // the demo's dialogue has its groups; a segment's colour is the same on every group card
    const [demo] = (await api<{ items: Dialogue[] }>(context, '/dialogues?limit=5')).items.filter((x) => x.id !== d.id);
    await open(page, `/research/dialogues/${demo!.id}?tab=analysis`);
    await expect.poll(() => page.getByTestId('opinion-group').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const colours = await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      for (const span of document.querySelectorAll<HTMLElement>('[data-testid="opinion-group"] [data-segment]')) (seen[span.dataset.segment!] ??= []).push(getComputedStyle(span).backgroundColor);
      return seen;
    });
    expect(Object.keys(colours).length).toBeGreaterThan(1);
    for (const [segment, list] of Object.entries(colours)) expect(new Set(list).size, segment).toBe(1);
    expect(new Set(Object.values(colours).map((l) => l[0])).size).toBe(Object.keys(colours).length);
    await fitsPhone(page, 'en analysis, demo');
    await context.close();
  });

  it('7 · Hebrew phone: the message test’s plots fit their cards, the organisations’ first rows show under a Filters button, meeting titles whole', async () => {
    const { context, page } = await phone('he');
    const [study] = (await api<{ items: { id: string }[] }>(context, '/studies?limit=5')).items;
    await open(page, `/research/studies/${study!.id}?tab=analysis`);
    await expect.poll(() => page.getByTestId('coefficient-plot').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="coefficient-plot"]')].filter((plot) => {
        const card = plot.closest<HTMLElement>('[data-testid="population-plot"]')!.getBoundingClientRect();
        const r = plot.getBoundingClientRect();
        return r.left < card.left - 1 || r.right > card.right + 1 || r.right > window.innerWidth || r.left < 0;
      }).length,
    );
    expect(overflowing).toBe(0);
    const h1 = page.locator('h1');
    expect(await h1.evaluate((e) => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
    await fitsPhone(page, 'he study analysis');
    await axe(page, 'he study analysis');
    await shot(page, 'he-study-analysis');

    await open(page, '/network');
    const filters = page.getByTestId('show-filters');
    expect(await filters.isVisible()).toBe(true);
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // the first row begins on the first screen
    expect(await page.locator('tbody tr').first().evaluate((r) => r.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    await fitsPhone(page, 'he organisations');
    await axe(page, 'he organisations');
    await shot(page, 'he-organisations');
    await filters.click();
    await expect.poll(() => page.getByRole('button', { name: 'הסתרת המסננים' }).count()).toBe(1);

    await open(page, '/network/meetings');
    await expect.poll(() => page.getByTestId('meeting-title-cell').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const cutTitles = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="meeting-title-cell"] a')].filter((a) => a.scrollWidth > a.clientWidth + 1 || a.getBoundingClientRect().width > a.closest('td')!.getBoundingClientRect().width + 1).map((a) => a.innerText),
    );
    expect(cutTitles).toEqual([]);
    await fitsPhone(page, 'he meetings');
    await shot(page, 'he-meetings');
    await context.close();
  });

  it('8 · Arabic: People & access badges and the analysis selects show their whole text', async () => {
    const { context: admin } = await phone('en');
    await admin.close();
    const { context, page } = await phone('ar', 'admin@demo.convene.example');
    await open(page, '/admin/people');
    await expect.poll(() => page.locator('.mantine-Badge-root').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const cutBadges = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.mantine-Badge-root, .mantine-Badge-label')].filter((b) => b.scrollWidth > b.clientWidth + 1 || /…$/.test(b.innerText)).map((b) => b.innerText),
    );
    expect(cutBadges).toEqual([]);
    // the accounts in Arabic order of their names (Latin, Hebrew and Arabic names as an Arabic reader sorts them)
    const accounts = await page.locator('table').first().locator('tbody tr td:first-child bdi').allInnerTexts();
    expect(accounts.length).toBeGreaterThan(5);
    expect(accounts).toEqual([...accounts].sort(new Intl.Collator('ar', { sensitivity: 'base', numeric: true }).compare));
    await fitsPhone(page, 'ar people & access');
    await axe(page, 'ar people & access');
    await shot(page, 'ar-people-access');

    const [study] = (await api<{ items: { id: string }[] }>(context, '/studies?limit=5')).items;
    await open(page, `/research/studies/${study!.id}?tab=analysis`);
    await expect.poll(() => page.locator('.mantine-Select-input').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    const cutSelects = await page.evaluate(() => {
      const canvas = document.createElement('canvas').getContext('2d')!;
      return [...document.querySelectorAll<HTMLInputElement>('.mantine-Select-input')].filter((i) => {
        const cs = getComputedStyle(i);
        canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = i.clientWidth - parseFloat(cs.paddingInlineStart) - parseFloat(cs.paddingInlineEnd);
        return canvas.measureText(i.value).width > room + 1;
      }).map((i) => i.value);
    });
    expect(cutSelects).toEqual([]);
    await fitsPhone(page, 'ar study analysis');
    await shot(page, 'ar-study-analysis');
    await context.close();
  });

  it('11 · Hebrew: names joined on a line are isolated one by one, and the report’s formula is isolated left to right', async () => {
    const { context, page } = await phone('he');
    await open(page, '/network/search?q=meeting');
    await expect.poll(() => page.locator('section[aria-labelledby="search-meeting"] .mantine-Paper-root').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    // every part of a joined line is its own <bdi>, the separator outside them
    const lines = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('section .mantine-Paper-root .mantine-Text-root')]
        .filter((p) => p.innerText.includes(' · '))
        .map((p) => ({ parts: p.innerText.split(' · ').length, isolated: p.querySelectorAll('bdi').length, loose: [...p.querySelectorAll('bdi')].some((b) => b.innerText.includes(' · ')) })),
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.isolated).toBe(l.parts);
      expect(l.loose).toBe(false);
    }
    await fitsPhone(page, 'he search');
    await axe(page, 'he search');
    await shot(page, 'he-search');

    const [d] = (await api<{ items: Dialogue[] }>(context, '/dialogues?limit=5')).items.slice(-1);
    await page.goto(`${origin()}/api/dialogues/${d!.id}/report?lang=he`);
    const formula = page.locator('bdi.formula');
    expect(await formula.count()).toBe(1);
    expect(await formula.getAttribute('dir')).toBe('ltr');
    expect(await formula.innerText()).toBe('(מסכימים + 1) / (הצבעות + 2) > 0.5');
    await shot(page, 'he-dialogue-report');
    await context.close();
  });

  it('12 · Arabic: lists in Arabic order of the names shown; people and affiliations in Arabic where an Arabic name is recorded', async () => {
    const { context, page } = await phone('ar');
    await open(page, '/network');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    const shown = await page.locator('tbody tr td:first-child a bdi').allInnerTexts();
    const collator = new Intl.Collator('ar', { sensitivity: 'base', numeric: true });
    expect(shown).toEqual([...shown].sort(collator.compare));
    // an organisation with an Arabic name shows it
    expect(shown.filter((n) => /[\u0600-\u06FF]/.test(n)).length).toBeGreaterThan(shown.length / 2);

    type Person = { id: string; displayName: string; names: { name: string; script: string }[]; affiliations: { organisationId: string; organisationName: string; organisationNames: { name: string; script: string; kind: string }[]; current: boolean }[] };
    const people = (await api<{ items: Person[] }>(context, '/people?limit=100')).items;
    const someone = people.find((p) => p.names.some((n) => n.script === 'arabic') && p.names.some((n) => n.script === 'latin') && p.affiliations.some((a) => a.organisationNames.some((n) => n.script === 'arabic' && n.kind !== 'former')))!;
    expect(someone).toBeTruthy();
    const arabicName = someone.names.find((n) => n.script === 'arabic')!.name;
    await open(page, `/network/people/${someone.id}`);
    expect(await page.locator('h1').innerText()).toContain(arabicName);
    const affiliation = someone.affiliations.find((a) => a.organisationNames.some((n) => n.script === 'arabic' && n.kind !== 'former'))!;
    const orgLink = page.locator(`section[aria-labelledby="person-affiliations"] a[href$="/network/organisations/${affiliation.organisationId}"]`).first();
    expect(await orgLink.innerText()).toMatch(/[\u0600-\u06FF]/);
    expect(await orgLink.innerText()).not.toBe(affiliation.organisationName.match(/[\u0600-\u06FF]/) ? '' : affiliation.organisationName);
    await fitsPhone(page, 'ar person');
    await axe(page, 'ar person');
    await shot(page, 'ar-person');

    await open(page, '/network/people');
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(5);
    const names = await page.locator('tbody tr td:first-child a bdi').allInnerTexts();
    expect(names).toEqual([...names].sort(collator.compare));
    await fitsPhone(page, 'ar people');
    await context.close();
  });

  it('13 · Hebrew: meetings found by search are in date order, and every date is written the same way', async () => {
    const { context, page } = await phone('he');
    type Hit = { type: string; at?: string; title: string };
    const hits = (await api<{ items: Hit[] }>(context, '/search?q=meeting&limit=50')).items.filter((h) => h.type === 'meeting');
    expect(hits.length).toBeGreaterThan(1);
    await open(page, '/network/search?q=meeting');
    await expect.poll(() => page.locator('section[aria-labelledby="search-meeting"] .mantine-Paper-root').count(), { timeout: 20_000 }).toBe(hits.length);
    const titles = await page.locator('section[aria-labelledby="search-meeting"] .mantine-Paper-root a bdi').allInnerTexts();
    const byDate = [...hits].sort((a, b) => b.at!.localeCompare(a.at!)).map((h) => h.title);
    expect(titles).toEqual(byDate);
    // the day as format.ts writes it in Hebrew: day, month's name, year ("6 בדצמ׳ 2026"), never ISO
    const text = await page.locator('section[aria-labelledby="search-meeting"]').innerText();
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{4}\/\d{2}\/\d{2}/);
    const day = new Intl.DateTimeFormat('he', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${hits.sort((a, b) => b.at!.localeCompare(a.at!))[0]!.at!.slice(0, 10)}T12:00:00Z`));
    expect(text).toContain(day);

    const [d] = (await api<{ items: Dialogue[] }>(context, '/dialogues?limit=5')).items.slice(-1);
    await page.goto(`${origin()}/api/dialogues/${d!.id}/report?lang=he`);
    const generated = await page.locator('body').innerText();
    // 24-hour time, a short month's name: not "6 בדצמבר 2026 בשעה 21:47" nor "December 6, 2026 at 9:47 PM"
    expect(generated).toMatch(/\d{1,2} [^\s\d]+ \d{4}, \d{2}:\d{2}/);
    expect(generated).not.toMatch(/AM|PM|בשעה/);
    await context.close();
  });
});

describe('every staff page, in three languages, on a phone', () => {
  const ids: Record<string, string | undefined> = {};
  /** the co-host page's second id */
  let cohostOrganisation: string | undefined;
  let paths: string[] = [];
  beforeAll(async () => {
    const { context: en } = await phone('en');
    const [dialogue] = (await api<{ items: { id: string }[] }>(en, '/dialogues?limit=5')).items.slice(-1);
    const [study] = (await api<{ items: { id: string }[] }>(en, '/studies?limit=5')).items;
    const [organisation] = (await api<{ items: { id: string }[] }>(en, '/organisations?limit=1')).items;
    const [person] = (await api<{ items: { id: string }[] }>(en, '/people?limit=1')).items;
    const [meeting] = (await api<{ items: { id: string }[] }>(en, '/meetings?limit=1')).items;
    // the demo's G7 campaign (src/cli/demo/campaign-g7.ts)
    const [campaign] = (await api<{ items: { id: string }[] }>(en, '/campaigns')).items;
    // the demo has no event yet: one is made for the event's page
    let [event] = (await api<{ items: { id: string }[] }>(en, '/events?limit=1')).items;
    if (!event) {
      const starts = new Date(Date.now() + 30 * 86_400_000);
      const res = await en.request.post(`${origin()}/api/events`, {
        headers: { origin: origin() },
        data: {
          slug: `screens-${Date.now()}`,
          title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
          startsAt: starts.toISOString(),
          endsAt: new Date(starts.getTime() + 5 * 3_600_000).toISOString(),
          timeZone: 'Asia/Jerusalem',
          status: 'published',
          ticketTypes: [{ name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: 50 }],
        },
      });
      expect(res.status()).toBe(201);
      event = (await res.json()) as { id: string };
    }
    // a co-host of the event (the demo's Time is Now has 50), the demo's July trip and its July post
    const cohosts = (await api<{ cohosts?: { organisationId: string }[] }>(en, `/events/${event!.id}`)).cohosts ?? [];
    cohostOrganisation = cohosts[0]?.organisationId;
    const [trip] = (await api<{ items: { id: string }[] }>(en, '/trips')).items;
    const [post] = (await api<{ items: { id: string }[] }>(en, '/posts')).items;
    await en.close();
    Object.assign(ids, {
      '/events/$id/report': event!.id,
      '/events/$id/cohosts/$organisationId': cohostOrganisation ? event!.id : undefined,
      '/trips/$id': trip?.id,
      '/updates/$id': post?.id,
      '/research/dialogues/$id': dialogue!.id,
      '/research/studies/$id': study!.id,
      '/network/organisations/$id': organisation!.id,
      '/network/people/$id': person!.id,
      '/network/meetings/$id': meeting!.id,
      '/network/meetings/$id/edit': meeting!.id,
      '/events/$id': event!.id,
      '/campaigns/$id': campaign!.id,
    });

    // the router's own paths, read from its files: a page added later is walked too (or this test says which is missing)
    const files = [path.join(root, 'src/web/router.tsx'), ...fs.readdirSync(path.join(root, 'src/web/features'), { recursive: true }).filter((f) => String(f).endsWith('.routes.tsx')).map((f) => path.join(root, 'src/web/features', String(f)))];
    const declared = new Set<string>();
    for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(/(?:path: |page\()['`]([^'`]+)['`]/g)) declared.add(m[1]!);
    const pillars = ['trips', 'updates'];
    const admin = ['/people', '/audit', '/settings', '/erasures'];
    paths = [...declared]
      .filter((p) => !['/setup', '/invitation', '/sign-in', '/'].includes(p) || p === '/')
      .flatMap((p) => (p === '/${id}' ? pillars.map((x) => `/${x}`) : admin.includes(p) ? [`/admin${p}`] : [p]))
      .filter((p) => p !== '/admin');
    expect(paths.length).toBeGreaterThan(20);
    for (const p of paths) if (p.includes('$id')) expect(ids[p], `an id for ${p}`).toBeTruthy();
  });

  const query: Record<string, string[]> = {
    '/network/search': ['?q=meeting'],
    '/research/dialogues/$id': ['?tab=setup', '?tab=moderation', '?tab=statements', '?tab=analysis', '?tab=summaries', '?tab=export'],
    '/research/studies/$id': ['?tab=overview', '?tab=import', '?tab=analysis', '?tab=export'],
  };

  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}: shows no catalog key or raw code as text, and no page is wider than the screen`, async () => {
      const problems: string[] = [];
      const { context, page } = await phone(lang, 'admin@demo.convene.example');
      for (const p of paths) {
        for (const q of query[p] ?? ['']) {
          const url = `${p.replace('$id', ids[p] ?? '').replace('$organisationId', cohostOrganisation ?? '')}${q}`;
          await open(page, url);
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
          // every page is walked; what each shows wrong is said at the end, all together
          for (const check of [() => noRawText(page, lang, `${lang} ${url}`), () => fitsPhone(page, `${lang} ${url}`)]) {
            try {
              await check();
            } catch (e) {
              problems.push((e as Error).message.split('\n').slice(0, 12).join('\n'));
            }
          }
        }
      }
      await context.close();
      expect(problems).toEqual([]);
    }, 600_000);
  }
});
