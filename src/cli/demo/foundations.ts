// The alliance's partner foundations, each funding a few active members.
import type { Tri } from './names.ts';
import type { Member, Seed } from './seed.ts';
import { addDays, day } from './time.ts';

export const FOUNDATIONS: { names: Tri; country: string; city: string }[] = [
  { names: ['Heinrich Adler Foundation', 'קרן היינריך אדלר', 'مؤسسة هاينريش أدلر'], country: 'DE', city: 'Berlin' },
  { names: ['Clara Weiss Foundation for Democracy', 'קרן קלרה וייס לדמוקרטיה', 'مؤسسة كلارا فايس للديمقراطية'], country: 'DE', city: 'Berlin' },
  { names: ['Rosa Brandt Foundation', 'קרן רוזה ברנדט', 'مؤسسة روزا برانت'], country: 'DE', city: 'Berlin' },
  { names: ['Nordlicht Foundation', 'קרן נורדליכט', 'مؤسسة نوردليشت'], country: 'DE', city: 'Hamburg' },
  { names: ['Fondation Marianne Delorme', 'קרן מריאן דלורם', 'مؤسسة ماريان دولورم'], country: 'FR', city: 'Paris' },
  { names: ['Transatlantic Civic Fund', 'הקרן הטרנס-אטלנטית לחברה אזרחית', 'الصندوق المدني عبر الأطلسي'], country: 'US', city: 'Washington' },
  { names: ['Thames Peacebuilding Trust', 'קרן התמזה לבניית שלום', 'صندوق التايمز لبناء السلام'], country: 'GB', city: 'London' },
];

/** Returns the foundations' organisation ids, in the order of FOUNDATIONS. */
export function seedFoundations({ rng, now, internationalStaff, rows, addOrgNames }: Seed, members: Member[]): string[] {
  const foundations: string[] = [];
  for (const f of FOUNDATIONS) {
    const id = rng.uuid();
    rows.organisations.push({ id, kind: 'funder', status: null, name: f.names[0], country: f.country, city: f.city, languages: ['en', 'de'], description: 'Partner foundation: funds and convenes with the alliance.', tags: ['partner-foundation'], ownerId: rng.pick(internationalStaff) });
    addOrgNames(id, [...f.names]);
    foundations.push(id);
    const funded = rng.sample(members.filter((m) => m.status === 'active'), rng.int(4, 10));
    for (const m of funded) rows.links.push({ id: rng.uuid(), fromId: m.id, toId: id, kind: 'funded_by', startDate: day(addDays(now, -rng.int(100, 900))), endDate: rng.chance(0.2) ? day(addDays(now, -rng.int(1, 90))) : null });
  }
  return foundations;
}
