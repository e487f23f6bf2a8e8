import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/setup/test-db.ts';
import { organisation } from '../network/network.schema.ts';
import { meeting, meetingOrganisation } from './meetings.schema.ts';

const database = await freshDatabase();
afterAll(() => database.close());
const db = database.db;

describe('meeting_organisation.starts_at and meeting_restricted (kept by the database)', () => {
  it('copies the meeting start on insert, whatever the application writes, and follows the meeting when it moves', async () => {
    const [o] = await db.insert(organisation).values({ kind: 'member', name: 'Roots' }).returning();
    const [m] = await db
      .insert(meeting)
      .values({ kind: 'group', title: 'Ramallah group meeting', titleNorm: 'ramallah group meeting', startsAt: new Date('2024-07-10T07:00:00Z'), endsAt: new Date('2024-07-10T09:00:00Z'), timeZone: 'Asia/Hebron' })
      .returning();
    await db.insert(meetingOrganisation).values({ meetingId: m!.id, organisationId: o!.id, startsAt: new Date('1999-01-01T00:00:00Z') });
    const read = async () => (await db.select().from(meetingOrganisation).where(eq(meetingOrganisation.meetingId, m!.id)))[0]!.startsAt;
    expect(await read()).toEqual(new Date('2024-07-10T07:00:00Z'));

    await db.update(meeting).set({ startsAt: new Date('2024-07-11T06:30:00Z'), endsAt: new Date('2024-07-11T08:00:00Z') }).where(eq(meeting.id, m!.id));
    expect(await read()).toEqual(new Date('2024-07-11T06:30:00Z'));

    await db.update(meetingOrganisation).set({ startsAt: new Date('2000-01-01T00:00:00Z') }).where(eq(meetingOrganisation.meetingId, m!.id));
    expect(await read()).toEqual(new Date('2024-07-11T06:30:00Z'));
  });

  it('mirrors whether the meeting is restricted, both ways', async () => {
    const [o] = await db.insert(organisation).values({ kind: 'member', name: 'Shoots' }).returning();
    const [m] = await db
      .insert(meeting)
      .values({ kind: 'diplomatic', title: 'Consulate', titleNorm: 'consulate', restricted: true, startsAt: new Date('2024-07-05T08:00:00Z'), endsAt: new Date('2024-07-05T09:00:00Z'), timeZone: 'Asia/Jerusalem' })
      .returning();
    await db.insert(meetingOrganisation).values({ meetingId: m!.id, organisationId: o!.id });
    const read = async () => (await db.select().from(meetingOrganisation).where(eq(meetingOrganisation.meetingId, m!.id)))[0]!.meetingRestricted;
    expect(await read()).toBe(true);
    await db.update(meeting).set({ restricted: false }).where(eq(meeting.id, m!.id));
    expect(await read()).toBe(false);
    await db.update(meetingOrganisation).set({ meetingRestricted: true }).where(eq(meetingOrganisation.meetingId, m!.id));
    expect(await read()).toBe(false);
    await db.update(meeting).set({ restricted: true }).where(eq(meeting.id, m!.id));
    expect(await read()).toBe(true);
  });
});
