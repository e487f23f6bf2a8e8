import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { campaign, campaignAsk, campaignStance, campaignTarget } from './campaigns.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation, buildPerson, isoDay } from '../../../../tests/setup/network-factories.ts';

// Campaigns through the API: who may do what, the bad input the issue names (each a 4xx naming the field, nothing
// written), the grid and a cell's history. Need-to-know of stances: campaigns-need-to-know.http.test.ts.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const owner = await t.signedIn('staff', { name: 'Owner' });
const colleague = await t.signedIn('staff', { name: 'Colleague' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });
const anonymous = t.client();

const mission = await buildOrganisation(t.db, { name: 'Embassy of Examplestan', kind: 'mission' });
const mission2 = await buildOrganisation(t.db, { name: 'Mission of Otherland', kind: 'mission' });
const member = await buildOrganisation(t.db, { name: 'A member NGO', kind: 'member' });
const official = await buildPerson(t.db, { name: 'Real Name', pseudonym: 'Official A, ministry of foreign affairs', identityRestricted: true });

const stanceCount = async () => (await t.db.select({ n: count() }).from(campaignStance))[0]!.n;

async function newCampaign(body: Record<string, unknown> = {}) {
  const res = await owner.post('/api/campaigns', {
    name: { en: 'G7: civil society in the day-after', he: 'G7: החברה האזרחית ביום שאחרי' },
    goal: { en: 'A role for civil society' },
    startsOn: '2026-01-01',
    asks: [{ en: 'A role for civil society in the day-after framework' }, { en: 'An international fund for peacebuilding', ar: 'صندوق دولي لبناء السلام' }],
    ...body,
  });
  expect(res.status).toBe(201);
  return res.json();
}

describe('campaigns', () => {
  it('creates a restricted campaign by default, with its asks in order, owned by its creator; audited', async () => {
    const c = await newCampaign();
    expect(c).toMatchObject({
      restricted: true,
      ownerId: owner.user.id,
      ownerName: 'Owner',
      name: { en: 'G7: civil society in the day-after' },
      askCount: 2,
      targetCount: 0,
      asks: [{ position: 0 }, { position: 1, text: { ar: 'صندوق دولي لبناء السلام' } }],
    });
    const audit = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'campaign.create'), eq(auditEntry.entityId, c.id)));
    expect(audit).toHaveLength(1);
    // the owner's read of it is audited
    const reads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, c.id), eq(auditEntry.actorId, owner.user.id)));
    expect(reads.length).toBeGreaterThan(0);
  });

  it('a restricted campaign is invisible to staff and viewers not granted it; sharing it shows it', async () => {
    const c = await newCampaign();
    for (const other of [colleague, viewer]) {
      await problem(await other.get(`/api/campaigns/${c.id}`), 404);
      await problem(await other.get(`/api/campaigns/${c.id}/grid`), 404);
      const list = await (await other.get('/api/campaigns')).json();
      expect(list.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
      expect(list.total).toBe(list.items.length);
    }
    await problem(await colleague.patch(`/api/campaigns/${c.id}`, { goal: { en: 'x' } }), 404);
    await problem(await colleague.post(`/api/campaigns/${c.id}/asks`, { text: { en: 'x' } }), 404);
    await problem(await colleague.post(`/api/campaigns/${c.id}/grants`, { userId: colleague.user.id }), 404);
    expect((await admin.get(`/api/campaigns/${c.id}`)).status).toBe(200);

    const g = await owner.post(`/api/campaigns/${c.id}/grants`, { userId: colleague.user.id });
    expect(g.status).toBe(201);
    expect((await owner.post(`/api/campaigns/${c.id}/grants`, { userId: colleague.user.id })).status).toBe(200);
    expect((await colleague.get(`/api/campaigns/${c.id}`)).status).toBe(200);
    const reads = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.entityId, c.id), eq(auditEntry.actorId, colleague.user.id)));
    expect(reads).toHaveLength(1);
    // a granted colleague may edit, but not change who sees it
    expect((await colleague.patch(`/api/campaigns/${c.id}`, { goal: { he: 'מטרה' } })).status).toBe(200);
    expect((await (await colleague.get(`/api/campaigns/${c.id}`)).json()).goal).toEqual({ he: 'מטרה' });
    // a goal is cleared with null (an empty object is no goal in any language: refused, nothing changed)
    await problem(await colleague.patch(`/api/campaigns/${c.id}`, { goal: {} }), 400);
    expect((await (await colleague.get(`/api/campaigns/${c.id}`)).json()).goal).toEqual({ he: 'מטרה' });
    expect((await colleague.patch(`/api/campaigns/${c.id}`, { goal: null })).status).toBe(200);
    expect((await (await colleague.get(`/api/campaigns/${c.id}`)).json()).goal).toEqual({});
    const p = await problem(await colleague.patch(`/api/campaigns/${c.id}`, { restricted: false }), 403);
    expect(p.errors).toEqual([{ field: 'body.restricted', detail: expect.any(String) }]);
    await problem(await colleague.delete(`/api/campaigns/${c.id}`), 403);
    expect((await t.db.select().from(campaign).where(eq(campaign.id, c.id)))[0]!.restricted).toBe(true);
  });

  it('an unrestricted campaign is seen by every reader; viewers may not write; anonymous gets 401', async () => {
    const c = await newCampaign({ restricted: false });
    expect((await viewer.get(`/api/campaigns/${c.id}`)).status).toBe(200);
    expect((await viewer.get(`/api/campaigns/${c.id}/grid`)).status).toBe(200);
    const before = await t.db.select({ n: count() }).from(campaignAsk);
    await problem(await viewer.post('/api/campaigns', { name: { en: 'x' } }), 403);
    await problem(await viewer.patch(`/api/campaigns/${c.id}`, { goal: { en: 'x' } }), 403);
    await problem(await viewer.delete(`/api/campaigns/${c.id}`), 403);
    await problem(await viewer.post(`/api/campaigns/${c.id}/asks`, { text: { en: 'x' } }), 403);
    await problem(await viewer.patch(`/api/campaigns/${c.id}/asks/${c.asks[0].id}`, { text: { en: 'x' } }), 403);
    await problem(await viewer.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id }), 403);
    await problem(await viewer.post(`/api/campaigns/${c.id}/grants`, { userId: viewer.user.id }), 403);
    await problem(
      await viewer.post(`/api/campaigns/${c.id}/stances`, { targetId: c.id, askId: c.asks[0].id, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'x' } }),
      403,
    );
    expect(await t.db.select({ n: count() }).from(campaignAsk)).toEqual(before);
    for (const path of ['/api/campaigns', `/api/campaigns/${c.id}`, `/api/campaigns/${c.id}/grid`, `/api/campaigns/${c.id}/targets/${c.id}/asks/${c.asks[0].id}/stances`]) {
      await problem(await anonymous.get(path), 401);
    }
    await problem(await anonymous.post('/api/campaigns', { name: { en: 'x' } }), 401);
    await problem(
      await anonymous.post(`/api/campaigns/${c.id}/stances`, { targetId: c.id, askId: c.asks[0].id, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'x' } }),
      401,
    );
    await problem(await anonymous.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id }), 401);
  });

  it('refuses bad campaigns naming the field', async () => {
    const noName = await problem(await owner.post('/api/campaigns', { name: {} }), 400);
    expect(noName.errors?.[0]?.field).toBe('body.name');
    const unknownLang = await problem(await owner.post('/api/campaigns', { name: { fr: 'x' } }), 400);
    expect(unknownLang.errors?.map((e) => e.field)).toContain('body.name.fr');
    const period = await problem(await owner.post('/api/campaigns', { name: { en: 'x' }, startsOn: '2026-03-01', endsOn: '2026-02-01' }), 400);
    expect(period.errors?.[0]?.field).toBe('body.endsOn');
    const ownerMissing = await problem(await owner.post('/api/campaigns', { name: { en: 'x' }, ownerId: 'nobody' }), 422);
    expect(ownerMissing.errors).toEqual([{ field: 'body.ownerId', detail: 'No such user' }]);
    await problem(await owner.get('/api/campaigns/not-a-uuid'), 404);
  });
});

describe('targets', () => {
  it('takes missions and officials (a pseudonymous one under the pseudonym), grouped; refuses anything else naming the field', async () => {
    const c = await newCampaign();
    const a = await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id, groupLabel: 'G7' });
    expect(a.status).toBe(201);
    expect(await a.json()).toMatchObject({ kind: 'organisation', name: 'Embassy of Examplestan', groupLabel: 'G7' });
    const p = await owner.post(`/api/campaigns/${c.id}/targets`, { personId: official.id, groupLabel: 'G7' });
    expect(p.status).toBe(201);
    expect(await p.json()).toMatchObject({ kind: 'person', name: 'Official A, ministry of foreign affairs' });

    const notMission = await problem(await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: member.id }), 422);
    expect(notMission.errors).toEqual([{ field: 'body.organisationId', detail: 'Not a government or mission' }]);
    const missing = await problem(await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: '00000000-0000-4000-8000-000000000000' }), 422);
    expect(missing.errors?.[0]?.field).toBe('body.organisationId');
    const both = await problem(await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id, personId: official.id }), 400);
    expect(both.errors?.[0]?.field).toBe('body.organisationId');
    const dup = await problem(await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id }), 409);
    expect(dup.errors?.[0]?.field).toBe('body.organisationId');
    expect(await t.db.select({ n: count() }).from(campaignTarget).where(eq(campaignTarget.campaignId, c.id))).toEqual([{ n: 2 }]);
  });
});

describe('stances', () => {
  async function setup() {
    const c = await newCampaign();
    const target = await (await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id, groupLabel: 'G7' })).json();
    const target2 = await (await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission2.id, groupLabel: 'G7' })).json();
    return { c, target, target2, ask: c.asks[0].id as string, ask2: c.asks[1].id as string };
  }

  it('refuses a stance without evidence or reason, a future day, an ask or target of another campaign, naming each field; writes nothing', async () => {
    const { c, target, ask } = await setup();
    const other = await setup();
    const before = await stanceCount();
    const base = { targetId: target.id, askId: ask, value: 'supportive', asOf: '2026-02-01' };

    const noEvidence = await problem(await owner.post(`/api/campaigns/${c.id}/stances`, base), 400);
    expect(noEvidence.errors?.map((e) => e.field)).toEqual(['body.evidence']);
    const noReason = await problem(await owner.post(`/api/campaigns/${c.id}/stances`, { ...base, evidence: { kind: 'judgement' } }), 400);
    expect(noReason.errors?.map((e) => e.field)).toEqual(['body.evidence.reason']);
    const blankReason = await problem(await owner.post(`/api/campaigns/${c.id}/stances`, { ...base, evidence: { kind: 'judgement', reason: '   ' } }), 400);
    expect(blankReason.errors?.map((e) => e.field)).toEqual(['body.evidence.reason']);
    const noQuote = await problem(await owner.post(`/api/campaigns/${c.id}/stances`, { ...base, evidence: { kind: 'statement', url: 'https://example.org/s' } }), 400);
    expect(noQuote.errors?.map((e) => e.field)).toEqual(['body.evidence.quote']);
    const badValue = await problem(await owner.post(`/api/campaigns/${c.id}/stances`, { ...base, value: 'enthusiastic', evidence: { kind: 'judgement', reason: 'x' } }), 400);
    expect(badValue.errors?.map((e) => e.field)).toEqual(['body.value']);

    const wrong = await problem(
      await owner.post(`/api/campaigns/${c.id}/stances`, {
        targetId: other.target.id,
        askId: other.ask,
        value: 'supportive',
        asOf: isoDay(2, 'Asia/Jerusalem'),
        evidence: { kind: 'meeting', meetingId: '00000000-0000-4000-8000-000000000000' },
      }),
      422,
    );
    expect(wrong.errors?.map((e) => e.field).sort()).toEqual(['body.asOf', 'body.askId', 'body.evidence.meetingId', 'body.targetId']);
    const passage = await problem(
      await owner.post(`/api/campaigns/${c.id}/stances`, { ...base, evidence: { kind: 'document_passage', passageId: '00000000-0000-4000-8000-000000000000' } }),
      422,
    );
    expect(passage.errors?.map((e) => e.field)).toEqual(['body.evidence.passageId']);
    expect(await stanceCount()).toBe(before);
  });

  it('keeps every change: the grid shows the latest by day, the cell its history newest first, the counts per ask', async () => {
    const { c, target, target2, ask, ask2 } = await setup();
    const post = (body: Record<string, unknown>) => owner.post(`/api/campaigns/${c.id}/stances`, body);
    expect((await post({ targetId: target.id, askId: ask, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'Non-committal at the reception' } })).status).toBe(201);
    const moved = await post({
      targetId: target.id,
      askId: ask,
      value: 'supportive',
      asOf: '2026-03-01',
      evidence: { kind: 'statement', url: 'https://example.org/communique', quote: 'Civil society must have a role' },
      note: 'After the communiqué',
    });
    expect(moved.status).toBe(201);
    expect(await moved.json()).toMatchObject({ value: 'supportive', recordedBy: owner.user.id, recordedByName: 'Owner', evidence: { kind: 'statement', quote: 'Civil society must have a role' } });
    // recorded later but about an earlier day: history, not the current stance
    expect((await post({ targetId: target.id, askId: ask, value: 'sceptical', asOf: '2026-01-15', evidence: { kind: 'judgement', reason: 'Earlier impression' } })).status).toBe(201);
    expect((await post({ targetId: target2.id, askId: ask, value: 'opposed', asOf: '2026-02-10', evidence: { kind: 'judgement', reason: 'Said no' } })).status).toBe(201);
    const audit = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'campaign_stance.create'));
    expect(audit.filter((a) => (a.detail as { campaignId: string }).campaignId === c.id)).toHaveLength(4);

    const grid = await (await owner.get(`/api/campaigns/${c.id}/grid`)).json();
    expect(grid.targets.map((x: { id: string }) => x.id).sort()).toEqual([target.id, target2.id].sort());
    expect(grid.asks).toHaveLength(2);
    expect(grid.cells.map((s: { targetId: string; askId: string; value: string }) => [s.targetId, s.askId, s.value]).sort()).toEqual(
      [
        [target.id, ask, 'supportive'],
        [target2.id, ask, 'opposed'],
      ].sort(),
    );
    const countsOf = (a: string) =>
      Object.fromEntries(grid.counts.filter((x: { askId: string }) => x.askId === a).map((x: { value: string; targets: number }) => [x.value, x.targets]));
    expect(countsOf(ask)).toEqual({ supportive: 1, opposed: 1 });
    expect(countsOf(ask2)).toEqual({ unknown: 2 });

    const history = await (await owner.get(`/api/campaigns/${c.id}/targets/${target.id}/asks/${ask}/stances`)).json();
    expect(history.items.map((s: { value: string; asOf: string }) => `${s.asOf} ${s.value}`)).toEqual(['2026-03-01 supportive', '2026-02-01 neutral', '2026-01-15 sceptical']);
    await problem(await owner.get(`/api/campaigns/${c.id}/targets/${target.id}/asks/${c.id}/stances`), 404);

    // a target with history stays; one without may go
    await problem(await owner.delete(`/api/campaigns/${c.id}/targets/${target.id}`), 409);
  });

  it('a campaign is deleted with its history by its owner', async () => {
    const { c, target, ask } = await setup();
    expect(
      (await owner.post(`/api/campaigns/${c.id}/stances`, { targetId: target.id, askId: ask, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'x' } })).status,
    ).toBe(201);
    expect((await owner.delete(`/api/campaigns/${c.id}`)).status).toBe(204);
    await problem(await owner.get(`/api/campaigns/${c.id}`), 404);
    expect(await t.db.select({ n: count() }).from(campaignStance).where(eq(campaignStance.campaignId, c.id))).toEqual([{ n: 0 }]);
  });
});

describe('documents and meetings', () => {
  it('a document’s passage is cited by a stance of its campaign, not of another; viewers may not add documents', async () => {
    const c = await newCampaign();
    const other = await newCampaign();
    const target = await (await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id })).json();
    const res = await owner.post(`/api/campaigns/${c.id}/documents`, {
      title: 'G7 leaders’ communiqué',
      url: 'https://example.org/g7-communique',
      passages: [{ quote: 'We underline the role of civil society.', locator: '§ 14' }, { quote: 'A second passage' }],
    });
    expect(res.status).toBe(201);
    const doc = await res.json();
    expect(doc).toMatchObject({ kind: 'link', passages: [{ locator: '§ 14', position: 0 }, { locator: null, position: 1 }] });
    const passageId = doc.passages[0].id;
    expect((await owner.get(`/api/campaigns/${c.id}/documents`)).status).toBe(200);
    const bad = await problem(await owner.post(`/api/campaigns/${c.id}/documents`, { title: 'x', url: 'javascript:alert(1)' }), 400);
    expect(bad.errors?.map((e) => e.field)).toEqual(['body.url']);
    await problem(await viewer.post(`/api/campaigns/${c.id}/documents`, { title: 'x', url: 'https://example.org' }), 403);

    const cited = await owner.post(`/api/campaigns/${c.id}/stances`, { targetId: target.id, askId: c.asks[0].id, value: 'supportive', asOf: '2026-02-01', evidence: { kind: 'document_passage', passageId } });
    expect(cited.status).toBe(201);
    expect((await cited.json()).evidence).toMatchObject({ kind: 'document_passage', passageId });
    const otherTarget = await (await owner.post(`/api/campaigns/${other.id}/targets`, { organisationId: mission.id })).json();
    const p = await problem(
      await owner.post(`/api/campaigns/${other.id}/stances`, { targetId: otherTarget.id, askId: other.asks[0].id, value: 'supportive', asOf: '2026-02-01', evidence: { kind: 'document_passage', passageId } }),
      422,
    );
    expect(p.errors).toEqual([{ field: 'body.evidence.passageId', detail: 'No such passage in this campaign' }]);
  });

  it('tags a Network meeting with the campaign, its targets and asks; the campaign lists it; bad ids named', async () => {
    const c = await newCampaign();
    const other = await newCampaign();
    const target = await (await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: mission.id })).json();
    const m = await buildMeeting(t.db, { title: 'Meeting with the Examplestan mission', kind: 'diplomatic', organisations: [mission.id] });
    const res = await owner.post(`/api/campaigns/${c.id}/meetings`, { meetingId: m.id, targetIds: [target.id], askIds: [c.asks[0].id] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ meetingId: m.id, title: 'Meeting with the Examplestan mission', targetIds: [target.id], askIds: [c.asks[0].id] });
    // tagging again replaces the lists
    expect((await (await owner.post(`/api/campaigns/${c.id}/meetings`, { meetingId: m.id, askIds: [c.asks[1].id] })).json()).askIds).toEqual([c.asks[1].id]);
    const list = await (await owner.get(`/api/campaigns/${c.id}/meetings`)).json();
    expect(list).toMatchObject({ total: 1, items: [{ meetingId: m.id, targetIds: [target.id] }] });
    const bad = await problem(await owner.post(`/api/campaigns/${c.id}/meetings`, { meetingId: m.id, targetIds: [target.id], askIds: [other.asks[0].id] }), 422);
    expect(bad.errors).toEqual([{ field: 'body.askIds.0', detail: 'No such ask in this campaign' }]);
    await problem(await viewer.post(`/api/campaigns/${c.id}/meetings`, { meetingId: m.id }), 403);
  });
});

describe('Network records that are targets', () => {
  it('an organisation or a person that is a campaign target is not deleted (409, the same for someone who does not see the campaign); the target stays', async () => {
    const c = await newCampaign();
    const o = await buildOrganisation(t.db, { name: 'Mission to delete', kind: 'mission' });
    const p = await buildPerson(t.db, { name: 'Official to delete' });
    expect((await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: o.id })).status).toBe(201);
    expect((await owner.post(`/api/campaigns/${c.id}/targets`, { personId: p.id })).status).toBe(201);
    expect((await problem(await colleague.delete(`/api/organisations/${o.id}`), 409)).code).toBe('organisation_has_history');
    expect((await problem(await colleague.delete(`/api/people/${p.id}`), 409)).code).toBe('person_has_history');
    expect(await t.db.select({ n: count() }).from(campaignTarget).where(eq(campaignTarget.campaignId, c.id))).toEqual([{ n: 2 }]);
  });
  it('merging two Network records keeps every campaign target and its stance history on the kept one', async () => {
    const keep = await buildOrganisation(t.db, { name: 'Embassy of Mergeland', kind: 'mission' });
    const dup = await buildOrganisation(t.db, { name: 'Embassy of Mergeland (duplicate)', kind: 'mission' });
    const both = await newCampaign();
    const onlyDup = await newCampaign();
    const ask = both.asks[0].id as string;
    const tKeep = await (await owner.post(`/api/campaigns/${both.id}/targets`, { organisationId: keep.id })).json();
    const tDup = await (await owner.post(`/api/campaigns/${both.id}/targets`, { organisationId: dup.id })).json();
    const tOnly = await (await owner.post(`/api/campaigns/${onlyDup.id}/targets`, { organisationId: dup.id })).json();
    const stance = (c: string, targetId: string, value: string, asOf: string) =>
      owner.post(`/api/campaigns/${c}/stances`, { targetId, askId: c === both.id ? ask : onlyDup.asks[0].id, value, asOf, evidence: { kind: 'judgement', reason: value } });
    expect((await stance(both.id, tKeep.id, 'neutral', '2026-02-01')).status).toBe(201);
    expect((await stance(both.id, tDup.id, 'sceptical', '2026-01-10')).status).toBe(201);
    expect((await stance(both.id, tDup.id, 'supportive', '2026-03-01')).status).toBe(201);
    expect((await stance(onlyDup.id, tOnly.id, 'champion', '2026-02-20')).status).toBe(201);

    const merged = await owner.post('/api/organisations/merge', { keepId: keep.id, mergeId: dup.id });
    expect(merged.status).toBe(200);

    // one target per campaign, on the kept organisation, with both histories in date order
    const targets = await t.db.select().from(campaignTarget).where(eq(campaignTarget.organisationId, keep.id));
    expect(targets.map((x) => x.campaignId).sort()).toEqual([both.id, onlyDup.id].sort());
    const history = await (await owner.get(`/api/campaigns/${both.id}/targets/${tKeep.id}/asks/${ask}/stances`)).json();
    expect(history.items.map((s: { value: string; asOf: string }) => `${s.asOf} ${s.value}`)).toEqual(['2026-03-01 supportive', '2026-02-01 neutral', '2026-01-10 sceptical']);
    const grid = await (await owner.get(`/api/campaigns/${onlyDup.id}/grid`)).json();
    expect(grid.cells.map((c: { targetId: string; value: string }) => [c.targetId, c.value])).toEqual([[tOnly.id, 'champion']]);
    expect(grid.targets.map((x: { organisationId: string }) => x.organisationId)).toEqual([keep.id]);
  });
});
