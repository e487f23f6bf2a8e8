import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { checkinConflictResolution } from './checkin-resolution.schema.ts';
import { checkinScan, registration, ticket } from './events.schema.ts';
import { nonce } from '../../../../tests/setup/checkin-factories.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';
import { buildTickets } from '../../../../tests/setup/checkin-factories.ts';
import { seedDoor } from '../../../cli/demo/door.ts';
import { makeRng } from '../../../cli/demo/rng.ts';

// Staff resolve a door conflict (a ticket admitted online by one phone and offline by another): the same person
// twice, or two people on one ticket, with a note only staff and admins read; audited; resolving again replaces it.
const t = await createTestApp();
const staff = await t.signedIn('staff', { name: 'Sara Staff' });
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const anonymous = t.client();
const ctx = staffContext({ id: staff.user.id });
const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'door-conflicts', capacity: 50 });
await buildTickets(t.db, e.id, tt.id, Array.from({ length: 40 }, (_, i) => `Guest ${i + 1}`));
await seedDoor(t.db, e.id, makeRng(11), new Date(), { share: 0.6, conflicts: 3 });
const { event: other, ticketType: otherType } = await buildOpenEvent(t.db, ctx, { slug: 'other-door', capacity: 20 });
await buildTickets(t.db, other.id, otherType.id, Array.from({ length: 10 }, (_, i) => `Other ${i + 1}`));
await seedDoor(t.db, other.id, makeRng(12), new Date(), { share: 0.8, conflicts: 1 });

type Totals = { conflicts: number; unresolvedConflicts: number; conflictList: { scanId: string; name: string | null; resolution: null | { resolution: string; note: string | null; by: string | null; at: string } }[] };
const totals = async (c = staff, id = e.id): Promise<Totals> => (await c.get(`/api/events/${id}/checkin`)).json();
const path = (scanId: string, id = e.id) => `/api/events/${id}/checkin-conflicts/${scanId}/resolve`;
const resolutions = async () => (await t.db.select({ n: count() }).from(checkinConflictResolution))[0]!.n;
const audits = async () => (await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.checkin_conflict.resolve')))[0]!.n;

describe('door conflicts: staff resolve them', () => {
  it('lists three open conflicts, none resolved', async () => {
    const d = await totals(viewer);
    expect(d).toMatchObject({ conflicts: 3, unresolvedConflicts: 3 });
    expect(d.conflictList.map((c) => c.resolution)).toEqual([null, null, null]);
  });

  it('refuses viewers, the anonymous and a phone’s token, and writes nothing', async () => {
    const [c] = (await totals()).conflictList;
    expect((await problem(await viewer.post(path(c!.scanId), { resolution: 'same_person' }), 403)).code).toBe('forbidden');
    expect((await problem(await anonymous.post(path(c!.scanId), { resolution: 'same_person' }), 401)).code).toBe('not_signed_in');
    expect((await t.client({ authorization: `Bearer ${'x'.repeat(43)}` }).post(path(c!.scanId), { resolution: 'same_person' })).status).toBe(401);
    expect(await resolutions()).toBe(0);
    expect(await audits()).toBe(0);
  });

  it('answers 404 for what is not a conflict of this event, 400 for a bad body, and writes nothing', async () => {
    const [c] = (await totals()).conflictList;
    const [admitted] = await t.db.select().from(checkinScan).where(and(eq(checkinScan.eventId, e.id), eq(checkinScan.result, 'admitted'))).limit(1);
    const [elsewhere] = (await totals(staff, other.id)).conflictList;
    expect(elsewhere).toBeDefined();
    for (const [p, why] of [
      [path(admitted!.id), 'an admission, not a conflict'],
      [path(elsewhere!.scanId), 'another event’s conflict'],
      [path('not-a-uuid'), 'not an id'],
      [path('00000000-0000-4000-8000-000000000000'), 'unknown'],
    ] as const) {
      expect((await problem(await staff.post(p, { resolution: 'same_person' }), 404)).code, why).toBe('checkin_conflict_not_found');
    }
    expect((await problem(await staff.post(path(c!.scanId, '00000000-0000-4000-8000-000000000000'), { resolution: 'same_person' }), 404)).code).toBe('event_not_found');
    const bad = await problem(await staff.post(path(c!.scanId), { resolution: 'maybe' }), 400);
    expect(bad.errors!.map((x) => x.field)).toEqual(['body.resolution']);
    expect((await problem(await staff.post(path(c!.scanId), { resolution: 'same_person', who: 'x' }), 400)).errors).toEqual([{ field: 'body.who', detail: 'Unknown field' }]);
    expect((await problem(await staff.post(path(c!.scanId), { resolution: 'same_person', note: 'x'.repeat(501) }), 400)).errors!.map((x) => x.field)).toEqual(['body.note']);
    expect(await resolutions()).toBe(0);
    expect(await audits()).toBe(0);
  });

  it('records a resolution with its note, audited without the note’s text; viewers see the answer but not the note', async () => {
    const before = await totals();
    const first = before.conflictList[0]!;
    const res = await staff.post(path(first.scanId), { resolution: 'same_person', note: '  Went back out for her bag  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ scanId: first.scanId, resolution: { resolution: 'same_person', note: 'Went back out for her bag', by: 'Sara Staff' } });

    const after = await totals();
    expect(after).toMatchObject({ conflicts: 3, unresolvedConflicts: 2 });
    // the open ones first, the resolved one last
    expect(after.conflictList.map((c) => c.resolution === null)).toEqual([true, true, false]);
    expect(after.conflictList[2]).toMatchObject({ scanId: first.scanId, resolution: { resolution: 'same_person', note: 'Went back out for her bag', by: 'Sara Staff' } });
    const seen = (await totals(viewer)).conflictList.find((c) => c.scanId === first.scanId)!;
    expect(seen.resolution).toMatchObject({ resolution: 'same_person', note: null, by: 'Sara Staff' });
    expect(seen.name).toBeNull();

    const [a] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'event.checkin_conflict.resolve'));
    expect(a).toMatchObject({ actorId: staff.user.id, entityId: e.id, detail: { scanId: first.scanId, resolution: 'same_person', previous: null, noted: true } });
    expect(JSON.stringify(a!.detail)).not.toContain('bag');
    // the scan stays as the door recorded it
    const [scan] = await t.db.select().from(checkinScan).where(eq(checkinScan.id, first.scanId));
    expect(scan!.result).toBe('conflict');

    // resolved again: the answer replaced, both audited
    const again = await admin.post(path(first.scanId), { resolution: 'two_people' });
    expect(again.status).toBe(200);
    const againBody = await again.json();
    expect(againBody.resolution).toMatchObject({ resolution: 'two_people', note: null });
    expect(againBody.reissuedVersion).toBe(2);
    expect(await resolutions()).toBe(1);
    expect(await audits()).toBe(2);
    const [latest] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'event.checkin_conflict.resolve'), eq(auditEntry.actorId, admin.user.id)));
    expect(latest!.detail).toMatchObject({ resolution: 'two_people', previous: 'same_person', noted: false });

    // same_person, then two_people: the ticket's code made again (version 2) once, in the same transaction
    expect(latest!.detail).toMatchObject({ reissuedVersion: 2 });

    // the other two, and the count reaches 0
    for (const c of after.conflictList.slice(0, 2)) expect((await staff.post(path(c.scanId), { resolution: 'same_person' })).status).toBe(200);
    expect(await totals()).toMatchObject({ conflicts: 3, unresolvedConflicts: 0 });
    // the other event is untouched
    expect(await totals(staff, other.id)).toMatchObject({ conflicts: 1, unresolvedConflicts: 1 });
  });

  it('two people on one ticket: the code is made again, the copy is refused at the door, the new code is the holder’s; once', async () => {
    const { event: ev, ticketType: type } = await buildOpenEvent(t.db, ctx, { slug: 'door-copied', capacity: 10 });
    const [holder] = await buildTickets(t.db, ev.id, type.id, ['Copied Code']);
    const phones = [];
    for (const label of ['phone A', 'phone B']) {
      const made = await staff.post(`/api/events/${ev.id}/checkin-devices`, { gate: ev.gates[0], label });
      expect(made.status).toBe(201);
      const paired = await t.client().post('/api/checkin/pair', { code: (await made.json()).pairingCode });
      phones.push(t.client({ authorization: `Bearer ${(await paired.json()).token}` }));
    }
    const [a, b] = phones as [ReturnType<typeof t.client>, ReturnType<typeof t.client>];
    const scan = async (phone: typeof a, code: string, offline = false) =>
      ((await (await phone.post('/api/checkin/scans', { scans: [{ nonce: nonce(), code, scannedAt: new Date().toISOString(), gate: ev.gates[0], offline }] })).json()).results[0].result as string);
    expect(await scan(a, holder!.code)).toBe('admitted');
    expect(await scan(b, holder!.code, true)).toBe('conflict');
    const [c] = (await totals(staff, ev.id)).conflictList;
    const [regBefore] = await t.db.select({ at: registration.updatedAt }).from(registration).where(eq(registration.id, holder!.registrationId));

    // a viewer may not, and nothing changes
    expect((await viewer.post(path(c!.scanId, ev.id), { resolution: 'two_people' })).status).toBe(403);
    expect((await t.db.select({ version: ticket.version }).from(ticket).where(eq(ticket.id, holder!.id)))[0]!.version).toBe(1);

    const res = await staff.post(path(c!.scanId, ev.id), { resolution: 'two_people', note: 'a photo of the code' });
    expect(res.status).toBe(200);
    expect((await res.json()).reissuedVersion).toBe(2);
    const [tk] = await t.db.select().from(ticket).where(eq(ticket.id, holder!.id));
    expect(tk).toMatchObject({ version: 2, status: 'valid' });
    expect(tk!.code).not.toBe(holder!.code);
    const [regAfter] = await t.db.select({ at: registration.updatedAt }).from(registration).where(eq(registration.id, holder!.registrationId));
    expect(regAfter!.at.getTime()).toBeGreaterThanOrEqual(regBefore!.at.getTime());
    // the copied (old) code no longer opens the door; the new one is the admitted holder's
    expect(await scan(b, holder!.code)).toBe('invalid');
    expect(await scan(a, tk!.code)).toBe('already_admitted');
    // the phones' list carries the new version
    const list = await (await a.get('/api/checkin/tickets')).json();
    expect(list.tickets.find((x: { id: string }) => x.id === holder!.id).version).toBe(2);

    // answering two_people again does not reissue again
    const again = await admin.post(path(c!.scanId, ev.id), { resolution: 'two_people' });
    expect((await again.json()).reissuedVersion).toBeNull();
    expect((await t.db.select({ version: ticket.version }).from(ticket).where(eq(ticket.id, holder!.id)))[0]!.version).toBe(2);
  });
});
