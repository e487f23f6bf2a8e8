import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { rebuildReadModels } from './apply.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildSharedItem, daysAgo } from '../../../tests/setup/network-factories.ts';
import { readModelSnapshot } from '../../../tests/setup/read-models.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';

// The read models (src/server/read-models/: organisation_activity, meeting_reader and every other) are kept by
// triggers. After every kind of write, what they hold must equal a rebuild from scratch, and member health
// must show each reader exactly what need-to-know lets them see, whether the rows hold or the clock overtook them.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

type Health = { id: string; names?: { name: string; script: string; kind: string }[]; lastMeetingAt: string | null; meetingsLast90Days: number; openConcerns: number; openFollowUps: number };

async function healthOf(client: typeof admin, id: string): Promise<Health> {
  const res = await client.get('/api/member-health?status=any&kind=any&limit=500');
  expect(res.status).toBe(200);
  const found = ((await res.json()) as { items: Health[] }).items.find((h) => h.id === id);
  expect(found).toBeDefined();
  return found!;
}

/**
 * What the triggers left equals what `npx convene rebuild-read-models` leaves (rebuildReadModels: the files applied
 * again, every read model rebuilt from the application tables).
 */
async function expectConsistent() {
  const kept = await readModelSnapshot(t.db);
  await rebuildReadModels(t.db);
  expect(await readModelSnapshot(t.db)).toEqual(kept);
}

const org = await buildOrganisation(t.db, { names: ['Olive Branch Circle', 'דוגמה', 'دائرة غصن الزيتون'] });
const other = await buildOrganisation(t.db, { name: 'Second Circle' });

describe('read models kept by the database', () => {
  it('follow meetings, restrictions, grants, shared items, follow-ups, merges and deletions', async () => {
    const open = await buildMeeting(t.db, {
      startsAt: daysAgo(20),
      organisations: [org.id, other.id],
      sharedItems: [{ organisationId: org.id, kind: 'concern', body: 'Permits are late' }],
      followUps: [{ title: 'Send the letter', ownerId: admin.user.id, organisationId: org.id }],
    });
    const secret = await buildMeeting(t.db, {
      startsAt: daysAgo(3),
      restricted: true,
      organisations: [org.id],
      sharedItems: [{ organisationId: org.id, kind: 'concern', body: 'A closed matter' }],
      followUps: [{ title: 'Quiet call', ownerId: admin.user.id, organisationId: org.id }],
    });
    await expectConsistent();

    // the staff member and the viewer see only the open meeting; the admin sees both
    expect(await healthOf(staff, org.id)).toMatchObject({ lastMeetingAt: open.startsAt.toISOString(), meetingsLast90Days: 1, openConcerns: 1, openFollowUps: 1 });
    expect(await healthOf(viewer, org.id)).toMatchObject({ meetingsLast90Days: 1, openConcerns: 1, openFollowUps: 1 });
    expect(await healthOf(admin, org.id)).toMatchObject({ lastMeetingAt: secret.startsAt.toISOString(), meetingsLast90Days: 2, openConcerns: 2, openFollowUps: 2 });

    // granted: the staff member now counts it too, the viewer still does not
    expect((await admin.post(`/api/meetings/${secret.id}/grants`, { userId: staff.user.id })).status).toBe(201);
    await expectConsistent();
    expect(await healthOf(staff, org.id)).toMatchObject({ lastMeetingAt: secret.startsAt.toISOString(), meetingsLast90Days: 2, openConcerns: 2, openFollowUps: 2 });
    expect(await healthOf(viewer, org.id)).toMatchObject({ lastMeetingAt: open.startsAt.toISOString(), meetingsLast90Days: 1 });

    // the grant withdrawn
    expect((await admin.delete(`/api/meetings/${secret.id}/grants/${staff.user.id}`)).status).toBe(204);
    await expectConsistent();
    expect(await healthOf(staff, org.id)).toMatchObject({ meetingsLast90Days: 1, openConcerns: 1, openFollowUps: 1 });

    // the meeting opened to all, then moved back in time
    expect((await admin.patch(`/api/meetings/${secret.id}`, { restricted: false })).status).toBe(200);
    await expectConsistent();
    expect(await healthOf(viewer, org.id)).toMatchObject({ lastMeetingAt: secret.startsAt.toISOString(), meetingsLast90Days: 2, openConcerns: 2, openFollowUps: 2 });
    const moved = daysAgo(200);
    expect((await admin.patch(`/api/meetings/${secret.id}`, { startsAt: moved.toISOString(), endsAt: new Date(moved.getTime() + 3600_000).toISOString() })).status).toBe(200);
    await expectConsistent();
    expect(await healthOf(viewer, org.id)).toMatchObject({ lastMeetingAt: open.startsAt.toISOString(), meetingsLast90Days: 1 });

    // a concern addressed, a follow-up done, a new restricted concern in an open meeting (the item alone restricted)
    expect((await admin.patch(`/api/shared-items/${open.sharedItems[0]!.id}`, { status: 'addressed' })).status).toBe(200);
    expect((await admin.patch(`/api/follow-ups/${open.followUps[0]!.id}`, { status: 'done' })).status).toBe(200);
    await buildSharedItem(t.db, { meetingId: open.id, organisationId: org.id, kind: 'concern', body: 'Only for some', restricted: true });
    await buildFollowUp(t.db, { title: 'No meeting', ownerId: admin.user.id, organisationId: org.id });
    await expectConsistent();
    expect(await healthOf(viewer, org.id)).toMatchObject({ openConcerns: 1, openFollowUps: 2 });
    expect(await healthOf(admin, org.id)).toMatchObject({ openConcerns: 2, openFollowUps: 2 });

    // merged: everything of the second organisation counts for the first
    await buildMeeting(t.db, { startsAt: daysAgo(1), organisations: [other.id], sharedItems: [{ organisationId: other.id, kind: 'concern', body: 'Theirs' }] });
    expect((await admin.post('/api/organisations/merge', { keepId: org.id, mergeId: other.id })).status).toBe(200);
    await expectConsistent();
    expect(await healthOf(viewer, org.id)).toMatchObject({ meetingsLast90Days: 2, openConcerns: 2 });
    const [gone] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.organisation_activity WHERE organisation_id = ${other.id}`);
    expect(gone!.n).toBe(0);

    // a meeting deleted takes its attendance, items and follow-ups with it
    expect((await admin.delete(`/api/meetings/${open.id}`)).status).toBe(204);
    await expectConsistent();
    expect(await healthOf(admin, org.id)).toMatchObject({ meetingsLast90Days: 1, openConcerns: 2, openFollowUps: 2 });
  });

  it('counts from the records where the clock overtook a row, then refreshes it', async () => {
    const o = await buildOrganisation(t.db, { name: 'Clockwork Society' });
    const m = await buildMeeting(t.db, { startsAt: daysAgo(5), organisations: [o.id], restricted: true, staffIds: [staff.user.id] });
    const right = await healthOf(staff, o.id);
    expect(right).toMatchObject({ lastMeetingAt: m.startsAt.toISOString(), meetingsLast90Days: 1 });
    // a row that claims wrong figures but no longer holds is not believed
    await t.db.execute(sql`UPDATE read_model.organisation_activity SET last_at_all = NULL, n90_all = 7, valid_until = now() - interval '1 second'
      WHERE organisation_id = ${o.id}`);
    expect(await healthOf(staff, o.id)).toMatchObject({ lastMeetingAt: m.startsAt.toISOString(), meetingsLast90Days: 1 });
    expect(await healthOf(admin, o.id)).toMatchObject({ lastMeetingAt: m.startsAt.toISOString(), meetingsLast90Days: 1 });
    const [due] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.organisation_activity WHERE valid_until <= now()`);
    expect(due!.n).toBe(0);
    await expectConsistent();
  });

  it('a truncated source table (a restore) rebuilds the read models once, at commit', async () => {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`TRUNCATE follow_up`);
      const [s] = await rows<{ pending: boolean }>(tx, sql`SELECT rebuild_pending AS pending FROM read_model.state`);
      expect(s!.pending).toBe(true);
      await buildFollowUp(tx, { title: 'After the restore', ownerId: admin.user.id, organisationId: org.id });
    });
    const [s] = await rows<{ pending: boolean }>(t.db, sql`SELECT rebuild_pending AS pending FROM read_model.state`);
    expect(s!.pending).toBe(false);
    expect(await healthOf(admin, org.id)).toMatchObject({ openFollowUps: 1 });
    await expectConsistent();
  });

  it('member health and search carry the organisation’s recorded names', async () => {
    const h = await healthOf(viewer, org.id);
    // the display name first, then the other official names alphabetically (the merged organisation's among them)
    const rest = ['Second Circle', 'דוגמה', 'دائرة غصن الزيتون'].sort((x, y) => x.localeCompare(y));
    expect(h.names?.map((n) => n.name)).toEqual(['Olive Branch Circle', ...rest]);
    expect(h.names?.find((n) => n.name === 'دائرة غصن الزيتون')).toEqual({ name: 'دائرة غصن الزيتون', script: 'arabic', kind: 'official' });
    const res = await viewer.get(`/api/search?q=${encodeURIComponent('غصن الزيتون')}&types=organisation`);
    expect(res.status).toBe(200);
    const hit = ((await res.json()) as { items: { id: string; names?: unknown }[] }).items.find((i) => i.id === org.id);
    expect(hit?.names).toEqual(h.names);
  });
});
