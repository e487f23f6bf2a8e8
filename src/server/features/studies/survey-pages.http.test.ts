import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from './studies.schema.ts';
import { respondentHash } from './survey.token.ts';
import { answerRows } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, TestClient } from '../../../../tests/setup/test-app.ts';

// The survey pages with JavaScript off: plain HTML forms, each POST answering 303 to /s/{link}, which shows the
// respondent's current step. Going back, sending a form again or opening a second tab never changes the condition.

const t = await createTestApp();

async function buildStudy(db: Db, spec: { status?: string; control?: LocalizedText; messages?: LocalizedText[]; languages?: string[] } = {}) {
  const [s] = await db
    .insert(study)
    .values({
      title: 'Internal title, never shown',
      languages: ['he', 'ar', 'en'],
      status: spec.status ?? 'open',
      randomization: 'block',
      blockRepeats: 1,
      assignmentSeed: randomBytes(32).toString('hex'),
      consent: { en: 'We ask three questions.', he: 'נשאל שלוש שאלות.', ar: 'سنطرح ثلاثة أسئلة.' },
      thanks: { en: 'Thank you for taking part.', he: 'תודה על ההשתתפות.', ar: 'شكرًا لمشاركتك.' },
    })
    .returning();
  const [pop] = await db.insert(studyPopulation).values({ studyId: s!.id, key: 'all', name: { en: 'All' }, languages: spec.languages ?? ['he', 'ar', 'en'] }).returning();
  const link = randomBytes(12).toString('base64url');
  await db.insert(studyInvite).values({ studyId: s!.id, populationId: pop!.id, token: link });
  const messages = spec.messages ?? [{ en: 'Violence brings no one safety.', he: 'אלימות לא מביאה ביטחון לאף אחד.', ar: 'العنف لا يجلب الأمان لأحد.' }];
  const arms = await db
    .insert(studyArm)
    .values([{ key: 'control', control: true, text: spec.control ?? {} }, ...messages.map((text, i) => ({ key: `m${i + 1}`, text }))].map((a, i) => ({ ...a, studyId: s!.id, position: i })))
    .returning();
  const qs = await db
    .insert(studyQuestion)
    .values([
      { studyId: s!.id, role: 'covariate', key: 'age', kind: 'yes_no', prompt: { en: 'Are you 40 or older?', he: 'האם את/ה בן/בת 40 ומעלה?', ar: 'هل عمرك 40 أو أكثر؟' }, position: 0 },
      {
        studyId: s!.id,
        role: 'outcome',
        key: 'agree',
        kind: 'scale',
        scaleMin: 1,
        scaleMax: 7,
        scaleLabels: { min: { en: 'Not at all', he: 'בכלל לא', ar: 'إطلاقًا' }, max: { en: 'Completely', he: 'לגמרי', ar: 'تمامًا' } },
        prompt: { en: 'How much do you agree?', he: 'עד כמה את/ה מסכים/ה?', ar: 'إلى أي مدى توافق؟' },
        primary: true,
        position: 1,
      },
      {
        studyId: s!.id,
        role: 'attention',
        key: 'check',
        kind: 'choice',
        prompt: { en: 'To show you are reading, choose “Blue”.', he: 'כדי להראות שקראת, יש לבחור "כחול".', ar: 'لتُظهر أنك تقرأ، اختر "أزرق".' },
        options: [
          { id: 'red', label: { en: 'Red', he: 'אדום', ar: 'أحمر' } },
          { id: 'blue', label: { en: 'Blue', he: 'כחול', ar: 'أزرق' } },
        ],
        correctOption: 'blue',
        position: 2,
      },
    ])
    .returning();
  return { id: s!.id, link, arms, questions: qs };
}

/** Posts a form as a browser with JavaScript off would (urlencoded, our Origin, cookies). */
function postForm(c: TestClient, path: string, fields: Record<string, string>) {
  return c.request(path, { method: 'POST', body: new URLSearchParams(fields) });
}

async function html(res: Response, status = 200): Promise<string> {
  const text = await res.text();
  expect(res.status, text.slice(0, 800)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return text;
}

/** The rules every public page keeps: lang and dir, no inline script or handler, our own assets only. */
function expectSafePage(page: string, lang: string, dir: 'ltr' | 'rtl') {
  expect(page).toMatch(new RegExp(`^<!doctype html><html lang="${lang}" dir="${dir}">`));
  const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts).toHaveLength(1);
  expect(scripts[0]![1]).toMatch(/src="\/s\/assets\/survey\.[0-9a-f]{10}\.js" defer/);
  expect(scripts[0]![2]!.trim()).toBe('');
  expect(page).not.toMatch(/\son[a-z]+\s*=/i);
  expect(page).not.toMatch(/javascript:/i);
  expect(page).not.toMatch(/(src|href|action)="https?:\/\//);
  expect(page).not.toMatch(/style="/);
  expect(page).not.toContain('Internal title');
}

const see = (res: Response, location: string) => {
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(location);
};

describe('the survey with JavaScript off', () => {
  it('a Hebrew respondent: consent, covariate, the message, outcome, attention check, thank you', async () => {
    const s = await buildStudy(t.db, { control: { en: 'A neutral text about the weather.', he: 'טקסט ניטרלי על מזג האוויר.', ar: 'نص محايد عن الطقس.' } });
    const c = t.client();
    const res = await c.get(`/s/${s.link}?lang=he`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    let page = await html(res);
    expectSafePage(page, 'he', 'rtl');
    expect(page).toContain('<h1>לפני שמתחילים</h1>');
    expect(page).toContain('<p>נשאל שלוש שאלות.</p>');
    expect(page).toContain('חלק 1 מתוך 4');
    expect(page).toContain(`<form class="start" method="post" action="/s/${s.link}/start">`);
    expect(page).toContain('<input type="hidden" name="language" value="he">');
    // the switch names each language in itself
    expect(page).toMatch(new RegExp(`<a href="/s/${s.link}\\?lang=ar" lang="ar" hreflang="ar">العربية</a>`));

    const started = await postForm(c, `/s/${s.link}/start`, { language: 'he' });
    see(started, `/s/${s.link}`);
    const cookies = started.headers.getSetCookie();
    expect(cookies.some((k) => k.startsWith('convene_respondent=') && k.includes(`Path=/s/${s.link};`) && k.includes('HttpOnly') && k.includes('SameSite=Lax'))).toBe(true);
    const [row] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(row).toMatchObject({ language: 'he', status: 'consented' });

    page = await html(await c.get(`/s/${s.link}`));
    expectSafePage(page, 'he', 'rtl');
    expect(page).toContain('<h1>קודם כול, קצת עליכם</h1>');
    expect(page).toContain('<legend dir="auto">האם את/ה בן/בת 40 ומעלה?</legend>');
    expect(page).toContain('<input type="radio" name="a_age" value="1" required> <span>כן</span>');
    // the switch is now a form: the language is remembered
    expect(page).toContain(`<form class="langs" method="post" action="/s/${s.link}/language"`);

    // nothing chosen (a browser without validation): the page again, saying what is missing
    page = await html(await postForm(c, `/s/${s.link}/answers`, { step: 'covariates' }), 400);
    expect(page).toContain('<div class="error-summary" role="alert"');
    expect(page).toContain('<p class="error" id="q-age-error">נא לענות על השאלה הזו.</p>');
    expect(page).toContain('aria-describedby="q-age-error"');
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'covariates', a_age: '0' }), `/s/${s.link}`);

    // the message, then the outcome questions at /questions
    page = await html(await c.get(`/s/${s.link}`));
    expect(page).toContain('<h1>נא לקרוא בעיון</h1>');
    const arm = s.arms.find((a) => a.id === row!.armId)!;
    expect(page).toContain(`<blockquote class="message" dir="auto"><p>${arm.text.he}</p></blockquote>`);
    expect(page).toContain(`<a class="button primary" href="/s/${s.link}/questions">המשך</a>`);
    page = await html(await c.get(`/s/${s.link}/questions`));
    expect(page).toContain('<h1>מה דעתך</h1>');
    expect(page).toContain('<span class="num">1</span><span class="end" dir="auto">בכלל לא</span>');
    expect(page).toContain('<span class="num">7</span><span class="end" dir="auto">לגמרי</span>');
    expect(page).toContain('יש לבחור מספר מ־1 עד 7.');
    // out of range: refused, named
    page = await html(await postForm(c, `/s/${s.link}/answers`, { step: 'outcomes', a_agree: '9' }), 400);
    expect(page).toContain('id="q-agree-error"');
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'outcomes', a_agree: '6' }), `/s/${s.link}`);

    page = await html(await c.get(`/s/${s.link}`));
    expect(page).toContain('<h1>שאלה אחרונה</h1>');
    expect(page).toContain('>סיום</button>');
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'attention', a_check: 'blue' }), `/s/${s.link}`);
    page = await html(await c.get(`/s/${s.link}`));
    expectSafePage(page, 'he', 'rtl');
    expect(page).toContain('<h1>תודה</h1>');
    expect(page).toContain('<p>תודה על ההשתתפות.</p>');

    const [done] = await t.db.select().from(studyResponse).where(eq(studyResponse.id, row!.id));
    expect(done).toMatchObject({ status: 'complete', attentionPassed: true, armId: row!.armId });
    const answers = await answerRows(t.db, { responseId: row!.id });
    expect(answers).toHaveLength(3);
  });

  it('keeps the assignment and the answers through the back button, a resent form and a second tab', async () => {
    const s = await buildStudy(t.db);
    const c = t.client();
    see(await postForm(c, `/s/${s.link}/start`, { language: 'ar' }), `/s/${s.link}`);
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'covariates', a_age: '1' }), `/s/${s.link}`);
    const [first] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));

    // back to the consent page and "I agree" again: the same response, the same condition
    see(await postForm(c, `/s/${s.link}/start`, { language: 'ar' }), `/s/${s.link}`);
    // the covariate form sent again with another answer: ignored (pre-treatment answers stand)
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'covariates', a_age: '0' }), `/s/${s.link}`);
    const list = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(list).toHaveLength(1);
    expect(list[0]!.armId).toBe(first!.armId);
    const [age] = await answerRows(t.db, { responseId: first!.id });
    expect(age!.value).toBe(1);

    // a second tab (same cookie) shows the same step; the consent page is not shown again
    const tab = new TestClient(t.app);
    tab.cookies = new Map(c.cookies);
    const page = await html(await tab.get(`/s/${s.link}`));
    expectSafePage(page, 'ar', 'rtl');
    expect(page).not.toContain('قبل أن تبدأ');
    expect(page).toMatch(/<h1>(يرجى قراءة هذا بعناية|رأيك)<\/h1>/);
    // a later step's form sent early is ignored too
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'attention', a_check: 'blue' }), `/s/${s.link}`);
    expect(await answerRows(t.db, { responseId: first!.id })).toHaveLength(1);
  });

  it('shows the control without a message page when the control has no text, and switches language', async () => {
    // a silent control and one message, in blocks of two: two respondents get each
    const s = await buildStudy(t.db);
    const c = t.client();
    for (let i = 0; i < 4; i++) {
      const r = t.client();
      see(await postForm(r, `/s/${s.link}/start`, { language: 'en' }), `/s/${s.link}`);
      see(await postForm(r, `/s/${s.link}/answers`, { step: 'covariates', a_age: '1' }), `/s/${s.link}`);
      const page = await html(await r.get(`/s/${s.link}`));
      const [resp] = await t.db.select().from(studyResponse).where(eq(studyResponse.tokenHash, respondentHash(r.cookies.get('convene_respondent')!)));
      const control = s.arms.find((a) => a.control)!;
      if (resp!.armId === control.id) {
        // the silent control goes straight to the outcome questions, counted as every arm counts them: the message
        // is part of the outcomes' part, so the count never changes after consent ('Part 1 of 4' throughout)
        expect(page).toContain('<h1>Your view</h1>');
        expect(page).toContain('Part 3 of 4');
      } else {
        expect(page).toContain('<h1>Please read this carefully</h1>');
        expect(page).toContain('Part 3 of 4');
      }
    }
    see(await postForm(c, `/s/${s.link}/start`, { language: 'en' }), `/s/${s.link}`);
    see(await postForm(c, `/s/${s.link}/language`, { language: 'ar', back: '' }), `/s/${s.link}`);
    const page = await html(await c.get(`/s/${s.link}`));
    expectSafePage(page, 'ar', 'rtl');
    expect(page).toContain('<button type="submit" name="language" value="ar" lang="ar" aria-pressed="true">العربية</button>');
    const [resp] = await t.db.select().from(studyResponse).where(eq(studyResponse.tokenHash, respondentHash(c.cookies.get('convene_respondent')!)));
    expect(resp!.language).toBe('ar');
  });

  it('says so clearly when the link is unknown (404), withdrawn (410), not open yet (404) or closed (410)', async () => {
    const gone = await buildStudy(t.db);
    await t.db.update(studyInvite).set({ revokedAt: new Date() }).where(eq(studyInvite.token, gone.link));
    const draft = await buildStudy(t.db, { status: 'draft' });
    const closed = await buildStudy(t.db, { status: 'closed' });
    const unknown = await html(await t.client().get('/s/nosuchlink1?lang=ar'), 404);
    expectSafePage(unknown, 'ar', 'rtl');
    expect(unknown).toContain('لا يوجد استطلاع على هذا الرابط');
    expect(await html(await t.client().get(`/s/${gone.link}?lang=he`), 410)).toContain('הקישור הזה בוטל');
    expect(await html(await t.client().get(`/s/${draft.link}?lang=en`), 404)).toContain('This survey is not open yet');
    expect(await html(await t.client().get(`/s/${closed.link}?lang=en`), 410)).toContain('This survey has closed');
    expect(await html(await postForm(t.client(), `/s/${closed.link}/start`, { language: 'en' }), 410)).toContain('This survey has closed');
  });

  it('a finished respondent sees the thank-you page, even after the study closes', async () => {
    const s = await buildStudy(t.db, { languages: ['en'] });
    const c = t.client();
    see(await postForm(c, `/s/${s.link}/start`, { language: 'en' }), `/s/${s.link}`);
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'covariates', a_age: '1' }), `/s/${s.link}`);
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'outcomes', a_agree: '2' }), `/s/${s.link}`);
    see(await postForm(c, `/s/${s.link}/answers`, { step: 'attention', a_check: 'red' }), `/s/${s.link}`);
    await t.db.update(study).set({ status: 'closed' }).where(eq(study.id, s.id));
    const page = await html(await c.get(`/s/${s.link}`));
    expect(page).toContain('Thank you for taking part.');
    // one language: no switch at all
    expect(page).not.toContain('class="langs"');
    const [r] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(r!.attentionPassed).toBe(false);
  });

  it('refuses form posts from another site', async () => {
    const s = await buildStudy(t.db);
    expect((await postForm(t.client({ origin: 'https://evil.example' }), `/s/${s.link}/start`, { language: 'en' })).status).toBe(403);
    expect((await postForm(t.client({ origin: 'null', 'sec-fetch-site': 'cross-site' }), `/s/${s.link}/start`, { language: 'en' })).status).toBe(403);
    see(await postForm(t.client({ origin: 'null', 'sec-fetch-site': 'same-origin' }), `/s/${s.link}/start`, { language: 'en' }), `/s/${s.link}`);
    expect(await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).toHaveLength(1);
  });

  it('serves one small stylesheet and one tiny script, gzipped, cached for a year', async () => {
    const s = await buildStudy(t.db);
    const page = await html(await t.client().get(`/s/${s.link}`));
    const css = page.match(/href="(\/s\/assets\/survey\.[0-9a-f]{10}\.css)"/)![1]!;
    const js = page.match(/src="(\/s\/assets\/survey\.[0-9a-f]{10}\.js)"/)![1]!;
    let total = 0;
    for (const url of [css, js]) {
      const res = await t.client().get(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      total += (await res.arrayBuffer()).byteLength;
    }
    const jsPlain = await (await t.client().get(js)).text();
    expect(gzipSync(jsPlain).byteLength).toBeLessThan(1024);
    expect(total).toBeLessThan(6 * 1024);
    // the page itself is small too
    expect(gzipSync(page).byteLength).toBeLessThan(3 * 1024);
    expect((await t.client().get('/s/assets/survey.0000000000.js')).status).toBe(404);
  });
});
