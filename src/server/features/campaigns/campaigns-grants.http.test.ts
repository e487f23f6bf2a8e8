import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// Who a campaign is shared with (GET /campaigns/{id}/grants) and taking a grant away
// (DELETE /campaigns/{id}/grants/{userId}), the campaign page's "Shared with" (docs/campaigns.md). Anyone on the staff
// who sees the campaign reads the list; only its owner or an administrator takes a grant away; a campaign not granted
// answers 404 as one that does not exist, and nothing is read, written or audited for it.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const owner = await t.signedIn('staff', { name: 'Owner' });
const colleague = await t.signedIn('staff', { name: 'Colleague' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });

let cid = '';
const grantsOf = async (id: string) => (await t.db.select({ n: count() }).from(accessGrant).where(and(eq(accessGrant.recordType, 'campaign'), eq(accessGrant.recordId, id))))[0]!.n;
const audits = async (action: string, actorId?: string) =>
  (await t.db.select({ n: count() }).from(auditEntry).where(and(eq(auditEntry.action, action), ...(actorId ? [eq(auditEntry.actorId, actorId)] : []))))[0]!.n;

beforeAll(async () => {
  cid = (await (await owner.post('/api/campaigns', { name: { en: 'Quiet campaign' } })).json()).id;
  expect((await owner.post(`/api/campaigns/${cid}/grants`, { userId: colleague.user.id })).status).toBe(201);
  expect((await owner.post(`/api/campaigns/${cid}/grants`, { userId: viewer.user.id })).status).toBe(201);
});

describe('who a campaign is shared with', () => {
  it('lists the grants to the owner and to a granted colleague (mayRevoke only for the owner and an admin); the read is audited', async () => {
    const before = await audits('record.read', colleague.user.id);
    const mine = await (await owner.get(`/api/campaigns/${cid}/grants`)).json();
    expect(mine.items.map((g: { name: string }) => g.name)).toEqual(['Colleague', 'Viewer']);
    expect(mine.items[0]).toMatchObject({ userId: colleague.user.id, grantedBy: owner.user.id });
    expect(mine.mayRevoke).toBe(true);
    const theirs = await (await colleague.get(`/api/campaigns/${cid}/grants`)).json();
    expect(theirs.mayRevoke).toBe(false);
    expect(theirs.items).toHaveLength(2);
    expect(await audits('record.read', colleague.user.id)).toBe(before + 1);
    expect((await (await admin.get(`/api/campaigns/${cid}/grants`)).json()).mayRevoke).toBe(true);
  });

  it('answers 404 to a staff member not granted (no trace) and 403 to a viewer, granted or not', async () => {
    const before = await audits('record.read', outsider.user.id);
    await problem(await outsider.get(`/api/campaigns/${cid}/grants`), 404);
    expect(await audits('record.read', outsider.user.id)).toBe(before);
    await problem(await viewer.get(`/api/campaigns/${cid}/grants`), 403);
    await problem(await owner.get('/api/campaigns/not-a-uuid/grants'), 404);
    await problem(await owner.get('/api/campaigns/00000000-0000-4000-8000-000000000000/grants'), 404);
  });
});

describe('taking a grant away', () => {
  it('may not be done by a granted colleague (403), an outsider (404) or a viewer (403); nothing removed or audited', async () => {
    const body = await problem(await colleague.delete(`/api/campaigns/${cid}/grants/${viewer.user.id}`), 403);
    expect(body.code).toBe('campaign_access_restricted');
    await problem(await outsider.delete(`/api/campaigns/${cid}/grants/${viewer.user.id}`), 404);
    await problem(await viewer.delete(`/api/campaigns/${cid}/grants/${viewer.user.id}`), 403);
    expect(await grantsOf(cid)).toBe(2);
    expect(await audits('campaign.revoke_grant')).toBe(0);
  });

  it('is done by the owner, audited; the user no longer sees the campaign; a grant that does not exist is 404', async () => {
    expect((await owner.delete(`/api/campaigns/${cid}/grants/${colleague.user.id}`)).status).toBe(204);
    expect(await grantsOf(cid)).toBe(1);
    expect(await audits('campaign.revoke_grant')).toBe(1);
    await problem(await colleague.get(`/api/campaigns/${cid}`), 404);
    await problem(await owner.delete(`/api/campaigns/${cid}/grants/${colleague.user.id}`), 404);
    await problem(await owner.delete(`/api/campaigns/${cid}/grants/${'x'.repeat(101)}`), 400);
    expect(await audits('campaign.revoke_grant')).toBe(1);
  });

  it('is done by an administrator on a campaign they do not own', async () => {
    expect((await admin.delete(`/api/campaigns/${cid}/grants/${viewer.user.id}`)).status).toBe(204);
    expect(await grantsOf(cid)).toBe(0);
    await problem(await viewer.get(`/api/campaigns/${cid}`), 404);
  });
});
