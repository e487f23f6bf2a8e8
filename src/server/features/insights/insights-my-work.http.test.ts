import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { userVisit } from '../accounts/accounts.schema.ts';
import { noteActivity, readVisit } from '../accounts/visits.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import type { MyWork } from './insights.contract.ts';
import { buildDialogue, buildParticipant, buildStatement } from '../../../../tests/setup/dialogue-factories.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildPerson, daysAgo, isoDay } from '../../../../tests/setup/network-factories.ts';
import { buildStudy } from '../../../../tests/setup/study-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// The home page's "my work" (GET /api/my-work) for every role: your meetings and late follow-ups, what is open in
// Research, and what others recorded since your previous visit; need-to-know holds in every part of it.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const other = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

async function myWork(client: TestClient): Promise<MyWork> {
  const res = await client.get('/api/my-work');
  expect(res.status).toBe(200);
  return res.json();
}

/** Sets where the user's previous visit ended (and that the current visit is going on now). */
async function previousVisitEnded(userId: string, at: Date) {
  await t.db
    .insert(userVisit)
    .values({ userId, startedAt: new Date(), lastActiveAt: new Date(), previousEndedAt: at })
    .onConflictDoUpdate({ target: userVisit.userId, set: { startedAt: new Date(), lastActiveAt: new Date(), previousEndedAt: at } });
}

const member = await buildOrganisation(t.db, { name: 'Haifa Youth Choir' });
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000);

// staff's own meetings: two ahead (one restricted, staff present), one past; and one ahead they are not at
const ahead = await buildMeeting(t.db, { title: 'Choir rehearsal visit', startsAt: hoursFromNow(48), staffIds: [staff.user.id], organisations: [member.id] });
const aheadSecret = await buildMeeting(t.db, { title: 'Quiet channel', startsAt: hoursFromNow(24), staffIds: [staff.user.id], restricted: true });
await buildMeeting(t.db, { title: 'Last month', startsAt: daysAgo(30), staffIds: [staff.user.id] });
await buildMeeting(t.db, { title: 'Someone else’s', startsAt: hoursFromNow(5), staffIds: [other.user.id] });

describe('my work', () => {
  it('answers 401 without a session', async () => {
    expect((await problem(await t.client().get('/api/my-work'), 401)).code).toBe('not_signed_in');
  });

  it('lists the meetings you are at from now on, soonest first, restricted ones included for you and audited as read', async () => {
    const w = await myWork(staff);
    expect(w.upcomingMeetings.items.map((m) => m.title)).toEqual(['Quiet channel', 'Choir rehearsal visit']);
    expect(w.upcomingMeetings.total).toBe(2);
    expect(w.upcomingMeetings.items[1]!.organisations.map((o) => o.name)).toEqual(['Haifa Youth Choir']);
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, aheadSecret.id), eq(auditEntry.actorId, staff.user.id)));
    expect(reads.length).toBeGreaterThan(0);
    // nobody else is at them
    expect((await myWork(viewer)).upcomingMeetings.items).toEqual([]);
    expect((await myWork(admin)).upcomingMeetings.items).toEqual([]);
    expect((await myWork(other)).upcomingMeetings.items.map((m) => m.title)).toEqual(['Someone else’s']);
  });

  it('lists your own overdue open follow-ups, most overdue first, and none of anyone else’s', async () => {
    await buildFollowUp(t.db, { title: 'Send the minutes', ownerId: staff.user.id, dueDate: isoDay(-2, 'Asia/Jerusalem') });
    await buildFollowUp(t.db, { title: 'Call the choir', ownerId: staff.user.id, dueDate: isoDay(-9, 'Asia/Jerusalem') });
    await buildFollowUp(t.db, { title: 'Due later', ownerId: staff.user.id, dueDate: isoDay(3, 'Asia/Jerusalem') });
    await buildFollowUp(t.db, { title: 'Done late', ownerId: staff.user.id, dueDate: isoDay(-5, 'Asia/Jerusalem'), status: 'done' });
    await buildFollowUp(t.db, { title: 'Theirs', ownerId: other.user.id, dueDate: isoDay(-5, 'Asia/Jerusalem') });
    const w = await myWork(staff);
    expect(w.overdueFollowUps.items.map((f) => f.title)).toEqual(['Call the choir', 'Send the minutes']);
    expect(w.overdueFollowUps.total).toBe(2);
    expect((await myWork(other)).overdueFollowUps.items.map((f) => f.title)).toEqual(['Theirs']);
    expect((await myWork(viewer)).overdueFollowUps.total).toBe(0);
  });

  it('lists dialogue sessions open now (by hand or by schedule) and open message tests, for every role', async () => {
    const d = await buildDialogue(t.db, {
      title: 'Shared futures',
      sessions: [
        { key: 'open', title: 'Joint evening', status: 'open' },
        { key: 'scheduled', title: 'Scheduled and started', status: 'scheduled', opensAt: daysAgo(1), closesAt: hoursFromNow(30) },
        { key: 'later', title: 'Scheduled later', status: 'scheduled', opensAt: hoursFromNow(30) },
        { key: 'over', title: 'Ran out', status: 'open', closesAt: daysAgo(1) },
        { key: 'draft', title: 'Not yet', status: 'draft' },
      ],
    });
    await buildParticipant(t.db, { dialogueId: d.id });
    await buildStudy(t.db, { title: 'Open message test', status: 'open' });
    await buildStudy(t.db, { title: 'Draft message test', status: 'draft' });
    for (const client of [admin, staff, viewer]) {
      const w = await myWork(client);
      const mine = w.openSessions.filter((s) => s.dialogueId === d.id);
      expect(mine.map((s) => s.sessionTitle).sort()).toEqual(['Joint evening', 'Scheduled and started']);
      expect(mine.every((s) => s.dialogueTitle === 'Shared futures' && s.participants === 1)).toBe(true);
      expect(w.openStudies.map((s) => s.title)).toEqual(['Open message test']);
    }
  });

  it('offers administrators the count of other accounts and pending invitations, and nobody else', async () => {
    const w = await myWork(admin);
    expect(w.team).toEqual({ otherAccounts: 3, pendingInvitations: 0 });
    const invited = await admin.post('/api/invitations', { email: 'new.colleague@example.org', name: 'New Colleague', role: 'staff', locale: 'he' });
    expect(invited.status).toBe(201);
    expect((await myWork(admin)).team).toEqual({ otherAccounts: 3, pendingInvitations: 1 });
    expect((await myWork(staff)).team).toBeNull();
    expect((await myWork(viewer)).team).toBeNull();
  });
});

describe('since you last came', () => {
  it('covers the last seven days on a first visit', async () => {
    const fresh = await t.signedIn('staff');
    const w = await myWork(fresh);
    expect(w.changes.basis).toBe('week');
    expect(Math.abs(Date.parse(w.changes.since) - (Date.now() - 7 * 86_400_000))).toBeLessThan(60_000);
  });

  it('shows what others recorded since your previous visit, and only what you may see', async () => {
    // what the tests above built is old news
    for (const table of ['meeting', 'follow_up', 'organisation', 'person', 'shared_item'])
      await t.db.execute(sql`UPDATE ${sql.identifier(table)} SET created_at = now() - interval '3 days'`);
    const cut = new Date(Date.now() - 60_000);
    for (const u of [admin, staff, other, viewer]) await previousVisitEnded(u.user.id, cut);
    // before the cut: not news
    const old = await buildMeeting(t.db, { title: 'Recorded long ago', createdBy: other.user.id });
    await t.db.execute(sql`UPDATE meeting SET created_at = now() - interval '2 days' WHERE id = ${old.id}`);
    // after the cut, by someone else: an open meeting, a restricted one (other present), one staff recorded themself
    await buildMeeting(t.db, { title: 'Open round table', createdBy: other.user.id });
    const secret = await buildMeeting(t.db, { title: 'Back channel', createdBy: other.user.id, restricted: true, staffIds: [other.user.id] });
    await buildMeeting(t.db, { title: 'Staff’s own record', createdBy: staff.user.id });
    // an old meeting changed since, by other, through the API (its audit entry says who)
    const changed = await other.patch(`/api/meetings/${old.id}`, { title: 'Recorded long ago, corrected' });
    expect(changed.status).toBe(200);
    await buildPerson(t.db, { name: 'Rami Khoury', createdBy: other.user.id });
    await buildPerson(t.db, { name: 'Hidden Source', createdBy: other.user.id, restricted: true });
    const org = await other.post('/api/organisations', { kind: 'partner', names: [{ name: 'Bridge Fund' }, { name: 'קרן הגשר' }] });
    expect(org.status).toBe(201);
    await buildFollowUp(t.db, { title: 'Given to staff', ownerId: staff.user.id, createdBy: other.user.id });
    await buildFollowUp(t.db, { title: 'Staff gave themself', ownerId: staff.user.id, createdBy: staff.user.id });

    const s = await myWork(staff);
    expect(s.changes.basis).toBe('lastVisit');
    expect(s.changes.since).toBe(cut.toISOString());
    expect(s.changes.meetings.items.map((m) => [m.title, m.change])).toEqual([
      ['Recorded long ago, corrected', 'updated'],
      ['Open round table', 'new'],
    ]);
    expect(s.changes.meetings.total).toBe(2);
    expect(s.changes.followUpsForYou.items.map((f) => f.title)).toEqual(['Given to staff']);
    expect(s.changes.organisations.items.map((o) => o.name)).toEqual(['Bridge Fund']);
    expect(s.changes.organisations.items[0]!.names.map((n) => [n.name, n.script])).toEqual([
      ['Bridge Fund', 'latin'],
      ['קרן הגשר', 'hebrew'],
    ]);
    expect(s.changes.people).toBe(1);

    // the restricted meeting and person: for the administrator and the staff present, not for staff or viewer
    const a = await myWork(admin);
    expect(a.changes.meetings.items.map((m) => m.title)).toContain('Back channel');
    expect(a.changes.meetings.total).toBe(4);
    expect(a.changes.people).toBe(2);
    const o = await myWork(other);
    expect(o.changes.meetings.items.map((m) => m.title)).toEqual(['Staff’s own record']);
    const v = await myWork(viewer);
    expect(v.changes.meetings.items.map((m) => m.title)).not.toContain('Back channel');
    expect(v.changes.meetings.total).toBe(3);
    expect(v.changes.people).toBe(1);
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, secret.id), eq(auditEntry.actorId, admin.user.id)));
    expect(reads.length).toBeGreaterThan(0);
  });

  it('counts participants’ statements and completed survey responses since the previous visit', async () => {
    const cut = new Date(Date.now() - 60_000);
    await previousVisitEnded(viewer.user.id, cut);
    const before = (await myWork(viewer)).changes;
    const d = await buildDialogue(t.db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open' }] }] });
    const p = await buildParticipant(t.db, { dialogueId: d.id });
    await buildStatement(t.db, { questionId: d.questions.q!, participantId: p.id, body: 'We need safe buses' });
    await buildStatement(t.db, { questionId: d.questions.q!, body: 'A seed by staff', seed: true });
    const after = (await myWork(viewer)).changes;
    expect(after.statements - before.statements).toBe(1);
  });
});

describe('visits', () => {
  it('starts a new visit after a pause of more than 30 minutes, and keeps the previous one’s end', async () => {
    const u = await t.signedIn('viewer');
    await t.db.delete(userVisit).where(eq(userVisit.userId, u.user.id));
    const t0 = new Date('2031-03-01T08:00:00Z');
    const at = (min: number) => new Date(t0.getTime() + min * 60_000);
    await noteActivity(t.db, u.user.id, t0);
    await noteActivity(t.db, u.user.id, at(0.5)); // within the minute: not written
    await noteActivity(t.db, u.user.id, at(20));
    let v = await readVisit(t.db, u.user.id);
    expect([v!.startedAt.toISOString(), v!.lastActiveAt.toISOString(), v!.previousEndedAt]).toEqual([t0.toISOString(), at(20).toISOString(), null]);
    await noteActivity(t.db, u.user.id, at(45)); // 25 minutes later: the same visit
    v = await readVisit(t.db, u.user.id);
    expect(v!.previousEndedAt).toBeNull();
    await noteActivity(t.db, u.user.id, at(120)); // 75 minutes later: a new visit
    v = await readVisit(t.db, u.user.id);
    expect([v!.startedAt.toISOString(), v!.previousEndedAt!.toISOString()]).toEqual([at(120).toISOString(), at(45).toISOString()]);
  });

  it('is noted by any signed-in request, and for nobody without a session', async () => {
    const u = await t.signedIn('staff');
    await u.get('/api/me');
    const [row] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM user_visit WHERE user_id = ${u.user.id}`);
    expect(row!.n).toBe(1);
    const before = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM user_visit`);
    await t.client().get('/api/health');
    const after = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM user_visit`);
    expect(after).toEqual(before);
  });
});
