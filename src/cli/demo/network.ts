// The demo's network: a fictional but realistic alliance. Seven offices with their staff, ~170 member
// organisations named in Latin, Hebrew and Arabic, partner foundations, the G7 missions and their diplomats,
// topics in three languages, the week of July 2024 from docs/product.md, and a year of meetings around it
// so that member health and the dashboard have something to say. Every name is made up from parts; any
// likeness to a real organisation or person is a coincidence. Deterministic: the same seed gives the same
// network (dates that say "overdue" or "last met" are relative to `now`).
//
// The parts, in the order they draw from the one random sequence (changing the order changes the network):
//   offices.ts, topics.ts      the offices and their staff, the topics
//   members.ts                 member organisations, then their people
//   foundations.ts             partner foundations and what they fund
//   missions.ts                the G7 missions, their diplomats, Official A
//   coalition.ts               the "Time is Now" coalition, partnerships between members
//   july-2024.ts, year.ts      the meetings (recorded by meetings.ts), follow-ups
// seed.ts holds what they share (the random sequence, the staff, the rows gathered for each table); names.ts,
// topics.ts, time.ts and rng.ts are the vocabulary, reused by the scale benchmark.
import { sql } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { recordAudit } from '../../server/features/audit/audit.service.ts';
import { organisation } from '../../server/features/network/network.schema.ts';
import { seedCoalition } from './coalition.ts';
import { seedFoundations } from './foundations.ts';
import { seedJulyWeek } from './july-2024.ts';
import { castOf, meetingRecorder } from './meetings.ts';
import { seedMemberPeople, seedMembers } from './members.ts';
import { seedMissions, seedOfficialA } from './missions.ts';
import { seedOffices } from './offices.ts';
import { seedTripJuly } from './trip-july.ts';
import { createSeed, writeRows, type StaffMap } from './seed.ts';
import { seedTopics } from './topics.ts';
import { seedYear } from './year.ts';

export type DemoNetworkSummary = {
  skipped: boolean;
  offices: number;
  organisations: number;
  members: number;
  people: number;
  meetings: number;
  sharedItems: number;
  followUps: number;
};

/**
 * Seeds the demo network once (does nothing when organisations exist). `staffByEmail` maps the demo staff
 * accounts' emails to their user ids; the offices get their staff by the email's local part.
 */
export async function seedDemoNetwork(db: Db, opts: { staffByEmail: StaffMap; now?: Date; seed?: number }): Promise<DemoNetworkSummary> {
  const [{ n: existing }] = (await db.select({ n: sql<number>`count(*)::int` }).from(organisation)) as [{ n: number }];
  const summary: DemoNetworkSummary = { skipped: true, offices: 0, organisations: 0, members: 0, people: 0, meetings: 0, sharedItems: 0, followUps: 0 };
  if (existing > 0) return summary;
  summary.skipped = false;

  const seed = createSeed(opts);
  const { rows } = seed;
  await db.transaction(async (tx) => {
    summary.offices = await seedOffices(tx, seed);
    const topicId = await seedTopics(tx, seed.rng);

    // organisations and people
    const members = seedMembers(seed);
    summary.members = members.length;
    seedMemberPeople(seed, members);
    const foundations = seedFoundations(seed, members);
    const missions = seedMissions(seed);
    const officialA = seedOfficialA(seed, missions);
    const { timeIsNow, coOrganisers } = seedCoalition(seed, members);
    summary.organisations = rows.organisations.length;
    summary.people = rows.people.length;
    await writeRows(tx, rows, ['organisations', 'organisationNames', 'statusChanges', 'links', 'people', 'personNames', 'contacts', 'affiliations']);

    // meetings, shared items, follow-ups
    const addMeeting = meetingRecorder(seed, topicId, members);
    const cast = castOf(seed);
    const activeMembers = members.filter((m) => m.status === 'active');
    seedJulyWeek(seed, addMeeting, cast, { activeMembers, timeIsNow, coOrganisers, foundations, missions, officialA });
    seedYear(seed, addMeeting, cast, { activeMembers, missions });
    await writeRows(tx, rows, ['meetings', 'meetingOrganisations', 'meetingPeople', 'meetingStaff', 'meetingTopics', 'sharedItems', 'followUps', 'grants']);
    summary.meetings = rows.meetings.length;
    summary.sharedItems = rows.sharedItems.length;
    summary.followUps = rows.followUps.length;
    await seedTripJuly(tx, seed, cast, { members: activeMembers, missions, foundations });
    await recordAudit(tx, { actor: null, ip: 'demo', userAgent: 'npm run demo' }, { action: 'network.seed_demo', entityType: 'network', entityId: null, detail: { ...summary } });
  });
  return summary;
}
