import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { dialogueParticipant, dialoguePollAnswer, dialogueVote } from './dialogues.schema.ts';
import { LIMITS } from './participation.limits.ts';
import { buildDialogue, buildParticipant, buildStatement, buildTranslation, buildVotes } from '../../../../tests/setup/dialogue-factories.ts';
import { createTestApp, problem, TestClient } from '../../../../tests/setup/test-app.ts';

const t = await createTestApp();

type Next = {
  item:
    | { kind: 'statement'; prompt: string; statement: { id: string; questionId: string; original: { body: string; language: string }; translation: { body: string; language: string; source: string } | null } }
    | { kind: 'poll'; poll: { id: string; mode: string; options: { id: string; label: string }[] } }
    | { kind: 'pairwise'; questionId: string; a: { id: string }; b: { id: string } }
    | { kind: 'done' };
  progress: { done: number; total: number };
  writable: { id: string; prompt: string }[];
  moderation: string;
};

const SEGMENTS = [
  { key: 'ji', name: { en: 'Jewish Israelis', he: 'יהודים ישראלים', ar: 'يهود إسرائيليون' } },
  { key: 'pal', name: { en: 'Palestinians', he: 'פלסטינים', ar: 'فلسطينيون' } },
];

/** A participant's client: the cookie of a participant made by the factory. */
function as(p: { token: string }) {
  const c = t.client();
  c.cookies.set('convene_participant', p.token);
  return c;
}

async function next(c: TestClient, invite: string, language?: string): Promise<Next> {
  const res = await c.get(`/api/participate/${invite}/next${language ? `?language=${language}` : ''}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Next;
}

/** Votes "agree" on whatever comes next until done; returns the statement ids seen. */
async function voteThrough(c: TestClient, invite: string, max = 50): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    const n = await next(c, invite);
    if (n.item.kind !== 'statement') break;
    seen.push(n.item.statement.id);
    const res = await c.post(`/api/participate/${invite}/votes`, { statementId: n.item.statement.id, value: 1 });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return seen;
}

describe('joining', () => {
  it('lets participants choose their segment on an invite for none, and sets a scoped, HttpOnly cookie', async () => {
    const d = await buildDialogue(t.db, { segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['We all want safety'] }] }], invites: [{ key: 'any' }] });
    const inv = d.invites.any!;

    const entry = await (await t.client().get(`/api/participate/${inv}?language=he`)).json();
    expect(entry).toMatchObject({ segmentId: null, open: true, joined: false, languages: ['he', 'ar', 'en'] });
    expect(entry.segments.map((s: { name: string }) => s.name)).toEqual(['יהודים ישראלים', 'פלסטינים']);

    const c = t.client();
    let p = await problem(await c.post(`/api/participate/${inv}/join`, { language: 'he' }), 400);
    expect(p.errors).toEqual([{ field: 'body.segmentId', detail: 'Required: choose your segment' }]);
    p = await problem(await c.post(`/api/participate/${inv}/join`, { language: 'fr', segmentId: d.segments.ji }), 400);
    expect(p.errors?.map((e) => e.field)).toEqual(['body.language']);
    p = await problem(await c.post(`/api/participate/${inv}/join`, { language: 'he', segmentId: '00000000-0000-4000-8000-000000000000' }), 400);
    expect(p.errors).toEqual([{ field: 'body.segmentId', detail: 'Not a segment of this dialogue' }]);

    const res = await c.post(`/api/participate/${inv}/join`, { language: 'he', segmentId: d.segments.pal });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.resumeCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(body).toMatchObject({ language: 'he', segmentId: d.segments.pal });

    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies.map((k) => k.match(/Path=([^;]+)/)?.[1]).sort()).toEqual([`/api/participate/${inv}`, `/p/${inv}`]);
    for (const k of cookies) {
      expect(k).toMatch(/^convene_participant=[A-Za-z0-9_-]{43};/);
      expect(k).toContain('HttpOnly');
      expect(k).toContain('SameSite=Lax');
      expect(k).not.toContain('Secure'); // the test server's public URL is http
    }

    // only hashes are stored, and nothing else about the person
    const token = c.cookies.get('convene_participant')!;
    const stored = await t.db.select().from(dialogueParticipant).where(eq(dialogueParticipant.dialogueId, d.id));
    expect(stored).toHaveLength(1);
    expect(Object.keys(stored[0]!).sort()).toEqual(['createdAt', 'dialogueId', 'id', 'language', 'polisGroup', 'resumeHash', 'segmentId', 'sourceId', 'tokenHash']);
    expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.tokenHash).not.toContain(token);
    expect(JSON.stringify(stored[0])).not.toContain(body.resumeCode.replace('-', ''));

    const joined = await (await c.get(`/api/participate/${inv}`)).json();
    expect(joined.joined).toBe(true);
    const n = await next(c, inv);
    expect(n.item.kind).toBe('statement');
  });

  it('takes the segment from a segment invite and refuses another', async () => {
    const d = await buildDialogue(t.db, { segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'ji', segment: 'ji' }] });
    const inv = d.invites.ji!;
    const entry = await (await t.client().get(`/api/participate/${inv}`)).json();
    expect(entry).toMatchObject({ segmentId: d.segments.ji, segments: [] });
    const p = await problem(await t.client().post(`/api/participate/${inv}/join`, { language: 'en', segmentId: d.segments.pal }), 400);
    expect(p.errors?.[0]?.field).toBe('body.segmentId');
    const ok = await t.client().post(`/api/participate/${inv}/join`, { language: 'ar' });
    expect(ok.status).toBe(201);
    expect((await ok.json()).segmentId).toBe(d.segments.ji);
  });

  it('answers 404 for an unknown invite, 410 for a withdrawn one, 404 when no session is open', async () => {
    const d = await buildDialogue(t.db, {
      sessions: [{ key: 'closed', status: 'closed', questions: [{ key: 'q', kind: 'open', seeds: ['A seed'] }] }],
      invites: [{ key: 'live' }, { key: 'gone', revoked: true }],
    });
    expect((await problem(await t.client().get('/api/participate/nosuchinvite123'), 404)).code).toBe('invite_not_found');
    expect((await problem(await t.client().get(`/api/participate/${d.invites.gone}`), 410)).code).toBe('invite_revoked');
    expect((await problem(await t.client().post(`/api/participate/${d.invites.gone}/join`, { language: 'en' }), 410)).code).toBe('invite_revoked');
    const entry = await (await t.client().get(`/api/participate/${d.invites.live}`)).json();
    expect(entry.open).toBe(false);
    expect((await problem(await t.client().post(`/api/participate/${d.invites.live}/join`, { language: 'en' }), 404)).code).toBe('dialogue_not_open');
  });

  it('needs the cookie for everything a participant does, and a same-origin Origin on cookie-bearing writes', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['A seed'] }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    expect((await problem(await t.client().get(`/api/participate/${inv}/next`), 401)).code).toBe('not_joined');
    expect((await problem(await t.client().post(`/api/participate/${inv}/votes`, { statementId: d.seeds.q![0], value: 1 }), 401)).code).toBe('not_joined');
    // a participant of another dialogue is not one of this one
    const other = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const stranger = await buildParticipant(t.db, { dialogueId: other.id });
    expect((await problem(await as(stranger).get(`/api/participate/${inv}/next`), 401)).code).toBe('not_joined');

    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const res = await t.app.request(`/api/participate/${inv}/votes`, {
      method: 'POST',
      headers: { cookie: `convene_participant=${p.token}`, 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ statementId: d.seeds.q![0], value: 1 }),
    });
    expect((await problem(res, 403)).code).toBe('csrf_rejected');
  });
});

describe('resuming on another device', () => {
  it('restores the identity with the code; the old device has to use the code too', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['One', 'Two'] }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const phone = t.client();
    const joined = await (await phone.post(`/api/participate/${inv}/join`, { language: 'ar' })).json();
    await voteThrough(phone, inv, 1);

    const laptop = t.client();
    const res = await laptop.post(`/api/participate/${inv}/resume`, { code: joined.resumeCode.toLowerCase().replace('-', ' ') });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ language: 'ar', segmentId: null });
    const n = await next(laptop, inv);
    expect(n.progress).toEqual({ done: 1, total: 2 });
    expect((await problem(await phone.get(`/api/participate/${inv}/next`), 401)).code).toBe('not_joined');

    expect((await problem(await laptop.post(`/api/participate/${inv}/resume`, { code: 'short' }), 400)).errors?.[0]?.field).toBe('body.code');
    expect((await problem(await laptop.post(`/api/participate/${inv}/resume`, { code: 'ZZZZ-ZZZZ' }), 404)).errors?.[0]?.field).toBe('body.code');
    // a code of another dialogue does not work here
    const other = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    const stranger = await buildParticipant(t.db, { dialogueId: other.id });
    expect((await laptop.post(`/api/participate/${inv}/resume`, { code: stranger.resumeCode })).status).toBe(404);
  });
});

describe('voting', () => {
  it('keeps one vote per participant per statement: the latest stands', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['One'] }] }], invites: [{ key: 'i' }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const c = as(p);
    const sid = d.seeds.q![0]!;
    for (const value of [1, -1, 0, -1]) {
      const res = await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: sid, value });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ statementId: sid, value });
    }
    const votes = await t.db.select().from(dialogueVote).where(eq(dialogueVote.participantId, p.id));
    expect(votes.map((v) => [v.statementId, v.value])).toEqual([[sid, -1]]);
    expect((await next(c, d.invites.i!)).item.kind).toBe('done');
  });

  it('stores every acknowledged vote when many arrive at once (group commit), the latest of a pair standing', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: Array.from({ length: 20 }, (_, i) => `Seed ${i}`) }] }], invites: [{ key: 'i' }] });
    const ps = await Promise.all(Array.from({ length: 15 }, () => buildParticipant(t.db, { dialogueId: d.id })));
    const clients = ps.map(as);
    const sent = clients.flatMap((c, i) => d.seeds.q!.map((sid, k) => ({ c, sid, value: ((i + k) % 3) - 1 })));
    const responses = await Promise.all(sent.map(({ c, sid, value }) => c.post(`/api/participate/${d.invites.i}/votes`, { statementId: sid, value })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(300);
    const stored = await t.db.select().from(dialogueVote).where(eq(dialogueVote.dialogueId, d.id));
    expect(stored).toHaveLength(300);
    const byKey = new Map(stored.map((v) => [`${v.participantId}:${v.statementId}`, v.value]));
    sent.forEach(({ sid, value }, n) => expect(byKey.get(`${ps[Math.floor(n / 20)]!.id}:${sid}`)).toBe(value));
    // the same vote changed twice at once: one row, one of the two values (both acknowledged after commit)
    const [a, b] = await Promise.all([clients[0]!.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.q![0], value: 1 }), clients[0]!.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.q![0], value: -1 })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const again = await t.db.select().from(dialogueVote).where(eq(dialogueVote.participantId, ps[0]!.id));
    expect(again).toHaveLength(20);
  });

  it('never shows participants their own statements, and refuses votes on them', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const inv = d.invites.i!;
    const me = await buildParticipant(t.db, { dialogueId: d.id });
    const c = as(me);
    const written = await c.post(`/api/participate/${inv}/statements`, { questionId: d.questions.q, body: 'We need the checkpoints to be humane.' });
    expect(written.status).toBe(201);
    const mine = (await written.json()).id as string;
    const someone = await buildParticipant(t.db, { dialogueId: d.id });
    const theirs = await buildStatement(t.db, { questionId: d.questions.q!, participantId: someone.id, body: 'Schools should teach both languages.' });

    const seen = await voteThrough(c, inv);
    expect(seen).toEqual([theirs.id]);
    const p = await problem(await c.post(`/api/participate/${inv}/votes`, { statementId: mine, value: 1 }), 422);
    expect(p).toMatchObject({ code: 'own_statement', errors: [{ field: 'body.statementId', detail: 'Your own statement' }] });
    // the other participant sees it (post-moderation: pending shows)
    expect(await voteThrough(as(someone), inv)).toEqual([mine]);
  });

  it('in post-moderation shows accepted and pending statements, never rejected ones', async () => {
    const d = await buildDialogue(t.db, { moderation: 'post', sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const author = await buildParticipant(t.db, { dialogueId: d.id });
    const accepted = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Accepted', status: 'accepted' });
    const pending = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Pending', status: 'pending' });
    const rejected = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Rejected', status: 'rejected' });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    expect((await voteThrough(c, d.invites.i!)).sort()).toEqual([accepted.id, pending.id].sort());
    const p = await problem(await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: rejected.id, value: 1 }), 404);
    expect(p.errors?.[0]?.field).toBe('body.statementId');
  });

  it('in pre-moderation shows only accepted statements, and says a new one waits for review', async () => {
    const d = await buildDialogue(t.db, { moderation: 'pre', sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const author = await buildParticipant(t.db, { dialogueId: d.id });
    const accepted = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Accepted', status: 'accepted' });
    await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Pending', status: 'pending' });
    await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'Rejected', status: 'rejected' });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    expect(await voteThrough(c, d.invites.i!)).toEqual([accepted.id]);
    const res = await c.post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.q, body: 'نريد أن يعيش أطفالنا بأمان' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'pending', language: 'ar', shownNow: false });
    const n = await next(c, d.invites.i!);
    expect(n.moderation).toBe('pre');
    expect(n.progress).toEqual({ done: 1, total: 1 });
  });

  it('shows nothing from a closed session and refuses votes there', async () => {
    const d = await buildDialogue(t.db, {
      sessions: [
        { key: 'open', questions: [{ key: 'live', kind: 'open', seeds: ['Open seed'] }] },
        { key: 'closed', status: 'closed', questions: [{ key: 'old', kind: 'open', seeds: ['Closed seed'] }] },
        { key: 'later', status: 'scheduled', opensAt: new Date(Date.now() + 3600_000), questions: [{ key: 'soon', kind: 'open', seeds: ['Scheduled seed'] }] },
        { key: 'now', status: 'scheduled', opensAt: new Date(Date.now() - 3600_000), closesAt: new Date(Date.now() + 3600_000), questions: [{ key: 'cur', kind: 'open', seeds: ['Current seed'] }] },
        // opened by hand, with a closing time now past: closed for participants as for staff
        { key: 'over', status: 'open', closesAt: new Date(Date.now() - 60_000), questions: [{ key: 'ended', kind: 'open', seeds: ['Ended seed'] }] },
      ],
      invites: [{ key: 'i' }],
    });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    expect((await voteThrough(c, d.invites.i!)).sort()).toEqual([d.seeds.live![0], d.seeds.cur![0]].sort());
    // closed by hand, or by closesAt passing: 410 session_closed; not open yet: 404 session_not_open
    expect((await problem(await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.old![0], value: 1 }), 410)).code).toBe('session_closed');
    expect((await problem(await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.ended![0], value: 1 }), 410)).code).toBe('session_closed');
    expect((await problem(await c.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.soon![0], value: 1 }), 404)).code).toBe('session_not_open');
    const w = await problem(await c.post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.old, body: 'Late' }), 410);
    expect(w).toMatchObject({ code: 'session_closed', errors: [{ field: 'body.questionId' }] });
  });

  it('shows a segment only its own sessions and the joint ones', async () => {
    const d = await buildDialogue(t.db, {
      segments: SEGMENTS,
      sessions: [
        { key: 'ji', segment: 'ji', questions: [{ key: 'qji', kind: 'open', seeds: ['For Jewish Israelis'] }] },
        { key: 'pal', segment: 'pal', questions: [{ key: 'qpal', kind: 'open', seeds: ['For Palestinians'] }] },
        { key: 'joint', questions: [{ key: 'qjoint', kind: 'open', seeds: ['For everyone'] }] },
      ],
      invites: [{ key: 'i' }],
    });
    const ji = as(await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments.ji }));
    expect((await voteThrough(ji, d.invites.i!)).sort()).toEqual([d.seeds.qji![0], d.seeds.qjoint![0]].sort());
    const n = await next(ji, d.invites.i!);
    expect(n.writable.map((q) => q.id).sort()).toEqual([d.questions.qji, d.questions.qjoint].sort());
    expect((await ji.post(`/api/participate/${d.invites.i}/votes`, { statementId: d.seeds.qpal![0], value: 1 })).status).toBe(404);
    expect((await ji.post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.qpal, body: 'x' })).status).toBe(404);
  });

  it('routes to the statements with fewest votes and mixes segments', async () => {
    const d = await buildDialogue(t.db, { segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const a = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments.ji });
    const b = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments.pal });
    const a1 = await buildStatement(t.db, { questionId: d.questions.q!, participantId: a.id, body: 'a1' });
    const a2 = await buildStatement(t.db, { questionId: d.questions.q!, participantId: a.id, body: 'a2' });
    const b1 = await buildStatement(t.db, { questionId: d.questions.q!, participantId: b.id, body: 'b1' });
    const b2 = await buildStatement(t.db, { questionId: d.questions.q!, participantId: b.id, body: 'b2' });
    const c = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments.ji });
    const seen = await voteThrough(as(c), d.invites.i!);
    expect(seen).toHaveLength(4);
    // alternating author segments: never two of the same segment in a row while the other has some left
    const segOf = (id: string) => ([a1.id, a2.id].includes(id) ? 'ji' : 'pal');
    expect(segOf(seen[0]!)).not.toBe(segOf(seen[1]!));
    expect(segOf(seen[2]!)).not.toBe(segOf(seen[3]!));
    expect(new Set(seen)).toEqual(new Set([a1.id, a2.id, b1.id, b2.id]));
  });

  it('offers a pair to compare after every five votes when pairwise is on', async () => {
    const d = await buildDialogue(t.db, { pairwise: true, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['1', '2', '3', '4', '5', '6', '7'] }] }], invites: [{ key: 'i' }] });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    const inv = d.invites.i!;
    const seen = await voteThrough(c, inv, 5);
    expect(seen).toHaveLength(5);
    const n = await next(c, inv);
    if (n.item.kind !== 'pairwise') throw new Error(`expected a pair, got ${n.item.kind}`);
    expect(n.item.a.id).not.toBe(n.item.b.id);
    expect(seen).toContain(n.item.a.id);
    const bad = await problem(await c.post(`/api/participate/${inv}/pairwise`, { questionId: n.item.questionId, winnerId: n.item.a.id, loserId: n.item.a.id }), 400);
    expect(bad.errors?.[0]?.field).toBe('body.loserId');
    expect((await c.post(`/api/participate/${inv}/pairwise`, { questionId: n.item.questionId, winnerId: n.item.a.id, loserId: n.item.b.id })).status).toBe(201);
    expect((await next(c, inv)).item.kind).toBe('statement');
  });
});

describe('polls', () => {
  it('asks the open polls first and validates choices and scales', async () => {
    const d = await buildDialogue(t.db, {
      sessions: [
        {
          key: 's',
          questions: [
            { key: 'single', kind: 'poll', pollMode: 'single', options: [{ en: 'Yes' }, { en: 'No' }] },
            { key: 'multi', kind: 'poll', pollMode: 'multiple', options: [{ en: 'A' }, { en: 'B' }, { en: 'C' }] },
            { key: 'scale', kind: 'poll', pollMode: 'scale', scaleMax: 7 },
            { key: 'q', kind: 'open', seeds: ['Seed'] },
          ],
        },
      ],
      invites: [{ key: 'i' }],
    });
    const inv = d.invites.i!;
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    const c = as(p);
    let n = await next(c, inv);
    expect(n.progress).toEqual({ done: 0, total: 4 });
    expect(n.item.kind === 'poll' && n.item.poll).toMatchObject({ id: d.questions.single, mode: 'single', options: [{ id: 'o1', label: 'Yes' }, { id: 'o2', label: 'No' }] });

    const post = (q: string, body: unknown) => c.post(`/api/participate/${inv}/polls/${d.questions[q]}`, body);
    expect((await problem(await post('single', { choices: ['o1', 'o2'] }), 400)).errors).toEqual([{ field: 'body.choices', detail: 'Choose exactly one' }]);
    expect((await problem(await post('single', { choices: ['o9'] }), 400)).errors).toEqual([{ field: 'body.choices.0', detail: 'Not an option of this poll' }]);
    expect((await problem(await post('single', {}), 400)).errors).toEqual([{ field: 'body.choices', detail: 'Required' }]);
    expect((await problem(await post('single', { scale: 3 }), 400)).errors?.[0]?.field).toBe('body.scale');
    expect((await problem(await post('single', { choices: 'o1' }), 400)).errors?.[0]?.field).toBe('body.choices');
    expect((await post('single', { choices: ['o2'] })).status).toBe(200);
    expect((await post('single', { choices: ['o1'] })).status).toBe(200);

    n = await next(c, inv);
    expect(n.item.kind === 'poll' && n.item.poll.id).toBe(d.questions.multi);
    expect((await problem(await post('multi', { choices: ['o1', 'o1'] }), 400)).errors?.[0]?.detail).toBe('No choice twice');
    expect((await post('multi', { choices: ['o1', 'o3'] })).status).toBe(200);

    expect((await problem(await post('scale', { scale: 8 }), 400)).errors).toEqual([{ field: 'body.scale', detail: 'Between 1 and 7' }]);
    expect((await problem(await post('scale', { scale: 0 }), 400)).errors?.[0]?.field).toBe('body.scale');
    expect((await problem(await post('scale', { scale: 2.5 }), 400)).errors?.[0]?.field).toBe('body.scale');
    expect((await post('scale', { scale: 7 })).status).toBe(200);
    // an open question is not a poll
    expect((await problem(await post('q', { choices: ['o1'] }), 404)).code).toBe('question_not_found');

    const answers = await t.db.select().from(dialoguePollAnswer).where(eq(dialoguePollAnswer.participantId, p.id));
    const by = Object.fromEntries(answers.map((a) => [a.questionId, [a.choices, a.scale]]));
    expect(by).toEqual({ [d.questions.single!]: [['o1'], null], [d.questions.multi!]: [['o1', 'o3'], null], [d.questions.scale!]: [[], 7] });
    n = await next(c, inv);
    expect(n.item.kind).toBe('statement');
    expect(n.progress).toEqual({ done: 3, total: 4 });
  });
});

describe('bad input', () => {
  it('answers 400 naming each bad field', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Seed'] }] }], invites: [{ key: 'i' }] });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    const inv = d.invites.i!;
    const cases: [string, unknown, string][] = [
      ['votes', { statementId: d.seeds.q![0], value: 2 }, 'body.value'],
      ['votes', { statementId: 'not-an-id', value: 1 }, 'body.statementId'],
      ['votes', { statementId: d.seeds.q![0], value: 1, extra: true }, 'body.extra'],
      ['votes', { value: 1 }, 'body.statementId'],
      ['statements', { questionId: d.questions.q, body: 'x'.repeat(1001) }, 'body.body'],
      ['statements', { questionId: d.questions.q, body: '   ' }, 'body.body'],
      ['statements', { body: 'hello' }, 'body.questionId'],
      ['join', { language: 'xx' }, 'body.language'],
      ['resume', {}, 'body.code'],
    ];
    for (const [path, body, field] of cases) {
      const p = await problem(await c.post(`/api/participate/${inv}/${path}`, body), 400);
      expect(p.errors?.map((e) => e.field), `${path} ${JSON.stringify(body).slice(0, 60)}`).toContain(field);
    }
    expect((await problem(await c.get(`/api/participate/${inv}/next?language=fr`), 400)).errors?.[0]?.field).toBe('query.language');
    expect((await problem(await c.post(`/api/participate/${inv}/polls/nope`, { scale: 1 }), 400)).errors?.[0]?.field).toBe('param.questionId');
  });
});

describe('rate limits', () => {
  it('limits resume attempts per address with 429 and Retry-After', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's' }], invites: [{ key: 'i' }] });
    // every app.request() comes from one address; earlier tests used part of its allowance
    const c = t.client();
    let res: Response | undefined;
    for (let i = 0; i <= LIMITS.resumeAttempts.max; i++) {
      res = await c.post(`/api/participate/${d.invites.i}/resume`, { code: 'ZZZZ-ZZZ0' });
      if (res.status !== 404) break;
    }
    expect((await problem(res!, 429)).code).toBe('rate_limited');
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits statements per participant', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const c = as(await buildParticipant(t.db, { dialogueId: d.id }));
    for (let i = 0; i < LIMITS.statements.max; i++) {
      expect((await c.post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.q, body: `Statement ${i}` })).status).toBe(201);
    }
    const res = await c.post(`/api/participate/${d.invites.i}/statements`, { questionId: d.questions.q, body: 'One more' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    const [{ n }] = await rows<{ n: number }>(t.db, sql`select count(*)::int as n from dialogue_statement where dialogue_id = ${d.id}`);
    expect(n).toBe(LIMITS.statements.max);
  });
});

describe('translations', () => {
  it('shows the translation into the reader language when there is one, always with the original', async () => {
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }], invites: [{ key: 'i' }] });
    const author = await buildParticipant(t.db, { dialogueId: d.id, language: 'he' });
    const s = await buildStatement(t.db, { questionId: d.questions.q!, participantId: author.id, body: 'אנחנו רוצים ביטחון לכולם' });
    await buildTranslation(t.db, { statementId: s.id, language: 'ar', body: 'نريد الأمان للجميع' });
    const reader = as(await buildParticipant(t.db, { dialogueId: d.id, language: 'ar' }));
    let n = await next(reader, d.invites.i!);
    if (n.item.kind !== 'statement') throw new Error('expected a statement');
    expect(n.item.statement).toEqual({ id: s.id, questionId: d.questions.q, original: { body: 'אנחנו רוצים ביטחון לכולם', language: 'he' }, translation: { body: 'نريد الأمان للجميع', language: 'ar', source: 'ai' } });
    expect(n.item.prompt).toBe('سؤال q؟');
    // no English translation: the original, its language named by the client
    n = await next(reader, d.invites.i!, 'en');
    expect(n.item.kind === 'statement' && n.item.statement.translation).toBeNull();
  });
});

describe('results', () => {
  it('are 403 until the facilitator shows them, then per-segment agree rates', async () => {
    const d = await buildDialogue(t.db, { segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Both agree', 'Split'] }] }], invites: [{ key: 'i' }] });
    expect((await problem(await t.client().get(`/api/participate/${d.invites.i}/results`), 403)).code).toBe('results_hidden');

    const shown = await buildDialogue(t.db, { resultsVisible: true, segments: SEGMENTS, sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['Both agree', 'Split'] }] }], invites: [{ key: 'i' }] });
    const [both, split] = shown.seeds.q!;
    const ji = await Promise.all([1, 2].map(() => buildParticipant(t.db, { dialogueId: shown.id, segmentId: shown.segments.ji })));
    const pal = await Promise.all([1, 2].map(() => buildParticipant(t.db, { dialogueId: shown.id, segmentId: shown.segments.pal })));
    await buildVotes(t.db, shown.id, [
      [ji[0]!.id, both!, 1], [ji[1]!.id, both!, 1], [pal[0]!.id, both!, 1], [pal[1]!.id, both!, 0],
      [ji[0]!.id, split!, 1], [ji[1]!.id, split!, 1], [pal[0]!.id, split!, -1], [pal[1]!.id, split!, -1],
    ]);
    const r = await (await t.client().get(`/api/participate/${shown.invites.i}/results?language=en`)).json();
    expect(r.segments.map((s: { name: string }) => s.name)).toEqual(['Jewish Israelis', 'Palestinians']);
    expect(r.statements.map((s: { statement: { id: string } }) => s.statement.id)).toEqual([both, split]);
    expect(r.statements[0].bySegment).toEqual([
      { segmentId: shown.segments.ji, votes: 2, agree: 2, disagree: 0, agreeRate: 1 },
      { segmentId: shown.segments.pal, votes: 2, agree: 1, disagree: 0, agreeRate: 0.5 },
    ]);
    expect(r.statements[1].bySegment[1]).toEqual({ segmentId: shown.segments.pal, votes: 2, agree: 0, disagree: 2, agreeRate: 0 });
  });
});

describe('the API document', () => {
  it('declares the participation routes under "Taking part"', async () => {
    const doc = await (await t.client().get('/api/openapi.json')).json();
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/participate/'));
    expect(paths.sort()).toEqual(
      [
        '/api/participate/{inviteToken}',
        '/api/participate/{inviteToken}/join',
        '/api/participate/{inviteToken}/next',
        '/api/participate/{inviteToken}/pairwise',
        '/api/participate/{inviteToken}/polls/{questionId}',
        '/api/participate/{inviteToken}/results',
        '/api/participate/{inviteToken}/resume',
        '/api/participate/{inviteToken}/statements',
        '/api/participate/{inviteToken}/votes',
      ].sort(),
    );
    expect(doc.paths['/api/participate/{inviteToken}/votes'].post.tags).toEqual(['Taking part']);
  });
});
