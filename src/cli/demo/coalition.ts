// The "Time is Now" coalition that organised the arena gathering of 1 July 2024, linked to its co-organisers
// among the members, and a few partnerships between members.
import type { Member, Seed } from './seed.ts';
import { addDays, day } from './time.ts';

/** Returns the coalition's id and the active members who co-organised the gathering. */
export function seedCoalition({ rng, now, byLocal, writer, rows, addOrgNames }: Seed, members: Member[]): { timeIsNow: string; coOrganisers: Member[] } {
  const timeIsNow = rng.uuid();
  rows.organisations.push({ id: timeIsNow, kind: 'other', status: null, name: 'Time is Now coalition', country: 'IL', area: 'Tel Aviv', city: 'Tel Aviv-Yafo', languages: ['he', 'ar', 'en'], description: 'The coalition of 50+ NGOs that organised the arena gathering of 1 July 2024.', tags: ['time-is-now-2024'], ownerId: byLocal('noa') ?? writer() });
  addOrgNames(timeIsNow, ['Time is Now coalition', 'קואליציית הגיע הזמן', 'ائتلاف حان الوقت']);
  const activeMembers = members.filter((m) => m.status === 'active');
  const coOrganisers = rng.sample(activeMembers, 54);
  for (const m of coOrganisers) rows.links.push({ id: rng.uuid(), fromId: m.id, toId: timeIsNow, kind: 'co_organiser_of', startDate: '2024-05-01', endDate: '2024-07-01', note: 'Co-organiser of the arena day' });
  for (let i = 0; i < 12; i++) {
    const [a, b] = rng.sample(activeMembers, 2);
    rows.links.push({ id: rng.uuid(), fromId: a!.id, toId: b!.id, kind: rng.pick(['partner_of', 'coalition_with']), startDate: day(addDays(now, -rng.int(100, 1500))), endDate: null });
  }
  return { timeIsNow, coOrganisers };
}
