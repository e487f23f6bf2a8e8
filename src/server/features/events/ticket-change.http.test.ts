import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { ticket, ticketType } from './events.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';
import { buildTickets } from '../../../../tests/setup/checkin-factories.ts';

// Staff change a valid ticket's type (POST /api/events/{id}/tickets/{ticketId}/type): the new type's capacity and
// per-person limit respected, the old place freed and offered to its waitlist, the code kept, audited, all in one
// transaction; viewers, the anonymous and door phones may not; nothing half-written.
const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const anonymous = t.client();
const ctx = staffContext({ id: staff.user.id });

const { event: e, ticketType: general } = await buildOpenEvent(t.db, ctx, { slug: 'change-type', capacity: 10 });
const made = await staff.post(`/api/events/${e.id}/ticket-types`, { name: { en: 'Youth' }, capacity: 2 });
expect(made.status).toBe(201);
const youthId: string = (await made.json()).id;
const people = await buildTickets(t.db, e.id, general.id, ['Ada', 'Bo', 'Cy', 'Di', 'Ed', 'Fay']);
const { event: other, ticketType: otherType } = await buildOpenEvent(t.db, ctx, { slug: 'change-type-other', capacity: 3 });
const [outsider] = await buildTickets(t.db, other.id, otherType.id, ['Other Event Person']);

const path = (ticketId: string, eventId = e.id) => `/api/events/${eventId}/tickets/${ticketId}/type`;
const taken = async () => Object.fromEntries((await t.db.select({ id: ticketType.id, taken: ticketType.taken }).from(ticketType).where(eq(ticketType.eventId, e.id))).map((r) => [r.id, r.taken]));
const typeOf = async (id: string) => (await t.db.select({ tt: ticket.ticketTypeId }).from(ticket).where(eq(ticket.id, id)))[0]!.tt;
const audits = async () => (await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.ticket.change_type')))[0]!.n;
async function queued(name: string): Promise<unknown[]> {
  const r = await t.db.execute(sql`SELECT data FROM pgboss.job WHERE name = ${name} AND state = 'created' ORDER BY created_on`);
  return (r as unknown as { rows: { data: unknown }[] }).rows.map((x) => x.data);
}

describe("changing a ticket's type", () => {
  it('is refused to viewers, the anonymous and a door phone, and writes nothing', async () => {
    const before = await taken();
    expect((await problem(await viewer.post(path(people[0]!.id), { ticketTypeId: youthId }), 403)).code).toBe('forbidden');
    expect((await problem(await anonymous.post(path(people[0]!.id), { ticketTypeId: youthId }), 401)).code).toBe('not_signed_in');
    expect((await t.client({ authorization: `Bearer ${'x'.repeat(43)}` }).post(path(people[0]!.id), { ticketTypeId: youthId })).status).toBe(401);
    expect(await taken()).toEqual(before);
    expect(await typeOf(people[0]!.id)).toBe(general.id);
    expect(await audits()).toBe(0);
  });

  it('answers 400 for a bad body, 404 for what is not this event’s, and writes nothing', async () => {
    const before = await taken();
    expect((await problem(await staff.post(path(people[0]!.id), {}), 400)).errors!.map((x) => x.field)).toEqual(['body.ticketTypeId']);
    expect((await problem(await staff.post(path(people[0]!.id), { ticketTypeId: 'youth' }), 400)).errors!.map((x) => x.field)).toEqual(['body.ticketTypeId']);
    expect((await problem(await staff.post(path(people[0]!.id), { ticketTypeId: youthId, why: 'x' }), 400)).errors).toEqual([{ field: 'body.why', detail: 'Unknown field' }]);
    expect((await problem(await staff.post(path('not-a-uuid'), { ticketTypeId: youthId }), 404)).code).toBe('ticket_not_found');
    expect((await problem(await staff.post(path(outsider!.id), { ticketTypeId: youthId }), 404)).code).toBe('ticket_not_found');
    expect((await problem(await staff.post(path(people[0]!.id, other.id), { ticketTypeId: otherType.id }), 404)).code).toBe('ticket_not_found');
    const wrongType = await problem(await staff.post(path(people[0]!.id), { ticketTypeId: otherType.id }), 404);
    expect(wrongType.code).toBe('ticket_type_not_found');
    expect(wrongType.errors!.map((x) => x.field)).toEqual(['body.ticketTypeId']);
    expect((await problem(await staff.post(path(people[0]!.id, '00000000-0000-4000-8000-000000000000'), { ticketTypeId: youthId }), 404)).code).toBe('event_not_found');
    expect(await taken()).toEqual(before);
    expect(await audits()).toBe(0);
  });

  it('moves a ticket: a place taken in the new type, the old one freed and offered to its waitlist, the code kept, audited', async () => {
    const before = await taken();
    const res = await staff.post(path(people[0]!.id), { ticketTypeId: youthId });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ticketId: people[0]!.id, registrationId: people[0]!.registrationId, ticketTypeId: youthId, previousTicketTypeId: general.id });
    expect(await taken()).toEqual({ [general.id]: before[general.id]! - 1, [youthId]: before[youthId]! + 1 });
    const [tk] = await t.db.select().from(ticket).where(eq(ticket.id, people[0]!.id));
    expect(tk).toMatchObject({ ticketTypeId: youthId, status: 'valid', version: 1, code: people[0]!.code });
    expect(await queued('events.waitlist-offer')).toContainEqual({ ticketTypeId: general.id });
    const [a] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'event.ticket.change_type'));
    expect(a).toMatchObject({ actorId: staff.user.id, entityId: e.id, detail: { ticketId: people[0]!.id, registrationId: people[0]!.registrationId, from: general.id, to: youthId } });
    // the registrants list shows each ticket with its type
    const list = await (await staff.get(`/api/events/${e.id}/registrations`)).json();
    expect(list.items.find((r: { id: string }) => r.id === people[0]!.registrationId).validTickets).toEqual([{ id: people[0]!.id, ticketTypeId: youthId }]);
    // the same type again changes nothing
    expect((await staff.post(path(people[0]!.id), { ticketTypeId: youthId })).status).toBe(200);
    expect(await audits()).toBe(1);
  });

  it('respects the new type’s capacity: when it is full, 409 ticket_type_full and nothing changes; also under concurrency', async () => {
    // youth has 2 places and 1 taken: of four simultaneous moves exactly one gets the last place
    const results = await Promise.all(people.slice(1, 5).map((p) => admin.post(path(p.id), { ticketTypeId: youthId })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect((await r.json()).code).toBe('ticket_type_full');
    const after = await taken();
    expect(after[youthId]).toBe(2);
    const [valid] = await t.db.select({ n: count() }).from(ticket).where(and(eq(ticket.eventId, e.id), eq(ticket.ticketTypeId, youthId), eq(ticket.status, 'valid')));
    expect(valid!.n).toBe(2);
    expect(after[general.id]).toBe(4);
    expect(await audits()).toBe(2);
  });

  it('respects the per-person limit, and only a valid ticket moves', async () => {
    // Fay holds a second general ticket; the youth type (limit 1) gets room for both
    const [fay] = people.slice(5);
    const [second] = await buildTickets(t.db, e.id, general.id, ['Fay again']);
    await t.db.update(ticket).set({ registrationId: fay!.registrationId }).where(eq(ticket.id, second!.id));
    expect((await staff.patch(`/api/events/${e.id}/ticket-types/${youthId}`, { capacity: 5 })).status).toBe(200);
    expect((await staff.post(path(fay!.id), { ticketTypeId: youthId })).status).toBe(200);
    const before = await taken();
    const limit = await problem(await staff.post(path(second!.id), { ticketTypeId: youthId }), 409);
    expect(limit.code).toBe('per_person_limit_reached');
    expect(limit.errors!.map((x) => x.field)).toEqual(['body.ticketTypeId']);
    expect(await taken()).toEqual(before);

    await t.db.update(ticket).set({ status: 'cancelled', cancelledAt: new Date() }).where(eq(ticket.id, second!.id));
    expect((await problem(await staff.post(path(second!.id), { ticketTypeId: youthId }), 409)).code).toBe('ticket_not_valid');
    expect(await taken()).toEqual(before);
    expect(await typeOf(second!.id)).toBe(general.id);
  });
});
