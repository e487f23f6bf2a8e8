import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../src/cli/demo/network.ts';
import { user } from '../../src/server/features/accounts/accounts.schema.ts';
import { trip, tripAccessRule, tripPlace, tripRequest, tripTraveller } from '../../src/server/features/trips/trips.schema.ts';
import { loadRecords } from '../../src/server/features/trips/trips.plan.service.ts';
import { buildProblem } from '../../src/server/features/trips/trips.builder.ts';
import { planTrip } from '../../src/server/features/trips/trips.plan.ts';
import { toInstant } from '../../src/server/features/trips/trips.time.ts';
import { freshDatabase } from '../setup/test-db.ts';

// The demo's trip (src/cli/demo/trip-july.ts): 5 travellers, 40 requests in Jerusalem, Ramallah and Tel Aviv, and a
// plan that keeps the access rules: the Israeli counterpart never in Area A, the one without a permit never in Jerusalem.

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
await seedDemoNetwork(db, { staffByEmail, now: new Date('2026-03-15T12:00:00Z') });

describe('the demo trip', () => {
  it('has 5 travellers and 40 requests in Jerusalem, Ramallah and Tel Aviv, planned within the access rules', async () => {
    const [t] = await db.select().from(trip);
    expect(t).toMatchObject({ startsOn: '2026-07-06', endsOn: '2026-07-10', timeZone: 'Asia/Jerusalem' });
    expect(await db.select().from(tripTraveller).where(eq(tripTraveller.tripId, t!.id))).toHaveLength(5);
    expect(await db.select().from(tripRequest).where(eq(tripRequest.tripId, t!.id))).toHaveLength(40);
    const places = await db.select().from(tripPlace).where(eq(tripPlace.tripId, t!.id));
    for (const area of ['Jerusalem', 'Ramallah – Area A', 'Tel Aviv']) expect(places.some((p) => p.area === area), area).toBe(true);

    const rules = await db.select().from(tripAccessRule).where(eq(tripAccessRule.tripId, t!.id));
    const records = await loadRecords(db, t!, false);
    const built = buildProblem(records);
    const { plan } = planTrip(built.problem);
    expect(plan.items.length).toBeGreaterThan(15);
    const areaOf = (i: number) => places.find((p) => p.id === built.placeIds[i])!.area;
    const barred = rules.filter((r) => r.personId || r.travellerId);
    for (const item of plan.items) {
      const req = records.requests.find((r) => r.id === item.requestId)!;
      const date = toInstant(item.start, t!.timeZone, t!.startsOn).toISOString().slice(0, 10);
      for (const r of barred) {
        const involved = (r.personId && req.personIds.includes(r.personId)) || (r.travellerId && item.travellerIds.includes(r.travellerId));
        if (!involved || areaOf(item.place) !== r.area) continue;
        const permit = records.rules.find((x) => x.subjectId === (r.personId ?? r.travellerId) && x.area === r.area)!.permits.some((p) => p.validFrom <= date && date <= p.validTo);
        expect(permit, `${req.id} in ${r.area} on ${date}`).toBe(true);
      }
    }
    // the counterpart without a permit is met, outside Jerusalem
    const noPermit = rules.find((r) => r.note === 'No permit for Jerusalem')!.personId!;
    const met = plan.items.filter((i) => records.requests.find((r) => r.id === i.requestId)!.personIds.includes(noPermit));
    expect(met.length).toBe(1);
    expect(areaOf(met[0]!.place)).not.toBe('Jerusalem');
  });
});
