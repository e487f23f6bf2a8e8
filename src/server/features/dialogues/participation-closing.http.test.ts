import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../i18n/catalogs.ts';
import { rows } from '../../db/client.ts';
import {
  dialogueInvite,
  dialoguePairwise,
  dialoguePollAnswer,
  dialogueSession,
  dialogueStatement,
  dialogueVote,
} from './dialogues.schema.ts';
import * as participation from './participation.service.ts';
import { tokenHash } from './participation.token.ts';
import { VoteWriter } from './participation.vote-writer.ts';
import { studyResponse, study } from '../studies/studies.schema.ts';
import * as survey from '../studies/survey.service.ts';
import { buildDialogue, buildParticipant, type BuiltDialogue } from '../../../../tests/setup/dialogue-factories.ts';
import { buildStudy } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// Writes into a session that is no longer (or not yet) open, or through a withdrawn link: every route a
// participant writes through refuses them with one rule, judged when the write is stored, and nothing refused is
// stored or counted. The clock is controlled through the data (opensAt / closesAt in the past or future), never by
// waiting.

const t = await createTestApp();
const staff = await t.signedIn('staff');

function as(p: { token: string }): TestClient {
  const c = t.client();
  c.cookies.set('convene_participant', p.token);
  return c;
}

function postForm(c: TestClient, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return c.request(path, { method: 'POST', body });
}

async function html(res: Response, status: number): Promise<string> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return text;
}

/** A dialogue with one joint session holding an open question (7 seeds) and a single-choice poll, pairwise on. */
function closable(session: { status?: 'open' | 'scheduled' | 'closed'; opensAt?: Date | null; closesAt?: Date | null } = {}) {
  return buildDialogue(t.db, {
    pairwise: true,
    sessions: [
      {
        key: 's',
        ...session,
        questions: [
          { key: 'q', kind: 'open', seeds: ['one', 'two', 'three', 'four', 'five', 'six', 'seven'] },
          { key: 'p', kind: 'poll', pollMode: 'single', options: [{ en: 'Yes', he: 'כן' }, { en: 'No', he: 'לא' }] },
        ],
      },
    ],
    invites: [{ key: 'i' }],
  });
}

/** Everything stored for a dialogue, and every count of it staff see. */
async function stored(d: BuiltDialogue) {
  const [votes, statements, polls, pairs, [readModel], dto, analysis] = await Promise.all([
    t.db.select().from(dialogueVote).where(eq(dialogueVote.dialogueId, d.id)),
    t.db.select({ id: dialogueStatement.id }).from(dialogueStatement).where(eq(dialogueStatement.dialogueId, d.id)),
    t.db.select().from(dialoguePollAnswer).where(eq(dialoguePollAnswer.questionId, d.questions.p!)),
    t.db.select().from(dialoguePairwise).where(eq(dialoguePairwise.questionId, d.questions.q!)),
    rows<{ votes: string | number }>(t.db, sql`select votes from read_model.dialogue_votes where dialogue_id = ${d.id}`),
    staff.get(`/api/dialogues/${d.id}`).then((r) => r.json() as Promise<{ votes: number }>),
    staff.get(`/api/dialogues/${d.id}/analysis`).then((r) => r.json() as Promise<{ statements: { overall: { votes: number } }[] }>),
  ]);
  return {
    votes: votes.map((v) => `${v.participantId}:${v.statementId}:${v.value}:${v.votedAt.toISOString()}`).sort(),
    statements: statements.map((s) => s.id).sort(),
    polls: polls.map((a) => `${a.participantId}:${a.choices.join('|')}`).sort(),
    pairs: pairs.length,
    readModelVotes: Number(readModel?.votes ?? 0),
    apiVotes: dto.votes,
    analysedVotes: analysis.statements.reduce((n, s) => n + s.overall.votes, 0),
  };
}

/**
 * Every write route, API and pages, answers the refusal; nothing is stored or counted. The participant has voted
 * on the first five seeds before (so a pair is due), and reads Hebrew.
 */
async function expectEveryWriteRefused(d: BuiltDialogue, c: TestClient, want: { status: number; code: string }) {
  const inv = d.invites.i!;
  const [s1, s2, , , , s6] = d.seeds.q!;
  const before = await stored(d);
  const api = [
    await c.post(`/api/participate/${inv}/votes`, { statementId: s6, value: 1 }),
    // changing a vote already cast is a write too
    await c.post(`/api/participate/${inv}/votes`, { statementId: s1, value: -1 }),
    await c.post(`/api/participate/${inv}/statements`, { questionId: d.questions.q, body: 'Too late to say this' }),
    await c.post(`/api/participate/${inv}/polls/${d.questions.p}`, { choices: ['o1'] }),
    await c.post(`/api/participate/${inv}/pairwise`, { questionId: d.questions.q, winnerId: s1, loserId: s2 }),
  ];
  for (const res of api) expect((await problem(res, want.status)).code).toBe(want.code);

  const title = translate('he', want.code === 'session_closed' ? 'participate.sessionClosed.title' : want.code === 'invite_revoked' ? 'participate.revoked.title' : 'participate.closed.title');
  const pages = [
    await postForm(c, `/p/${inv}/vote`, { statementId: s6!, value: '1' }),
    await postForm(c, `/p/${inv}/statement`, { questionId: d.questions.q!, body: 'Too late to say this' }),
    await postForm(c, `/p/${inv}/poll/${d.questions.p}`, { choices: 'o1' }),
    await postForm(c, `/p/${inv}/pairwise`, { questionId: d.questions.q!, winnerId: s1!, loserId: s2! }),
  ];
  for (const res of pages) {
    const page = await html(res, want.status);
    expect(page).toMatch(/^<!doctype html><html lang="he" dir="rtl">/);
    expect(page).toContain(title);
  }
  expect(await stored(d)).toEqual(before);
}

/** Joins in Hebrew through the API and votes agree on the first five seeds (which also caches the invite as open). */
async function participantWithVotes(d: BuiltDialogue): Promise<TestClient> {
  const c = as(await buildParticipant(t.db, { dialogueId: d.id, language: 'he' }));
  for (const id of d.seeds.q!.slice(0, 5)) expect((await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: id, value: 1 })).status).toBe(200);
  return c;
}

describe('a session closed while participants are in it', () => {
  it('closed by hand: every write is refused with 410 session_closed, nothing stored or counted; the pages say it is closed', async () => {
    const d = await closable();
    const c = await participantWithVotes(d);
    expect(await stored(d)).toMatchObject({ readModelVotes: 5, apiVotes: 5, analysedVotes: 5 });
    // the voting path read the invite as open less than a second ago: the vote writer judges again at commit
    expect((await staff.patch(`/api/dialogue-sessions/${d.sessions.s}`, { status: 'closed' })).status).toBe(200);
    await expectEveryWriteRefused(d, c, { status: 410, code: 'session_closed' });
    expect(await stored(d)).toMatchObject({ readModelVotes: 5, apiVotes: 5, analysedVotes: 5, statements: expect.any(Array), pairs: 0, polls: [] });

    // the card is gone: the page says the dialogue is not open now, in the participant's language
    const page = await html(await c.get(`/p/${d.invites.i}`), 404);
    expect(page).toContain(translate('he', 'participate.closed.title'));
    expect((await c.get(`/api/participate/${d.invites.i}`).then((r) => r.json())).open).toBe(false);
  });

  it('closed by closesAt passing: the same refusals, with no one touching the session', async () => {
    const d = await closable({ status: 'open', closesAt: new Date(Date.now() + 3600_000) });
    const c = await participantWithVotes(d);
    // the closing time passes (moved into the past rather than waited for)
    await t.db.update(dialogueSession).set({ closesAt: new Date(Date.now() - 1000) }).where(eq(dialogueSession.id, d.sessions.s!));
    await expectEveryWriteRefused(d, c, { status: 410, code: 'session_closed' });
  });

  it('a scheduled session that has not opened yet: 404 session_not_open, nothing stored', async () => {
    const d = await closable({ status: 'scheduled', opensAt: new Date(Date.now() - 3600_000) });
    const c = await participantWithVotes(d);
    // rescheduled to open later
    await t.db.update(dialogueSession).set({ opensAt: new Date(Date.now() + 3600_000) }).where(eq(dialogueSession.id, d.sessions.s!));
    await expectEveryWriteRefused(d, c, { status: 404, code: 'session_not_open' });
  });

  it('a withdrawn link: every write is refused with 410 invite_revoked, even on the voting path that read it as live', async () => {
    const d = await closable();
    const c = await participantWithVotes(d);
    const [inv] = await t.db.select({ id: dialogueInvite.id }).from(dialogueInvite).where(eq(dialogueInvite.token, d.invites.i!));
    expect((await staff.delete(`/api/dialogue-invites/${inv!.id}`)).status).toBe(204);
    await expectEveryWriteRefused(d, c, { status: 410, code: 'invite_revoked' });
  });

  it('other sessions stay open: a refused vote in the closed one, then the next card of the open one', async () => {
    const d = await buildDialogue(t.db, {
      sessions: [
        { key: 'a', questions: [{ key: 'qa', kind: 'open', seeds: ['In A'] }] },
        { key: 'b', questions: [{ key: 'qb', kind: 'open', seeds: ['In B'] }] },
      ],
      invites: [{ key: 'i' }],
    });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id, language: 'en' }));
    await t.db.update(dialogueSession).set({ status: 'closed' }).where(eq(dialogueSession.id, d.sessions.a!));
    const refused = await html(await postForm(c, `/p/${d.invites.i}/vote`, { statementId: d.seeds.qa![0]!, value: '1' }), 410);
    expect(refused).toContain('This session has closed');
    expect(refused).toContain(`href="/p/${d.invites.i}"`);
    const next = await html(await c.get(`/p/${d.invites.i}`), 200);
    expect(next).toContain('In B');
    expect(next).not.toContain('In A');
    expect((await t.db.select().from(dialogueVote).where(eq(dialogueVote.dialogueId, d.id))).length).toBe(0);
  });
});

describe('the instant that decides: when the write is stored', () => {
  /** A writer whose batches wait until drained: a vote is queued, the world changes, then the batch is written. */
  const slowWriter = () => new VoteWriter(t.db, t.publicRuntime.limits, { delayMs: 600_000, maxBatch: 1000 });
  const outcome = (p: Promise<void>) => p.then(() => 'stored', (e: { code?: string }) => e.code ?? String(e));

  /** A vote on the first seed of a question of a session, through invite i. */
  async function voteRow(d: BuiltDialogue, sessionKey: string, questionKey: string) {
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const [inv] = await t.db.select({ id: dialogueInvite.id }).from(dialogueInvite).where(eq(dialogueInvite.token, d.invites.i!));
    return { participantId: p.id, statementId: d.seeds[questionKey]![0]!, dialogueId: d.id, value: 1, sessionId: d.sessions[sessionKey]!, inviteId: inv!.id, tokenHash: tokenHash(p.token) };
  }

  it('a vote queued while the session was open and written after it closed is refused, in the same batch as one that is stored', async () => {
    const d = await buildDialogue(t.db, {
      sessions: [
        { key: 'a', questions: [{ key: 'aq', kind: 'open', seeds: ['stays open'] }] },
        { key: 'b', questions: [{ key: 'bq', kind: 'open', seeds: ['closes'] }] },
        { key: 'c', closesAt: new Date(Date.now() + 3600_000), questions: [{ key: 'cq', kind: 'open', seeds: ['closing time passes'] }] },
      ],
      invites: [{ key: 'i' }],
    });
    const writer = slowWriter();
    const open = outcome(writer.write(await voteRow(d, 'a', 'aq')));
    const byHand = outcome(writer.write(await voteRow(d, 'b', 'bq')));
    const byClock = outcome(writer.write(await voteRow(d, 'c', 'cq')));
    await t.db.update(dialogueSession).set({ status: 'closed' }).where(eq(dialogueSession.id, d.sessions.b!));
    const closedAt = new Date(Date.now() - 1);
    await t.db.update(dialogueSession).set({ closesAt: closedAt }).where(eq(dialogueSession.id, d.sessions.c!));
    await writer.drain();
    expect([await open, await byHand, await byClock]).toEqual(['stored', 'session_closed', 'session_closed']);
    const votes = await t.db.select().from(dialogueVote).where(eq(dialogueVote.dialogueId, d.id));
    expect(votes.map((v) => v.statementId)).toEqual([d.seeds.aq![0]]);
    expect(writer.committed).toBe(1);
    const [count] = await rows<{ votes: string | number }>(t.db, sql`select votes from read_model.dialogue_votes where dialogue_id = ${d.id}`);
    expect(Number(count!.votes)).toBe(1);
  });

  it('a vote written before the close is kept, stamped with the instant it was judged (before closesAt)', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'sq', kind: 'open', seeds: ['x'] }] }], invites: [{ key: 'i' }] });
    const writer = slowWriter();
    const row = await voteRow(d, 's', 'sq');
    const vote = outcome(writer.write(row));
    await writer.drain();
    expect(await vote).toBe('stored');
    const closesAt = new Date();
    await t.db.update(dialogueSession).set({ closesAt }).where(eq(dialogueSession.id, d.sessions.s!));
    const [v] = await t.db.select().from(dialogueVote).where(and(eq(dialogueVote.participantId, row.participantId), eq(dialogueVote.statementId, row.statementId)));
    expect(v!.votedAt.getTime()).toBeLessThanOrEqual(closesAt.getTime());
    // and changing it now is refused, the stored vote unchanged
    const again = outcome(writer.write({ ...row, value: -1 }));
    await writer.drain();
    expect(await again).toBe('session_closed');
    const [after] = await t.db.select().from(dialogueVote).where(eq(dialogueVote.participantId, row.participantId));
    expect(after).toEqual(v);
  });

  it('a link withdrawn between queueing and writing: refused', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'sq', kind: 'open', seeds: ['x'] }] }], invites: [{ key: 'i' }] });
    const writer = slowWriter();
    const row = await voteRow(d, 's', 'sq');
    const vote = outcome(writer.write(row));
    await t.db.update(dialogueInvite).set({ revokedAt: new Date() }).where(eq(dialogueInvite.id, row.inviteId));
    await writer.drain();
    expect(await vote).toBe('invite_revoked');
    expect(await t.db.select().from(dialogueVote).where(eq(dialogueVote.dialogueId, d.id))).toEqual([]);
  });

  it('statements, poll answers and pairs read the session as open, then find it closed when storing: refused', async () => {
    const d = await closable();
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    // the invite as the request read it, while the session was open
    const ctx = await participation.loadInvite(t.db, d.invites.i!);
    expect(participation.inviteIsOpen(ctx)).toBe(true);
    await t.db.update(dialogueSession).set({ status: 'closed' }).where(eq(dialogueSession.id, d.sessions.s!));
    const participant = (await participation.participantByToken(t.db, p.token))!;
    const code = (x: Promise<unknown>) => x.then(() => 'stored', (e: { code?: string }) => e.code);
    expect(await code(participation.writeStatement(t.db, t.publicRuntime.limits, null, ctx, participant, { questionId: d.questions.q!, body: 'late' }))).toBe('session_closed');
    expect(await code(participation.answerPoll(t.db, ctx, participant, d.questions.p!, { choices: ['o1'] }))).toBe('session_closed');
    const [s1, s2] = d.seeds.q!;
    expect(await code(participation.choosePair(t.db, ctx, participant, { questionId: d.questions.q!, winnerId: s1!, loserId: s2! }))).toBe('session_closed');
    expect(await stored(d)).toMatchObject({ statements: [...d.seeds.q!].sort(), polls: [], pairs: 0 });
  });
});

describe('surveys: the same rule for respondents', () => {
  it('a study closed between reading the link and storing the answers: 410 survey_closed, nothing stored; a start likewise', async () => {
    const s = await buildStudy(t.db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }] });
    const link = s.invites.il!;
    const c = t.client();
    expect((await c.post(`/api/survey/${link}/start`, { language: 'he' })).status).toBe(201);
    const ctx = await survey.loadSurvey(t.db, link);
    const respondent = (await survey.respondentOf(t.db, ctx, c.cookies.get('convene_respondent')!))!;
    expect(respondent).not.toBeNull();
    await t.db.update(study).set({ status: 'closed' }).where(eq(study.id, s.id));
    const rt = t.publicRuntime.survey;
    const code = (x: Promise<unknown>) => x.then(() => 'stored', (e: { code?: string }) => e.code);
    expect(await code(survey.answer(t.db, rt, ctx, respondent, [{ questionKey: 'support', value: 5 }]))).toBe('survey_closed');
    const [row] = await t.db.select().from(studyResponse).where(eq(studyResponse.id, respondent.id));
    expect(row!.answers).toEqual({});
    expect(await code(survey.start(t.db, rt, ctx, { language: 'he' }, '203.0.113.9', null))).toBe('survey_closed');
    expect((await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).length).toBe(1);
    // through HTTP, as the respondent's page: the closed notice in their language
    const page = await html(await postForm(c, `/s/${link}/answers`, { step: 'outcomes', a_support: '5' }), 410);
    expect(page).toMatch(/<html lang="he" dir="rtl">/);
    expect(page).toContain(translate('he', 'survey.closed.title'));
  });

  it('a link withdrawn between reading it and storing: 410 survey_link_revoked', async () => {
    const s = await buildStudy(t.db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }] });
    const ctx = await survey.loadSurvey(t.db, s.invites.il!);
    await t.db.execute(sql`update study_invite set revoked_at = now() where id = ${s.inviteIds.il}`);
    const code = (x: Promise<unknown>) => x.then(() => 'stored', (e: { code?: string }) => e.code);
    expect(await code(survey.start(t.db, t.publicRuntime.survey, ctx, { language: 'he' }, '203.0.113.10', null))).toBe('survey_link_revoked');
    expect(await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).toEqual([]);
  });
});
