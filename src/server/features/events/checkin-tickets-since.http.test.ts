import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { cancelTicket, register, type EventsDeps } from './registration.service.ts';
import { eraseRegistrations } from './registration-erasure.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';
import { buildTickets, nonce } from '../../../../tests/setup/checkin-factories.ts';

// GET /api/checkin/tickets?since=<cursor>: a phone holding the list asks only for what changed since (made,
// cancelled, renamed or erased, admitted), and what it merges by id is the list it would have read whole.
const t = await createTestApp();
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file', mailer: null as never };
let n = 0;
const anyone = () => ({ actor: null, ip: `198.51.100.${++n}`, userAgent: '' });
const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'changes-since', capacity: 30 });
const { event: other, ticketType: otherType } = await buildOpenEvent(t.db, ctx, { slug: 'changes-elsewhere', capacity: 30 });
const old = await buildTickets(t.db, e.id, tt.id, ['Noa Levi', 'نور حداد', 'יעל כהן', 'Rami Khoury', 'Dana Ben-Ami']);
const leaving = await register(t.db, anyone(), deps, 'changes-since', { email: 'leaving@example.org', name: 'Leaving Soon', language: 'en', ticketTypeId: tt.id, answers: {} });
// everything so far happened an hour ago
await t.db.execute(sql`UPDATE ticket SET created_at = now() - interval '1 hour'`);
await t.db.execute(sql`UPDATE registration SET created_at = now() - interval '1 hour', updated_at = now() - interval '1 hour'`);

type Ticket = { id: string; status: string; name: string; search: string; admittedAt: string | null; version: number; ticketTypeId: string };
type List = { asOf: string; cursor: string; changesOnly: boolean; publicKey: string; ticketTypes: unknown[]; tickets: Ticket[] };

async function pairedPhone(): Promise<TestClient> {
  const made = await (await staff.post(`/api/events/${e.id}/checkin-devices`, { gate: 'North', label: 'list phone' })).json();
  const { token } = await (await t.client().post('/api/checkin/pair', { code: made.pairingCode })).json();
  return t.client({ authorization: `Bearer ${token}` });
}
const phone = await pairedPhone();
async function list(since?: string): Promise<List> {
  const res = await phone.get(`/api/checkin/tickets${since ? `?since=${since}` : ''}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${res.status}: ${body}`);
  return JSON.parse(body) as List;
}
const byId = (l: Ticket[]) => new Map(l.map((x) => [x.id, x]));

describe('check-in: the ticket list, changes since', () => {
  let whole: List;

  it('answers the whole list first, with a cursor; asked again at once, nothing changed', async () => {
    whole = await list();
    expect(whole.changesOnly).toBe(false);
    expect(whole.tickets).toHaveLength(6);
    expect(whole.cursor).toMatch(/^v1-[0-9a-z]+$/);
    const none = await list(whole.cursor);
    expect(none).toMatchObject({ changesOnly: true, tickets: [], publicKey: whole.publicKey });
    expect(none.ticketTypes).toEqual(whole.ticketTypes);
  });

  it('then only the tickets made, cancelled, erased or admitted since, which merged by id give the whole list', async () => {
    // admitted by a phone
    const scan = await phone.post('/api/checkin/scans', { scans: [{ nonce: nonce(), code: old[0]!.code, scannedAt: new Date().toISOString(), gate: 'North', offline: false }] });
    expect((await scan.json()).results[0].result).toBe('admitted');
    // a new registration, and one cancelled by its holder
    const fresh = await register(t.db, anyone(), deps, 'changes-since', { email: 'new@example.org', name: 'Samir New', language: 'ar', ticketTypeId: tt.id, answers: {} });
    await cancelTicket(t.db, anyone(), deps, 'changes-since', leaving.token, leaving.ticketId!);
    // a registration erased (as retention or Network's erasure does)
    await eraseRegistrations(t.db, sql`SELECT ${old[1]!.registrationId}::uuid`);
    // another event's change is never in this list
    await buildTickets(t.db, other.id, otherType.id, ['Elsewhere Person']);

    const changes = await list(whole.cursor);
    expect(changes.changesOnly).toBe(true);
    const got = byId(changes.tickets);
    expect([...got.keys()].sort()).toEqual([old[0]!.id, old[1]!.id, leaving.ticketId!, fresh.ticketId!].sort());
    expect(got.get(old[0]!.id)!.admittedAt).not.toBeNull();
    expect(got.get(old[1]!.id)).toMatchObject({ name: '', search: '' });
    expect(got.get(leaving.ticketId!)!.status).toBe('cancelled');
    expect(got.get(fresh.ticketId!)).toMatchObject({ name: 'Samir New', status: 'valid' });

    // merged, it is the list read whole now
    const merged = byId(whole.tickets);
    for (const x of changes.tickets) merged.set(x.id, x);
    const now = await list();
    expect(new Map([...merged].sort(([a], [b]) => a.localeCompare(b)))).toEqual(new Map([...byId(now.tickets)].sort(([a], [b]) => a.localeCompare(b))));
    // and from the new cursor, a change made after it shows
    const [r] = await rows<{ id: string }>(t.db, sql`UPDATE registration SET name = 'Rami K.', updated_at = now() WHERE id = ${old[3]!.registrationId}::uuid RETURNING id`);
    expect(r).toBeDefined();
    expect((await list(now.cursor)).tickets.map((x) => x.name)).toContain('Rami K.');
  });

  it('refuses a cursor it did not give (400 naming query.since), and anyone but a paired phone', async () => {
    for (const bad of ['yesterday', 'v1-', 'v1-zzzzzzzzzzzz', 'v2-abc', 'v1-ABC']) {
      const p = await problem(await phone.get(`/api/checkin/tickets?since=${encodeURIComponent(bad)}`), 400);
      expect(p.errors!.map((x) => x.field), bad).toEqual(['query.since']);
    }
    expect((await problem(await t.client().get(`/api/checkin/tickets?since=${whole.cursor}`), 401)).code).toBe('device_token_required');
    expect((await problem(await staff.get(`/api/checkin/tickets?since=${whole.cursor}`), 401)).code).toBe('device_token_required');
  });
});
