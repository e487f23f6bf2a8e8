import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound } from '../../core/errors.ts';
import { authorize } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ChangeTicketTypeInput, TicketTypeChanged } from './events.contract.ts';
import { event, registration, ticket, ticketType } from './events.schema.ts';
import { offerFreedPlaces, type WaitlistJobs } from './waitlist.service.ts';

// Staff change a valid ticket's type (a youth ticket that should have been general, a seat that must be accessible),
// in one transaction: both ticket types' rows locked (in id order, so two changes the other way round cannot
// deadlock), a place taken in the new type only while it has one free (`taken < capacity`: the same rule as
// registering, backed by the CHECK), and within the new type's per-person limit; the old type's place freed and
// offered to its waitlist (a job, in the same transaction); audited `event.ticket.change_type`. The ticket keeps its
// id, version and code (a code names the ticket, not its type); the registration's `updated_at` moves so the door
// phones' "changes since" list carries the new type. The same type again changes nothing.

export async function changeTicketType(db: Db, ctx: RequestContext, deps: WaitlistJobs, eventId: string, ticketId: string, input: ChangeTicketTypeInput, now = new Date()): Promise<TicketTypeChanged> {
  authorize(ctx.actor, 'events.manage');
  if (!isUuid(eventId)) throw notFound('event');
  if (!isUuid(ticketId)) throw notFound('ticket');
  return db.transaction(async (tx) => {
    const [e] = await tx.select({ id: event.id }).from(event).where(eq(event.id, eventId));
    if (!e) throw notFound('event');
    const [tk] = await tx.select().from(ticket).where(and(eq(ticket.id, ticketId), eq(ticket.eventId, e.id)));
    if (!tk) throw notFound('ticket');
    const [target] = await tx.select({ id: ticketType.id }).from(ticketType).where(and(eq(ticketType.id, input.ticketTypeId), eq(ticketType.eventId, e.id)));
    if (!target) throw new AppError('not_found', 'ticket_type_not_found', 'This event has no such ticket type.', [{ field: 'body.ticketTypeId', detail: 'A ticket type of this event' }]);
    const answer = (previous: string): TicketTypeChanged => ({ ticketId: tk.id, registrationId: tk.registrationId, ticketTypeId: target.id, previousTicketTypeId: previous });
    if (target.id === tk.ticketTypeId) return answer(tk.ticketTypeId);

    // both types locked in a stable order, then the ticket (its status and type as of now)
    const types = await tx
      .select()
      .from(ticketType)
      .where(inArray(ticketType.id, [tk.ticketTypeId, target.id]))
      .orderBy(asc(ticketType.id))
      .for('update');
    const [current] = await tx.select().from(ticket).where(eq(ticket.id, tk.id)).for('update');
    if (!current || current.status !== 'valid') throw new AppError('conflict', 'ticket_not_valid', 'This ticket is cancelled: only a valid ticket changes type.');
    if (current.ticketTypeId === target.id) return answer(target.id);
    const to = types.find((x) => x.id === target.id)!;
    const [held] = await tx
      .select({ n: count() })
      .from(ticket)
      .where(and(eq(ticket.registrationId, current.registrationId), eq(ticket.ticketTypeId, to.id), eq(ticket.status, 'valid')));
    if (Number(held?.n ?? 0) >= to.perPersonLimit) {
      throw new AppError('conflict', 'per_person_limit_reached', `This person already holds ${to.perPersonLimit} ticket(s) of that type, its limit per person.`, [
        { field: 'body.ticketTypeId', detail: `At most ${to.perPersonLimit} per person` },
      ]);
    }
    const [took] = await tx
      .update(ticketType)
      .set({ taken: sql`${ticketType.taken} + 1`, updatedAt: now })
      .where(and(eq(ticketType.id, to.id), sql`${ticketType.taken} < ${ticketType.capacity}`))
      .returning({ id: ticketType.id });
    if (!took) {
      throw new AppError('conflict', 'ticket_type_full', 'Every place of that ticket type is taken or held for a waitlist offer.', [{ field: 'body.ticketTypeId', detail: 'No place free' }]);
    }
    await tx.update(ticketType).set({ taken: sql`${ticketType.taken} - 1`, updatedAt: now }).where(eq(ticketType.id, current.ticketTypeId));
    await tx.update(ticket).set({ ticketTypeId: to.id }).where(eq(ticket.id, current.id));
    await tx.update(registration).set({ updatedAt: now }).where(eq(registration.id, current.registrationId));
    await offerFreedPlaces(tx, deps, current.ticketTypeId);
    await recordAudit(tx, ctx, {
      action: 'event.ticket.change_type',
      entityType: 'event',
      entityId: e.id,
      detail: { ticketId: current.id, registrationId: current.registrationId, from: current.ticketTypeId, to: to.id },
    });
    return answer(current.ticketTypeId);
  });
}
