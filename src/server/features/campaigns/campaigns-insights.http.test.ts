import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildFollowUp, buildMeeting, buildOrganisation } from '../../../../tests/setup/network-factories.ts';

// Coverage (who we met, who not in N days, "met 5 of 7 G7 missions", open follow-ups per target) and the movement
// chart (targets per stance per month), under need-to-know: a restricted meeting the reader was not granted meets
// nobody for them and counts for nothing; a stance it supports moves nothing in the chart.

const t = await createTestApp();
const owner = await t.signedIn('staff', { name: 'Owner' });
const insider = await t.signedIn('staff', { name: 'Insider' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const stranger = await t.signedIn('staff', { name: 'Stranger' });

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const at = (offset: number) => new Date(Date.now() + offset * DAY).toISOString();

const missionA = await buildOrganisation(t.db, { name: 'Embassy of Alphaland', kind: 'mission' });
const missionB = await buildOrganisation(t.db, { name: 'Embassy of Betaland', kind: 'mission' });
const missionC = await buildOrganisation(t.db, { name: 'Embassy of Gammaland', kind: 'mission' });
const metA = await buildMeeting(t.db, { title: 'Lunch at Alphaland', kind: 'diplomatic', organisations: [missionA.id], startsAt: at(-2) });
const secretB = await buildMeeting(t.db, {
  title: 'Quiet talk at Betaland',
  kind: 'diplomatic',
  restricted: true,
  organisations: [missionB.id],
  staffIds: [owner.user.id],
  grantedTo: [insider.user.id],
  startsAt: at(-3),
});
await buildMeeting(t.db, { title: 'Old visit to Gammaland', kind: 'diplomatic', organisations: [missionC.id], startsAt: at(-100) });
// a meeting to come meets nobody yet
await buildMeeting(t.db, { title: 'Planned visit to Gammaland', kind: 'diplomatic', organisations: [missionC.id], startsAt: at(5) });
const followA = await buildFollowUp(t.db, { ownerId: owner.user.id, title: 'Send Alphaland the fund paper', organisationId: missionA.id, dueDate: day(7) });
const followSecret = await buildFollowUp(t.db, { ownerId: owner.user.id, title: 'Betaland wants the list of partners', meetingId: secretB.id, organisationId: missionB.id });
await buildFollowUp(t.db, { ownerId: owner.user.id, title: 'Done already', organisationId: missionA.id, status: 'done' });

let id = '';
let ask1 = '';
let ask2 = '';
const target: Record<string, string> = {};

beforeAll(async () => {
  const c = await (await owner.post('/api/campaigns', { name: { en: 'G7' }, startsOn: '2026-01-01', asks: [{ en: 'A role for civil society' }, { en: 'A fund' }] })).json();
  id = c.id;
  ask1 = c.asks[0].id;
  ask2 = c.asks[1].id;
  for (const u of [insider, outsider]) expect((await owner.post(`/api/campaigns/${id}/grants`, { userId: u.user.id })).status).toBe(201);
  for (const [k, o] of Object.entries({ A: missionA, B: missionB, C: missionC })) {
    const r = await owner.post(`/api/campaigns/${id}/targets`, { organisationId: o.id, groupLabel: 'G7' });
    expect(r.status).toBe(201);
    target[k] = (await r.json()).id;
  }
  const ok = async (body: Record<string, unknown>) => expect((await owner.post(`/api/campaigns/${id}/stances`, body)).status).toBe(201);
  await ok({ targetId: target.A, askId: ask1, value: 'neutral', asOf: '2026-01-15', evidence: { kind: 'judgement', reason: 'Non-committal' } });
  await ok({ targetId: target.B, askId: ask1, value: 'sceptical', asOf: '2026-02-10', evidence: { kind: 'judgement', reason: 'Doubts' } });
  await ok({ targetId: target.B, askId: ask1, value: 'supportive', asOf: day(-3), evidence: { kind: 'meeting', meetingId: secretB.id } });
  await ok({ targetId: target.A, askId: ask1, value: 'supportive', asOf: day(-2), evidence: { kind: 'meeting', meetingId: metA.id } });
});

type Coverage = {
  days: number;
  from: string;
  to: string;
  targets: { targetId: string; lastMetAt: string | null; lastMeetingId: string | null; metInPeriod: boolean; notMetInDays: boolean; openFollowUps: { id: string; title: string }[] }[];
  groups: { groupLabel: string | null; targets: number; met: number }[];
};
const of = (c: Coverage, k: string) => c.targets.find((x) => x.targetId === target[k])!;
const coverageUrl = () => `/api/campaigns/${id}/coverage?days=30&from=${day(-10)}&to=${day(0)}`;

describe('coverage', () => {
  it('counts the meetings the reader sees: met, not met in N days, per group, with open follow-ups', async () => {
    const c: Coverage = await (await insider.get(coverageUrl())).json();
    expect(of(c, 'A')).toMatchObject({ metInPeriod: true, notMetInDays: false, lastMeetingId: metA.id });
    expect(of(c, 'B')).toMatchObject({ metInPeriod: true, notMetInDays: false, lastMeetingId: secretB.id });
    // met 100 days ago (the planned visit is still to come)
    expect(of(c, 'C')).toMatchObject({ metInPeriod: false, notMetInDays: true });
    expect(of(c, 'C').lastMetAt).not.toBeNull();
    expect(c.groups).toEqual([{ groupLabel: 'G7', targets: 3, met: 2 }]);
    expect(of(c, 'A').openFollowUps.map((f) => f.id)).toEqual([followA.id]);
    expect(of(c, 'B').openFollowUps.map((f) => f.id)).toEqual([followSecret.id]);
  });

  it('a restricted meeting the reader was not granted meets nobody and counts for nothing, and leaves no trace', async () => {
    const res = await outsider.get(coverageUrl());
    expect(res.status).toBe(200);
    const c: Coverage = await res.json();
    expect(of(c, 'B')).toMatchObject({ metInPeriod: false, notMetInDays: true, lastMetAt: null, lastMeetingId: null, openFollowUps: [] });
    expect(c.groups).toEqual([{ groupLabel: 'G7', targets: 3, met: 1 }]);
    const text = JSON.stringify(c);
    for (const hidden of [secretB.id, followSecret.id, 'Betaland wants']) expect(text).not.toContain(hidden);
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, outsider.user.id), eq(auditEntry.entityId, secretB.id)));
    expect(reads).toHaveLength(0);
  });

  it('defaults to 30 days and this month; the read of a restricted campaign is audited', async () => {
    const c: Coverage = await (await insider.get(`/api/campaigns/${id}/coverage`)).json();
    expect(c.days).toBe(30);
    expect(c.from.endsWith('-01')).toBe(true);
    const reads = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, insider.user.id), eq(auditEntry.entityType, 'campaign'), eq(auditEntry.entityId, id)));
    expect(reads.length).toBeGreaterThan(0);
  });

  it('is not there for whoever does not see the campaign; bad input names the field', async () => {
    await problem(await stranger.get(coverageUrl()), 404);
    await problem(await t.client().get(coverageUrl()), 401);
    expect((await problem(await insider.get(`/api/campaigns/${id}/coverage?days=0`), 400)).errors![0]!.field).toBe('query.days');
    expect((await problem(await insider.get(`/api/campaigns/${id}/coverage?days=abc`), 400)).errors![0]!.field).toBe('query.days');
    expect((await problem(await insider.get(`/api/campaigns/${id}/coverage?from=2026-02-31`), 400)).errors![0]!.field).toBe('query.from');
    expect((await problem(await insider.get(`/api/campaigns/${id}/coverage?from=2026-03-01&to=2026-02-01`), 400)).errors![0]!.field).toBe('query.to');
  });
});

type Chart = { askId: string | null; months: { month: string; counts: Record<string, number> }[] };

describe('the movement chart', () => {
  it('counts each cell under its latest visible stance at each month end, from the campaign start to this month', async () => {
    const c: Chart = await (await insider.get(`/api/campaigns/${id}/movement?askId=${ask1}`)).json();
    expect(c.askId).toBe(ask1);
    expect(c.months[0]!.month).toBe('2026-01');
    expect(c.months.at(-1)!.month).toBe(day(0).slice(0, 7));
    expect(c.months[0]!.counts).toMatchObject({ neutral: 1, unknown: 2, supportive: 0 });
    expect(c.months.find((m) => m.month === '2026-02')!.counts).toMatchObject({ neutral: 1, sceptical: 1, unknown: 1 });
    expect(c.months.at(-1)!.counts).toMatchObject({ supportive: 2, unknown: 1, neutral: 0, sceptical: 0 });
    for (const m of c.months) expect(Object.values(m.counts).reduce((a, b) => a + b, 0)).toBe(3);
    // every ask: each target × ask a cell
    const all: Chart = await (await insider.get(`/api/campaigns/${id}/movement`)).json();
    expect(all.askId).toBeNull();
    expect(all.months.at(-1)!.counts).toMatchObject({ supportive: 2, unknown: 4 });
  });

  it('a stance supported by a restricted meeting the reader was not granted moves nothing', async () => {
    const c: Chart = await (await outsider.get(`/api/campaigns/${id}/movement?askId=${ask1}`)).json();
    expect(c.months.at(-1)!.counts).toMatchObject({ supportive: 1, sceptical: 1, unknown: 1 });
    expect(JSON.stringify(c)).not.toContain(secretB.id);
  });

  it('is not there for whoever does not see the campaign; an ask of another campaign is refused', async () => {
    await problem(await stranger.get(`/api/campaigns/${id}/movement`), 404);
    const other = await (await owner.post('/api/campaigns', { name: { en: 'Other' }, asks: [{ en: 'Something else' }] })).json();
    expect((await problem(await owner.get(`/api/campaigns/${id}/movement?askId=${other.asks[0].id}`), 422)).errors![0]!.field).toBe('query.askId');
    expect((await problem(await owner.get(`/api/campaigns/${id}/movement?askId=nope`), 422)).errors![0]!.field).toBe('query.askId');
    expect(ask2).toBeTruthy();
  });
});

describe("a meeting's campaigns", () => {
  it('lists the campaigns the reader sees that a meeting they see is tagged with; a meeting they may not see is not there', async () => {
    expect((await owner.post(`/api/campaigns/${id}/meetings`, { meetingId: metA.id, targetIds: [target.A], askIds: [ask1] })).status).toBe(200);
    expect((await owner.post(`/api/campaigns/${id}/meetings`, { meetingId: secretB.id, targetIds: [target.B] })).status).toBe(200);
    const mine = await (await insider.get(`/api/meetings/${metA.id}/campaigns`)).json();
    expect(mine.items).toEqual([expect.objectContaining({ campaignId: id, campaignName: { en: 'G7' }, meetingId: metA.id, targetIds: [target.A], askIds: [ask1] })]);
    expect((await (await insider.get(`/api/meetings/${secretB.id}/campaigns`)).json()).items.map((x: { campaignId: string }) => x.campaignId)).toEqual([id]);
    // a reader who does not see the campaign sees the meeting without it
    expect((await (await stranger.get(`/api/meetings/${metA.id}/campaigns`)).json()).items).toEqual([]);
    await problem(await outsider.get(`/api/meetings/${secretB.id}/campaigns`), 404);
    await problem(await outsider.get('/api/meetings/not-a-meeting/campaigns'), 404);
    await problem(await t.client().get(`/api/meetings/${metA.id}/campaigns`), 401);
  });
});
