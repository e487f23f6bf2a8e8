// The week of July 2024 from docs/product.md: the arena gathering in Tel Aviv, the regional team's group meetings
// in Jerusalem and Ramallah (held apart: most West Bank members get no permit for Jerusalem), one-on-ones with a
// dozen members, three partner foundations, the G7 missions after the communiqué, and one restricted meeting.
import type { AddMeeting, Cast } from './meetings.ts';
import { FOUNDATIONS } from './foundations.ts';
import type { Member, Mission, Seed } from './seed.ts';
import { addDays, day, pad2, zoned } from './time.ts';
import { FOLLOW_UP_TITLES, TOPICS } from './topics.ts';

export type JulyWeekCast = {
  activeMembers: Member[];
  timeIsNow: string;
  coOrganisers: Member[];
  foundations: string[];
  missions: Mission[];
  officialA: string;
};

export function seedJulyWeek({ rng, now, regionalStaff, internationalStaff, rows }: Seed, addMeeting: AddMeeting, cast: Cast, network: JulyWeekCast): void {
  const { everyone, noa, rana, lena, oliver, james, camille } = cast;
  const { activeMembers, timeIsNow, coOrganisers, foundations, missions, officialA } = network;
  const germanEmbassy = missions.find((m) => m.country === 'DE')!;

  // day one: the arena in Tel Aviv
  addMeeting({
    kind: 'group',
    title: 'Time is Now: arena gathering, Tel Aviv',
    start: zoned('2024-07-01T16:00', 'Asia/Jerusalem'),
    minutes: 360,
    timeZone: 'Asia/Jerusalem',
    city: 'Tel Aviv-Yafo',
    venue: 'Arena, Yigal Alon St.',
    notes: '6,000+ Israelis and Palestinians; co-organised by 50+ NGOs, many of them members. The alliance coordinated speakers and the members\u2019 stands.',
    orgs: [{ id: timeIsNow, role: 'host' }, ...coOrganisers.map((m) => ({ id: m.id, role: 'host' }))],
    staff: everyone,
    topics: ['ceasefire-hostages', 'grassroots-support'],
    items: 4,
  });
  // the group meetings: Jerusalem (Israelis and East Jerusalem) and Ramallah (West Bank), separately
  const israeliSide = rng.sample(activeMembers.filter((m) => m.country === 'IL' || m.names.place.area === 'East Jerusalem'), 34);
  const westBank = rng.sample(activeMembers.filter((m) => m.country === 'PS' && m.names.place.area !== 'East Jerusalem'), 30);
  const groupFollowUps = (orgs: Member[], owner: string, base: string) =>
    orgs.slice(0, 4).map((o, k) => ({
      title: `${FOLLOW_UP_TITLES[k % FOLLOW_UP_TITLES.length]}: ${o.names.en}`,
      ownerId: k % 2 ? owner : rng.pick(internationalStaff),
      organisationId: o.id,
      // two done in July 2024, one long overdue, one due soon
      dueDate: k < 2 ? base : k === 2 ? day(addDays(now, -rng.int(5, 20))) : day(addDays(now, rng.int(3, 20))),
      status: k < 2 ? 'done' : 'open',
    }));
  addMeeting({
    kind: 'group',
    title: 'Regional team meeting with members in Jerusalem',
    start: zoned('2024-07-02T10:00', 'Asia/Jerusalem'),
    minutes: 210,
    timeZone: 'Asia/Jerusalem',
    city: 'Jerusalem',
    venue: 'Community hall, Emek Refaim',
    notes: 'Members shared concerns and updates. Topics: grassroots support for a ceasefire and hostage deal; day-after plans; trauma-sensitive programming; the messaging research.',
    orgs: israeliSide.map((m) => ({ id: m.id })),
    people: israeliSide.slice(0, 20).map((m) => ({ id: m.people[0]!, organisationId: m.id })),
    staff: everyone,
    topics: ['ceasefire-hostages', 'day-after', 'trauma-sensitive', 'messaging-research'],
    items: 12,
    followUps: groupFollowUps(israeliSide, noa, '2024-07-15'),
  });
  addMeeting({
    kind: 'group',
    title: 'اجتماع الفريق الإقليمي مع المؤسسات الأعضاء في رام الله',
    start: zoned('2024-07-03T10:00', 'Asia/Hebron'),
    minutes: 210,
    timeZone: 'Asia/Hebron',
    city: 'Ramallah',
    venue: 'Cultural centre, Al-Irsal St.',
    notes: 'Held separately from Jerusalem: most West Bank members cannot get permits to enter Jerusalem. Topics as in Jerusalem, plus permits and movement.',
    orgs: westBank.map((m) => ({ id: m.id })),
    people: westBank.slice(0, 18).map((m) => ({ id: m.people[0]!, organisationId: m.id })),
    staff: everyone,
    topics: ['ceasefire-hostages', 'day-after', 'trauma-sensitive', 'messaging-research', 'permits-movement'],
    items: 12,
    followUps: groupFollowUps(westBank, rana, '2024-07-17'),
  });
  // one-on-ones with a dozen members
  const oneOnOnes = rng.sample(activeMembers, 12);
  for (const [k, m] of oneOnOnes.entries()) {
    const israeli = m.country === 'IL';
    const tz = israeli ? 'Asia/Jerusalem' : m.names.place.zone;
    addMeeting({
      kind: 'one_on_one',
      title: israeli && k % 2 ? `פגישה אישית עם ${m.names.he}` : israeli ? `One-on-one with ${m.names.en}` : `لقاء ثنائي مع ${m.names.ar}`,
      start: zoned(`2024-07-0${2 + (k % 4)}T${['14', '15', '16'][k % 3]}:30`, tz),
      minutes: 60,
      timeZone: tz,
      city: m.names.place.city,
      venue: 'Their office',
      orgs: [{ id: m.id }],
      people: m.people.slice(0, 2).map((p) => ({ id: p, organisationId: m.id })),
      staff: [rng.pick(regionalStaff), rng.pick(internationalStaff)],
      topics: [rng.pick(TOPICS).key],
      items: 2,
      followUps: k % 3 === 0 ? [{ title: `${rng.pick(FOLLOW_UP_TITLES)}: ${m.names.en}`, ownerId: rng.pick(internationalStaff), organisationId: m.id, dueDate: day(addDays(now, -rng.int(1, 30))) }] : [],
    });
  }
  // with three partner foundations
  for (const [k, f] of foundations.slice(0, 3).entries()) {
    addMeeting({
      kind: 'one_on_one',
      title: `Partner meeting: ${FOUNDATIONS[k]!.names[0]}`,
      start: zoned(`2024-07-0${3 + k}T09:00`, 'Asia/Jerusalem'),
      minutes: 75,
      timeZone: 'Asia/Jerusalem',
      city: 'Jerusalem',
      venue: 'American Colony Hotel',
      orgs: [{ id: f, role: 'participant' }],
      staff: [lena, noa],
      topics: ['funding', 'trauma-sensitive'],
      followUps: [{ title: 'Send the joint proposal for trauma-sensitive programming', ownerId: lena, organisationId: f, dueDate: k === 0 ? '2024-08-01' : day(addDays(now, rng.int(5, 40))), status: k === 0 ? 'done' : 'open' }],
    });
  }
  // diplomatic meetings with G7 missions, for the campaign after the communiqué
  const diplomatic = missions.filter((m) => m.city === 'Tel Aviv-Yafo').slice(0, 5).concat(missions.filter((m) => m.city === 'Jerusalem').slice(0, 2));
  for (const [k, m] of diplomatic.entries()) {
    addMeeting({
      kind: 'diplomatic',
      title: `G7 campaign: meeting at the ${rows.organisations.find((o) => o.id === m.id)!.name}`,
      start: zoned(`2024-07-0${4 + (k % 2)}T${pad2(9 + k)}:00`, 'Asia/Jerusalem'),
      minutes: 60,
      timeZone: 'Asia/Jerusalem',
      city: m.city,
      venue: 'Chancery',
      notes: 'Asked the mission to back a role for civil society in any diplomatic initiative, as the G7 communiqué says.',
      orgs: [{ id: m.id, role: 'host' }],
      people: m.diplomats.slice(0, 2).map((p, j) => ({ id: p, organisationId: m.id, role: j === 0 ? 'ambassador' : 'participant' })),
      staff: [oliver, james, camille, noa].slice(0, 2 + (k % 3)),
      topics: ['g7-campaign'],
      followUps: k === 0 ? [{ title: 'Send the civil-society letter to all G7 missions', ownerId: oliver, dueDate: '2024-07-20', status: 'done' }] : [],
    });
  }
  // the restricted one: Official A, off the record
  addMeeting({
    kind: 'diplomatic',
    title: 'Off-the-record meeting with Official A',
    start: zoned('2024-07-05T18:00', 'Asia/Jerusalem'),
    minutes: 60,
    timeZone: 'Asia/Jerusalem',
    city: 'Jerusalem',
    venue: 'Private residence',
    restricted: true,
    notesRestricted: true,
    notes: 'Official A described the ministry\u2019s thinking on a diplomatic horizon. Not for any report.',
    orgs: [{ id: germanEmbassy.id, role: 'subject' }],
    people: [{ id: officialA, role: 'official' }],
    staff: [lena, oliver],
    topics: ['g7-campaign', 'day-after'],
    followUps: [{ title: 'Brief the board orally (nothing in writing)', ownerId: lena, dueDate: day(addDays(now, -3)) }],
  });
}
