// The G7 missions (an embassy in Tel Aviv, for some a consulate or office in Jerusalem) and their diplomats, and
// Official A: a pseudonymous official whose real identity is need-to-know.
import { detectScript } from '../../server/features/network/names.ts';
import type { Mission, Seed } from './seed.ts';
import { addDays, day } from './time.ts';

export const G7: { country: string; en: string; he: string; ar: string; jerusalem?: string; diplomats: [string, string, string?][] }[] = [
  { country: 'CA', en: 'Canada', he: 'קנדה', ar: 'كندا', diplomats: [['Claire Tremblay', 'Ambassador'], ['Ian MacLeod', 'Political Counsellor'], ['Sophie Gagnon', 'Second Secretary, civil society']] },
  { country: 'FR', en: 'France', he: 'צרפת', ar: 'فرنسا', jerusalem: 'Consulate General of France in Jerusalem', diplomats: [['Hélène Marchand', 'Ambassador', 'Helene Marchand'], ['Julien Lefèvre', 'Consul General', 'Julien Lefevre'], ['Nadia Benali', 'Attaché for civil society', 'نادية بن علي']] },
  { country: 'DE', en: 'Germany', he: 'גרמניה', ar: 'ألمانيا', diplomats: [['Katrin Bauer', 'Ambassador'], ['Matthias Keller', 'Deputy Head of Mission'], ['Jonas Richter', 'Political Officer']] },
  { country: 'IT', en: 'Italy', he: 'איטליה', ar: 'إيطاليا', jerusalem: 'Consulate General of Italy in Jerusalem', diplomats: [['Giulia Romano', 'Ambassador'], ['Marco Bianchi', 'Consul General'], ['Francesca Conti', 'Cultural Attaché']] },
  { country: 'JP', en: 'Japan', he: 'יפן', ar: 'اليابان', diplomats: [['Haruka Sato', 'Ambassador', 'Haruka Satō'], ['Kenji Watanabe', 'Counsellor'], ['Yuki Tanaka', 'First Secretary']] },
  { country: 'GB', en: 'the United Kingdom', he: 'בריטניה', ar: 'المملكة المتحدة', jerusalem: 'British Consulate General Jerusalem', diplomats: [['Fiona Campbell', 'Ambassador'], ['Edward Hughes', 'Consul General'], ['Karim Haddad', 'Political Officer', 'Kareem Haddad']] },
  { country: 'US', en: 'the United States', he: 'ארצות הברית', ar: 'الولايات المتحدة', jerusalem: 'Office of Palestinian Affairs, Jerusalem', diplomats: [['Rebecca Turner', 'Ambassador'], ['Marcus Bell', 'Deputy Chief of Mission'], ['Alicia Moreno', 'Public Diplomacy Officer']] },
];

// ------------------------------------------------------------------------------------------- seeding

export function seedMissions({ rng, now, internationalStaff, rows, addOrgNames, addPerson }: Seed): Mission[] {
  const missions: Mission[] = [];
  for (const g of G7) {
    const embassy = { id: rng.uuid(), en: `Embassy of ${g.en} in Tel Aviv`, he: `שגרירות ${g.he} בתל אביב`, ar: `سفارة ${g.ar} في تل أبيب` };
    const posts = [{ ...embassy, city: 'Tel Aviv-Yafo' }];
    if (g.jerusalem) {
      const consulate = g.jerusalem.startsWith('Consulate') || g.jerusalem.startsWith('British');
      posts.push({ id: rng.uuid(), en: g.jerusalem, he: consulate ? `הקונסוליה הכללית של ${g.he} בירושלים` : `הנציגות של ${g.he} בירושלים`, ar: consulate ? `القنصلية العامة لـ${g.ar} في القدس` : `ممثلية ${g.ar} في القدس`, city: 'Jerusalem' });
    }
    for (const [pi, post] of posts.entries()) {
      rows.organisations.push({ id: post.id, kind: 'mission', status: null, name: post.en, country: g.country, area: post.city === 'Jerusalem' ? 'Jerusalem' : 'Tel Aviv', city: post.city, languages: ['en'], description: `G7 mission of ${g.en}.`, tags: ['g7', 'mission'], ownerId: rng.pick(internationalStaff) });
      addOrgNames(post.id, [post.en, post.he, post.ar]);
      const mission: Mission = { id: post.id, country: g.country, diplomats: [], city: post.city, zone: 'Asia/Jerusalem' };
      const inJerusalem = (d: [string, string, string?]) => !!g.jerusalem && /Consul General|civil society|Political Officer|Public Diplomacy|Cultural/.test(d[1]);
      const list = g.diplomats.filter((d) => (pi === 0 ? !inJerusalem(d) : inJerusalem(d)));
      for (const [name, title, variant] of list) {
        const names: { name: string; kind: string }[] = [{ name, kind: 'primary' }];
        if (variant) names.push({ name: variant, kind: detectScript(variant) === 'latin' ? 'transliteration' : 'alternate' });
        if (name === 'Karim Haddad') names.push({ name: 'كريم حداد', kind: 'alternate' });
        const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z ]/g, '').replace(/ /g, '.');
        const id = addPerson({ display: name, names, language: 'en', email: `${slug}@mission-${g.country.toLowerCase()}.example`, tags: ['diplomat', 'g7'] });
        rows.affiliations.push({ id: rng.uuid(), personId: id, organisationId: post.id, title, startDate: day(addDays(now, -rng.int(300, 1400))), endDate: null });
        mission.diplomats.push(id);
      }
      missions.push(mission);
    }
  }
  return missions;
}

/** Official A, seconded to the German embassy: visible by the pseudonym, the real identity need-to-know. Returns the person's id. */
export function seedOfficialA({ rng, byLocal, writer, rows, addPerson }: Seed, missions: Mission[]): string {
  const officialRecorder = byLocal('lena') ?? writer();
  const officialA = addPerson({
    display: 'Friedrich Hoffmann',
    names: [{ name: 'Friedrich Hoffmann', kind: 'primary' }],
    pseudonym: 'Official A, ministry of foreign affairs',
    identityRestricted: true,
    language: 'en',
    email: 'f.hoffmann@ministry.example',
    tags: ['government'],
    createdBy: officialRecorder,
    notes: 'Speaks to us off the record. Never name in reports.',
  });
  const germanEmbassy = missions.find((m) => m.country === 'DE')!;
  rows.affiliations.push({ id: rng.uuid(), personId: officialA, organisationId: germanEmbassy.id, title: 'Seconded from the ministry of foreign affairs', startDate: '2023-09-01', endDate: null });
  rows.grants.push({ id: rng.uuid(), recordType: 'person', recordId: officialA, userId: officialRecorder, grantedBy: officialRecorder });
  return officialA;
}
