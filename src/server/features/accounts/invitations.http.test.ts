import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation, user } from './accounts.schema.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { ORIGIN, PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { allPages } from '../../../../tests/setup/http-helpers.ts';

const t = await createTestApp();
const admin = await t.signedIn('admin', { name: 'Dana Admin' });

async function invite(body: Record<string, unknown>) {
  const res = await admin.post('/api/invitations', body);
  expect(res.status).toBe(201);
  const created = await res.json();
  return { ...created, token: new URL(created.link).searchParams.get('token')! };
}

async function userCount() {
  return Number((await t.db.select({ n: count() }).from(user))[0]!.n);
}

describe('invitations', () => {
  it('staff and viewers cannot invite', async () => {
    for (const role of ['staff', 'viewer'] as const) {
      const c = await t.signedIn(role);
      expect((await problem(await c.post('/api/invitations', { email: 'x@example.org', name: 'X' }), 403)).code).toBe('forbidden');
    }
    await problem(await t.client().post('/api/invitations', { email: 'x@example.org', name: 'X' }), 401);
    expect(await t.db.select().from(invitation)).toEqual([]);
  });

  it('without SMTP returns the link to pass on, emailed=false, and stores only a hash of the token', async () => {
    expect(await (await admin.get('/api/me')).json()).toMatchObject({ emailConfigured: false });
    const created = await invite({ email: 'New.Person@Example.org', name: 'New Person', role: 'viewer', locale: 'ar' });
    expect(created.emailed).toBe(false);
    expect(created.link).toMatch(new RegExp(`^${ORIGIN}/invitation\\?token=[\\w-]{30,}$`));
    expect(created.invitation).toMatchObject({ email: 'new.person@example.org', name: 'New Person', role: 'viewer', locale: 'ar', status: 'pending', emailedAt: null, invitedBy: admin.user.id });

    const [row] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
    expect(row!.tokenHash).not.toBe(created.token);
    expect(JSON.stringify(row)).not.toContain(created.token);
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'invitation.create'), eq(auditEntry.entityId, created.invitation.id)));
    expect(entry).toMatchObject({ actorId: admin.user.id, entityType: 'invitation' });
    expect(JSON.stringify(entry!.detail)).not.toContain(created.token);
  });

  it('rejects bad input naming each field', async () => {
    const p = await problem(await admin.post('/api/invitations', { email: 'nope', name: '', role: 'owner', locale: 'fr', token: 'x' }), 400);
    expect(p.errors!.map((e) => e.field).sort()).toEqual(['body.email', 'body.locale', 'body.name', 'body.role', 'body.token']);
    const before = (await t.db.select().from(invitation)).length;
    await problem(await admin.request('/api/invitations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' }), 400);
    expect(await t.db.select().from(invitation)).toHaveLength(before);
  });

  it('looks up by token (public), accepts into an account with the invited role, and the link then dies', async () => {
    const created = await invite({ email: 'invitee@example.org', name: 'In Vitee', role: 'staff', locale: 'he' });
    const anon = t.client();
    const look = await anon.post('/api/invitations/lookup', { token: created.token });
    expect(look.status).toBe(200);
    expect(await look.json()).toEqual({ email: 'invitee@example.org', name: 'In Vitee', role: 'staff', locale: 'he' });

    const short = await problem(await anon.post('/api/invitations/accept', { token: created.token, password: 'short' }), 400);
    expect(short.errors!.map((e) => e.field)).toEqual(['body.password']);
    const n = await userCount();

    const res = await anon.post('/api/invitations/accept', { token: created.token, password: 'the invitee password', timeZone: 'Asia/Jerusalem' });
    expect(res.status).toBe(201);
    const u = await res.json();
    expect(u).toMatchObject({ email: 'invitee@example.org', name: 'In Vitee', role: 'staff', locale: 'he', timeZone: 'Asia/Jerusalem', disabled: false });
    expect(await userCount()).toBe(n + 1);
    const [row] = await t.db.select().from(invitation).where(eq(invitation.id, created.invitation.id));
    expect(row!.acceptedUserId).toBe(u.id);
    const [entry] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'invitation.accept'), eq(auditEntry.entityId, u.id)));
    expect(entry).toMatchObject({ actorId: u.id, entityType: 'user' });
    expect(entry!.detail).toMatchObject({ invitationId: created.invitation.id, role: 'staff' });

    const c = t.client();
    expect((await c.post('/api/auth/sign-in/email', { email: 'invitee@example.org', password: 'the invitee password' })).status).toBe(200);
    expect(await (await c.get('/api/me')).json()).toMatchObject({ id: u.id, role: 'staff' });

    // the same link again
    expect((await problem(await anon.post('/api/invitations/lookup', { token: created.token }), 404)).code).toBe('invitation_not_found');
    await problem(await anon.post('/api/invitations/accept', { token: created.token, password: 'another password!' }), 404);
    expect(await userCount()).toBe(n + 1);
    const list = await (await admin.get('/api/invitations')).json();
    expect(list.items.find((i: { id: string }) => i.id === created.invitation.id).status).toBe('accepted');
  });

  it('an unknown token is 404', async () => {
    await problem(await t.client().post('/api/invitations/lookup', { token: 'no-such-token' }), 404);
    await problem(await t.client().post('/api/invitations/accept', { token: 'no-such-token', password: PASSWORD }), 404);
  });

  it('a revoked link is 404; revoking twice is 409; an unknown id is 404', async () => {
    const created = await invite({ email: 'revoked@example.org', name: 'Re Voked' });
    const res = await admin.delete(`/api/invitations/${created.invitation.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: created.invitation.id, status: 'revoked' });
    await problem(await t.client().post('/api/invitations/lookup', { token: created.token }), 404);
    await problem(await t.client().post('/api/invitations/accept', { token: created.token, password: PASSWORD }), 404);
    expect(await t.db.select().from(user).where(eq(user.email, 'revoked@example.org'))).toEqual([]);
    expect((await problem(await admin.delete(`/api/invitations/${created.invitation.id}`), 409)).code).toBe('invitation_not_pending');
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'invitation.revoke'), eq(auditEntry.entityId, created.invitation.id)))).toHaveLength(1);
    expect((await problem(await admin.delete('/api/invitations/no-such-invitation'), 404)).code).toBe('invitation_not_found');
  });

  it('an expired link is 404 and cannot be revoked', async () => {
    const created = await invite({ email: 'expired@example.org', name: 'Ex Pired' });
    await t.db.update(invitation).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(invitation.id, created.invitation.id));
    await problem(await t.client().post('/api/invitations/lookup', { token: created.token }), 404);
    await problem(await t.client().post('/api/invitations/accept', { token: created.token, password: PASSWORD }), 404);
    expect(await t.db.select().from(user).where(eq(user.email, 'expired@example.org'))).toEqual([]);
    await problem(await admin.delete(`/api/invitations/${created.invitation.id}`), 409);
  });

  it('a new invitation for the same address replaces the pending one', async () => {
    const first = await invite({ email: 'twice@example.org', name: 'Twice' });
    const second = await invite({ email: 'twice@example.org', name: 'Twice' });
    await problem(await t.client().post('/api/invitations/lookup', { token: first.token }), 404);
    expect((await t.client().post('/api/invitations/lookup', { token: second.token })).status).toBe(200);
  });

  it("inviting an existing account's email is 409 naming body.email", async () => {
    const before = (await t.db.select().from(invitation)).length;
    const p = await problem(await admin.post('/api/invitations', { email: admin.user.email.toUpperCase(), name: 'Again' }), 409);
    expect(p.code).toBe('email_taken');
    expect(p.errors!.map((e) => e.field)).toEqual(['body.email']);
    expect(await t.db.select().from(invitation)).toHaveLength(before);
  });

  it('lists invitations newest first across pages without duplicates or gaps', async () => {
    for (let i = 0; i < 3; i++) await invite({ email: `page-${i}@example.org`, name: `Page ${i}` });
    const { items } = await allPages<{ id: string; createdAt: string }>(admin, '/api/invitations', 2);
    const all = await t.db.select({ id: invitation.id }).from(invitation);
    expect(items.map((i) => i.id).sort()).toEqual(all.map((i) => i.id).sort());
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const times = items.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const cursor of ['garbage', forged(['not a date', 'x']), forged([null, 'x'])]) {
      const p = await problem(await admin.get(`/api/invitations?cursor=${cursor}`), 400);
      expect(p.errors!.map((e) => e.field)).toEqual(['query.cursor']);
    }
  });

  it('pages without gaps when invitations share a millisecond (the database keeps microseconds)', async () => {
    const made = [];
    for (let i = 0; i < 4; i++) made.push((await invite({ email: `same-ms-${i}@example.org`, name: `Same ${i}` })).invitation.id);
    // four invitations a few microseconds apart, newer than all others
    for (const [i, id] of made.entries()) {
      await t.db.update(invitation).set({ createdAt: sql`${`2090-01-01T00:00:00.1231${i}Z`}::timestamptz` }).where(eq(invitation.id, id));
    }
    expect(await t.db.select().from(invitation).where(inArray(invitation.id, made))).toHaveLength(4);
    const { items } = await allPages<{ id: string }>(admin, '/api/invitations', 1);
    const all = await t.db.select({ id: invitation.id }).from(invitation);
    expect(items.map((i) => i.id).sort()).toEqual(all.map((i) => i.id).sort());
  });
});
