import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/client.ts';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { organisation } from './network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// Need-to-know for people: a pseudonymous person shows only the pseudonym to those not granted; a restricted
// person does not exist for them (404, absent from the list and its total). Reads by those granted are audited.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const creator = await t.signedIn('staff');
const other = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');

type PersonDto = {
  id: string;
  displayName: string;
  pseudonym: string | null;
  identityHidden: boolean;
  names: { name: string }[];
  contacts: { value: string }[];
  affiliations: { organisationId: string }[];
  notes: string | null;
};
type Page = { items: PersonDto[]; nextCursor: string | null; total: number };

const [ministry] = await t.db.insert(organisation).values({ kind: 'government', name: 'Ministry of Foreign Affairs' }).returning();

async function reads(entityId: string, actorId: string) {
  return t.db
    .select()
    .from(auditEntry)
    .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, entityId), eq(auditEntry.actorId, actorId)));
}

async function list(client: typeof viewer, query = ''): Promise<Page> {
  const res = await client.get(`/api/people${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

const pseudonymous = (await (
  await creator.post('/api/people', {
    names: [
      { name: 'Khaled Mansour', kind: 'primary' },
      { name: 'خالد منصور', kind: 'alternate' },
    ],
    pseudonym: 'Official A, ministry of foreign affairs',
    identityRestricted: true,
    contacts: [{ kind: 'email', value: 'k.mansour@mfa.example' }],
    affiliations: [{ organisationId: ministry!.id, title: 'Director' }],
    notes: 'Prefers to meet in Amman',
    tags: ['official'],
  })
).json()) as PersonDto;

const secret = (await (
  await creator.post('/api/people', { names: [{ name: 'Hidden Source', kind: 'primary' }], restricted: true, tags: ['official'] })
).json()) as PersonDto;

describe('a pseudonymous person', () => {
  it('shows the creator everything, with displayName the pseudonym; the creator holds a grant', async () => {
    expect(pseudonymous).toMatchObject({ displayName: 'Official A, ministry of foreign affairs', identityHidden: false, notes: 'Prefers to meet in Amman' });
    expect(pseudonymous.names.map((n) => n.name)).toContain('Khaled Mansour');
    const grants = await t.db.select().from(accessGrant).where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, pseudonymous.id)));
    expect(grants.map((g) => g.userId)).toEqual([creator.user.id]);
  });

  it('shows a viewer the pseudonym only: no names, contacts, affiliations or notes, and no finding them by real name', async () => {
    const res = await viewer.get(`/api/people/${pseudonymous.id}`);
    expect(res.status).toBe(200);
    const seen = (await res.json()) as PersonDto;
    expect(seen).toMatchObject({ displayName: 'Official A, ministry of foreign affairs', identityHidden: true, names: [], contacts: [], affiliations: [], notes: null });
    expect(JSON.stringify(seen)).not.toMatch(/Khaled|Mansour|خالد|mfa\.example|Amman/);

    expect((await list(viewer, '?q=Official%20A')).items.map((i) => i.id)).toEqual([pseudonymous.id]);
    for (const q of ['Khaled', 'منصور', 'mansour']) expect(await list(viewer, `?q=${encodeURIComponent(q)}`), q).toMatchObject({ items: [], total: 0 });
    // nor by the organisation they work for
    expect(await list(viewer, `?organisationId=${ministry!.id}`)).toMatchObject({ items: [], total: 0 });
    const inList = (await list(viewer, '?tag=official')).items.find((i) => i.id === pseudonymous.id)!;
    expect(inList).toMatchObject({ identityHidden: true, names: [], contacts: [] });
    // seeing only the pseudonym is not a read of the restricted identity
    expect(await reads(pseudonymous.id, viewer.user.id)).toHaveLength(0);
  });

  it('lets an admin and the creator find them by real name; their reads are audited', async () => {
    for (const c of [admin, creator]) {
      expect((await list(c, '?q=khaled')).items.map((i) => i.id)).toEqual([pseudonymous.id]);
      const p = (await (await c.get(`/api/people/${pseudonymous.id}`)).json()) as PersonDto;
      expect(p.identityHidden).toBe(false);
      expect(p.contacts.map((x) => x.value)).toEqual(['k.mansour@mfa.example']);
      expect((await reads(pseudonymous.id, c.user.id)).length).toBeGreaterThanOrEqual(2);
    }
    expect((await list(admin, `?organisationId=${ministry!.id}`)).items.map((i) => i.id)).toEqual([pseudonymous.id]);
  });

  it('does not let staff without the grant change the identity or its protection', async () => {
    for (const res of [
      await other.patch(`/api/people/${pseudonymous.id}`, { identityRestricted: false }),
      await other.post(`/api/people/${pseudonymous.id}/names`, { name: 'Guess', kind: 'alternate' }),
      await other.delete(`/api/people/${pseudonymous.id}`),
    ]) {
      expect((await problem(res, 403)).code).toBe('identity_restricted');
    }
    const aff = (await (await admin.get(`/api/people/${pseudonymous.id}`)).json()) as PersonDto & { affiliations: { id: string }[] };
    await problem(await other.patch(`/api/affiliations/${aff.affiliations[0]!.id}`, { title: 'x' }), 404);
  });

  it('requires a pseudonym while the identity is restricted', async () => {
    const p = await problem(await creator.patch(`/api/people/${pseudonymous.id}`, { pseudonym: null }), 422);
    expect(p.errors).toEqual([{ field: 'body.pseudonym', detail: expect.any(String) }]);
  });
});

describe('a restricted person', () => {
  it('does not exist for staff and viewers not granted: 404, absent from lists and totals', async () => {
    for (const c of [other, viewer]) {
      expect((await problem(await c.get(`/api/people/${secret.id}`), 404)).code).toBe('person_not_found');
      const page = await list(c, '?tag=official');
      expect(page.items.map((i) => i.id)).toEqual([pseudonymous.id]);
      expect(page.total).toBe(1);
      expect(await list(c, '?q=hidden')).toMatchObject({ items: [], total: 0 });
      await problem(await c.get(`/api/people/${secret.id}/grants`), 404);
    }
    await problem(await other.patch(`/api/people/${secret.id}`, { tags: [] }), 404);
    await problem(await other.post(`/api/people/${secret.id}/grants`, { userId: other.user.id }), 404);
    expect(await reads(secret.id, other.user.id)).toHaveLength(0);
  });

  it('is listed for its creator and admins, and each read is audited', async () => {
    const before = (await reads(secret.id, admin.user.id)).length;
    expect((await list(admin, '?tag=official')).total).toBe(2);
    expect((await admin.get(`/api/people/${secret.id}`)).status).toBe(200);
    expect(await reads(secret.id, admin.user.id)).toHaveLength(before + 2);
    expect((await list(creator, '?q=hidden')).items.map((i) => i.id)).toEqual([secret.id]);
    const [entry] = await reads(secret.id, creator.user.id);
    expect(entry).toMatchObject({ entityType: 'person', detail: { restricted: true } });
  });

  it('becomes visible after a grant by the creator and hidden again when withdrawn; grants are audited', async () => {
    // staff who are not granted cannot grant themselves, viewers cannot grant at all
    await problem(await other.post(`/api/people/${pseudonymous.id}/grants`, { userId: other.user.id }), 403);
    await problem(await viewer.post(`/api/people/${secret.id}/grants`, { userId: viewer.user.id }), 403);

    const res = await creator.post(`/api/people/${secret.id}/grants`, { userId: other.user.id });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ userId: other.user.id, grantedBy: creator.user.id });
    expect((await creator.post(`/api/people/${secret.id}/grants`, { userId: other.user.id })).status).toBe(200);

    const seen = await other.get(`/api/people/${secret.id}`);
    expect(seen.status).toBe(200);
    expect(await reads(secret.id, other.user.id)).toHaveLength(1);
    expect((await list(other, '?tag=official')).total).toBe(2);
    // granted users may see and manage the grants too
    const grants = (await (await other.get(`/api/people/${secret.id}/grants`)).json()) as { items: { userId: string }[] };
    expect(grants.items.map((g) => g.userId).sort()).toEqual([creator.user.id, other.user.id].sort());

    const grantAudit = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'person.grant'), eq(auditEntry.entityId, secret.id)));
    expect(grantAudit).toHaveLength(1);
    expect(grantAudit[0]).toMatchObject({ actorId: creator.user.id, detail: { userId: other.user.id } });

    expect((await admin.delete(`/api/people/${secret.id}/grants/${other.user.id}`)).status).toBe(204);
    await problem(await other.get(`/api/people/${secret.id}`), 404);
    expect((await list(other, '?tag=official')).total).toBe(1);
    await problem(await admin.delete(`/api/people/${secret.id}/grants/${other.user.id}`), 404);
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'person.revoke_grant'), eq(auditEntry.entityId, secret.id)))).toHaveLength(1);
    const bad = await problem(await admin.post(`/api/people/${secret.id}/grants`, { userId: 'no-such-user' }), 422);
    expect(bad.errors).toEqual([{ field: 'body.userId', detail: 'No such user' }]);
  });

  it('restricting an open person grants the one who restricted it and hides it from others', async () => {
    const open = (await (await other.post('/api/people', { names: [{ name: 'Soon Hidden', kind: 'primary' }] })).json()) as PersonDto;
    expect((await viewer.get(`/api/people/${open.id}`)).status).toBe(200);
    expect((await other.patch(`/api/people/${open.id}`, { restricted: true })).status).toBe(200);
    await problem(await viewer.get(`/api/people/${open.id}`), 404);
    expect((await other.get(`/api/people/${open.id}`)).status).toBe(200);
  });
});

describe('the unfiltered total (read_model.person_tally)', () => {
  /** every page of the unfiltered list: the people the reader sees, counted one by one */
  async function everyone(client: typeof viewer): Promise<{ seen: number; total: number }> {
    let cursor: string | null = null;
    let seen = 0;
    let total = -1;
    do {
      const page: Page = await list(client, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen += page.items.length;
      total = page.total;
      cursor = page.nextCursor;
    } while (cursor);
    return { seen, total };
  }

  async function expectTotalsExact() {
    for (const c of [admin, creator, other, viewer]) {
      const { seen, total } = await everyone(c);
      expect(total, c.user.id).toBe(seen);
    }
  }

  it('counts what each reader may see, through creating, restricting, granting, opening and deleting people', async () => {
    await expectTotalsExact();
    const made = (await (await other.post('/api/people', { names: [{ name: 'Tally One', kind: 'primary' }] })).json()) as PersonDto;
    await expectTotalsExact();
    expect((await other.patch(`/api/people/${made.id}`, { restricted: true })).status).toBe(200);
    await expectTotalsExact();
    expect((await everyone(viewer)).total).toBe((await everyone(admin)).total - 2 - 1); // secret, the one restricted in the block above, this one
    expect((await other.post(`/api/people/${made.id}/grants`, { userId: viewer.user.id })).status).toBe(201);
    await expectTotalsExact();
    expect((await other.patch(`/api/people/${made.id}`, { restricted: false })).status).toBe(200);
    await expectTotalsExact();
    expect((await other.delete(`/api/people/${made.id}`)).status).toBe(204);
    await expectTotalsExact();
    // and the tally equals a count of every person
    const [tally] = await rows(t.db, sql`SELECT unrestricted::int AS u, restricted::int AS r FROM read_model.person_tally`);
    const [counted] = await rows(t.db, sql`SELECT (count(*) FILTER (WHERE NOT restricted))::int AS u, (count(*) FILTER (WHERE restricted))::int AS r FROM person`);
    expect(tally).toEqual(counted);
  });
});
