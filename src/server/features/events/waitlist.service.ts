import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { event, ticketType, waitlistEntry } from './events.schema.ts';

// Waitlists. A full ticket type puts people in a queue (waitlist_entry, in position order). When places free up (a
// cancelled ticket, a raised capacity, an offer that expired or was declined) the `events.waitlist-offer` job offers
// them to the next people waiting: each offer holds a place (counted in ticket_type.taken) until it expires, and an
// `events.waitlist-expire` job, due at the offer's end, passes an offer not taken to the next person. Everything
// that changes `taken` locks the ticket type's row first, so offers and registrations never exceed the capacity
// (which the table's CHECK enforces anyway).

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** offer the free places of a ticket type to the people waiting for it */
    'events.waitlist-offer': { ticketTypeId: string };
    /** an offer's end: if not taken, its place goes to the next person */
    'events.waitlist-expire': { entryId: string };
  }
}

/** What the waitlist needs of the app: the job queue (offers and expiries are jobs). */
export type WaitlistJobs = {
  jobs: Jobs;
  /** told of the entries just offered, in the offering transaction (to email them) */
  onOffered?: (tx: Db, entryIds: string[]) => Promise<void>;
};

/** Asks for the free places of a ticket type to be offered (a job, in the caller's transaction). */
export async function offerFreedPlaces(tx: Db, deps: WaitlistJobs, ticketTypeId: string): Promise<void> {
  await deps.jobs.enqueue(tx, 'events.waitlist-offer', { ticketTypeId });
}

/**
 * Offers each free place of the ticket type to the next person waiting, in one transaction: returns the entries
 * offered. `now` is the clock (tests pass their own).
 */
export async function makeOffers(db: Db, deps: WaitlistJobs, ticketTypeId: string, now = new Date()): Promise<string[]> {
  return db.transaction(async (tx) => makeOffersIn(tx, deps, ticketTypeId, now));
}

async function makeOffersIn(tx: Db, deps: WaitlistJobs, ticketTypeId: string, now: Date): Promise<string[]> {
  const [t] = await tx
    .select({ id: ticketType.id, capacity: ticketType.capacity, taken: ticketType.taken, hours: event.waitlistOfferHours, status: event.status, endsAt: event.endsAt })
    .from(ticketType)
    .innerJoin(event, eq(event.id, ticketType.eventId))
    .where(eq(ticketType.id, ticketTypeId))
    .for('update', { of: ticketType });
  if (!t || t.status === 'closed' || t.endsAt <= now) return [];
  const free = t.capacity - t.taken;
  if (free <= 0) return [];
  const next = await tx
    .select({ id: waitlistEntry.id })
    .from(waitlistEntry)
    .where(and(eq(waitlistEntry.ticketTypeId, t.id), eq(waitlistEntry.status, 'waiting')))
    .orderBy(asc(waitlistEntry.position))
    .limit(free)
    .for('update');
  if (!next.length) return [];
  // an offer never outlives the event
  const expiresAt = new Date(Math.min(now.getTime() + t.hours * 3_600_000, t.endsAt.getTime()));
  const ids = next.map((n) => n.id);
  for (const id of ids) {
    await tx.update(waitlistEntry).set({ status: 'offered', offeredAt: now, offerExpiresAt: expiresAt, updatedAt: now }).where(eq(waitlistEntry.id, id));
    await deps.jobs.enqueue(tx, 'events.waitlist-expire', { entryId: id }, { startAfterSeconds: Math.max(1, (expiresAt.getTime() - Date.now()) / 1000) });
  }
  await tx
    .update(ticketType)
    .set({ taken: sql`${ticketType.taken} + ${ids.length}` })
    .where(eq(ticketType.id, t.id));
  await deps.onOffered?.(tx, ids);
  return ids;
}

/**
 * Ends an offer whose time is up (`now` at or after its expiry): its place is freed and offered to the next person
 * waiting, in the same transaction. Nothing happens to an offer accepted, declined or not yet due.
 */
export async function expireOffer(db: Db, deps: WaitlistJobs, entryId: string, now = new Date()): Promise<'expired' | 'not_due' | 'not_offered'> {
  return db.transaction(async (tx) => {
    const [w] = await tx.select().from(waitlistEntry).where(eq(waitlistEntry.id, entryId));
    if (!w) return 'not_offered';
    // the ticket type first (every change of `taken` takes its lock first), then the entry
    await tx.select({ id: ticketType.id }).from(ticketType).where(eq(ticketType.id, w.ticketTypeId)).for('update');
    const [entry] = await tx.select().from(waitlistEntry).where(eq(waitlistEntry.id, entryId)).for('update');
    if (!entry || entry.status !== 'offered') return 'not_offered';
    if (entry.offerExpiresAt && entry.offerExpiresAt > now) return 'not_due';
    await tx.update(waitlistEntry).set({ status: 'expired', updatedAt: now }).where(eq(waitlistEntry.id, entry.id));
    await tx
      .update(ticketType)
      .set({ taken: sql`${ticketType.taken} - 1` })
      .where(eq(ticketType.id, entry.ticketTypeId));
    await makeOffersIn(tx, deps, entry.ticketTypeId, now);
    return 'expired';
  });
}

/** Every offer whose time is up, ended (the safety net behind the per-offer jobs; tests call it with their clock). */
export async function expireDueOffers(db: Db, deps: WaitlistJobs, now = new Date()): Promise<number> {
  const due = await db
    .select({ id: waitlistEntry.id })
    .from(waitlistEntry)
    .where(and(eq(waitlistEntry.status, 'offered'), lte(waitlistEntry.offerExpiresAt, now)))
    .orderBy(asc(waitlistEntry.offerExpiresAt));
  let n = 0;
  for (const d of due) if ((await expireOffer(db, deps, d.id, now)) === 'expired') n++;
  return n;
}

/** The person's place in the queue (1 = next), or null when they are not waiting. */
export async function queuePosition(db: Db, entryId: string): Promise<number | null> {
  const [w] = await db.select().from(waitlistEntry).where(eq(waitlistEntry.id, entryId));
  if (!w || w.status !== 'waiting') return null;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(waitlistEntry)
    .where(and(eq(waitlistEntry.ticketTypeId, w.ticketTypeId), eq(waitlistEntry.status, 'waiting'), lte(waitlistEntry.position, w.position)));
  return Number(r!.n);
}

export function defineWaitlistJobs(jobs: Jobs, deps: { db: Db } & Omit<WaitlistJobs, 'jobs'>): void {
  const all: WaitlistJobs = { ...deps, jobs };
  jobs.define('events.waitlist-offer', {
    handler: async ({ ticketTypeId }) => ({ offered: (await makeOffers(deps.db, all, ticketTypeId)).length }),
    retryLimit: 8,
    retryDelaySeconds: 5,
    expireInSeconds: 5 * 60,
    subject: (d) => d.ticketTypeId,
  });
  jobs.define('events.waitlist-expire', {
    handler: async ({ entryId }) => {
      const result = await expireOffer(deps.db, all, entryId);
      // a job started a little early (clocks): ask again at the offer's end
      if (result === 'not_due') {
        const [w] = await deps.db.select({ at: waitlistEntry.offerExpiresAt }).from(waitlistEntry).where(eq(waitlistEntry.id, entryId));
        if (w?.at) await jobs.enqueue(deps.db, 'events.waitlist-expire', { entryId }, { startAfterSeconds: Math.max(1, (w.at.getTime() - Date.now()) / 1000) });
      }
      return { result };
    },
    retryLimit: 8,
    retryDelaySeconds: 5,
    expireInSeconds: 5 * 60,
    subject: (d) => d.entryId,
  });
}

