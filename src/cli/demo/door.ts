// The demo's door for an event already seeded with tickets ("Time is Now"): phones paired at its gates, most tickets
// admitted, a few refused scans and repeats, and a few conflicts (a phone that was offline admitting tickets another
// phone had admitted). Written through the same service the phones use, so the history is what the door would record.
// Called from the events demo once the event and its registrations exist: `await seedDoor(db, eventId, rng, now)`.
import { createHash, randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { recordScans } from '../../server/features/events/checkin.service.ts';
import type { ScanInput } from '../../server/features/events/checkin.contract.ts';
import { checkinDevice, event, ticket } from '../../server/features/events/events.schema.ts';
import type { Rng } from './rng.ts';

/**
 * Pairs two phones per gate (one revoked after the doors closed at the last gate) and scans: `share` of the valid
 * tickets admitted, 2% scanned again, a few forged codes, and `conflicts` tickets admitted again by an offline phone.
 */
export async function seedDoor(db: Db, eventId: string, rng: Rng, now: Date, opts: { share?: number; conflicts?: number } = {}): Promise<{ admitted: number; conflicts: number }> {
  const [e] = await db.select().from(event).where(eq(event.id, eventId));
  if (!e) throw new Error(`no event ${eventId}`);
  const gates = e.gates.length ? e.gates : ['Main'];
  const devices: (typeof checkinDevice.$inferSelect)[] = [];
  for (const [g, gate] of gates.entries()) {
    for (const k of [1, 2]) {
      const token = randomBytes(32).toString('base64url');
      const [d] = await db
        .insert(checkinDevice)
        .values({ eventId, gate, label: `phone ${g * 2 + k}`, tokenHash: createHash('sha256').update(token).digest('hex'), pairedAt: new Date(e.startsAt.getTime() - 3_600_000), createdAt: new Date(e.startsAt.getTime() - 3_700_000) })
        .returning();
      devices.push(d!);
    }
  }
  const tickets = await db.select({ id: ticket.id, code: ticket.code, status: ticket.status }).from(ticket).where(eq(ticket.eventId, eventId)).orderBy(asc(ticket.id));
  const valid = tickets.filter((tk) => tk.status === 'valid');
  const admittedTickets = rng.sample(valid, Math.round(valid.length * (opts.share ?? 0.86)));
  const doorsOpen = e.startsAt.getTime() - 90 * 60_000;
  const at = (i: number, n: number) => new Date(Math.min(now.getTime(), doorsOpen + Math.round((i / Math.max(1, n)) * 120 * 60_000))).toISOString();
  const nonce = () => rng.uuid();
  // online admissions, phone by phone, in batches as they came
  const byDevice = new Map<string, ScanInput[]>();
  admittedTickets.forEach((tk, i) => {
    const d = rng.pick(devices);
    const list = byDevice.get(d.id) ?? [];
    list.push({ nonce: nonce(), code: tk.code, scannedAt: at(i, admittedTickets.length), gate: d.gate, offline: false });
    if (rng.chance(0.02)) list.push({ nonce: nonce(), code: tk.code, scannedAt: at(i + 1, admittedTickets.length), gate: d.gate, offline: false });
    if (rng.chance(0.003)) list.push({ nonce: nonce(), code: `${tk.code.slice(0, -3)}AAA`, scannedAt: at(i, admittedTickets.length), gate: d.gate, offline: false });
    byDevice.set(d.id, list);
  });
  for (const d of devices) {
    const list = byDevice.get(d.id) ?? [];
    for (let i = 0; i < list.length; i += 1000) await recordScans(db, d, list.slice(i, i + 1000), now);
  }
  // a phone whose network dropped admitted a few tickets already admitted elsewhere
  const offlinePhone = devices[devices.length - 1]!;
  const twice = rng.sample(admittedTickets, Math.min(opts.conflicts ?? 4, admittedTickets.length));
  const late = twice.map((tk, i) => ({ nonce: nonce(), code: tk.code, scannedAt: at(admittedTickets.length + i, admittedTickets.length), gate: offlinePhone.gate, offline: true }));
  const res = late.length ? await recordScans(db, offlinePhone, late, now) : { results: [] };
  await db.update(checkinDevice).set({ revokedAt: new Date(Math.min(now.getTime(), e.endsAt.getTime())) }).where(eq(checkinDevice.id, offlinePhone.id));
  return { admitted: admittedTickets.length, conflicts: res.results.filter((r) => r.result === 'conflict').length };
}
