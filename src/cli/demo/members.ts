// The ~170 member organisations, named in three scripts, with their status history, and one to three people of
// each (a director first), with their names as recorded, contacts and affiliations.
import { memberOrganisationNames, regionalPerson } from './names.ts';
import type { Member, Seed } from './seed.ts';
import { addDays, day } from './time.ts';

const TITLES = ['Director', 'Co-director', 'Programme manager', 'Community organiser', 'Board chair', 'Facilitator', 'Spokesperson'];

export function seedMembers({ rng, now, regionalStaff, internationalStaff, writer, rows, addOrgNames }: Seed): Member[] {
  const members: Member[] = [];
  for (const [i, n] of memberOrganisationNames(rng, 172).entries()) {
    const id = rng.uuid();
    const roll = rng();
    const status = roll < 0.84 ? 'active' : roll < 0.9 ? 'prospective' : roll < 0.94 ? 'suspended' : 'former';
    const joined = new Date(Date.UTC(rng.int(2016, 2023), rng.int(0, 11), rng.int(1, 28)));
    const slug = n.en.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const israeli = n.place.country === 'IL';
    rows.organisations.push({
      id,
      kind: 'member',
      status,
      name: n.en,
      country: n.place.country,
      area: n.place.area,
      city: n.place.city,
      website: `https://${slug}.example.org`,
      languages: israeli ? (rng.chance(0.5) ? ['he', 'ar', 'en'] : ['he', 'en']) : ['ar', 'en'],
      description: `${n.en}: a ${n.sector.replace(/-/g, ' ')} organisation in ${n.place.names[0]}.`,
      tags: [n.sector, ...(rng.chance(0.15) ? ['joint-israeli-palestinian'] : []), ...(n.place.area === 'Gaza' ? ['gaza-emergency'] : [])],
      ownerId: rng.chance(0.8) ? rng.pick(regionalStaff) : rng.pick(internationalStaff),
      createdAt: joined,
      updatedAt: joined,
    });
    addOrgNames(id, [n.en, n.he, n.ar]);
    if (i % 9 === 0) addOrgNames(id, [n.en.split(' ').map((w) => w[0]).join('').toUpperCase()], 'short');
    const history: { status: string; since: string; note?: string }[] = [];
    if (status === 'prospective') history.push({ status: 'prospective', since: day(addDays(now, -rng.int(20, 200))), note: 'Applied for membership' });
    else {
      if (rng.chance(0.3)) history.push({ status: 'prospective', since: day(addDays(joined, -rng.int(30, 120))) });
      history.push({ status: 'active', since: day(joined), note: 'Membership approved by the board' });
      if (status === 'suspended') history.push({ status: 'suspended', since: day(addDays(now, -rng.int(30, 300))), note: 'Dues unpaid for two years' });
      if (status === 'former') history.push({ status: 'former', since: day(addDays(now, -rng.int(60, 600))), note: 'Organisation closed' });
    }
    for (const h of history) rows.statusChanges.push({ id: rng.uuid(), organisationId: id, status: h.status, since: h.since, note: h.note ?? null, recordedBy: writer() });
    members.push({ id, names: n, country: n.place.country, status, people: [] });
  }
  return members;
}

/** One to three people for each member organisation. */
export function seedMemberPeople({ rng, now, rows, addPerson }: Seed, members: Member[]): void {
  let personSeq = 0;
  for (const m of members) {
    const count = rng.int(1, 3);
    for (let k = 0; k < count; k++) {
      const side = m.country === 'PS' ? 'PS' : rng.chance(0.35) ? 'IL-arab' : 'IL-jewish';
      const p = regionalPerson(rng, side, ++personSeq);
      const id = addPerson({ display: p.display, names: p.names, language: p.language, email: p.email });
      if (rng.chance(0.5)) rows.contacts.push({ id: rng.uuid(), personId: id, kind: 'phone', value: `+${m.country === 'PS' ? '970' : '972'}5${rng.int(10000000, 99999999)}`, label: 'mobile' });
      rows.affiliations.push({ id: rng.uuid(), personId: id, organisationId: m.id, title: k === 0 ? 'Director' : rng.pick(TITLES), startDate: day(addDays(now, -rng.int(200, 3000))), endDate: null });
      m.people.push(id);
    }
  }
}
