import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// Erasure on request, route by route: who may (administrators), who may not (staff and viewers 403, anonymous 401),
// erasing at once, the second administrator's confirmation, cancelling, expiry, the answers for records that do not
// exist or were already erased, the frozen tombstone, and the audit log's one controlled exception.

const t = await createTestApp();
const admin = await t.signedIn('admin', { name: 'Maya Admin' });
const admin2 = await t.signedIn('admin', { name: 'Khalil Admin' });
const staff = await t.signedIn('staff', { name: 'Sara Staff' });
const viewer = await t.signedIn('viewer', { name: 'Vera Viewer' });
const outsider = await t.signedIn('staff', { name: 'Olga Outsider' });
const anonymous = t.client();

type Json = Record<string, any>;
async function ok(res: Response | Promise<Response>, status = [200, 201]): Promise<Json> {
  const r = await res;
  const text = await r.text();
  if (!status.includes(r.status)) throw new Error(`expected ${status.join('/')}, got ${r.status}: ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

async function newPerson(name: string, extra: Json = {}) {
  return ok(staff.post('/api/people', { names: [{ name }], contacts: [{ kind: 'email', value: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` }], ...extra }));
}
async function newOrganisation(name: string) {
  return ok(staff.post('/api/organisations', { kind: 'member', status: 'active', name, names: [{ name }] }));
}
async function setSecondAdmin(on: boolean) {
  expect(await ok(admin.patch('/api/erasure-settings', { secondAdmin: on }))).toEqual({ secondAdmin: on });
}
const erase = (client: TestClient, path: string, json: Json) => client.post(path, json);

describe('who may erase', () => {
  it('every route answers 401 to the anonymous and 403 to staff and viewers, except reading whether a record is erased', async () => {
    const p = await newPerson('Role Test Person');
    const o = await newOrganisation('Role Test Organisation');
    const request = await ok(admin.get('/api/erasure-requests'));
    expect(request.items).toEqual([]);
    const some = '00000000-0000-4000-8000-000000000000';
    const adminOnly: [string, string, Json?][] = [
      ['get', `/api/people/${p.id}/erasure/preview`],
      ['post', `/api/people/${p.id}/erasure`, { confirmName: 'Role Test Person' }],
      ['get', `/api/organisations/${o.id}/erasure/preview`],
      ['post', `/api/organisations/${o.id}/erasure`, { confirmName: 'Role Test Organisation' }],
      ['get', '/api/erasure-requests'],
      ['get', `/api/erasure-requests/${some}`],
      ['post', `/api/erasure-requests/${some}/confirm`, { confirmName: 'x' }],
      ['delete', `/api/erasure-requests/${some}`],
      ['get', '/api/erasure-settings'],
      ['patch', '/api/erasure-settings', { secondAdmin: true }],
    ];
    for (const [method, path, json] of adminOnly) {
      const call = (c: TestClient) => (method === 'get' ? c.get(path) : method === 'delete' ? c.delete(path) : c.request(path, { method: method.toUpperCase(), json }));
      expect((await problem(await call(anonymous), 401)).code, `${method} ${path}`).toBe('not_signed_in');
      for (const c of [staff, viewer]) expect((await problem(await call(c), 403)).code, `${c.user.role} ${method} ${path}`).toBe('forbidden');
    }
    // nothing happened
    expect((await ok(admin.get(`/api/people/${p.id}`))).displayName).toBe('Role Test Person');
    expect(await ok(admin.get('/api/erasure-settings'))).toEqual({ secondAdmin: false });

    // whether a record is erased: anyone who may see it
    await problem(await anonymous.get(`/api/people/${p.id}/erasure`), 401);
    for (const c of [viewer, staff]) {
      expect(await ok(c.get(`/api/people/${p.id}/erasure`))).toEqual({
        recordType: 'person',
        recordId: p.id,
        state: 'none',
        reference: null,
        erasedAt: null,
        erasure: null,
        secondAdminRequired: false,
      });
      expect((await ok(c.get(`/api/organisations/${o.id}/erasure`))).state).toBe('none');
    }
  });

  it('answers 404 for records that do not exist, and for a restricted person to someone not granted', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await problem(await admin.get(`/api/people/${id}/erasure/preview`), 404)).code).toBe('person_not_found');
      expect((await problem(await erase(admin, `/api/people/${id}/erasure`, { confirmName: 'x' }), 404)).code).toBe('person_not_found');
      expect((await problem(await admin.get(`/api/organisations/${id}/erasure`), 404)).code).toBe('organisation_not_found');
      expect((await problem(await erase(admin, `/api/organisations/${id}/erasure`, { confirmName: 'x' }), 404)).code).toBe('organisation_not_found');
      expect((await problem(await admin.get(`/api/erasure-requests/${id}`), 404)).code).toBe('erasure_request_not_found');
      expect((await problem(await admin.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'x' }), 404)).code).toBe('erasure_request_not_found');
      expect((await problem(await admin.delete(`/api/erasure-requests/${id}`), 404)).code).toBe('erasure_request_not_found');
    }
    const secret = await ok(admin.post('/api/people', { names: [{ name: 'Hidden Witness' }], restricted: true }));
    await problem(await staff.get(`/api/people/${secret.id}/erasure`), 404);
    expect((await ok(admin.get(`/api/people/${secret.id}/erasure`))).state).toBe('none');
  });

  it('refuses bad input, naming the field', async () => {
    const p = await newPerson('Input Test Person');
    const bad = await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Input Test', extra: 1 }), 400);
    expect(bad.errors!.map((e) => e.field)).toEqual(['body.extra']);
    const missing = await problem(await erase(admin, `/api/people/${p.id}/erasure`, {}), 400);
    expect(missing.errors!.map((e) => e.field)).toEqual(['body.confirmName']);
    const mismatch = await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Input Test' }), 422);
    expect(mismatch).toMatchObject({ code: 'confirmation_mismatch', errors: [{ field: 'body.confirmName' }] });
    const naming = await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'input test person', reason: 'Input Test Person asked by phone' }), 422);
    expect(naming).toMatchObject({ code: 'reason_names_record', errors: [{ field: 'body.reason' }] });
    const place = await problem(
      await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'INPUT TEST PERSON', redact: [{ kind: 'meeting_notes', id: '00000000-0000-4000-8000-000000000000' }] }),
      422,
    );
    expect(place).toMatchObject({ code: 'place_not_found', errors: [{ field: 'body.redact.0' }] });
    const kind = await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'x', redact: [{ kind: 'diary', id: 'a' }] }), 400);
    expect(kind.errors!.map((e) => e.field)).toEqual(['body.redact.0.kind']);
    expect((await ok(admin.get(`/api/people/${p.id}`))).names).toHaveLength(1);
  });
});

describe('erasing at once (no second administrator required)', () => {
  it('erases after the typed confirmation; then 409 for a second erasure; the tombstone is frozen', async () => {
    const org = await newOrganisation('Olive Press Circle');
    const p = await newPerson('Laila Marwan', { affiliations: [{ organisationId: org.id, title: 'Treasurer' }], notes: 'Lives in Jenin', restricted: true });
    const other = await newPerson('Omar Nasser');
    const meeting = await ok(
      staff.post('/api/meetings', {
        kind: 'group',
        title: 'Harvest planning',
        startsAt: '2026-10-01T08:00:00Z',
        endsAt: '2026-10-01T09:00:00Z',
        timeZone: 'Asia/Hebron',
        organisations: [{ organisationId: org.id }],
        people: [{ personId: p.id, role: 'Speaker' }, { personId: other.id }],
      }),
    );
    const preview = await ok(admin.get(`/api/people/${p.id}/erasure/preview`));
    expect(preview).toMatchObject({ displayName: 'Laila Marwan', erases: { names: 1, contacts: 1, affiliations: 1, notes: true }, keeps: { meetings: 1 }, mentions: [], mentionsTotal: 0 });
    expect(preview.erases.auditEntries).toBeGreaterThanOrEqual(1);

    const out = await ok(erase(admin, `/api/people/${p.id}/erasure`, { confirmName: ' laila marwan ', reason: 'Request by letter, 2 December' }), [200]);
    expect(out).toMatchObject({ done: true, erasure: { status: 'done', recordType: 'person', recordId: p.id, reason: 'Request by letter, 2 December', requestedBy: { id: admin.user.id, name: 'Maya Admin' }, erasedBy: { id: admin.user.id }, expiresAt: null, mentions: [] } });
    const { reference, tombstone } = out.erasure;
    expect(tombstone).toBe(`Erased person · ${reference}`);

    // the record keeps its id, its restriction and its meeting; the role said who they were, so it is plain now
    const shown = await ok(admin.get(`/api/people/${p.id}`));
    expect(shown).toMatchObject({ displayName: tombstone, restricted: true, identityRestricted: false, names: [], contacts: [], affiliations: [], notes: null });
    await problem(await viewer.get(`/api/people/${p.id}`), 404);
    await problem(await viewer.get(`/api/people/${p.id}/erasure`), 404);
    const m = await ok(admin.get(`/api/meetings/${meeting.id}`));
    expect(m.people.map((x: Json) => [x.personId, x.role]).sort()).toEqual([[other.id, 'participant'], [p.id, 'participant']].sort());

    // everyone who may see it learns it was erased; only administrators see by whom
    expect(await ok(admin.get(`/api/people/${p.id}/erasure`))).toMatchObject({ state: 'erased', reference, erasure: { id: out.erasure.id } });
    expect((await ok(admin.get(`/api/organisations/${org.id}/erasure`))).state).toBe('none');

    // 409 for a second erasure and for its preview
    expect((await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: tombstone }), 409)).code).toBe('already_erased');
    expect((await problem(await admin.get(`/api/people/${p.id}/erasure/preview`), 409)).code).toBe('already_erased');

    // frozen: nothing can be written back onto the tombstone, nor merged into or out of it
    expect((await problem(await admin.patch(`/api/people/${p.id}`, { notes: 'back' }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post(`/api/people/${p.id}/names`, { name: 'Laila Marwan' }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post(`/api/people/${p.id}/contacts`, { kind: 'email', value: 'l@example.org' }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post(`/api/people/${p.id}/affiliations`, { organisationId: org.id }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post('/api/people/merge', { keepId: p.id, mergeId: other.id }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post('/api/people/merge', { keepId: other.id, mergeId: p.id }), 409)).code).toBe('record_erased');
    // a viewer still gets 403 and the anonymous 401; a staff member who may not see the (restricted) person gets the
    // 404 of a person that does not exist: being erased tells nothing to those who may not see the record
    await problem(await viewer.patch(`/api/people/${p.id}`, { notes: 'x' }), 403);
    await problem(await anonymous.patch(`/api/people/${p.id}`, { notes: 'x' }), 401);
    await problem(await outsider.patch(`/api/people/${p.id}`, { notes: 'x' }), 404);
    await problem(await outsider.post(`/api/people/${p.id}/names`, { name: 'Laila Marwan' }), 404);
    await problem(await outsider.post('/api/people/merge', { keepId: other.id, mergeId: p.id }), 404);
    const malformed = await admin.request('/api/people/merge', { method: 'POST', body: '{"keepId": ', headers: { 'content-type': 'application/json' } });
    expect((await problem(malformed, 400)).code).toBe('malformed_json');
    // merges of other records still work, and meetings may still be recorded with the erased person
    const a = await newPerson('Nadia Salem');
    const b = await newPerson('Nadia Saleem');
    expect((await ok(staff.post('/api/people/merge', { keepId: a.id, mergeId: b.id }))).keptId).toBe(a.id);
    await ok(staff.patch(`/api/meetings/${meeting.id}`, { title: 'Harvest planning (moved)' }));

    // the audit: the erasure, by whom and which reference; nothing of what was erased
    const entries = await ok(admin.get(`/api/audit?entityType=person&entityId=${p.id}`));
    const erased = entries.items.find((e: Json) => e.action === 'person.erase');
    expect(erased).toMatchObject({ actorId: admin.user.id, detail: { reference, erasureId: out.erasure.id, requestedBy: admin.user.id, erasedBy: admin.user.id } });
    expect(JSON.stringify(entries.items)).not.toMatch(/Laila|Marwan|Jenin|Treasurer|Speaker/);
    const create = entries.items.find((e: Json) => e.action === 'person.create');
    expect(create.detail).toEqual({ erased: tombstone, restricted: true, identityRestricted: false, names: 1, contacts: 1, affiliations: 1 });
  });

  it('an erased person without meetings may still be deleted', async () => {
    const p = await newPerson('Hana Saad');
    await ok(erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Hana Saad' }), [200]);
    expect((await admin.delete(`/api/people/${p.id}`)).status).toBe(204);
    await problem(await admin.get(`/api/people/${p.id}`), 404);
  });

  it('erases an organisation at once; its meetings keep it', async () => {
    const o = await newOrganisation('Small Garden Group');
    const out = await ok(erase(admin, `/api/organisations/${o.id}/erasure`, { confirmName: 'Small Garden Group' }), [200]);
    expect(out.erasure.tombstone).toBe(`Erased organisation · ${out.erasure.reference}`);
    expect((await ok(staff.get(`/api/organisations/${o.id}/erasure`))).state).toBe('erased');
    expect((await problem(await admin.patch(`/api/organisations/${o.id}`, { city: 'Nablus' }), 409)).code).toBe('record_erased');
    expect((await problem(await admin.post(`/api/organisations/${o.id}/names`, { name: 'Small Garden Group' }), 409)).code).toBe('record_erased');
    const other = await newOrganisation('Another Garden Group');
    expect((await problem(await admin.post('/api/organisations/merge', { keepId: other.id, mergeId: o.id }), 409)).code).toBe('record_erased');
  });
});

describe('with a second administrator required', () => {
  it('a request waits; the requester cannot confirm it; another administrator does, and only then is the data erased', async () => {
    await setSecondAdmin(true);
    await problem(await staff.patch('/api/erasure-settings', { secondAdmin: false }), 403);
    const p = await newPerson('Rami Haddad');
    const requested = await ok(erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Rami Haddad', reason: 'Asked in person on 1 December' }), [201]);
    expect(requested).toMatchObject({ done: false, erasure: { status: 'pending', recordName: 'Rami Haddad', erasedAt: null, mentions: null, requestedBy: { id: admin.user.id } } });
    const expires = Date.parse(requested.erasure.expiresAt) - Date.parse(requested.erasure.requestedAt);
    expect(expires).toBe(7 * 86_400_000);
    const id = requested.erasure.id;

    // nothing erased yet; administrators see the request, others do not
    expect((await ok(admin.get(`/api/people/${p.id}`))).names).toHaveLength(1);
    expect(await ok(admin2.get(`/api/people/${p.id}/erasure`))).toMatchObject({ state: 'pending', secondAdminRequired: true, erasure: { id } });
    expect(await ok(staff.get(`/api/people/${p.id}/erasure`))).toMatchObject({ state: 'none', erasure: null });
    expect((await ok(admin2.get('/api/erasure-requests'))).items.map((e: Json) => e.id)).toEqual([id]);
    const detail = await ok(admin2.get(`/api/erasure-requests/${id}`));
    expect(detail).toMatchObject({ erasure: { id, status: 'pending' }, preview: { displayName: 'Rami Haddad', erases: { names: 1, contacts: 1 } } });

    // one request at a time; the requester is not the second administrator
    expect((await problem(await erase(admin2, `/api/people/${p.id}/erasure`, { confirmName: 'Rami Haddad' }), 409)).code).toBe('erasure_pending');
    expect((await problem(await admin.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'Rami Haddad' }), 403)).code).toBe('second_admin_required');
    expect((await problem(await admin2.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'Rami' }), 422)).code).toBe('confirmation_mismatch');
    await problem(await staff.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'Rami Haddad' }), 403);
    expect((await ok(admin.get(`/api/people/${p.id}`))).names).toHaveLength(1);

    const done = await ok(admin2.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'rami haddad' }), [200]);
    expect(done).toMatchObject({ id, status: 'done', requestedBy: { id: admin.user.id }, erasedBy: { id: admin2.user.id, name: 'Khalil Admin' }, recordName: done.tombstone });
    expect((await ok(admin.get(`/api/people/${p.id}`))).displayName).toBe(done.tombstone);
    expect((await problem(await admin2.post(`/api/erasure-requests/${id}/confirm`, { confirmName: 'x' }), 409)).code).toBe('erasure_not_pending');
    expect((await problem(await admin.delete(`/api/erasure-requests/${id}`), 409)).code).toBe('erasure_not_pending');
    expect((await ok(admin.get('/api/erasure-requests'))).items).toEqual([]);
    expect((await ok(admin.get('/api/erasure-requests?status=done'))).items.map((e: Json) => e.id)).toContain(id);

    const log = await ok(admin.get(`/api/audit?entityType=erasure&entityId=${id}`));
    expect(log.items.map((e: Json) => [e.action, e.actorId])).toEqual([['erasure.request', admin.user.id]]);
    expect(log.items[0].detail).toEqual({ recordType: 'person', recordId: p.id, reference: done.reference, secondAdmin: true, places: 0 });
    const erased = await ok(admin.get(`/api/audit?action=person.erase&entityId=${p.id}`));
    expect(erased.items[0]).toMatchObject({ actorId: admin2.user.id, detail: { requestedBy: admin.user.id, erasedBy: admin2.user.id, reference: done.reference } });
    await setSecondAdmin(false);
  });

  it('a request can be cancelled (nothing erased) and asked again; a request expires after 7 days', async () => {
    await setSecondAdmin(true);
    const o = await newOrganisation('Youth Bridge Club');
    const first = await ok(erase(admin, `/api/organisations/${o.id}/erasure`, { confirmName: 'Youth Bridge Club' }), [201]);
    await problem(await viewer.delete(`/api/erasure-requests/${first.erasure.id}`), 403);
    expect((await admin2.delete(`/api/erasure-requests/${first.erasure.id}`)).status).toBe(204);
    expect((await ok(admin.get(`/api/erasure-requests/${first.erasure.id}`))).erasure).toMatchObject({ status: 'cancelled', cancelledBy: { id: admin2.user.id } });
    expect((await ok(admin.get(`/api/organisations/${o.id}`))).name).toBe('Youth Bridge Club');
    expect((await ok(admin.get('/api/erasure-requests?status=cancelled'))).items.map((e: Json) => e.id)).toContain(first.erasure.id);

    const second = await ok(erase(admin2, `/api/organisations/${o.id}/erasure`, { confirmName: 'Youth Bridge Club' }), [201]);
    // seven days pass (the request's clock moved back rather than waiting)
    await t.db.execute(sql`UPDATE erasure SET requested_at = requested_at - interval '8 days', expires_at = expires_at - interval '8 days' WHERE id = ${second.erasure.id}::uuid`);
    expect((await problem(await admin.post(`/api/erasure-requests/${second.erasure.id}/confirm`, { confirmName: 'Youth Bridge Club' }), 409)).code).toBe('erasure_request_expired');
    expect((await ok(admin.get(`/api/erasure-requests/${second.erasure.id}`))).erasure.status).toBe('expired');
    expect((await ok(admin.get('/api/erasure-requests'))).items.map((e: Json) => e.id)).not.toContain(second.erasure.id);
    expect((await ok(admin.get('/api/erasure-requests?status=expired'))).items.map((e: Json) => e.id)).toContain(second.erasure.id);
    expect((await ok(admin.get(`/api/organisations/${o.id}/erasure`))).state).toBe('none');
    // asked again: the lapsed request is closed, the new one confirmed
    const third = await ok(erase(admin, `/api/organisations/${o.id}/erasure`, { confirmName: 'Youth Bridge Club' }), [201]);
    await ok(admin2.post(`/api/erasure-requests/${third.erasure.id}/confirm`, { confirmName: 'Youth Bridge Club' }), [200]);
    expect((await ok(admin.get(`/api/organisations/${o.id}`))).name).toBe(third.erasure.tombstone);
    const all = await ok(admin.get('/api/erasure-requests?status=all&limit=2'));
    expect(all.items).toHaveLength(2);
    expect(all.nextCursor).not.toBeNull();
    const next = await ok(admin.get(`/api/erasure-requests?status=all&limit=200&cursor=${encodeURIComponent(all.nextCursor)}`));
    expect(next.items.map((e: Json) => e.id)).not.toContain(all.items[0].id);
    await setSecondAdmin(false);
  });

  it('when the setting is turned off, a pending request may be confirmed by its requester', async () => {
    await setSecondAdmin(true);
    const p = await newPerson('Dalia Aziz');
    const r = await ok(erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Dalia Aziz' }), [201]);
    await setSecondAdmin(false);
    expect((await problem(await erase(admin, `/api/people/${p.id}/erasure`, { confirmName: 'Dalia Aziz' }), 409)).code).toBe('erasure_pending');
    await ok(admin.post(`/api/erasure-requests/${r.erasure.id}/confirm`, { confirmName: 'Dalia Aziz' }), [200]);
  });
});

describe('the audit log stays append-only outside an erasure', () => {
  it('refuses to change or delete entries, even with the erasure setting, unless an erasure is in progress in the same transaction', async () => {
    const ctx = { actor: null, ip: '127.0.0.1', userAgent: 'test' };
    await recordAudit(t.db, ctx, { action: 'thing.create', entityType: 'thing', entityId: 'audit-guard', detail: { name: 'Someone' } });
    const [entry] = await rows<{ id: string }>(t.db, sql`SELECT id::text AS id FROM audit_entry WHERE entity_id = 'audit-guard'`);
    const [done] = await rows<{ id: string; tombstone: string }>(t.db, sql`SELECT id::text AS id, tombstone FROM erasure WHERE status = 'done' LIMIT 1`);
    const attempt = (setup: ReturnType<typeof sql>[], change: ReturnType<typeof sql>) =>
      t.db.transaction(async (tx) => {
        for (const s of setup) await tx.execute(s);
        await tx.execute(change);
      });
    const rewrite = sql`UPDATE audit_entry SET detail = ${JSON.stringify({ name: done!.tombstone })}::jsonb WHERE id = ${entry!.id}::bigint`;
    // the setting alone, naming an erasure that is done: refused
    await expect(attempt([sql`SELECT set_config('convene.erasure', ${done!.id}, true)`], rewrite)).rejects.toThrow();
    // an erasure in progress, but a change beyond the detail: refused
    const erasing = sql`UPDATE erasure SET status = 'erasing' WHERE id = ${done!.id}::uuid`;
    const setting = sql`SELECT set_config('convene.erasure', ${done!.id}, true)`;
    await expect(attempt([erasing, setting], sql`UPDATE audit_entry SET action = 'thing.forged', detail = ${JSON.stringify({ name: done!.tombstone })}::jsonb WHERE id = ${entry!.id}::bigint`)).rejects.toThrow();
    // a detail without the tombstone: refused
    await expect(attempt([erasing, setting], sql`UPDATE audit_entry SET detail = '{"name": "Someone else"}'::jsonb WHERE id = ${entry!.id}::bigint`)).rejects.toThrow();
    // deleting: always refused
    await expect(attempt([erasing, setting], sql`DELETE FROM audit_entry WHERE id = ${entry!.id}::bigint`)).rejects.toThrow();
    // without the setting (another code path): refused
    await expect(attempt([erasing], rewrite)).rejects.toThrow();
    const [after] = await rows<{ detail: unknown }>(t.db, sql`SELECT detail FROM audit_entry WHERE id = ${entry!.id}::bigint`);
    expect(after!.detail).toEqual({ name: 'Someone' });
    // the one exception, as the erasure uses it (rolled back here): the detail becomes the tombstone
    await expect(
      t.db.transaction(async (tx) => {
        await tx.execute(erasing);
        await tx.execute(setting);
        await tx.execute(rewrite);
        const [r] = await rows<{ detail: unknown }>(tx, sql`SELECT detail FROM audit_entry WHERE id = ${entry!.id}::bigint`);
        expect(r!.detail).toEqual({ name: done!.tombstone });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [status] = await rows<{ status: string }>(t.db, sql`SELECT status FROM erasure WHERE id = ${done!.id}::uuid`);
    expect(status!.status).toBe('done');
  });
});

describe('the API reference', () => {
  it('declares every erasure route with its schemas', async () => {
    const doc = await (await t.app.request('/api/openapi.json')).json();
    const routes: [string, string][] = [
      ['get', '/api/people/{id}/erasure'],
      ['get', '/api/people/{id}/erasure/preview'],
      ['post', '/api/people/{id}/erasure'],
      ['get', '/api/organisations/{id}/erasure'],
      ['get', '/api/organisations/{id}/erasure/preview'],
      ['post', '/api/organisations/{id}/erasure'],
      ['get', '/api/erasure-requests'],
      ['get', '/api/erasure-requests/{id}'],
      ['post', '/api/erasure-requests/{id}/confirm'],
      ['delete', '/api/erasure-requests/{id}'],
      ['get', '/api/erasure-settings'],
      ['patch', '/api/erasure-settings'],
    ];
    for (const [method, path] of routes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.responses['401'], `${method} ${path}`).toBeDefined();
      if (method === 'post' || method === 'patch') expect(op.requestBody.content['application/json'].schema, `${method} ${path}`).toBeDefined();
    }
    expect(doc.components.schemas.Erasure).toBeDefined();
    // the writes an erased record refuses (409 record_erased) say so
    const frozen: [string, string][] = [
      ['patch', '/api/people/{id}'],
      ['post', '/api/people/{id}/names'],
      ['delete', '/api/people/{id}/names/{nameId}'],
      ['post', '/api/people/{id}/contacts'],
      ['delete', '/api/people/{id}/contacts/{contactId}'],
      ['post', '/api/people/{id}/affiliations'],
      ['patch', '/api/affiliations/{id}'],
      ['delete', '/api/affiliations/{id}'],
      ['patch', '/api/organisations/{id}'],
      ['post', '/api/organisations/{id}/names'],
      ['delete', '/api/organisations/{id}/names/{nameId}'],
      ['post', '/api/organisations/{id}/status'],
      ['post', '/api/organisations/{id}/links'],
      ['post', '/api/people/merge'],
      ['post', '/api/organisations/merge'],
    ];
    for (const [method, path] of frozen) expect(Object.keys(doc.paths[path][method].responses), `${method} ${path}`).toContain('409');
  });
});
