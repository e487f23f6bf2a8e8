// A year of meetings around the week of July 2024, so that member health and the dashboard have something to
// say: most active members met recently, some long ago, a few never; calls with the missions; follow-ups
// without a meeting, some overdue.
import type { AddMeeting, Cast } from './meetings.ts';
import type { Member, Mission, Seed } from './seed.ts';
import { addDays, day, pad2, zoned } from './time.ts';
import { FOLLOW_UP_TITLES, TOPICS } from './topics.ts';

export function seedYear({ rng, now, regionalStaff, internationalStaff, writers, writer, rows }: Seed, addMeeting: AddMeeting, cast: Cast, network: { activeMembers: Member[]; missions: Mission[] }): void {
  const { rana, today } = cast;
  const { activeMembers, missions } = network;

  // a year of meetings around it: most active members met recently, some long ago, a few never
  const neglected = new Set(rng.sample(activeMembers, 25).map((m) => m.id));
  for (let k = 0; k < 190; k++) {
    const daysBack = rng.int(1, 365);
    const local = addDays(now, -daysBack);
    const pool = activeMembers.filter((m) => !neglected.has(m.id) || daysBack > 200);
    const orgs = rng.sample(pool, rng.chance(0.2) ? rng.int(3, 8) : 1);
    const first = orgs[0]!;
    const kind = orgs.length > 1 ? 'group' : rng.pick(['one_on_one', 'one_on_one', 'call', 'site_visit']);
    const online = kind === 'call';
    const tz = online ? 'Asia/Jerusalem' : first.names.place.zone;
    const hour = pad2(rng.int(9, 17));
    const start = zoned(`${day(local)}T${hour}:${rng.pick(['00', '30'])}`, tz);
    const lang = first.country === 'PS' ? 'ar' : rng.pick(['en', 'he']);
    const titles = {
      group: { en: `Members' round table in ${first.names.place.names[0]}`, he: `שולחן עגול של ארגונים ב${first.names.place.names[1]}`, ar: `طاولة مستديرة للأعضاء في ${first.names.place.names[2]}` },
      one_on_one: { en: `Check-in with ${first.names.en}`, he: `פגישת עדכון עם ${first.names.he}`, ar: `لقاء متابعة مع ${first.names.ar}` },
      call: { en: `Call with ${first.names.en}`, he: `שיחה עם ${first.names.he}`, ar: `مكالمة مع ${first.names.ar}` },
      site_visit: { en: `Site visit: ${first.names.en}`, he: `ביקור שטח: ${first.names.he}`, ar: `زيارة ميدانية: ${first.names.ar}` },
    }[kind as 'group']!;
    const due = addDays(local, rng.int(7, 40));
    addMeeting({
      kind,
      title: titles[lang as 'en'],
      start,
      minutes: rng.pick([45, 60, 90, 120]),
      timeZone: tz,
      online,
      city: first.names.place.city,
      venue: kind === 'site_visit' ? 'Project site' : 'Their office',
      notes: rng.chance(0.4) ? 'Notes: follow the concerns they raised; see the shared items.' : null,
      notesRestricted: rng.chance(0.05),
      restricted: rng.chance(0.03),
      orgs: orgs.map((o) => ({ id: o.id })),
      people: orgs.flatMap((o) => o.people.slice(0, 1).map((p) => ({ id: p, organisationId: o.id }))),
      staff: [first.names.place.country === 'PS' ? rana : rng.pick(regionalStaff), ...(rng.chance(0.3) ? [rng.pick(internationalStaff)] : [])],
      topics: rng.sample(TOPICS, rng.int(1, 2)).map((t) => t.key),
      items: rng.int(0, 3),
      followUps: rng.chance(0.3)
        ? [{ title: `${rng.pick(FOLLOW_UP_TITLES)}: ${first.names.en}`, ownerId: rng.pick(writers), organisationId: first.id, dueDate: day(due), status: day(due) < today && rng.chance(0.6) ? 'done' : 'open' }]
        : [],
    });
  }
  // a few calls with the missions over the year, one restricted
  for (let k = 0; k < 8; k++) {
    const m = rng.pick(missions);
    addMeeting({
      kind: 'call',
      title: `G7 campaign call with the ${rows.organisations.find((o) => o.id === m.id)!.name}`,
      start: zoned(`${day(addDays(now, -rng.int(10, 300)))}T${pad2(rng.int(9, 17))}:00`, 'Asia/Jerusalem'),
      minutes: 30,
      timeZone: 'Asia/Jerusalem',
      online: true,
      restricted: k === 0,
      orgs: [{ id: m.id }],
      people: m.diplomats.slice(0, 1).map((p) => ({ id: p, organisationId: m.id })),
      staff: [rng.pick(internationalStaff)],
      topics: ['g7-campaign'],
    });
  }
  // follow-ups without a meeting, some overdue
  for (let k = 0; k < 10; k++) {
    const m = rng.pick(activeMembers);
    rows.followUps.push({ id: rng.uuid(), title: `${rng.pick(FOLLOW_UP_TITLES)}: ${m.names.en}`, ownerId: rng.pick(writers), dueDate: day(addDays(now, rng.int(-30, 30))), status: 'open', meetingId: null, organisationId: m.id, createdBy: writer(), createdAt: addDays(now, -rng.int(31, 60)), completedAt: null });
  }
}
