import { request, type APIRequestContext, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserJourney, VIEWPORT } from './support.ts';

// Staff set up a dialogue between two populations through the browser: two segments, a joint session, an open
// question with seed statements, invite links. Participants (over the public JSON API, each with their own
// cookie) write and vote; staff moderate, enter a human translation, and watch the analysis find the opinion
// groups and a bridging statement. Every tab is checked with axe in English, Hebrew and Arabic.

const journey = browserJourney('research');
const { requests, pageProblems, axe, shot, switchLanguage } = journey;
const h1 = journey.heading;

/** A Mantine select's text box by its label. */
function selectInput(scope: Page | ReturnType<Page['locator']>, label: string) {
  return scope.getByLabel(new RegExp(`^${label}( \\*)?$`)).and(scope.locator('input:not([type=hidden])'));
}

async function pick(page: Page, name: string | RegExp) {
  const option = page.getByRole('option', { name }).first();
  await option.waitFor();
  await option.click();
}

const BRIDGING = 'Civil society must have a role in any diplomatic initiative.';
const FOR_A = ['Security comes before any talks.', 'Our side has been more willing to compromise.'];
const FOR_B = ['The occupation must end before anything else.', 'International law should decide the borders.'];

describe('research dialogues, staff side', () => {
  it('sets up a dialogue with two segments, moderates, translates by hand, and sees groups and a bridging statement in en/he/ar', async () => {
    const setupLink = journey.server().setupLink();
    expect(setupLink, journey.server().output()).toBeTruthy();
    const origin = new URL(setupLink!).origin;
    const context = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/London' });
    const page = await context.newPage();
    journey.watch(page);

    // ---- the first administrator ----
    await journey.setUpFirstAdmin(page, { name: 'Rana Khoury', email: 'rana@example.org', password: 'olive branch 2024 bridge' });
    const api = async (method: 'POST' | 'GET', p: string, data?: unknown) => {
      const res = await page.request.fetch(`${origin}/api${p}`, { method, data, headers: { origin, 'content-type': 'application/json' } });
      const body = await res.json().catch(() => null);
      expect(res.ok(), `${method} ${p}: ${res.status()} ${JSON.stringify(body)}`).toBe(true);
      return body;
    };

    // ---- a new dialogue with two segments, named in three languages ----
    await page.locator('.mantine-AppShell-navbar').getByRole('link', { name: 'Dialogues' }).click();
    await h1(page, 'Dialogues');
    await axe(page, 'dialogues list en');
    await page.getByRole('button', { name: 'New dialogue' }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('textbox', { name: 'Title (English)' }).fill('Messages for a diplomatic horizon');
    await form.getByRole('textbox', { name: 'Description' }).fill('Which messages about non-violence win agreement in both populations?');
    const segmentNames = [
      ['Jewish Israelis', 'יהודים ישראלים', 'يهود إسرائيليون'],
      ['Palestinians', 'פלסטינים', 'فلسطينيون'],
    ];
    for (const [i, [en, he, ar]] of segmentNames.entries()) {
      if (i > 0) await form.getByRole('button', { name: 'Add segment' }).click();
      const seg = form.getByRole('group', { name: `Segment ${i + 1}` });
      await seg.getByRole('textbox', { name: 'Name (Hebrew)' }).fill(he!);
      await seg.getByRole('textbox', { name: 'Name (Arabic)' }).fill(ar!);
      await seg.getByRole('textbox', { name: 'Name (English)' }).fill(en!);
    }
    // the short key follows the English name
    expect(await form.getByRole('group', { name: 'Segment 2' }).getByRole('textbox', { name: 'Short key' }).inputValue()).toBe('palestinians');
    await axe(page, 'new dialogue en');
    await shot(page, 'en-new-dialogue');
    await form.getByRole('button', { name: 'Create dialogue' }).click();
    await page.waitForURL(/\/research\/dialogues\/[0-9a-f-]{36}/);
    const dialogueId = new URL(page.url()).pathname.split('/').pop()!;
    await h1(page, 'Messages for a diplomatic horizon');
    await expect.poll(() => page.getByTestId('segment-row').count()).toBe(2);

    // ---- a joint session, opened by hand ----
    await page.getByRole('button', { name: 'Add session' }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Session title' }).fill('Joint session, July');
    await page.getByRole('dialog').getByRole('button', { name: 'Add session' }).click();
    const session = page.getByTestId('session');
    await expect.poll(() => session.count()).toBe(1);
    await expect.poll(() => session.getByText('Joint: all segments').count()).toBe(1);
    await session.getByRole('button', { name: 'Open now' }).click();
    await expect.poll(() => session.getByRole('button', { name: 'Close' }).count()).toBe(1);

    // ---- an open question with two seed statements (one in Hebrew) ----
    await session.getByRole('button', { name: 'Add question' }).click();
    const q = page.getByRole('dialog');
    await q.getByRole('textbox', { name: 'Question (English)' }).fill('What message about the future could people on both sides support?');
    await q.getByRole('textbox', { name: 'Question (Hebrew)' }).fill('איזה מסר על העתיד יכולים אנשים משני הצדדים לתמוך בו?');
    await q.getByRole('textbox', { name: 'Question (Arabic)' }).fill('ما الرسالة عن المستقبل التي يمكن أن يدعمها الناس من الجانبين؟');
    await q.getByRole('button', { name: 'Add seed statement' }).click();
    await q.getByRole('textbox', { name: 'Seed statement 1' }).fill(BRIDGING);
    await q.getByRole('button', { name: 'Add seed statement' }).click();
    await q.getByRole('textbox', { name: 'Seed statement 2' }).fill('ביטחון קודם לכל שיחה.');
    await selectInput(q, 'Language of seed 2').click();
    await pick(page, 'Hebrew');
    await axe(page, 'new question en');
    await shot(page, 'en-new-question');
    await q.getByRole('button', { name: 'Add question' }).click();
    await expect.poll(() => session.getByTestId('question').count()).toBe(1);
    await expect.poll(() => session.getByTestId('question').textContent()).toContain('2 accepted');

    // ---- invite links: one per segment and one where participants choose ----
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(1);
    await selectInput(page, 'For').click();
    await pick(page, 'Palestinians');
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(2);
    await selectInput(page, 'For').click();
    await pick(page, 'Participants choose their segment');
    await page.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(3);
    const urls = await page.getByTestId('invite-url').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(urls.every((u) => /\/p\/[A-Za-z0-9_-]+$/.test(u))).toBe(true);
    const tokens = urls.map((u) => u.split('/p/')[1]!);
    await axe(page, 'setup en');
    await shot(page, 'en-setup');

    // more seeds, through the API to save time
    const d0 = await api('GET', `/dialogues/${dialogueId}`);
    const questionId: string = d0.sessions[0].questions[0].id;
    for (const body of [...FOR_A.slice(1), ...FOR_B]) await api('POST', `/dialogue-questions/${questionId}/statements`, { body, language: 'en' });

    // ---- participants: twelve per segment, each with their own cookie jar ----
    const participants: { ctx: APIRequestContext; token: string; segment: 'A' | 'B' }[] = [];
    for (const [segment, token, language] of [
      ['A', tokens[0]!, 'he'],
      ['B', tokens[1]!, 'ar'],
    ] as const) {
      for (let i = 0; i < 12; i++) {
        const ctx = await request.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
        const res = await ctx.post(`/api/participate/${token}/join`, { data: { language } });
        expect(res.ok(), await res.text()).toBe(true);
        participants.push({ ctx, token, segment });
      }
    }
    // one Hebrew and one Arabic statement from participants: pending until moderated
    const write = async (p: (typeof participants)[number], body: string) => {
      const res = await p.ctx.post(`/api/participate/${p.token}/statements`, { data: { questionId, body } });
      expect(res.ok(), await res.text()).toBe(true);
      return (await res.json()).id as string;
    };
    const hebrewId = await write(participants[0]!, 'צריך לדבר עם כל הצדדים כדי לעצור את האלימות.');
    await write(participants[12]!, 'هذا نص مسيء يجب رفضه');

    // ---- moderation: accept with the keyboard, reject with a reason ----
    await page.getByRole('tab', { name: /Moderation/ }).click();
    await expect.poll(() => page.getByTestId('pending-statement').count()).toBe(2);
    expect(await page.getByTestId('count-pending').textContent()).toBe('2');
    await axe(page, 'moderation en');
    await shot(page, 'en-moderation');
    const first = page.getByTestId('pending-statement').first();
    await expect.poll(() => first.textContent()).toContain('צריך לדבר');
    await first.focus();
    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('pending-statement').count()).toBe(1);
    const second = page.getByTestId('pending-statement').first();
    await second.getByRole('textbox', { name: 'Reason for rejecting' }).fill('Insulting language');
    await second.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.getByText('Nothing is waiting for moderation.').count()).toBe(1);

    // ---- statements: no AI provider is configured, so an English translation is entered by hand ----
    await page.getByRole('tab', { name: 'Statements' }).click();
    await expect.poll(() => page.getByTestId('statement-card').count()).toBe(7);
    await page.getByRole('button', { name: 'Translate missing with AI' }).click();
    await expect.poll(() => page.getByText('No AI provider is configured, so nothing can be translated by machine').count()).toBe(1);
    const card = page.getByTestId('statement-card').filter({ hasText: 'צריך לדבר' });
    await expect.poll(() => card.getByText('Original, in Hebrew').count()).toBe(1);
    await card.getByRole('button', { name: 'Add English translation' }).click();
    await card.getByRole('textbox', { name: 'Translation into English' }).fill('We must talk with all sides to stop the violence.');
    await card.getByRole('button', { name: 'Save translation' }).click();
    await expect.poll(() => card.getByText('English: translated by staff').count()).toBe(1);
    const rejected = page.getByTestId('statement-card').filter({ hasText: 'هذا نص مسيء' });
    await expect.poll(() => rejected.getByText('Insulting language').count()).toBe(1);
    await axe(page, 'statements en');
    await shot(page, 'en-statements');

    // ---- votes: both populations agree on one statement and split on four ----
    const statements = (await api('GET', `/dialogues/${dialogueId}/statements?status=accepted&limit=100`)).items as { id: string; body: string }[];
    const idOf = (body: string) => statements.find((s) => s.body === body)!.id;
    const hebrewSeed = statements.find((s) => s.body.startsWith('ביטחון'))!.id;
    for (const [i, p] of participants.entries()) {
      const mine = p.segment === 'A';
      const votes: [string, number][] = [
        [idOf(BRIDGING), 1],
        [hebrewSeed, mine ? 1 : -1],
        [idOf(FOR_A[1]!), mine ? 1 : -1],
        [idOf(FOR_B[0]!), mine ? -1 : 1],
        [idOf(FOR_B[1]!), mine ? -1 : 1],
        [hebrewId, i % 3 === 0 ? 0 : mine ? 1 : -1],
      ];
      for (const [statementId, value] of votes) {
        if (i === 0 && statementId === hebrewId) continue; // its author
        const res = await p.ctx.post(`/api/participate/${p.token}/votes`, { data: { statementId, value } });
        expect(res.ok(), await res.text()).toBe(true);
      }
    }
    for (const p of participants) await p.ctx.dispose();

    // ---- the analysis: figures, a bridging statement with its per-segment bars, two opinion groups ----
    await page.getByRole('tab', { name: 'Analysis' }).click();
    await expect.poll(() => page.getByTestId('fig-voters').textContent(), { timeout: 20_000 }).toBe('24');
    await expect.poll(() => page.getByTestId('fig-groups').textContent(), { timeout: 30_000 }).toBe('2');
    const bridging = page.getByTestId('bridging-statement');
    await expect.poll(() => bridging.count()).toBeGreaterThan(0);
    expect(await bridging.first().textContent()).toContain(BRIDGING);
    const bars = bridging.first().getByTestId('segment-bars');
    expect(await bars.getByRole('rowheader', { name: 'Jewish Israelis' }).count()).toBe(1);
    expect(await bars.getByRole('rowheader', { name: 'Palestinians' }).count()).toBe(1);
    // the bar speaks: 100% agree with its Wilson interval, twelve votes
    expect(await bars.getByRole('img', { name: /^100% agree \(95% interval \d+% to 100%\), 12 votes$/ }).count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('divisive-statement').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('opinion-group').count()).toBe(2);
    expect(await page.getByTestId('opinion-map').count()).toBe(1);
    // the Hebrew statement reads in English (the staff translation), with the original a click away
    const table = page.getByTestId('statement-table');
    await expect.poll(() => table.getByText('We must talk with all sides to stop the violence.').count()).toBe(1);
    await table.getByRole('button', { name: 'Show the original' }).first().click();
    await expect.poll(() => table.getByText('צריך לדבר עם כל הצדדים כדי לעצור את האלימות.').count()).toBe(1);
    // while the session is open the page refreshes by itself
    const before = await page.getByTestId('computed-at').textContent();
    await expect.poll(() => page.getByTestId('computed-at').textContent(), { timeout: 10_000 }).not.toBe(before);
    await axe(page, 'analysis en');
    await shot(page, 'en-analysis');

    // ---- summaries without an AI provider: a keyword grouping, labelled as such ----
    await page.getByRole('tab', { name: 'Summaries' }).click();
    await page.getByRole('button', { name: 'Summarise' }).click();
    await expect.poll(() => page.getByTestId('summary').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('summary').getByText('Keyword grouping (no AI provider configured)').count()).toBe(1);
    // a validation poll asks the joint session whether the summary reflects their view; its results show per segment
    await page.getByRole('button', { name: 'Create validation poll' }).click();
    await expect.poll(() => page.getByText('Validation poll: does this summary reflect your view?').count()).toBe(1);
    await expect.poll(() => page.getByTestId('summary').getByTestId('poll-results').count()).toBe(1);
    await axe(page, 'summaries en');
    await shot(page, 'en-summaries');

    // ---- export: the printable report answers ----
    await page.getByRole('tab', { name: 'Export' }).click();
    const reportHref = await page.getByRole('link', { name: 'Open the report' }).getAttribute('href');
    const report = await page.request.get(`${origin}${reportHref}`);
    expect(report.status()).toBe(200);
    expect(report.headers()['content-type']).toContain('text/html');
    await axe(page, 'export en');

    // ---- a viewer sees the figures and no button that would write ----
    const invited = await api('POST', '/invitations', { email: 'observer@example.org', name: 'Observer', role: 'viewer', locale: 'en' });
    const viewerContext = await journey.browser().newContext({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'Europe/London' });
    const vp = await viewerContext.newPage();
    journey.watch(vp);
    const post = (p: string, data: unknown) => vp.request.post(`${origin}/api${p}`, { data, headers: { origin } });
    expect((await post('/invitations/accept', { token: new URL(invited.link).searchParams.get('token'), password: 'quiet observer 2024' })).ok()).toBe(true);
    expect((await post('/auth/sign-in/email', { email: 'observer@example.org', password: 'quiet observer 2024' })).ok()).toBe(true);
    await vp.goto(`${origin}/research/dialogues/${dialogueId}?tab=setup`);
    await h1(vp, 'Messages for a diplomatic horizon');
    await expect.poll(() => vp.getByTestId('invite-row').count()).toBe(3);
    for (const name of ['Add segment', 'Add session', 'Add question', 'Create link', 'Close', 'Revoke: Palestinians', 'Save']) expect(await vp.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    await vp.goto(`${origin}/research/dialogues/${dialogueId}?tab=statements`);
    await expect.poll(() => vp.getByTestId('statement-card').count()).toBe(7);
    expect(await vp.getByRole('button', { name: /translation|Translate/ }).count()).toBe(0);
    await vp.goto(`${origin}/research/dialogues/${dialogueId}?tab=analysis`);
    await expect.poll(() => vp.getByTestId('bridging-statement').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await vp.goto(`${origin}/research`);
    await h1(vp, 'Dialogues');
    expect(await vp.getByRole('button', { name: 'New dialogue' }).count()).toBe(0);
    await viewerContext.close();

    // ---- Hebrew and Arabic: right to left, every tab axe-clean ----
    for (const lang of ['he', 'ar'] as const) {
      await page.getByRole('tab').first().click();
      await switchLanguage(page, lang);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      for (const tab of ['setup', 'moderation', 'statements', 'analysis', 'summaries', 'export']) {
        await page.goto(`${origin}/research/dialogues/${dialogueId}?tab=${tab}`);
        await h1(page, 'Messages for a diplomatic horizon');
        if (tab === 'analysis') await expect.poll(() => page.getByTestId('bridging-statement').count(), { timeout: 15_000 }).toBeGreaterThan(0);
        if (tab === 'statements') await expect.poll(() => page.getByTestId('statement-card').count()).toBe(7);
        await axe(page, `${tab} ${lang}`);
        if (['setup', 'statements', 'analysis', 'summaries'].includes(tab)) await shot(page, `${lang}-${tab}`);
      }
      // segment names follow the language
      await page.goto(`${origin}/research/dialogues/${dialogueId}?tab=analysis`);
      const name = lang === 'he' ? 'יהודים ישראלים' : 'يهود إسرائيليون';
      await expect.poll(() => page.getByTestId('bridging-statement').first().getByRole('rowheader', { name }).count(), { timeout: 15_000 }).toBe(1);
    }
    await switchLanguage(page, 'en');

    // ---- nothing went to another origin; the CSP refused nothing ----
    expect(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin)).toEqual([]);
    expect(pageProblems).toEqual([]);
    await context.close();
  }, 300_000);
});
