import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { followUp, meeting, meetingOrganisation, sharedItem, topic } from './meetings.schema.ts';
import { normalizeName } from '../network/names.ts';
import { organisation, organisationName } from '../network/network.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();
const staff = await t.signedIn('staff', { name: 'Rana Staff' });
const owner = await t.signedIn('staff', { name: 'Omar Owner' });
const viewer = await t.signedIn('viewer');

// eight member organisations of the Ramallah meeting, named in Latin and Arabic, inserted directly
const MEMBERS = [
  ['Women for Dialogue', 'نساء من أجل الحوار'],
  ['Youth Bridge', 'جسر الشباب'],
  ['Ramallah Peace Forum', 'منتدى رام الله للسلام'],
  ['Teachers Together', 'معلمون معا'],
  ['Green Hills Cooperative', 'تعاونية التلال الخضراء'],
  ['Health Without Borders PS', 'صحة بلا حدود'],
  ['Al-Bireh Families Circle', 'دائرة عائلات البيرة'],
  ['Jericho Water Initiative', 'مبادرة مياه أريحا'],
];
const orgIds: string[] = [];
for (const [latin, arabic] of MEMBERS) {
  const [o] = await t.db.insert(organisation).values({ kind: 'member', status: 'active', name: latin!, country: 'PS', city: 'Ramallah' }).returning();
  await t.db.insert(organisationName).values([
    { organisationId: o!.id, name: latin!, script: 'latin', norm: normalizeName(latin!) },
    { organisationId: o!.id, name: arabic!, script: 'arabic', norm: normalizeName(arabic!) },
  ]);
  orgIds.push(o!.id);
}
const [ceasefire] = await t.db.insert(topic).values({ key: 'ceasefire-hostages', nameEn: 'Ceasefire and hostages', nameHe: 'הפסקת אש וחטופים', nameAr: 'وقف إطلاق النار والرهائن' }).returning();
const [dayAfter] = await t.db.insert(topic).values({ key: 'day-after', nameEn: 'Day-after plans', nameHe: 'תוכניות ליום שאחרי', nameAr: 'خطط اليوم التالي' }).returning();

async function tally() {
  const [m] = await t.db.select({ n: count() }).from(meeting);
  const [s] = await t.db.select({ n: count() }).from(sharedItem);
  const [f] = await t.db.select({ n: count() }).from(followUp);
  const [o] = await t.db.select({ n: count() }).from(meetingOrganisation);
  return { meetings: m!.n, sharedItems: s!.n, followUps: f!.n, links: o!.n };
}

const ramallah = {
  kind: 'group',
  title: 'Ramallah members’ round table',
  startsAt: '2024-07-09T11:30:00+03:00',
  endsAt: '2024-07-09T14:00:00+03:00',
  timeZone: 'Asia/Hebron',
  city: 'Ramallah',
  venue: 'Community hall, Al-Irsal St.',
  notes: '## Round\n- each member on the last month',
  organisations: orgIds.map((organisationId, i) => ({ organisationId, role: i === 0 ? 'host' : 'participant' })),
  staffIds: [staff.user.id],
  topicIds: [ceasefire!.id, dayAfter!.id],
  sharedItems: [
    { organisationId: orgIds[1], topicId: ceasefire!.id, kind: 'concern', body: 'Families of hostages feel unheard in the public debate' },
    { organisationId: orgIds[4], topicId: dayAfter!.id, kind: 'concern', body: 'Checkpoints delay the water deliveries by hours' },
  ],
  followUps: [{ title: 'Send the day-after paper to Green Hills', ownerId: owner.user.id, dueDate: '2024-07-16', organisationId: orgIds[4] }],
};

describe('meetings', () => {
  let meetingId = '';

  it('records the Ramallah group meeting with eight members, two concerns and a follow-up, and reads it back', async () => {
    const res = await staff.post('/api/meetings', ramallah);
    expect(res.status).toBe(201);
    const created = await res.json();
    meetingId = created.id;

    const got = await (await staff.get(`/api/meetings/${meetingId}`)).json();
    expect(got).toMatchObject({
      kind: 'group',
      title: ramallah.title,
      startsAt: '2024-07-09T08:30:00.000Z',
      endsAt: '2024-07-09T11:00:00.000Z',
      timeZone: 'Asia/Hebron',
      city: 'Ramallah',
      venue: ramallah.venue,
      online: false,
      notes: ramallah.notes,
      notesHidden: false,
      restricted: false,
      staff: [{ userId: staff.user.id, name: 'Rana Staff' }],
    });
    expect(got.organisations).toHaveLength(8);
    // each organisation comes with all its recorded names, so a reader can be shown the one in their script
    const host = got.organisations.find((o: { organisationId: string }) => o.organisationId === orgIds[0]);
    expect(host).toEqual({ organisationId: orgIds[0], name: 'Women for Dialogue', role: 'host', names: expect.any(Array) });
    expect(host.names.map((n: { name: string; script: string; kind: string }) => [n.name, n.script, n.kind]).sort()).toEqual([
      ['Women for Dialogue', 'latin', 'official'],
      ['نساء من أجل الحوار', 'arabic', 'official'],
    ]);
    for (const n of host.names) expect(n.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.topics.map((x: { key: string }) => x.key).sort()).toEqual(['ceasefire-hostages', 'day-after']);
    expect(got.sharedItems).toHaveLength(2);
    expect(got.sharedItems.map((s: { kind: string; organisationName: string; status: string }) => [s.kind, s.organisationName, s.status]).sort()).toEqual([
      ['concern', 'Green Hills Cooperative', 'open'],
      ['concern', 'Youth Bridge', 'open'],
    ]);
    expect(got.followUps).toEqual([
      expect.objectContaining({ title: 'Send the day-after paper to Green Hills', ownerId: owner.user.id, ownerName: 'Omar Owner', dueDate: '2024-07-16', status: 'open', overdue: true, meetingId, organisationName: 'Green Hills Cooperative' }),
    ]);

    // the norm columns are written for search
    const [row] = await t.db.select().from(meeting).where(eq(meeting.id, meetingId));
    expect(row!.titleNorm).toBe(normalizeName(ramallah.title));
    const items = await t.db.select().from(sharedItem).where(eq(sharedItem.meetingId, meetingId));
    for (const i of items) expect(i.bodyNorm).toBe(normalizeName(i.body));

    // audited: the meeting, each shared item, the follow-up
    const audit = await t.db.select().from(auditEntry).where(eq(auditEntry.actorId, staff.user.id));
    expect(audit.filter((a) => a.action === 'meeting.create' && a.entityId === meetingId)).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'shared_item.create')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'follow_up.create')).toHaveLength(1);
  });

  it('finds it by organisation, topic, city, staff, title and week range, with both UTC and the place zone', async () => {
    const ids = async (q: string) => {
      const res = await viewer.get(`/api/meetings?${q}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.total).toBe(body.items.length);
      return body.items.map((m: { id: string }) => m.id);
    };
    expect(await ids(`organisationId=${orgIds[7]}`)).toEqual([meetingId]);
    expect(await ids(`topicId=${dayAfter!.id}`)).toEqual([meetingId]);
    expect(await ids('city=ramallah')).toEqual([meetingId]);
    expect(await ids(`staffId=${owner.user.id}`)).toEqual([]);
    expect(await ids(`staffId=${staff.user.id}&kind=group`)).toEqual([meetingId]);
    expect(await ids('kind=call')).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('ROUND table')}`)).toEqual([meetingId]);
    // the week calendar: a range overlapping the meeting's end catches it, one after it does not
    expect(await ids(`from=${encodeURIComponent('2024-07-09T10:59:00Z')}&to=${encodeURIComponent('2024-07-16T00:00:00Z')}`)).toEqual([meetingId]);
    expect(await ids(`from=${encodeURIComponent('2024-07-09T11:00:00Z')}&to=${encodeURIComponent('2024-07-16T00:00:00Z')}`)).toEqual([]);
    const list = await (await viewer.get(`/api/meetings?organisationId=${orgIds[0]}`)).json();
    expect(list.items[0]).toMatchObject({ startsAt: '2024-07-09T08:30:00.000Z', endsAt: '2024-07-09T11:00:00.000Z', timeZone: 'Asia/Hebron', sharedItemCount: 2, followUpCount: 1 });
    expect(list.items[0].organisations).toHaveLength(8);
    // the list carries the names too (the meetings list and week calendar name organisations in the reader's script)
    for (const o of list.items[0].organisations) expect(o.names.map((n: { script: string }) => n.script).sort()).toEqual(['arabic', 'latin']);

    const tooLong = await problem(await viewer.get(`/api/meetings?from=${encodeURIComponent('2024-01-01T00:00:00Z')}&to=${encodeURIComponent('2024-03-04T00:00:00Z')}`), 400);
    expect(tooLong.errors!.map((e) => e.field)).toEqual(['query.to']);
    await problem(await viewer.get(`/api/meetings?from=${encodeURIComponent('2024-03-01T00:00:00Z')}&to=${encodeURIComponent('2024-02-01T00:00:00Z')}`), 400);
  });

  it('lists shared items with filters and marks a concern addressed', async () => {
    const concerns = await (await viewer.get(`/api/shared-items?kind=concern&topicId=${ceasefire!.id}`)).json();
    expect(concerns.total).toBe(1);
    expect(concerns.items[0]).toMatchObject({ organisationName: 'Youth Bridge', meetingId, meetingTitle: ramallah.title, topic: { key: 'ceasefire-hostages' } });
    const res = await staff.patch(`/api/shared-items/${concerns.items[0].id}`, { status: 'addressed' });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe('addressed');
    expect((await (await viewer.get('/api/shared-items?status=open')).json()).total).toBe(1);
    const added = await staff.post(`/api/meetings/${meetingId}/shared-items`, { organisationId: orgIds[2], kind: 'opportunity', body: 'Joint event in Jericho in August' });
    expect(added.status).toBe(201);
    const bad = await problem(await staff.post(`/api/meetings/${meetingId}/shared-items`, { organisationId: '00000000-0000-4000-8000-000000000000', kind: 'update', body: 'x' }), 422);
    expect(bad.errors).toEqual([{ field: 'body.organisationId', detail: expect.any(String) }]);
    expect((await staff.delete(`/api/shared-items/${(await added.json()).id}`)).status).toBe(204);
    expect((await (await viewer.get(`/api/shared-items?meetingId=${meetingId}`)).json()).total).toBe(2);
  });

  it("puts the follow-up in its owner's list: open first, overdue first, then by due date", async () => {
    const mk = (title: string, dueDate: string | null, status?: string) =>
      staff.post('/api/follow-ups', { title, ownerId: owner.user.id, dueDate, ...(status ? { status } : {}) });
    for (const r of [await mk('Later', '2099-01-10'), await mk('No date', null), await mk('Older overdue', '2024-01-02'), await mk('Soon', '2099-01-01'), await mk('Done long ago', '2020-01-01', 'done')])
      expect(r.status).toBe(201);
    const fromMeeting = await staff.post('/api/follow-ups', { title: 'Call Youth Bridge back', ownerId: staff.user.id, meetingId, organisationId: orgIds[1] });
    expect(fromMeeting.status).toBe(201);
    expect(await fromMeeting.json()).toMatchObject({ meetingId, meetingTitle: ramallah.title, organisationName: 'Youth Bridge' });

    const mine = await (await owner.get('/api/follow-ups?mine=true')).json();
    expect(mine.items.map((f: { title: string }) => f.title)).toEqual(['Older overdue', 'Send the day-after paper to Green Hills', 'Soon', 'Later', 'No date', 'Done long ago']);
    expect(mine.items.map((f: { overdue: boolean }) => f.overdue)).toEqual([true, true, false, false, false, false]);
    expect(mine.total).toBe(6);
    // the same order across pages of two
    const { items } = await allPages<{ title: string }>(owner, '/api/follow-ups?mine=true', 2);
    expect(items.map((f) => f.title)).toEqual(mine.items.map((f: { title: string }) => f.title));
    expect((await (await owner.get('/api/follow-ups?mine=true&overdue=true')).json()).total).toBe(2);

    const done = await owner.patch(`/api/follow-ups/${mine.items[0].id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect((await done.json()).completedAt).not.toBeNull();
    const bad = await problem(await staff.post('/api/follow-ups', { title: 'Nobody', ownerId: 'no-such-user' }), 422);
    expect(bad.errors).toEqual([{ field: 'body.ownerId', detail: expect.any(String) }]);
  });

  it('rejects bad input naming each field and writes nothing', async () => {
    const before = await tally();
    const endBeforeStart = await problem(await staff.post('/api/meetings', { ...ramallah, endsAt: '2024-07-09T10:00:00+03:00' }), 400);
    expect(endBeforeStart.errors!.map((e) => e.field)).toEqual(['body.endsAt']);
    const tooLong = await problem(await staff.post('/api/meetings', { ...ramallah, endsAt: '2024-07-30T10:00:00+03:00' }), 400);
    expect(tooLong.errors!.map((e) => e.field)).toEqual(['body.endsAt']);
    const badZone = await problem(await staff.post('/api/meetings', { ...ramallah, timeZone: 'Mars/Olympus' }), 400);
    expect(badZone.errors!.map((e) => e.field)).toEqual(['body.timeZone']);
    const orgs = ramallah.organisations.map((o, i) => (i === 3 ? { ...o, organisationId: '00000000-0000-4000-8000-000000000003' } : o));
    const unknown = await problem(await staff.post('/api/meetings', { ...ramallah, organisations: orgs, followUps: [{ title: 'x', ownerId: 'nobody' }] }), 422);
    expect(unknown.errors!.map((e) => e.field).sort()).toEqual(['body.followUps.0.ownerId', 'body.organisations.3.organisationId']);
    const unknownItemOrg = await problem(
      await staff.post('/api/meetings', { ...ramallah, sharedItems: [...ramallah.sharedItems, { organisationId: '00000000-0000-4000-8000-000000000009', kind: 'update', body: 'x' }] }),
      422,
    );
    expect(unknownItemOrg.errors!.map((e) => e.field)).toEqual(['body.sharedItems.2.organisationId']);
    const dup = await problem(await staff.post('/api/meetings', { ...ramallah, organisations: [...ramallah.organisations, { organisationId: orgIds[0], role: 'observer' }] }), 400);
    expect(dup.errors!.map((e) => e.field)).toEqual(['body.organisations.8.organisationId']);
    const unknownField = await problem(await staff.post('/api/meetings', { ...ramallah, colour: 'red' }), 400);
    expect(unknownField.errors!.map((e) => e.field)).toEqual(['body.colour']);
    expect(await tally()).toEqual(before);
  });

  it('PATCH replaces the lists it is given and keeps the rest', async () => {
    const res = await staff.patch(`/api/meetings/${meetingId}`, { title: 'Ramallah round table (July)', organisations: [{ organisationId: orgIds[0], role: 'host' }, { organisationId: orgIds[1] }], topicIds: [] });
    expect(res.status).toBe(200);
    const m = await res.json();
    expect(m.organisations.map((o: { organisationId: string; role: string }) => [o.organisationId, o.role]).sort()).toEqual([[orgIds[0], 'host'], [orgIds[1], 'participant']].sort());
    expect(m.topics).toEqual([]);
    expect(m.staff).toHaveLength(1);
    expect(m.city).toBe('Ramallah');
    const [row] = await t.db.select().from(meeting).where(eq(meeting.id, meetingId));
    expect(row!.titleNorm).toBe(normalizeName('Ramallah round table (July)'));
    const span = await problem(await staff.patch(`/api/meetings/${meetingId}`, { endsAt: '2024-07-09T08:00:00Z' }), 400);
    expect(span.errors!.map((e) => e.field)).toEqual(['body.endsAt']);
    const unknown = await problem(await staff.patch(`/api/meetings/${meetingId}`, { staffIds: [staff.user.id, 'ghost'] }), 422);
    expect(unknown.errors!.map((e) => e.field)).toEqual(['body.staffIds.1']);
    const [audit] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'meeting.update'), eq(auditEntry.entityId, meetingId)));
    expect(audit!.detail).toMatchObject({ fields: expect.arrayContaining(['title', 'organisations', 'topicIds']) });
  });

  it('viewers read but may not write; anonymous callers are refused', async () => {
    const before = await tally();
    expect((await problem(await viewer.post('/api/meetings', ramallah), 403)).code).toBe('forbidden');
    await problem(await viewer.patch(`/api/meetings/${meetingId}`, { title: 'x' }), 403);
    await problem(await viewer.delete(`/api/meetings/${meetingId}`), 403);
    await problem(await viewer.post(`/api/meetings/${meetingId}/shared-items`, { organisationId: orgIds[0], kind: 'update', body: 'x' }), 403);
    await problem(await viewer.post('/api/follow-ups', { title: 'x', ownerId: viewer.user.id }), 403);
    await problem(await viewer.post('/api/topics', { key: 'g7', nameEn: 'G7', nameHe: 'G7', nameAr: 'G7' }), 403);
    await problem(await viewer.post(`/api/meetings/${meetingId}/grants`, { userId: viewer.user.id }), 403);
    expect(await tally()).toEqual(before);
    await problem(await t.client().get('/api/meetings'), 401);
    await problem(await t.client().get('/api/follow-ups?mine=true'), 401);
    expect((await viewer.get(`/api/meetings/${meetingId}`)).status).toBe(200);
  });

  it('manages topics: staff add and archive, keys are unique', async () => {
    const res = await staff.post('/api/topics', { key: 'g7-campaign', nameEn: 'G7 campaign', nameHe: 'קמפיין G7', nameAr: 'حملة مجموعة السبع' });
    expect(res.status).toBe(201);
    const g7 = await res.json();
    expect((await problem(await staff.post('/api/topics', { key: 'g7-campaign', nameEn: 'x', nameHe: 'x', nameAr: 'x' }), 409)).errors).toEqual([{ field: 'body.key', detail: expect.any(String) }]);
    expect((await staff.patch(`/api/topics/${g7.id}`, { archived: true })).status).toBe(200);
    const active = (await (await viewer.get('/api/topics')).json()).items.map((x: { key: string }) => x.key);
    expect(active).toEqual(['ceasefire-hostages', 'day-after']);
    const all = (await (await viewer.get('/api/topics?includeArchived=true')).json()).items.map((x: { key: string }) => x.key);
    expect(all).toContain('g7-campaign');
    await problem(await staff.patch('/api/topics/not-an-id', { archived: false }), 404);
  });

  it('pages through meetings newest first, and oldest first from a date, without gaps or repeats', async () => {
    for (let d = 1; d <= 5; d++) {
      const day = String(d).padStart(2, '0');
      const res = await staff.post('/api/meetings', { kind: 'call', title: `Call ${d}`, startsAt: `2024-08-${day}T09:00:00Z`, endsAt: `2024-08-${day}T09:30:00Z`, timeZone: 'Europe/Berlin', online: true });
      expect(res.status).toBe(201);
    }
    const desc = await allPages<{ title: string }>(viewer, '/api/meetings?kind=call', 2);
    expect(desc.items.map((m) => m.title)).toEqual(['Call 5', 'Call 4', 'Call 3', 'Call 2', 'Call 1']);
    const asc = await allPages<{ title: string }>(viewer, `/api/meetings?kind=call&from=${encodeURIComponent('2024-08-02T00:00:00Z')}&to=${encodeURIComponent('2024-08-31T00:00:00Z')}`, 2);
    expect(asc.items.map((m) => m.title)).toEqual(['Call 2', 'Call 3', 'Call 4', 'Call 5']);
    await problem(await viewer.get('/api/meetings?cursor=forged'), 400);
  });

  it('deletes a meeting with its shared items and follow-ups, audited', async () => {
    expect((await staff.delete(`/api/meetings/${meetingId}`)).status).toBe(204);
    await problem(await staff.get(`/api/meetings/${meetingId}`), 404);
    expect(await t.db.select().from(sharedItem).where(eq(sharedItem.meetingId, meetingId))).toHaveLength(0);
    expect(await t.db.select().from(followUp).where(eq(followUp.meetingId, meetingId))).toHaveLength(0);
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'meeting.delete'), eq(auditEntry.entityId, meetingId)))).toHaveLength(1);
  });
});
