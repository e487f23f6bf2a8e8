import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { registrationPerson } from './after.schema.ts';
import { registration, ticket } from './events.schema.ts';
import { createQuestion } from './events.service.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { buildReport, loadEventById } from './reports.service.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// Network's erasure on request of a person made from an event's registration ("Add to the Network") erases that
// registration's name, email and answers too (the statement retention uses, registration-erasure.ts); its ticket and
// the event's figures stay, and nobody else's registration changes.
const t = await createTestApp();
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file', mailer: null as never };
let n = 0;
const anyone = () => ({ actor: null, ip: `198.51.100.${++n}`, userAgent: '' });

async function json(res: Response, status = 200) {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return JSON.parse(body);
}

describe('erasing a Network person made from a registration', () => {
  it('erases that registration’s name, email and answers in the same erasure, keeps its ticket and the figures, and says so in the preview and the audit', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'erase-me-too', capacity: 5 });
    const hear = await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Tell me about the next one' } });
    const text = await createQuestion(t.db, ctx, e.id, { kind: 'text', label: { en: 'Anything we should know?' } });
    const reg = (email: string, name: string, answers: Record<string, string>) => register(t.db, anyone(), deps, 'erase-me-too', { email, name, language: 'he', ticketTypeId: tt.id, answers });
    const asked = await reg('rana.asked@example.org', 'Rana Asked', { [hear.id]: 'yes', [text.id]: 'a quiet seat near the door' });
    const other = await reg('omar.other@example.org', 'Omar Other', { [hear.id]: 'yes', [text.id]: 'vegetarian' });
    const made = await json(await staff.post(`/api/events/${e.id}/registrations/${asked.registrationId}/to-network`), 201);
    const kept = await json(await staff.post(`/api/events/${e.id}/registrations/${other.registrationId}/to-network`), 201);
    const before = await buildReport(t.db, await loadEventById(t.db, e.id), null);

    // the administrator sees the registration among what goes; staff may not erase
    const preview = await json(await admin.get(`/api/people/${made.personId}/erasure/preview`));
    expect(preview.erases).toMatchObject({ names: 1, contacts: 1, registrations: 1 });
    expect((await problem(await staff.post(`/api/people/${made.personId}/erasure`, { confirmName: 'Rana Asked' }), 403)).code).toBe('forbidden');
    const [untouched] = await t.db.select().from(registration).where(eq(registration.id, asked.registrationId));
    expect(untouched).toMatchObject({ name: 'Rana Asked', email: 'rana.asked@example.org', erasedAt: null });

    expect((await json(await admin.post(`/api/people/${made.personId}/erasure`, { confirmName: 'Rana Asked' }))).done).toBe(true);

    const [gone] = await t.db.select().from(registration).where(eq(registration.id, asked.registrationId));
    expect(gone).toMatchObject({ name: '', email: `erased:${asked.registrationId}`, answers: {} });
    expect(gone!.erasedAt).not.toBeNull();
    expect(gone!.consents).toHaveProperty('hear_again'); // the purpose and when stay (counts), not who
    const dump = JSON.stringify(await t.db.select().from(registration).where(eq(registration.eventId, e.id)));
    for (const s of ['rana.asked@example.org', 'Rana Asked', 'a quiet seat']) expect(dump).not.toContain(s);
    // the other registrant, made a Network person too, is as they were
    const [still] = await t.db.select().from(registration).where(eq(registration.id, other.registrationId));
    expect(still).toMatchObject({ name: 'Omar Other', email: 'omar.other@example.org', erasedAt: null });
    expect(still!.answers).toEqual({ [text.id]: 'vegetarian' });
    // the ticket, the link to the (tombstoned) person and every figure stay
    const tickets = await t.db.select().from(ticket).where(inArray(ticket.registrationId, [asked.registrationId]));
    expect(tickets.map((x) => x.status)).toEqual(['valid']);
    const links = await t.db.select().from(registrationPerson).where(eq(registrationPerson.registrationId, asked.registrationId));
    expect(links).toEqual([expect.objectContaining({ personId: made.personId })]);
    const after = await buildReport(t.db, await loadEventById(t.db, e.id), null);
    expect(after.totals).toEqual(before.totals);
    // staff's list of registrants no longer names them
    const list = await json(await staff.get(`/api/events/${e.id}/registrations`));
    expect(JSON.stringify(list)).not.toContain('rana.asked@example.org');
    expect(JSON.stringify(list)).toContain('omar.other@example.org');

    const audited = (await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'person.erase'))).find((a) => a.entityId === made.personId);
    expect(audited!.detail).toMatchObject({ registrationsErased: 1 });
    // the other person's preview still counts their registration; a person not made from one counts none
    expect((await json(await admin.get(`/api/people/${kept.personId}/erasure/preview`))).erases.registrations).toBe(1);
    const plain = await json(await staff.post('/api/people', { names: [{ name: 'Never Registered' }] }), 201);
    expect((await json(await admin.get(`/api/people/${plain.id}/erasure/preview`))).erases.registrations).toBe(0);
  });
});
