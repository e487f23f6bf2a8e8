import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { rows } from '../db/client.ts';
import { dialogueStatement, dialogueVote } from '../features/dialogues/dialogues.schema.ts';
import { LIMITS } from '../features/dialogues/participation.limits.ts';
import { studyResponse } from '../features/studies/studies.schema.ts';
import { SURVEY_LIMITS } from '../features/studies/survey.service.ts';
import { buildDialogue, buildParticipant } from '../../../tests/setup/dialogue-factories.ts';
import { buildStudy } from '../../../tests/setup/study-factories.ts';
import { createTestApp, problem, TestClient } from '../../../tests/setup/test-app.ts';

// Two app servers on one database, as behind a load balancer, for the public pages and their API: the limits of
// taking part (votes, joins, resume attempts, statements) and of surveys (starts, answers) are counted once for
// both servers, so two servers do not allow twice the limit; and a participant who continued on another device
// through one server cannot go on voting with the old token through the other, which had it cached.

const t = await createTestApp({ config: { trustProxy: true } });
const other = await createApp({ db: t.db, kind: t.database.kind, config: t.config, listen: t.database.listen });
const servers = [t.app, other.app];

/** A client of server `i` (0 or 1) from address `ip`, holding `cookies`. */
function client(i: number, ip: string, cookies: Record<string, string> = {}): TestClient {
  const c = new TestClient(servers[i]!, { 'x-forwarded-for': ip });
  for (const [k, v] of Object.entries(cookies)) c.cookies.set(k, v);
  return c;
}

/** The responses refused by a limit: each a 429 rate_limited problem with a Retry-After in seconds. */
async function expectRateLimited(responses: Response[]) {
  for (const res of responses) {
    expect((await problem(res, 429)).code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  }
}

describe('taking part through two servers: one set of limits', () => {
  it('votes: a participant voting through both servers at once gets exactly the limit stored, the rest 429', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }] }], invites: [{ key: 'i' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const on = [client(0, '198.51.100.1', { convene_participant: p.token }), client(1, '198.51.100.1', { convene_participant: p.token })];
    const seeds = d.seeds.q!;
    const vote = (k: number) => on[k % 2]!.post(`/api/participate/${d.invites.i}/votes`, { statementId: seeds[k % seeds.length], value: (k % 3) - 1 });
    const total = LIMITS.votes.max + 20;
    const responses: Response[] = [];
    // in waves of 40 at once, half through each server: batches on both servers hold this participant's votes
    for (let k = 0; k < total; k += 40) responses.push(...(await Promise.all(Array.from({ length: Math.min(40, total - k) }, (_, j) => vote(k + j)))));
    expect(responses.filter((r) => r.status === 200).length).toBe(LIMITS.votes.max);
    await expectRateLimited(responses.filter((r) => r.status !== 200));
    // the limit holds on both servers now
    await expectRateLimited([await vote(0), await vote(1)]);
    // and is this participant's alone
    const q = await buildParticipant(t.db, { dialogueId: d.id });
    for (const i of [0, 1]) expect((await client(i, '198.51.100.1', { convene_participant: q.token }).post(`/api/participate/${d.invites.i}/votes`, { statementId: seeds[i], value: 1 })).status).toBe(200);
  });

  it('a participant who continued on another device through one server: the other server refuses the old token it had cached', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['a', 'b'] }] }], invites: [{ key: 'i' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const [a, b] = d.seeds.q!;
    const oldDevice = client(1, '198.51.100.2', { convene_participant: p.token });
    // the second server now holds this participant in its cache of the voting path
    expect((await oldDevice.post(`/api/participate/${d.invites.i}/votes`, { statementId: a, value: 1 })).status).toBe(200);
    const newDevice = client(0, '198.51.100.3');
    expect((await newDevice.post(`/api/participate/${d.invites.i}/resume`, { code: p.resumeCode })).status).toBe(200);
    // the old token, through the server that cached it: refused, nothing stored
    expect((await problem(await oldDevice.post(`/api/participate/${d.invites.i}/votes`, { statementId: a, value: -1 }), 401)).code).toBe('not_joined');
    expect((await problem(await oldDevice.post(`/api/participate/${d.invites.i}/votes`, { statementId: b, value: 1 }), 401)).code).toBe('not_joined');
    const stored = await t.db.select({ statementId: dialogueVote.statementId, value: dialogueVote.value }).from(dialogueVote).where(eq(dialogueVote.participantId, p.id));
    expect(stored).toEqual([{ statementId: a, value: 1 }]);
    // the new device votes through either server
    const token = newDevice.cookies.get('convene_participant')!;
    expect((await client(1, '198.51.100.3', { convene_participant: token }).post(`/api/participate/${d.invites.i}/votes`, { statementId: b, value: -1 })).status).toBe(200);
  });

  it('joins per address add up across servers', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const join = (i: number, ip: string) => client(i, ip).post(`/api/participate/${d.invites.i}/join`, { language: 'en' });
    const got: number[] = [];
    for (let k = 0; k < LIMITS.joins.max; k++) got.push((await join(k % 2, '203.0.113.50')).status);
    expect(got.every((s) => s === 201)).toBe(true);
    await expectRateLimited([await join(0, '203.0.113.50'), await join(1, '203.0.113.50')]);
    expect((await join(1, '203.0.113.51')).status).toBe(201);
  });

  it('resume attempts per address add up across servers', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const attempt = (i: number, ip: string) => client(i, ip).post(`/api/participate/${d.invites.i}/resume`, { code: 'ZZZZ-ZZZ3' });
    const got: number[] = [];
    for (let k = 0; k < LIMITS.resumeAttempts.max; k++) got.push((await attempt(k % 2, '203.0.113.60')).status);
    expect(got.every((s) => s === 404)).toBe(true);
    await expectRateLimited([await attempt(0, '203.0.113.60'), await attempt(1, '203.0.113.60')]);
    expect((await attempt(0, '203.0.113.61')).status).toBe(404);
  });

  it('statements per participant add up across servers', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const write = (i: number, n: number) => client(i, '198.51.100.4', { convene_participant: p.token }).post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.q, body: `Statement ${n}` });
    for (let k = 0; k < LIMITS.statements.max; k++) expect((await write(k % 2, k)).status).toBe(201);
    await expectRateLimited([await write(0, 100), await write(1, 101)]);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from ${dialogueStatement} where dialogue_id = ${d.id}`);
    expect(n).toBe(LIMITS.statements.max);
  });
});

describe('surveys through two servers: one set of limits', () => {
  it('starts per address add up across servers', async () => {
    const s = await buildStudy(t.db, { status: 'open', randomization: 'simple', invites: [{ key: 'il', population: 'israelis' }] });
    const start = (i: number, ip: string) => client(i, ip).post(`/api/survey/${s.invites.il}/start`, { language: 'he' });
    const got: number[] = [];
    for (let k = 0; k < SURVEY_LIMITS.starts.max; k++) got.push((await start(k % 2, '203.0.113.70')).status);
    expect(got.every((x) => x === 201)).toBe(true);
    await expectRateLimited([await start(0, '203.0.113.70'), await start(1, '203.0.113.70')]);
    expect((await start(1, '203.0.113.71')).status).toBe(201);
    expect((await t.db.select().from(studyResponse).where(eq(studyResponse.studyId, s.id))).length).toBe(SURVEY_LIMITS.starts.max + 1);
  });

  it('answers per respondent add up across servers', async () => {
    const s = await buildStudy(t.db, { status: 'open', invites: [{ key: 'il', population: 'israelis' }] });
    const first = client(0, '203.0.113.80');
    expect((await first.post(`/api/survey/${s.invites.il}/start`, { language: 'he' })).status).toBe(201);
    const cookie = { convene_respondent: first.cookies.get('convene_respondent')! };
    // answers that are refused still count: a script posting in a loop is stopped, whichever server it posts to
    const post = (i: number) => client(i, '203.0.113.80', cookie).post(`/api/survey/${s.invites.il}/answers`, { answers: [{ questionKey: 'nope', value: 1 }] });
    for (let k = 0; k < SURVEY_LIMITS.answers.max; k++) expect((await post(k % 2)).status).toBe(400);
    await expectRateLimited([await post(0), await post(1)]);
    const [r] = await t.db.select({ answers: studyResponse.answers }).from(studyResponse).where(eq(studyResponse.studyId, s.id));
    expect(r!.answers).toEqual({});
  });
});
