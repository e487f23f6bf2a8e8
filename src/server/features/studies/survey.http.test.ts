import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, type Db } from '../../db/client.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';
import { study, studyArm, studyInvite, studyPopulation, studyQuestion, studyResponse } from './studies.schema.ts';
import { SURVEY_LIMITS } from './survey.service.ts';
import { respondentHash } from './survey.token.ts';
import { answerRows } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// The survey's JSON API: consent assigns a condition once; each step's answers are checked against the question's
// kind; a step cannot be answered out of turn; nothing about a respondent is kept but their answers.

const t = await createTestApp({ config: { trustProxy: true } });

type QuestionSpec = { key: string; role: 'covariate' | 'outcome' | 'attention'; kind: 'scale' | 'yes_no' | 'choice'; scaleMin?: number; scaleMax?: number; options?: string[]; correctOption?: string; primary?: boolean };

/** A study straight through Drizzle: populations with one survey link each, a control and messages, questions. */
async function buildStudy(db: Db, spec: { status?: string; randomization?: 'simple' | 'block'; blockRepeats?: number; populations?: { key: string; languages: string[] }[]; messages?: number; questions?: QuestionSpec[]; consent?: LocalizedText; thanks?: LocalizedText }) {
  const L = (en: string): LocalizedText => ({ en, he: `${en} (he)`, ar: `${en} (ar)` });
  const [s] = await db
    .insert(study)
    .values({ title: 'Messages', languages: ['he', 'ar', 'en'], status: spec.status ?? 'open', randomization: spec.randomization ?? 'block', blockRepeats: spec.blockRepeats ?? 2, assignmentSeed: randomBytes(32).toString('hex'), consent: spec.consent ?? {}, thanks: spec.thanks ?? {} })
    .returning();
  const pops: Record<string, { id: string; link: string }> = {};
  for (const [i, p] of (spec.populations ?? [{ key: 'all', languages: ['en', 'he', 'ar'] }]).entries()) {
    const [row] = await db.insert(studyPopulation).values({ studyId: s!.id, key: p.key, name: L(p.key), languages: p.languages, position: i }).returning();
    const link = randomBytes(12).toString('base64url');
    await db.insert(studyInvite).values({ studyId: s!.id, populationId: row!.id, token: link });
    pops[p.key] = { id: row!.id, link };
  }
  const arms = await db
    .insert(studyArm)
    .values([{ key: 'control', control: true, text: {} }, ...Array.from({ length: spec.messages ?? 3 }, (_, i) => ({ key: `m${i + 1}`, control: false, text: L(`Message ${i + 1}`) }))].map((a, i) => ({ ...a, studyId: s!.id, position: i })))
    .returning();
  const questions = spec.questions ?? [
    { key: 'age', role: 'covariate', kind: 'choice', options: ['young', 'old'] },
    { key: 'agree', role: 'outcome', kind: 'scale', scaleMin: 1, scaleMax: 7, primary: true },
    { key: 'share', role: 'outcome', kind: 'yes_no' },
    { key: 'check', role: 'attention', kind: 'choice', options: ['a', 'b', 'c'], correctOption: 'b' },
  ];
  await db.insert(studyQuestion).values(
    questions.map((q, i) => ({
      studyId: s!.id,
      key: q.key,
      role: q.role,
      kind: q.kind,
      prompt: L(`Question ${q.key}`),
      scaleMin: q.scaleMin ?? null,
      scaleMax: q.scaleMax ?? null,
      options: (q.options ?? []).map((id) => ({ id, label: L(`Option ${id}`) })),
      correctOption: q.correctOption ?? null,
      primary: !!q.primary,
      position: i,
    })),
  );
  return { id: s!.id, pops, arms };
}

type State = { step: string; language: string; languages: string[]; consent: string | null; message: { text: string | null } | null; questions: { key: string; kind: string; options: { id: string }[] }[]; thanks: string | null };

const respondent = (addr = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`) => t.client({ 'x-forwarded-for': addr });

async function ok<T = State>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const answer = (c: TestClient, link: string, answers: unknown[]) => c.post(`/api/survey/${link}/answers`, { answers });

describe('starting', () => {
  it('shows the consent step, then assigns one condition on the server, once', async () => {
    const s = await buildStudy(t.db, { consent: { en: 'You agree to answer.', he: 'את/ה מסכים/ה לענות.', ar: 'أنت توافق على الإجابة.' } });
    const link = s.pops.all!.link;
    const c = respondent();
    const before = await ok(await c.get(`/api/survey/${link}/state?language=he`));
    expect(before).toMatchObject({ step: 'consent', language: 'he', consent: 'את/ה מסכים/ה לענות.', message: null, questions: [] });

    const res = await c.post(`/api/survey/${link}/start`, { language: 'ar' });
    const started = await ok(res, 201);
    expect(started.step).toBe('covariates');
    expect(started.questions.map((q) => q.key)).toEqual(['age']);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    for (const k of cookies) expect(k).toMatch(/^convene_respondent=[A-Za-z0-9_-]{43}; Path=\/(s|api\/survey)\/[A-Za-z0-9_-]+; HttpOnly; SameSite=Lax; Max-Age=\d+$/);

    // only the hash of the cookie is stored; the row holds the condition, the sequence and the language
    const token = c.cookies.get('convene_respondent')!;
    const stored = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ tokenHash: respondentHash(token), source: 'survey', status: 'consented', language: 'ar', sequence: 1, attentionPassed: null });
    expect(JSON.stringify(stored[0])).not.toContain(token);

    // starting again (a resubmitted form, a second tab) keeps the response and its condition
    const again = await ok(await c.post(`/api/survey/${link}/start`, { language: 'en' }), 200);
    expect(again.step).toBe('covariates');
    expect(await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).toHaveLength(1);
    const state = await ok(await c.get(`/api/survey/${link}/state`));
    expect(state.language).toBe('ar');
  });

  it('stores nothing about the respondent but the answers: no address anywhere in the row', async () => {
    const s = await buildStudy(t.db, {});
    const c = respondent('203.0.113.77');
    await ok(await c.post(`/api/survey/${s.pops.all!.link}/start`, { language: 'en' }, { headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 13) FieldPhone/1.0' } }), 201);
    const [row] = await rows<Record<string, unknown>>(t.db, sql`select row_to_json(r)::text as j from study_response r where study_id = ${s.id}`);
    expect(String(row!.j)).not.toMatch(/203\.0\.113|FieldPhone|Android/);
    const cols = await rows<{ column_name: string }>(t.db, sql`select column_name from information_schema.columns where table_name = 'study_response'`);
    expect(cols.map((x) => x.column_name).filter((n) => /ip|addr|agent|user/.test(n))).toEqual([]);
  });

  it('refuses a language the population does not read, and a link that does not exist, is withdrawn or not open', async () => {
    const s = await buildStudy(t.db, { populations: [{ key: 'ji', languages: ['he', 'en'] }] });
    const bad = await problem(await respondent().post(`/api/survey/${s.pops.ji!.link}/start`, { language: 'ar' }), 400);
    expect(bad.errors).toEqual([{ field: 'body.language', detail: 'Not a language of this survey (he, en)' }]);
    expect((await problem(await respondent().get('/api/survey/nosuchlink1/state'), 404)).code).toBe('survey_not_found');

    const draft = await buildStudy(t.db, { status: 'draft' });
    expect((await problem(await respondent().post(`/api/survey/${draft.pops.all!.link}/start`, { language: 'en' }), 404)).code).toBe('survey_not_open');
    const closed = await buildStudy(t.db, { status: 'closed' });
    expect((await problem(await respondent().get(`/api/survey/${closed.pops.all!.link}/state`), 410)).code).toBe('survey_closed');
    await t.db.update(studyInvite).set({ revokedAt: new Date() }).where(eq(studyInvite.token, s.pops.ji!.link));
    expect((await problem(await respondent().get(`/api/survey/${s.pops.ji!.link}/state`), 410)).code).toBe('survey_link_revoked');
  });

  it('limits starts per address per hour (429 with Retry-After); other addresses go on', async () => {
    const s = await buildStudy(t.db, { randomization: 'simple', questions: [{ key: 'y', role: 'outcome', kind: 'yes_no' }] });
    const link = s.pops.all!.link;
    let last: Response | undefined;
    for (let i = 0; i <= SURVEY_LIMITS.starts.max; i++) last = await respondent('198.51.100.9').post(`/api/survey/${link}/start`, { language: 'en' });
    const p = await problem(last!, 429);
    expect(p.code).toBe('rate_limited');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    await ok(await respondent('198.51.100.10').post(`/api/survey/${link}/start`, { language: 'en' }), 201);
  });
});

describe('answering', () => {
  it('checks answers against the question kind and names the field', async () => {
    const s = await buildStudy(t.db, { questions: [{ key: 'agree', role: 'outcome', kind: 'scale', scaleMin: 0, scaleMax: 10 }, { key: 'share', role: 'outcome', kind: 'yes_no' }, { key: 'party', role: 'outcome', kind: 'choice', options: ['x', 'y'] }] });
    const link = s.pops.all!.link;
    const c = respondent();
    await ok(await c.post(`/api/survey/${link}/start`, { language: 'en' }), 201);
    const bad = await problem(
      await answer(c, link, [
        { questionKey: 'agree', value: 11 },
        { questionKey: 'share', choice: 'maybe' },
        { questionKey: 'party', choice: 'z' },
        { questionKey: 'nope', value: 1 },
      ]),
      400,
    );
    expect(bad.errors).toEqual([
      { field: 'body.answers.0.value', detail: 'A whole number from 0 to 10' },
      { field: 'body.answers.1.choice', detail: 'Yes (1) or no (0)' },
      { field: 'body.answers.2.choice', detail: 'One of: x, y' },
      { field: 'body.answers.3.questionKey', detail: 'Not a question of this survey' },
    ]);
    expect((await problem(await answer(c, link, [{ questionKey: 'agree', value: 2.5 }, { questionKey: 'share', value: 1 }, { questionKey: 'party', choice: 'x' }]), 400)).errors![0]!.field).toBe('body.answers.0.value');
    // a step is answered whole
    const missing = await problem(await answer(c, link, [{ questionKey: 'agree', value: 0 }]), 400);
    expect(missing.errors).toEqual([
      { field: 'body.answers', detail: 'Missing an answer to share' },
      { field: 'body.answers', detail: 'Missing an answer to party' },
    ]);
    expect(await answerRows(t.db, { studyId: s.id })).toEqual([]);

    const done = await ok(await answer(c, link, [{ questionKey: 'agree', value: 10 }, { questionKey: 'share', choice: 'YES' }, { questionKey: 'party', choice: 'y' }]));
    expect(done.step).toBe('complete');
    const stored = (await answerRows(t.db, { studyId: s.id })).map(({ key, value, choice }) => ({ key, value, choice }));
    expect(stored.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: 'agree', value: 10, choice: null },
      { key: 'party', value: null, choice: 'y' },
      { key: 'share', value: 1, choice: null },
    ]);
    const [r] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(r).toMatchObject({ status: 'complete', attentionPassed: null });
    expect(r!.completedAt).toBeInstanceOf(Date);
  });

  it('goes consent → covariates → the message → outcomes → attention → complete, never out of turn', async () => {
    const s = await buildStudy(t.db, { thanks: { en: 'Thanks a lot.' } });
    const link = s.pops.all!.link;
    const c = respondent();
    expect((await problem(await answer(c, link, [{ questionKey: 'age', choice: 'old' }]), 401)).code).toBe('survey_not_started');
    await ok(await c.post(`/api/survey/${link}/start`, { language: 'en' }), 201);
    expect((await problem(await answer(c, link, [{ questionKey: 'agree', value: 4 }, { questionKey: 'share', value: 0 }]), 409)).code).toBe('survey_step_not_reached');

    const outcomes = await ok(await answer(c, link, [{ questionKey: 'age', choice: 'old' }]));
    expect(outcomes.step).toBe('outcomes');
    expect(outcomes.questions.map((q) => q.key)).toEqual(['agree', 'share']);
    const [row] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    const arm = s.arms.find((a) => a.id === row!.armId)!;
    expect(outcomes.message).toEqual({ text: arm.control ? null : `Message ${arm.key.slice(1)}` });
    // covariates are pre-treatment: they cannot change once the message is shown
    expect((await problem(await answer(c, link, [{ questionKey: 'age', choice: 'young' }]), 409)).code).toBe('survey_step_passed');

    const attention = await ok(await answer(c, link, [{ questionKey: 'agree', value: 6 }, { questionKey: 'share', value: true }]));
    expect(attention).toMatchObject({ step: 'attention', message: null });
    const done = await ok(await answer(c, link, [{ questionKey: 'check', choice: 'c' }]));
    expect(done).toMatchObject({ step: 'complete', thanks: 'Thanks a lot.', questions: [] });
    const [after] = await t.db.select().from(studyResponse).where(eq(studyResponse.id, row!.id));
    expect(after).toMatchObject({ status: 'complete', attentionPassed: false, armId: row!.armId });

    // finished: the state says so even after the study closes; answers are refused
    await t.db.update(study).set({ status: 'closed' }).where(eq(study.id, s.id));
    expect((await ok(await c.get(`/api/survey/${link}/state`))).step).toBe('complete');
    expect((await problem(await answer(c, link, [{ questionKey: 'check', choice: 'b' }]), 410)).code).toBe('survey_closed');
  });

  it('takes several steps in one call, in order, and records a passed attention check', async () => {
    const s = await buildStudy(t.db, {});
    const link = s.pops.all!.link;
    const c = respondent();
    await ok(await c.post(`/api/survey/${link}/start`, { language: 'he' }), 201);
    const done = await ok(
      await answer(c, link, [
        { questionKey: 'check', choice: 'b' },
        { questionKey: 'agree', value: 3 },
        { questionKey: 'age', choice: 'young' },
        { questionKey: 'share', value: 0 },
      ]),
    );
    expect(done.step).toBe('complete');
    const [r] = await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(r).toMatchObject({ status: 'complete', attentionPassed: true });
  });

  it('gives concurrent consents distinct sequences and keeps block randomization balanced', async () => {
    const s = await buildStudy(t.db, { blockRepeats: 1, questions: [{ key: 'y', role: 'outcome', kind: 'yes_no' }] });
    const link = s.pops.all!.link;
    const started = await Promise.all(Array.from({ length: 24 }, (_, i) => respondent(`192.0.2.${i}`).post(`/api/survey/${link}/start`, { language: 'en' })));
    expect(started.map((r) => r.status)).toEqual(new Array(24).fill(201));
    const list = await t.db.select({ sequence: studyResponse.sequence, armId: studyResponse.armId }).from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(list.map((r) => r.sequence).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    // 24 = 6 whole blocks of 4 conditions: exactly 6 each
    const counts = new Map<string, number>();
    for (const r of list) counts.set(r.armId, (counts.get(r.armId) ?? 0) + 1);
    expect([...counts.values()]).toEqual([6, 6, 6, 6]);
  });
});
