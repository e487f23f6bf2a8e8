// The alliance's seven offices and which demo staff work in each (by the email's local part). Offices already
// made by hand for the same city are reused.
import type { Db } from '../../server/db/client.ts';
import { office, staffOffice } from '../../server/features/network/network.schema.ts';
import type { Seed } from './seed.ts';

const OFFICES = [
  { name: 'London', city: 'London', timeZone: 'Europe/London', emails: ['oliver'] },
  { name: 'Berlin', city: 'Berlin', timeZone: 'Europe/Berlin', emails: ['lena'] },
  { name: 'Paris', city: 'Paris', timeZone: 'Europe/Paris', emails: ['camille'] },
  { name: 'California', city: 'Los Angeles', timeZone: 'America/Los_Angeles', emails: ['maya'] },
  { name: 'Washington DC', city: 'Washington', timeZone: 'America/New_York', emails: ['james'] },
  { name: 'Jerusalem', city: 'Jerusalem', timeZone: 'Asia/Jerusalem', emails: ['admin', 'noa'] },
  { name: 'Ramallah', city: 'Ramallah', timeZone: 'Asia/Hebron', emails: ['rana', 'samer'] },
] as const;

/** Makes the offices missing and puts every staff account in one; returns how many offices it made. */
export async function seedOffices(tx: Db, { rng, staff }: Seed): Promise<number> {
  let made = 0;
  const officeRows = await tx.select().from(office);
  const officeIds: string[] = [];
  for (const o of OFFICES) {
    let id = officeRows.find((r) => r.city === o.city)?.id;
    if (!id) {
      id = rng.uuid();
      await tx.insert(office).values({ id, name: o.name, city: o.city, timeZone: o.timeZone });
      made++;
    }
    officeIds.push(id);
  }
  const staffOffices = staff.map((s, i) => {
    const idx = OFFICES.findIndex((o) => (o.emails as readonly string[]).includes(s.local));
    return { userId: s.id, officeId: officeIds[idx >= 0 ? idx : i % OFFICES.length]! };
  });
  await tx.insert(staffOffice).values(staffOffices).onConflictDoNothing();
  return made;
}
