import { and, count, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { eventSigningKey, registration, ticket, ticketType, waitlistEntry } from './events.schema.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { verifyTicketCode } from './ticket-code.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// A registration is one write statement (registration, places, tickets or waitlist place, audit entry: all or
// nothing). Under a burst with double submits mixed in, every invariant holds at once.
const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of the burst file' };

describe('a burst of registrations with double submits', () => {
  it('gives exactly the places there are, one registration per address, one audit entry each naming its outcome, and tickets the event’s key verifies', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'burst-audit', capacity: 25 });
    // 50 people, the first 10 sending the form twice at once
    const people = Array.from({ length: 50 }, (_, i) => ({ email: `Person${i}@Example.org `, name: `Person ${i}` }));
    const sends = [...people, ...people.slice(0, 10)];
    const results = await Promise.all(
      sends.map((p, i) => register(t.db, { actor: null, ip: `198.51.100.${i % 250}`, userAgent: 'burst' }, deps, 'burst-audit', { ...p, language: 'en', ticketTypeId: tt.id, answers: {} })),
    );

    const regs = await t.db.select().from(registration).where(eq(registration.eventId, e.id));
    expect(regs.length).toBe(50);
    expect(new Set(regs.map((r) => r.email)).size).toBe(50);
    expect(regs.every((r) => r.email === r.email.trim().toLowerCase())).toBe(true);
    // each double submit answered with the one registration its address has
    for (let i = 0; i < 10; i++) {
      const pair = [results[i]!, results[50 + i]!];
      expect(pair[0]!.registrationId).toBe(pair[1]!.registrationId);
      expect(pair.map((r) => r.outcome).filter((o) => o === 'existing').length).toBe(1);
    }

    const tickets = await t.db.select().from(ticket).where(eq(ticket.eventId, e.id));
    const waiting = await t.db.select().from(waitlistEntry).where(eq(waitlistEntry.eventId, e.id));
    const [type] = await t.db.select().from(ticketType).where(eq(ticketType.id, tt.id));
    expect(tickets.length).toBe(25);
    expect(waiting.length).toBe(25);
    expect(type!.taken).toBe(25);
    expect(new Set([...tickets.map((k) => k.registrationId), ...waiting.map((w) => w.registrationId)]).size).toBe(50);
    expect(new Set(waiting.map((w) => w.position)).size).toBe(25);
    const [key] = await t.db.select().from(eventSigningKey).where(eq(eventSigningKey.eventId, e.id));
    for (const k of tickets) expect(verifyTicketCode(key!.publicKey, k.code)).toEqual({ eventId: e.id, ticketId: k.id, version: 1 });
    // what each caller was told is what was written
    for (const r of results.filter((x) => x.outcome === 'ticket')) expect(tickets.find((k) => k.id === r.ticketId)?.registrationId).toBe(r.registrationId);
    for (const r of results.filter((x) => x.outcome === 'waitlisted')) expect(waiting.find((w) => w.id === r.waitlistEntryId)?.registrationId).toBe(r.registrationId);

    const audits = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.entityId, e.id), inArray(auditEntry.action, ['event.registration.ticket', 'event.registration.waitlist'])));
    expect(audits.length).toBe(50);
    const byRegistration = new Map(audits.map((a) => [(a.detail as { registrationId: string }).registrationId, a]));
    expect(byRegistration.size).toBe(50);
    for (const k of tickets) expect(byRegistration.get(k.registrationId)).toMatchObject({ action: 'event.registration.ticket', actorId: null, userAgent: 'burst', detail: { ticketTypeId: tt.id, referralLinkId: null } });
    for (const w of waiting) expect(byRegistration.get(w.registrationId)!.action).toBe('event.registration.waitlist');
    // the person's details are not in the audit log
    const dump = JSON.stringify(audits.map((a) => [a.action, a.detail, a.ip, a.userAgent]));
    expect(dump).not.toMatch(/person\d+@example\.org|Person \d+/i);
  });

  it('writes nothing at all when the write fails (an unknown ticket type of the event)', async () => {
    const { event: e } = await buildOpenEvent(t.db, ctx, { slug: 'burst-nothing', capacity: 5 });
    const other = await buildOpenEvent(t.db, ctx, { slug: 'burst-other', capacity: 5 });
    await expect(register(t.db, { actor: null, ip: '198.51.100.1', userAgent: '' }, deps, 'burst-nothing', { email: 'x@example.org', name: 'X', language: 'en', ticketTypeId: other.ticketType.id, answers: {} })).rejects.toMatchObject({ code: 'invalid_registration' });
    const [n] = await t.db.select({ n: count() }).from(registration).where(eq(registration.eventId, e.id));
    const [a] = await t.db.select({ n: count() }).from(auditEntry).where(and(eq(auditEntry.entityId, e.id), eq(auditEntry.action, 'event.registration.ticket')));
    expect([n!.n, a!.n]).toEqual([0, 0]);
  });
});
