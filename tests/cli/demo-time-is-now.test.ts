import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../src/cli/demo/network.ts';
import { seedTimeIsNow } from '../../src/cli/demo/time-is-now.ts';
import { rows } from '../../src/server/db/client.ts';
import { user } from '../../src/server/features/accounts/accounts.schema.ts';
import { eventSigningKey, ticket, ticketType } from '../../src/server/features/events/events.schema.ts';
import { buildReport, loadEventById } from '../../src/server/features/events/reports.service.ts';
import { verifyTicketCode } from '../../src/server/features/events/ticket-code.ts';
import { freshDatabase } from '../setup/test-db.ts';

// The demo's "Time is Now": 50 co-hosts from the demo network, 6,000 registrations, a door history with conflicts,
// consistent with the schema (counts as the ticket types hold them, one admission per ticket, codes that verify).
const database = await freshDatabase();
await database.migrate();
afterAll(() => database.close());
const db = database.db;
await db.insert(user).values({ id: 'demo-noa', name: 'noa', email: 'noa@demo.convene.example', role: 'staff' });
await seedDemoNetwork(db, { staffByEmail: { 'noa@demo.convene.example': 'demo-noa' }, now: new Date('2026-03-15T12:00:00Z') });
const started = Date.now();
const seeded = await db.transaction((tx) => seedTimeIsNow(tx, { createdBy: 'demo-noa' }));
const took = Date.now() - started;

describe('demo: Time is Now', () => {
  it('has 50 co-hosts, 6,000 registrations, tickets within capacity and 100 who waited', async () => {
    console.log(`  seeded in ${took} ms`);
    expect(seeded).toMatchObject({ registrations: 6_000, tickets: 5_900, conflicts: 3 });
    const [c] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM event_cohost WHERE event_id = ${seeded.eventId}`);
    expect(c!.n).toBe(50);
    const types = await db.select().from(ticketType).where(eq(ticketType.eventId, seeded.eventId));
    expect(types.map((t) => [t.capacity, t.taken]).sort()).toEqual([
      [500, 400],
      [5500, 5500],
    ]);
    const report = await buildReport(db, await loadEventById(db, seeded.eventId), null);
    expect(report.totals).toMatchObject({ registrations: 6_000, tickets: 5_900, waitlistJoined: 100, waitlistExpired: 100 });
    expect(report.totals.attended).toBeGreaterThan(5_000);
    expect(report.totals.noShows).toBe(5_900 - report.totals.attended);
    expect(report.byCohost.length).toBe(51); // 50 co-hosts and "directly"
  });

  it('has a door history with exactly one admission per admitted ticket and three conflicts; codes verify with the event key', async () => {
    const [x] = await rows<{ dup: number; conflicts: number; nonces: number; scans: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM (SELECT ticket_id FROM checkin_scan WHERE result = 'admitted' GROUP BY ticket_id HAVING count(*) > 1) d) AS dup,
                 (SELECT count(*)::int FROM checkin_scan WHERE result = 'conflict') AS conflicts,
                 (SELECT count(DISTINCT nonce)::int FROM checkin_scan) AS nonces, (SELECT count(*)::int FROM checkin_scan) AS scans`,
    );
    expect(x).toEqual({ dup: 0, conflicts: 3, nonces: x!.scans, scans: x!.scans });
    // recorded by the phones' service (demo/door.ts): six phones at three gates, the offline one revoked after the
    // doors closed, every scan received on the day (online ones seconds after, the offline ones when it came back)
    const [d] = await rows<{ phones: number; gates: number; revoked: number; late: number; offline: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM checkin_device) AS phones, (SELECT count(DISTINCT gate)::int FROM checkin_device) AS gates,
                 (SELECT count(*)::int FROM checkin_device WHERE revoked_at IS NOT NULL) AS revoked,
                 (SELECT count(*)::int FROM checkin_scan s JOIN event e ON e.id = s.event_id WHERE s.received_at > e.ends_at OR s.received_at < s.scanned_at) AS late,
                 (SELECT count(*)::int FROM checkin_scan WHERE offline) AS offline`,
    );
    expect(d).toEqual({ phones: 6, gates: 3, revoked: 1, late: 0, offline: 3 });
    const [key] = await db.select().from(eventSigningKey).where(eq(eventSigningKey.eventId, seeded.eventId));
    const some = await db.select().from(ticket).where(eq(ticket.eventId, seeded.eventId)).limit(5);
    for (const k of some) expect(verifyTicketCode(key!.publicKey, k.code)).toMatchObject({ ticketId: k.id });
  });
});
