import { request, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startAiStandIn } from '../setup/ai-stand-in.ts';
import { browserJourney, VIEWPORT } from './support.ts';

// The acceptance journey of Research I, end to end with an AI provider (the local stand-in, over real HTTP):
// staff create a dialogue with two segments in the browser; a Hebrew participant and an Arabic participant take
// part on phones, write, and read each other's statements translated; more participants vote; the analysis page
// updates by itself and shows a bridging statement; the report prints to PDF. (axe on the participants' pages, in
// every language, is in the participation journey.)

const standIn = await startAiStandIn();
const journey = browserJourney('dialogue-acceptance', { env: { CONVENE_AI_BASE_URL: standIn.baseUrl, CONVENE_AI_MODEL: standIn.model } });
const { axe, shot } = journey;

const PHONE = { width: 375, height: 740 };
// sentences the stand-in knows in all three languages (tests/setup/ai-stand-in.ts STAND_IN_PHRASES)
const CHILDREN = { en: 'Children on both sides deserve to grow up without fear.', he: 'לילדים משני הצדדים מגיע לגדול בלי פחד.', ar: 'يستحق الأطفال على الجانبين أن يكبروا دون خوف.' };
const CEASEFIRE = { en: 'We need a ceasefire and a return of all hostages and prisoners.', he: 'אנחנו צריכים הפסקת אש והחזרה של כל החטופים והאסירים.', ar: 'نحتاج إلى وقف لإطلاق النار وعودة جميع الرهائن والأسرى.' };
const SEEDS = ['Security comes before any talks.', 'The occupation must end before anything else.'];

const shown = (page: Page) => page.locator('[data-statement] blockquote:not([hidden])').innerText();

/** Votes through the page (agree on `agreeWith`, disagree otherwise) until `wanted` has been shown, or nothing is left. */
async function voteUntilSeen(page: Page, agreeLabel: string, disagreeLabel: string, wanted: string, agreeWith: (text: string) => boolean): Promise<boolean> {
  for (let i = 0; i < 10; i++) {
    const button = page.getByRole('button', { name: agreeLabel, exact: true });
    if ((await button.count()) === 0) return false;
    const text = await shown(page);
    const seen = text === wanted;
    await page.getByRole('button', { name: agreeWith(text) ? agreeLabel : disagreeLabel, exact: true }).click();
    await expect.poll(() => shown(page).catch(() => '')).not.toBe(text);
    if (seen) return true;
  }
  return false;
}

describe('Research I acceptance', () => {
  it('staff set up, Hebrew and Arabic participants write and vote with translations, the analysis updates and finds a bridging statement, the report prints', async () => {
    const setupLink = journey.server().setupLink();
    const origin = new URL(setupLink!).origin;
    const staff = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Asia/Jerusalem' });
    const page = await staff.newPage();
    journey.watch(page);
    await journey.setUpFirstAdmin(page, { name: 'Rana Khoury', email: 'rana@example.org', password: 'olive branch 2024 bridge' });
    const api = async (method: 'POST' | 'GET' | 'PATCH', p: string, data?: unknown) => {
      const res = await page.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
      return body;
    };

    // ---- staff: a dialogue with two segments, in the browser ----
    await page.locator('.mantine-AppShell-navbar').getByRole('link', { name: 'Dialogues' }).click();
    await page.getByRole('button', { name: 'New dialogue' }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('textbox', { name: 'Title (English)' }).fill('What would make you feel safe?');
    for (const [i, [en, he, ar]] of [
      ['Jewish Israelis', 'יהודים ישראלים', 'يهود إسرائيليون'],
      ['Palestinians', 'פלסטינים', 'فلسطينيون'],
    ].entries()) {
      if (i > 0) await form.getByRole('button', { name: 'Add segment' }).click();
      const seg = form.getByRole('group', { name: `Segment ${i + 1}` });
      await seg.getByRole('textbox', { name: 'Name (Hebrew)' }).fill(he!);
      await seg.getByRole('textbox', { name: 'Name (Arabic)' }).fill(ar!);
      await seg.getByRole('textbox', { name: 'Name (English)' }).fill(en!);
    }
    await form.getByRole('button', { name: 'Create dialogue' }).click();
    await page.waitForURL(/\/research\/dialogues\/[0-9a-f-]{36}/);
    const dialogueId = new URL(page.url()).pathname.split('/').pop()!;
    // a joint session, opened, with an open question and two seeds, and a link per segment (the set-up page's
    // controls have their own journey: research-dialogues)
    let d = await api('POST', `/dialogues/${dialogueId}/sessions`, { title: 'Joint session', status: 'open' });
    d = await api('POST', `/dialogue-sessions/${d.sessions[0].id}/questions`, {
      kind: 'open',
      prompt: { en: 'What would make you feel safe?', he: 'מה יגרום לך להרגיש בטוח?', ar: 'ما الذي يجعلك تشعر بالأمان؟' },
      seeds: SEEDS.map((body) => ({ body, language: 'en' })),
    });
    for (const s of d.segments) d = await api('POST', `/dialogues/${dialogueId}/invites`, { segmentId: s.id });
    const link = (key: string) => d.invites.find((i: { segmentId: string }) => i.segmentId === d.segments.find((s: { key: string }) => s.key === key).id).url as string;

    // ---- the Hebrew participant, on a phone: takes part and writes ----
    const heCtx = await journey.browser().newContext({ viewport: PHONE, locale: 'he-IL' });
    const he = await heCtx.newPage();
    journey.watch(he);
    await he.goto(`${link('jewish-israelis')}?lang=he`);
    expect(await he.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await he.getByRole('button', { name: 'להשתתפות' }).click();
    await he.getByRole('button', { name: 'מסכימים', exact: true }).waitFor();
    await he.getByLabel('האמירה שלכם', { exact: true }).fill(CHILDREN.he);
    await he.getByRole('button', { name: 'שליחה' }).click();
    await he.getByText('תודה. משתתפים אחרים יכולים כעת להצביע על האמירה שלכם.').waitFor();

    // ---- the Arabic participant reads it in Arabic (translated through the provider), agrees, and writes ----
    const arCtx = await journey.browser().newContext({ viewport: PHONE, locale: 'ar' });
    const ar = await arCtx.newPage();
    journey.watch(ar);
    await ar.goto(`${link('palestinians')}?lang=ar`);
    await ar.getByRole('button', { name: 'شارك' }).click();
    await ar.getByRole('button', { name: 'أوافق', exact: true }).waitFor();
    // the translation is made in the background: wait for it, then vote until it comes up
    await expect.poll(() => standIn.requests.filter((r) => r.task === 'translate').length, { timeout: 15_000 }).toBeGreaterThan(0);
    await ar.reload();
    expect(await voteUntilSeen(ar, 'أوافق', 'لا أوافق', CHILDREN.ar, (t) => t === CHILDREN.ar || /occupation|احتلال/.test(t))).toBe(true);
    await ar.getByLabel('عبارتك', { exact: true }).fill(CEASEFIRE.ar);
    await ar.getByRole('button', { name: 'أرسل' }).click();
    await ar.getByText('شكرًا. يمكن للآخرين الآن التصويت على عبارتك.').waitFor();
    await shot(ar, 'ar-participant');

    // ---- the Hebrew participant reads the Arabic statement in Hebrew, with the original a click away ----
    await expect.poll(async () => (await api('GET', `/dialogues/${dialogueId}/statements?limit=100`)).items.find((s: { body: string }) => s.body === CEASEFIRE.ar)?.translations.length ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    await he.reload();
    let sawCeasefire = false;
    for (let i = 0; i < 6 && !sawCeasefire; i++) {
      if ((await he.getByRole('button', { name: 'מסכימים', exact: true }).count()) === 0) break;
      const text = await shown(he);
      if (text === CEASEFIRE.he) {
        sawCeasefire = true;
        await he.getByRole('link', { name: 'הצגת המקור' }).click();
        await expect.poll(() => shown(he)).toBe(CEASEFIRE.ar);
        await shot(he, 'he-participant-original');
      }
      await he.getByRole('button', { name: /occupation|הכיבוש/.test(text) ? 'לא מסכימים' : 'מסכימים', exact: true }).click();
      await expect.poll(() => shown(he).catch(() => '')).not.toBe(text);
    }
    expect(sawCeasefire).toBe(true);

    // ---- the staff analysis page: it updates by itself while more participants vote ----
    await page.getByRole('tab', { name: 'Analysis' }).click();
    await expect.poll(() => page.getByTestId('fig-voters').textContent(), { timeout: 20_000 }).toBe('2');
    const statements = (await api('GET', `/dialogues/${dialogueId}/statements?limit=100`)).items as { id: string; body: string }[];
    const idOf = (body: string) => statements.find((s) => s.body === body)!.id;
    for (const [segment, token, language] of [
      ['ji', link('jewish-israelis').split('/p/')[1]!, 'he'],
      ['pal', link('palestinians').split('/p/')[1]!, 'ar'],
    ] as const) {
      for (let i = 0; i < 10; i++) {
        const ctx = await request.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
        expect((await ctx.post(`/api/participate/${token}/join`, { data: { language } })).ok()).toBe(true);
        const votes: [string, number][] = [
          [idOf(CHILDREN.he), 1],
          [idOf(CEASEFIRE.ar), i % 4 === 0 ? 0 : 1],
          [idOf(SEEDS[0]!), segment === 'ji' ? 1 : -1],
          [idOf(SEEDS[1]!), segment === 'ji' ? -1 : 1],
        ];
        for (const [statementId, value] of votes) expect((await ctx.post(`/api/participate/${token}/votes`, { data: { statementId, value } })).ok()).toBe(true);
        await ctx.dispose();
      }
    }
    await expect.poll(() => page.getByTestId('fig-voters').textContent(), { timeout: 20_000 }).toBe('22');
    const bridging = page.getByTestId('bridging-statement');
    await expect.poll(() => bridging.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // staff read in English: the Hebrew statement through its machine translation
    await expect.poll(() => bridging.first().textContent()).toContain(CHILDREN.en);
    await axe(page, 'analysis en');
    await shot(page, 'en-analysis');

    // ---- the report prints ----
    const report = await staff.newPage();
    await report.goto(`${origin}/api/dialogues/${dialogueId}/report?lang=he`);
    expect(await report.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['he', 'rtl']);
    await expect.poll(() => report.getByRole('heading', { name: 'היגדים מגשרים' }).count()).toBe(1);
    expect(await report.locator('main').textContent()).toContain(CHILDREN.he);
    await axe(report, 'report he');
    const pdf = await report.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await shot(report, 'he-report');

    expect(journey.pageProblems).toEqual([]);
    expect(journey.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    await heCtx.close();
    await arCtx.close();
    await staff.close();
  });
});
