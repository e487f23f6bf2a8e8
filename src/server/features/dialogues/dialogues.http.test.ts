import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { dialogue, dialogueParticipant, dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

type Dialogue = {
  id: string;
  title: string;
  languages: string[];
  moderation: string;
  segments: { id: string; key: string; name: Record<string, string> }[];
  sessions: {
    id: string;
    title: string;
    segmentId: string | null;
    status: string;
    isOpen: boolean;
    opensAt: string | null;
    closesAt: string | null;
    questions: { id: string; kind: string; pollMode: string | null; options: { id: string }[]; scaleMax: number | null; statements: Record<string, number> }[];
  }[];
  invites: { id: string; url: string; segmentId: string | null; revoked: boolean }[];
};
type Statement = { id: string; status: string; body: string; language: string; seed: boolean; translations: { language: string; body: string; source: string }[]; rejectReason: string | null };

const SEGMENTS = [
  { key: 'jewish-israelis', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
  { key: 'palestinians-wbg', name: { en: 'Palestinians in the West Bank and Gaza', he: 'פלסטינים בגדה ובעזה', ar: 'فلسطينيون في الضفة الغربية وغزة' } },
];

async function newDialogue(extra: Record<string, unknown> = {}): Promise<Dialogue> {
  const res = await staff.post('/api/dialogues', { title: 'Day after', languages: ['he', 'ar', 'en'], segments: SEGMENTS, ...extra });
  expect(res.status).toBe(201);
  return res.json();
}

async function withOpenQuestion(d: Dialogue, seeds = [{ body: 'Both peoples deserve safety', language: 'en' }]) {
  const s = await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'Joint session', status: 'open' });
  expect(s.status).toBe(201);
  const session = ((await s.json()) as Dialogue).sessions.at(-1)!;
  const q = await staff.post(`/api/dialogue-sessions/${session.id}/questions`, { kind: 'open', prompt: { en: 'What would make you feel safe?' }, seeds });
  expect(q.status).toBe(201);
  const updated: Dialogue = await q.json();
  return { session, question: updated.sessions.find((x) => x.id === session.id)!.questions.at(-1)! };
}

describe('dialogues: setting up', () => {
  it('staff create a dialogue with segments; everyone signed in reads it; the write is audited', async () => {
    const d = await newDialogue({ intro: { en: 'Welcome', he: 'ברוכים הבאים' }, moderation: 'pre' });
    expect(d).toMatchObject({ title: 'Day after', languages: ['he', 'ar', 'en'], moderation: 'pre' });
    expect(d.segments.map((s) => s.key)).toEqual(['jewish-israelis', 'palestinians-wbg']);
    expect(d.segments[1]!.name.ar).toBe('فلسطينيون في الضفة الغربية وغزة');

    const read = await viewer.get(`/api/dialogues/${d.id}`);
    expect(read.status).toBe(200);
    expect((await read.json()).intro).toEqual({ en: 'Welcome', he: 'ברוכים הבאים' });
    const list = await viewer.get('/api/dialogues');
    expect(((await list.json()).items as { id: string }[]).map((x) => x.id)).toContain(d.id);

    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'dialogue.create'), eq(auditEntry.entityId, d.id)));
    expect(audit).toMatchObject({ actorId: staff.user.id, detail: { title: 'Day after', segments: ['jewish-israelis', 'palestinians-wbg'] } });
  });

  it('bad input names the field and writes nothing', async () => {
    const [{ n: before }] = (await t.db.select({ n: count() }).from(dialogue)) as [{ n: number }];
    const cases: [unknown, string][] = [
      [{ title: '', languages: ['en'] }, 'body.title'],
      [{ title: 'x', languages: [] }, 'body.languages'],
      [{ title: 'x', languages: ['fr'] }, 'body.languages.0'],
      [{ title: 'x', languages: ['en', 'en'] }, 'body.languages'],
      [{ title: 'x', languages: ['en'], segments: [{ key: 'Bad Key', name: { en: 'A' } }] }, 'body.segments.0.key'],
      [{ title: 'x', languages: ['en'], segments: [{ key: 'a', name: {} }] }, 'body.segments.0.name'],
      [{ title: 'x', languages: ['en'], segments: [{ key: 'a', name: { en: 'A' } }, { key: 'a', name: { en: 'B' } }] }, 'body.segments.1.key'],
      [{ title: 'x', languages: ['en'], owner: 'me' }, 'body.owner'],
    ];
    for (const [body, field] of cases) {
      const p = await problem(await staff.post('/api/dialogues', body), 400);
      expect(p.errors!.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    const [{ n: after }] = (await t.db.select({ n: count() }).from(dialogue)) as [{ n: number }];
    expect(after).toBe(before);
  });

  it('viewers cannot write, anonymous is 401, only admins delete', async () => {
    const d = await newDialogue();
    await problem(await viewer.post('/api/dialogues', { title: 'x', languages: ['en'] }), 403);
    await problem(await viewer.patch(`/api/dialogues/${d.id}`, { title: 'Hijacked' }), 403);
    await problem(await viewer.post(`/api/dialogues/${d.id}/sessions`, { title: 'x' }), 403);
    await problem(await t.client().get('/api/dialogues'), 401);
    await problem(await t.client().get(`/api/dialogues/${d.id}`), 401);
    await problem(await staff.delete(`/api/dialogues/${d.id}`), 403);
    expect((await admin.delete(`/api/dialogues/${d.id}`)).status).toBe(204);
    await problem(await staff.get(`/api/dialogues/${d.id}`), 404);
    await problem(await staff.get('/api/dialogues/not-a-uuid'), 404);
  });

  it('sessions open and close by hand or by time', async () => {
    const d = await newDialogue();
    const seg = d.segments[0]!.id;
    const res = await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'Israelis only', segmentId: seg });
    expect(res.status).toBe(201);
    const s = ((await res.json()) as Dialogue).sessions[0]!;
    expect(s).toMatchObject({ segmentId: seg, status: 'draft', isOpen: false });

    const opened: Dialogue = await (await staff.patch(`/api/dialogue-sessions/${s.id}`, { status: 'open' })).json();
    expect(opened.sessions[0]).toMatchObject({ status: 'open', isOpen: true });

    const past = new Date(Date.now() - 3600_000).toISOString();
    const soon = new Date(Date.now() + 3600_000).toISOString();
    const scheduled: Dialogue = await (await staff.patch(`/api/dialogue-sessions/${s.id}`, { status: 'scheduled', opensAt: past, closesAt: soon })).json();
    expect(scheduled.sessions[0]).toMatchObject({ status: 'scheduled', isOpen: true });
    const later: Dialogue = await (await staff.patch(`/api/dialogue-sessions/${s.id}`, { opensAt: soon, closesAt: new Date(Date.now() + 7200_000).toISOString() })).json();
    expect(later.sessions[0]!.isOpen).toBe(false);
    const closed: Dialogue = await (await staff.patch(`/api/dialogue-sessions/${s.id}`, { status: 'closed' })).json();
    expect(closed.sessions[0]).toMatchObject({ status: 'closed', isOpen: false });

    let p = await problem(await staff.patch(`/api/dialogue-sessions/${s.id}`, { opensAt: soon, closesAt: past }), 400);
    expect(p.errors![0].field).toBe('body.closesAt');
    p = await problem(await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'x', status: 'scheduled' }), 400);
    expect(p.errors![0].field).toBe('body.opensAt');
    p = await problem(await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'x', opensAt: 'tomorrow' }), 400);
    expect(p.errors![0].field).toBe('body.opensAt');
    p = await problem(await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'x', segmentId: '00000000-0000-4000-8000-000000000000' }), 422);
    expect(p.errors![0].field).toBe('body.segmentId');
    // a segment of another dialogue is not one of this dialogue's
    const other = await newDialogue();
    await problem(await staff.post(`/api/dialogues/${d.id}/sessions`, { title: 'x', segmentId: other.segments[0]!.id }), 422);
    // a segment a session is for cannot be removed
    await problem(await staff.delete(`/api/dialogue-segments/${seg}`), 409);
  });

  it('questions: open with seeds, polls validated', async () => {
    const d = await newDialogue();
    const { session, question } = await withOpenQuestion(d, [
      { body: 'Both peoples deserve safety', language: 'en' },
      { body: 'לשני העמים מגיע ביטחון', language: 'he' },
    ]);
    expect(question).toMatchObject({ kind: 'open', statements: { accepted: 2, pending: 0, rejected: 0 } });

    const poll = await staff.post(`/api/dialogue-sessions/${session.id}/questions`, {
      kind: 'poll',
      prompt: { en: 'Do you support a ceasefire?' },
      pollMode: 'single',
      options: [{ label: { en: 'Yes', he: 'כן', ar: 'نعم' } }, { label: { en: 'No', he: 'לא', ar: 'لا' } }],
    });
    expect(poll.status).toBe(201);
    const pq = ((await poll.json()) as Dialogue).sessions[0]!.questions[1]!;
    expect(pq.options).toHaveLength(2);
    const scale: Dialogue = await (
      await staff.post(`/api/dialogue-sessions/${session.id}/questions`, { kind: 'poll', prompt: { en: 'Hope' }, pollMode: 'scale', scaleMax: 7 })
    ).json();
    expect(scale.sessions[0]!.questions[2]).toMatchObject({ pollMode: 'scale', scaleMax: 7 });

    const bad: [unknown, string][] = [
      [{ kind: 'poll', prompt: { en: 'x' } }, 'body.pollMode'],
      [{ kind: 'poll', prompt: { en: 'x' }, pollMode: 'single', options: [{ label: { en: 'only' } }] }, 'body.options'],
      [{ kind: 'poll', prompt: { en: 'x' }, pollMode: 'scale', scaleMax: 6 }, 'body.scaleMax'],
      [{ kind: 'open', prompt: { en: 'x' }, seeds: [{ body: 'x', language: 'fr' }] }, 'body.seeds.0.language'],
      [{ kind: 'open', prompt: {} }, 'body.prompt'],
    ];
    for (const [body, field] of bad) {
      const p = await problem(await staff.post(`/api/dialogue-sessions/${session.id}/questions`, body), 400);
      expect(p.errors!.map((e: { field: string }) => e.field), JSON.stringify(body)).toContain(field);
    }
    // a seed in a language the dialogue does not run in
    const en = await staff.post('/api/dialogues', { title: 'English only', languages: ['en'] });
    const enD: Dialogue = await en.json();
    const enS: Dialogue = await (await staff.post(`/api/dialogues/${enD.id}/sessions`, { title: 's' })).json();
    const p = await problem(
      await staff.post(`/api/dialogue-sessions/${enS.sessions[0]!.id}/questions`, { kind: 'open', prompt: { en: 'x' }, seeds: [{ body: 'שלום', language: 'he' }] }),
      400,
    );
    expect(p.errors![0].field).toBe('body.seeds.0.language');
  });

  it('invite links per segment and one where participants choose; revoking', async () => {
    const d = await newDialogue();
    const withSeg: Dialogue = await (await staff.post(`/api/dialogues/${d.id}/invites`, { segmentId: d.segments[0]!.id, label: 'WhatsApp group' })).json();
    const both: Dialogue = await (await staff.post(`/api/dialogues/${d.id}/invites`, {})).json();
    expect(withSeg.invites[0]).toMatchObject({ segmentId: d.segments[0]!.id, revoked: false });
    expect(both.invites[1]).toMatchObject({ segmentId: null });
    expect(both.invites[1]!.url).toMatch(/^http:\/\/localhost:\d+\/p\/[A-Za-z0-9_-]{16}$/);
    expect(both.invites[0]!.url).not.toBe(both.invites[1]!.url);
    expect((await staff.delete(`/api/dialogue-invites/${both.invites[0]!.id}`)).status).toBe(204);
    const after: Dialogue = await (await staff.get(`/api/dialogues/${d.id}`)).json();
    expect(after.invites[0]!.revoked).toBe(true);
    await problem(await viewer.post(`/api/dialogues/${d.id}/invites`, {}), 403);
    await problem(await staff.post(`/api/dialogues/${d.id}/invites`, { segmentId: 'nope' }), 422);
  });
});

describe('dialogues: statements, moderation and translations', () => {
  it('moderation: rejecting needs a reason, is audited, and the statement keeps its reason', async () => {
    const d = await newDialogue({ moderation: 'pre' });
    const { question } = await withOpenQuestion(d);
    // a participant's statement waiting for review
    const [p] = await t.db.insert(dialogueParticipant).values({ dialogueId: d.id, segmentId: d.segments[0]!.id, language: 'he', tokenHash: 'a', resumeHash: 'b' }).returning();
    const [s] = await t.db
      .insert(dialogueStatement)
      .values({ questionId: question.id, dialogueId: d.id, participantId: p!.id, segmentId: d.segments[0]!.id, body: 'צריך להפסיק את האלימות', language: 'he', status: 'pending' })
      .returning();

    const queue = await staff.get(`/api/dialogues/${d.id}/statements?status=pending`);
    const items: Statement[] = (await queue.json()).items;
    expect(items.map((x) => x.id)).toEqual([s!.id]);
    expect(JSON.stringify(items)).not.toContain(p!.id); // staff never see who wrote it

    let bad = await problem(await staff.post(`/api/dialogue-statements/${s!.id}/moderation`, { decision: 'reject' }), 400);
    expect(bad.errors![0].field).toBe('body.reason');
    bad = await problem(await staff.post(`/api/dialogue-statements/${s!.id}/moderation`, { decision: 'maybe' }), 400);
    expect(bad.errors![0].field).toBe('body.decision');
    await problem(await viewer.post(`/api/dialogue-statements/${s!.id}/moderation`, { decision: 'accept' }), 403);

    const rejected: Statement = await (await staff.post(`/api/dialogue-statements/${s!.id}/moderation`, { decision: 'reject', reason: 'Off topic' })).json();
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: 'Off topic' });
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'dialogue.statement.reject'), eq(auditEntry.entityId, s!.id)));
    expect(audit).toMatchObject({ actorId: staff.user.id, detail: { before: 'pending', reason: 'Off topic' } });
    const accepted: Statement = await (await staff.post(`/api/dialogue-statements/${s!.id}/moderation`, { decision: 'accept' })).json();
    expect(accepted).toMatchObject({ status: 'accepted', rejectReason: null });
    await problem(await staff.post(`/api/dialogue-statements/00000000-0000-4000-8000-000000000000/moderation`, { decision: 'accept' }), 404);
  });

  it('seeds, human translations, and no AI provider said plainly', async () => {
    const d = await newDialogue();
    const { question } = await withOpenQuestion(d, []);
    const seed = await staff.post(`/api/dialogue-questions/${question.id}/statements`, { body: 'Hostages must come home', language: 'en' });
    expect(seed.status).toBe(201);
    const st: Statement = await seed.json();
    expect(st).toMatchObject({ seed: true, status: 'accepted', language: 'en', translations: [] });

    const put = await staff.request(`/api/dialogue-statements/${st.id}/translations/he`, { method: 'PUT', json: { body: 'החטופים חייבים לחזור הביתה' } });
    expect(put.status).toBe(200);
    expect(((await put.json()) as Statement).translations).toEqual([{ language: 'he', body: 'החטופים חייבים לחזור הביתה', source: 'human', model: null }]);
    let p = await problem(await staff.request(`/api/dialogue-statements/${st.id}/translations/en`, { method: 'PUT', json: { body: 'same' } }), 400);
    expect(p.errors![0].field).toBe('param.language');
    p = await problem(await staff.request(`/api/dialogue-statements/${st.id}/translations/fr`, { method: 'PUT', json: { body: 'x' } }), 400);
    expect(p.errors![0].field).toBe('param.language');

    p = await problem(await staff.post(`/api/dialogues/${d.id}/translate`, {}), 409);
    expect(p.code).toBe('ai_not_configured');
  });

  it('a question with votes cannot be deleted; counts come from the votes', async () => {
    const d = await newDialogue();
    const { question } = await withOpenQuestion(d);
    const [st] = await t.db.select().from(dialogueStatement).where(eq(dialogueStatement.questionId, question.id));
    const [p] = await t.db.insert(dialogueParticipant).values({ dialogueId: d.id, segmentId: d.segments[1]!.id, language: 'ar', tokenHash: 'c', resumeHash: 'd' }).returning();
    await t.db.insert(dialogueVote).values({ participantId: p!.id, statementId: st!.id, dialogueId: d.id, value: 1 });
    const list: Statement[] = (await (await staff.get(`/api/dialogues/${d.id}/statements`)).json()).items;
    expect(list[0]).toMatchObject({ agree: 1, disagree: 0, pass: 0 });
    await problem(await staff.delete(`/api/dialogue-questions/${question.id}`), 409);
    const summary = (await (await staff.get('/api/dialogues')).json()).items.find((x: { id: string }) => x.id === d.id);
    expect(summary).toMatchObject({ participants: 1, statements: 1, votes: 1, openSessions: 1 });

    // the vote count is kept by triggers: a changed vote is not a new one; removing and truncating (a restore) count down
    const votesNow = async () => ((await (await staff.get(`/api/dialogues/${d.id}`)).json()) as { votes: number }).votes;
    await t.db
      .insert(dialogueVote)
      .values({ participantId: p!.id, statementId: st!.id, dialogueId: d.id, value: -1 })
      .onConflictDoUpdate({ target: [dialogueVote.participantId, dialogueVote.statementId], set: { value: -1 } });
    expect(await votesNow()).toBe(1);
    await t.db.delete(dialogueVote).where(eq(dialogueVote.participantId, p!.id));
    expect(await votesNow()).toBe(0);
    await t.db.insert(dialogueVote).values({ participantId: p!.id, statementId: st!.id, dialogueId: d.id, value: 1 });
    await t.db.execute(sql`TRUNCATE dialogue_vote`);
    expect(await votesNow()).toBe(0);
    await t.db.insert(dialogueVote).values({ participantId: p!.id, statementId: st!.id, dialogueId: d.id, value: 0 });
    expect(await votesNow()).toBe(1);
  });
});
