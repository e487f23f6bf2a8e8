import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import { eventSigningKey, registration, ticket, ticketType } from '../../src/server/features/events/events.schema.ts';
import { signTicketCode } from '../../src/server/features/events/ticket-code.ts';

export type BuiltTicket = { id: string; code: string; name: string; registrationId: string };

/**
 * Registrations with one valid ticket each, written in bulk (500 a statement), their places counted in the ticket
 * type's `taken`: for the door's tests and bench, which need many tickets fast.
 */
export async function buildTickets(db: Db, eventId: string, ticketTypeId: string, names: string[], opts: { referrerOrganisationId?: string | null } = {}): Promise<BuiltTicket[]> {
  const [key] = await db.select({ privateKey: eventSigningKey.privateKey }).from(eventSigningKey).where(eq(eventSigningKey.eventId, eventId));
  if (!key) throw new Error(`event ${eventId} has no key`);
  const out: BuiltTicket[] = names.map((name) => {
    const id = randomUUID();
    return { id, name, registrationId: randomUUID(), code: signTicketCode(key.privateKey, { eventId, ticketId: id, version: 1 }) };
  });
  for (let i = 0; i < out.length; i += 500) {
    const part = out.slice(i, i + 500);
    await db.transaction(async (tx) => {
      await tx.insert(registration).values(
        part.map((t) => ({
          id: t.registrationId,
          eventId,
          email: `${t.registrationId}@example.org`,
          name: t.name,
          language: 'en',
          manageTokenHash: `test-${t.registrationId}`,
          referrerOrganisationId: opts.referrerOrganisationId ?? null,
        })),
      );
      await tx.insert(ticket).values(part.map((t) => ({ id: t.id, eventId, registrationId: t.registrationId, ticketTypeId, code: t.code, version: 1 })));
      await tx
        .update(ticketType)
        .set({ taken: sql`${ticketType.taken} + ${part.length}`, capacity: sql`GREATEST(${ticketType.capacity}, ${ticketType.taken} + ${part.length})` })
        .where(eq(ticketType.id, ticketTypeId));
    });
  }
  return out;
}

/** A client-made nonce, as a phone makes one. */
export const nonce = () => randomUUID();
