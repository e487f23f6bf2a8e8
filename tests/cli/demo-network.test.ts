import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../src/cli/demo/network.ts';
import { user } from '../../src/server/features/accounts/accounts.schema.ts';
import { office, organisation, organisationLink, organisationName, person, personName, staffOffice } from '../../src/server/features/network/network.schema.ts';
import { accessGrant } from '../../src/server/access/access.schema.ts';
import { followUp, meeting, meetingOrganisation, meetingStaff, sharedItem, topic } from '../../src/server/features/meetings/meetings.schema.ts';
import { normalizeName } from '../../src/server/features/network/names.ts';
import { freshDatabase } from '../setup/test-db.ts';

// the demo's staff accounts as src/cli/demo.ts makes them (emails are what the seed keys on)
const STAFF = ['admin', 'oliver', 'lena', 'camille', 'maya', 'james', 'noa', 'rana', 'samer'];

const database = await freshDatabase();
await database.migrate();
afterAll(() => database.close());
const db = database.db;
const staffByEmail: Record<string, string> = {};
for (const local of STAFF) {
  const id = `demo-${local}`;
  await db.insert(user).values({ id, name: local, email: `${local}@demo.convene.example`, role: local === 'admin' ? 'admin' : local === 'samer' ? 'viewer' : 'staff' });
  staffByEmail[`${local}@demo.convene.example`] = id;
}
const now = new Date('2026-03-15T12:00:00Z');
const summary = await seedDemoNetwork(db, { staffByEmail, now });

const count = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
const n = sql<number>`count(*)::int`;

describe('demo network', () => {
  it('seeds offices with their staff, ~170 members, foundations, G7 missions and topics', async () => {
    expect(summary.skipped).toBe(false);
    const offices = await db.select().from(office);
    expect(offices.map((o) => o.city).sort()).toEqual(['Berlin', 'Jerusalem', 'London', 'Los Angeles', 'Paris', 'Ramallah', 'Washington']);
    expect(offices.find((o) => o.city === 'Ramallah')!.timeZone).toBe('Asia/Hebron');
    expect(await count(db.select({ n }).from(staffOffice))).toBe(STAFF.length);
    const [rana] = await db.select({ city: office.city }).from(staffOffice).innerJoin(office, eq(office.id, staffOffice.officeId)).where(eq(staffOffice.userId, 'demo-rana'));
    expect(rana!.city).toBe('Ramallah');

    const members = await count(db.select({ n }).from(organisation).where(eq(organisation.kind, 'member')));
    expect(members).toBeGreaterThanOrEqual(160);
    expect(members).toBeLessThanOrEqual(180);
    expect(await count(db.select({ n }).from(organisation).where(eq(organisation.kind, 'funder')))).toBeGreaterThanOrEqual(3);
    expect(await count(db.select({ n }).from(organisation).where(eq(organisation.kind, 'mission')))).toBeGreaterThanOrEqual(7);
    const statuses = await db.select({ status: organisation.status, n }).from(organisation).where(eq(organisation.kind, 'member')).groupBy(organisation.status);
    const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    expect(byStatus.active).toBeGreaterThan(members * 0.7);
    for (const s of ['prospective', 'suspended', 'former']) expect(byStatus[s]).toBeGreaterThan(0);
    expect((await db.select().from(topic)).map((t) => t.key)).toEqual(expect.arrayContaining(['ceasefire-hostages', 'day-after', 'trauma-sensitive', 'messaging-research', 'g7-campaign', 'permits-movement', 'funding']));
  });

  it('names every member in Latin, Hebrew and Arabic, and writes every norm column with normalizeName', async () => {
    const missing = await db.execute(sql`SELECT o.id FROM organisation o WHERE o.kind = 'member' AND (
      NOT EXISTS (SELECT 1 FROM organisation_name n WHERE n.organisation_id = o.id AND n.script = 'latin')
      OR NOT EXISTS (SELECT 1 FROM organisation_name n WHERE n.organisation_id = o.id AND n.script = 'hebrew')
      OR NOT EXISTS (SELECT 1 FROM organisation_name n WHERE n.organisation_id = o.id AND n.script = 'arabic'))`);
    expect((missing as unknown as { rows: unknown[] }).rows ?? missing).toHaveLength(0);
    const names = [...(await db.select({ name: organisationName.name, norm: organisationName.norm }).from(organisationName)), ...(await db.select({ name: personName.name, norm: personName.norm }).from(personName))];
    for (const r of names) expect(r.norm).toBe(normalizeName(r.name));
    for (const m of await db.select({ t: meeting.title, n: meeting.titleNorm }).from(meeting)) expect(m.n).toBe(normalizeName(m.t));
    for (const s of await db.select({ b: sharedItem.body, n: sharedItem.bodyNorm }).from(sharedItem)) expect(s.n).toBe(normalizeName(s.b));
    // recorded transliterations exist (Mohammed / Muhammad …)
    expect(await count(db.select({ n }).from(personName).where(eq(personName.kind, 'transliteration')))).toBeGreaterThan(20);
  });

  it('records the week of July 2024: the arena day, Jerusalem and Ramallah group meetings in their zones, one-on-ones, diplomatic meetings', async () => {
    const week = await db.select().from(meeting).where(sql`${meeting.startsAt} >= '2024-07-01T00:00:00Z' AND ${meeting.startsAt} < '2024-07-06T00:00:00Z'`);
    const arena = week.find((m) => m.title.startsWith('Time is Now'))!;
    expect(arena).toBeDefined();
    const hosts = await count(db.select({ n }).from(meetingOrganisation).where(and(eq(meetingOrganisation.meetingId, arena.id), eq(meetingOrganisation.role, 'host'))));
    expect(hosts).toBeGreaterThan(50);
    expect(await count(db.select({ n }).from(organisationLink).where(eq(organisationLink.kind, 'co_organiser_of')))).toBeGreaterThanOrEqual(50);

    const groups = week.filter((m) => m.kind === 'group' && m.id !== arena.id);
    const jerusalem = groups.find((m) => m.city === 'Jerusalem')!;
    const ramallah = groups.find((m) => m.city === 'Ramallah')!;
    expect(jerusalem.timeZone).toBe('Asia/Jerusalem');
    expect(ramallah.timeZone).toBe('Asia/Hebron');
    // 10:00 local, summer time (+03:00) in both
    expect(jerusalem.startsAt.toISOString()).toBe('2024-07-02T07:00:00.000Z');
    expect(ramallah.startsAt.toISOString()).toBe('2024-07-03T07:00:00.000Z');
    const met = await db.selectDistinct({ id: meetingOrganisation.organisationId }).from(meetingOrganisation).where(sql`${meetingOrganisation.meetingId} IN (${jerusalem.id}, ${ramallah.id})`);
    expect(met.length).toBeGreaterThanOrEqual(60);
    const items = await db.select().from(sharedItem).where(sql`${sharedItem.meetingId} IN (${jerusalem.id}, ${ramallah.id})`);
    expect(items.length).toBeGreaterThanOrEqual(20);
    expect(items.filter((i) => i.kind === 'concern').length).toBeGreaterThan(0);
    for (const i of items) expect(['concern', 'update', 'request', 'opportunity']).toContain(i.kind);
    expect(items.every((i) => i.topicId)).toBe(true);

    expect(week.filter((m) => m.kind === 'one_on_one').length).toBe(15);
    const diplomatic = week.filter((m) => m.kind === 'diplomatic');
    expect(diplomatic.length).toBeGreaterThanOrEqual(5);
    const restricted = diplomatic.filter((m) => m.restricted);
    expect(restricted).toHaveLength(1);
    const grants = await db.select().from(accessGrant).where(and(eq(accessGrant.recordType, 'meeting'), eq(accessGrant.recordId, restricted[0]!.id)));
    expect(grants.length).toBeGreaterThan(0);
    const staff = await db.select().from(meetingStaff).where(eq(meetingStaff.meetingId, restricted[0]!.id));
    expect(staff.map((s) => s.userId).sort()).toEqual(['demo-lena', 'demo-oliver']);
  });

  it('has a pseudonymous official whose identity is restricted and granted to the recorder', async () => {
    const [official] = await db.select().from(person).where(eq(person.pseudonym, 'Official A, ministry of foreign affairs'));
    expect(official).toMatchObject({ identityRestricted: true, displayName: 'Official A, ministry of foreign affairs' });
    const grants = await db.select().from(accessGrant).where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, official!.id)));
    expect(grants.map((g) => g.userId)).toEqual(['demo-lena']);
  });

  it('has follow-ups overdue relative to today, and members long unmet', async () => {
    const overdue = await count(db.select({ n }).from(followUp).where(sql`${followUp.status} = 'open' AND ${followUp.dueDate} < ${now.toISOString().slice(0, 10)}`));
    expect(overdue).toBeGreaterThan(3);
    const recent = await db.execute(sql`SELECT count(DISTINCT mo.organisation_id)::int AS n FROM meeting_organisation mo JOIN meeting m ON m.id = mo.meeting_id
      JOIN organisation o ON o.id = mo.organisation_id WHERE o.kind = 'member' AND m.starts_at > ${new Date(now.getTime() - 90 * 86_400_000).toISOString()}::timestamptz`);
    const rows = ((recent as unknown as { rows?: { n: number }[] }).rows ?? (recent as unknown as { n: number }[])) as { n: number }[];
    expect(rows[0]!.n).toBeGreaterThan(20);
    expect(rows[0]!.n).toBeLessThan(140);
  });

  it('does nothing the second time', async () => {
    const before = await count(db.select({ n }).from(organisation));
    expect((await seedDemoNetwork(db, { staffByEmail, now })).skipped).toBe(true);
    expect(await count(db.select({ n }).from(organisation))).toBe(before);
  });
});
