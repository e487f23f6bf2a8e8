// The demo's door for an event already seeded with tickets ("Time is Now"): phones paired at its gates, most tickets
// admitted, a few refused scans and repeats, and a few conflicts (a phone that was offline admitting tickets another
// phone had admitted). Written through the same service the phones use, so the history is what the door would record.
// The demo's "Time is Now" (time-is-now.ts) calls it once the event and its tickets exist; checkin.http.test.ts too.
import { createHash, randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { recordScans } from '../../server/features/events/checkin.service.ts';
import type { ScanInput } from '../../server/features/events/checkin.contract.ts';
import { checkinDevice, event, ticket } from '../../server/features/events/events.schema.ts';
import type { Rng } from './rng.ts';

/** scans a phone sends at a time while online (the server takes up to 1,000) */
const SYNC_BATCH = 50;

/**
 * Pairs two phones per gate (one revoked after the doors closed at the last gate) and scans: `share` of the valid
 * tickets admitted, 2% scanned again, a few forged codes, and `conflicts` tickets admitted again by an offline phone.
 */
export async function seedDoor(
  db: Db,
  eventId: string,
  rng: Rng,
  now: Date,
  opts: { share?: number; conflicts?: number; createdBy?: string | null } = {},
): Promise<{ admitted: number; conflicts: number }> {
  const [e] = await db.select().from(event).where(eq(event.id, eventId));
  if (!e) throw new Error(`no event ${eventId}`);
  const gates = e.gates.length ? e.gates : ['Main'];
  const devices: (typeof checkinDevice.$inferSelect)[] = [];
  for (const [g, gate] of gates.entries()) {
    for (const k of [1, 2]) {
      const token = randomBytes(32).toString('base64url');
      const [d] = await db
        .insert(checkinDevice)
        .values({
          eventId,
          gate,
          label: `phone ${g * 2 + k}`,
          tokenHash: createHash('sha256').update(token).digest('hex'),
          pairedAt: new Date(Math.min(now.getTime(), e.startsAt.getTime() - 3_600_000)),
          lastSeenAt: new Date(Math.min(now.getTime(), e.endsAt.getTime())),
          createdAt: new Date(Math.min(now.getTime(), e.startsAt.getTime() - 3_700_000)),
          createdBy: opts.createdBy ?? null,
        })
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
  const admittedBy = new Map<string, string>();
  admittedTickets.forEach((tk, i) => {
    const d = rng.pick(devices);
    admittedBy.set(tk.id, d.id);
    const list = byDevice.get(d.id) ?? [];
    list.push({ nonce: nonce(), code: tk.code, scannedAt: at(i, admittedTickets.length), gate: d.gate, offline: false });
    if (rng.chance(0.02)) list.push({ nonce: nonce(), code: tk.code, scannedAt: at(i + 1, admittedTickets.length), gate: d.gate, offline: false });
    if (rng.chance(0.003)) list.push({ nonce: nonce(), code: `${tk.code.slice(0, -3)}AAA`, scannedAt: at(i, admittedTickets.length), gate: d.gate, offline: false });
    byDevice.set(d.id, list);
  });
  // each phone sends what it scanned in small batches, as it goes; the server receives a batch just after its last scan
  const send = async (d: (typeof devices)[number], list: ScanInput[], delayMs: number) => {
    const out = [];
    for (let i = 0; i < list.length; i += SYNC_BATCH) {
      const batch = list.slice(i, i + SYNC_BATCH);
      const last = Math.max(...batch.map((x) => Date.parse(x.scannedAt)));
      out.push(...(await recordScans(db, d, batch, new Date(Math.min(now.getTime(), last + delayMs)))).results);
    }
    return out;
  };
  for (const d of devices) await send(d, byDevice.get(d.id) ?? [], 2_000);
  // a phone whose network dropped admitted a few tickets other phones had admitted; it sent them when it came back
  const offlinePhone = devices[devices.length - 1]!;
  const elsewhere = admittedTickets.filter((tk) => admittedBy.get(tk.id) !== offlinePhone.id);
  const twice = rng.sample(elsewhere, Math.min(opts.conflicts ?? 4, elsewhere.length));
  const late = twice.map((tk, i) => ({ nonce: nonce(), code: tk.code, scannedAt: at(admittedTickets.length + i, admittedTickets.length), gate: offlinePhone.gate, offline: true }));
  const res = { results: await send(offlinePhone, late, 25 * 60_000) };
  await db.update(checkinDevice).set({ revokedAt: new Date(Math.min(now.getTime(), e.endsAt.getTime())) }).where(eq(checkinDevice.id, offlinePhone.id));
  return { admitted: admittedTickets.length, conflicts: res.results.filter((r) => r.result === 'conflict').length };
}
