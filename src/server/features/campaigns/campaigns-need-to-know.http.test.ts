import { and, count, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { campaign, campaignStance } from './campaigns.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';

// Need-to-know on campaign surfaces (docs/campaigns.md): a staff member who shares a campaign but was not granted a
// restricted meeting sees neither the meeting nor the stance it supports: the cell shows the last stance they may see
// (or nothing: unknown), its history has no trace of the newer one, and no count reveals it. A target they may not
// see (a restricted person) is not there for them at all.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const owner = await t.signedIn('staff', { name: 'Owner' });
const insider = await t.signedIn('staff', { name: 'Insider' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });

const missionA = await buildOrganisation(t.db, { name: 'Embassy of Alphaland', kind: 'mission' });
const missionB = await buildOrganisation(t.db, { name: 'Embassy of Betaland', kind: 'mission' });
const secretPerson = await buildPerson(t.db, { name: 'Secret Envoy', restricted: true, grantedTo: [owner.user.id] });
const secretMeeting = await buildMeeting(t.db, {
  title: 'Quiet talk with the Alphaland ambassador',
  kind: 'diplomatic',
  restricted: true,
  organisations: [missionA.id],
  staffIds: [owner.user.id],
  grantedTo: [insider.user.id],
  startsAt: '2026-02-20T09:00:00Z',
});

let campaignId = '';
let ask1 = '';
let ask2 = '';
let targetA = '';
let targetB = '';
let targetSecret = '';

async function stance(c: TestClient, body: Record<string, unknown>, id = campaignId) {
  return c.post(`/api/campaigns/${id}/stances`, body);
}

async function reads(actorId: string, entityType: string, entityId: string) {
  return t.db
    .select()
    .from(auditEntry)
    .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, actorId), eq(auditEntry.entityType, entityType), eq(auditEntry.entityId, entityId)));
}

beforeAll(async () => {
  const c = await (await owner.post('/api/campaigns', { name: { en: 'G7: civil society in the day-after' }, asks: [{ en: 'A role for civil society' }, { en: 'A fund' }] })).json();
  campaignId = c.id;
  ask1 = c.asks[0].id;
  ask2 = c.asks[1].id;
  for (const u of [insider, outsider]) expect((await owner.post(`/api/campaigns/${campaignId}/grants`, { userId: u.user.id })).status).toBe(201);
  targetA = (await (await owner.post(`/api/campaigns/${campaignId}/targets`, { organisationId: missionA.id, groupLabel: 'G7' })).json()).id;
  targetB = (await (await owner.post(`/api/campaigns/${campaignId}/targets`, { organisationId: missionB.id, groupLabel: 'G7' })).json()).id;
  const s = await owner.post(`/api/campaigns/${campaignId}/targets`, { personId: secretPerson.id });
  expect(s.status).toBe(201);
  targetSecret = (await s.json()).id;

  const ok = async (c: TestClient, body: Record<string, unknown>) => expect((await stance(c, body)).status).toBe(201);
  await ok(owner, { targetId: targetA, askId: ask1, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'Non-committal at the reception' } });
  await ok(owner, { targetId: targetA, askId: ask1, value: 'supportive', asOf: '2026-02-20', evidence: { kind: 'meeting', meetingId: secretMeeting.id } });
  await ok(owner, { targetId: targetA, askId: ask2, value: 'champion', asOf: '2026-02-20', evidence: { kind: 'meeting', meetingId: secretMeeting.id } });
  await ok(owner, { targetId: targetSecret, askId: ask1, value: 'opposed', asOf: '2026-02-02', evidence: { kind: 'judgement', reason: 'Told us privately' } });
});

type Grid = {
  targets: { id: string }[];
  cells: { targetId: string; askId: string; value: string; asOf: string; evidenceKind: string; stances: number }[];
  counts: { askId: string; value: string; targets: number }[];
};
const countsOf = (g: Grid, askId: string) => Object.fromEntries(g.counts.filter((x) => x.askId === askId).map((x) => [x.value, x.targets]));
const cell = (g: Grid, targetId: string, askId: string) => g.cells.find((s) => s.targetId === targetId && s.askId === askId)?.value ?? 'unknown';

describe('a stance whose evidence is a restricted meeting', () => {
  it('is invisible to a staff member not granted the meeting: the last stance they may see, or unknown; no count reveals it', async () => {
    await problem(await outsider.get(`/api/meetings/${secretMeeting.id}`), 404);
    const grid: Grid = await (await outsider.get(`/api/campaigns/${campaignId}/grid`)).json();
    expect(grid.targets.map((x) => x.id).sort()).toEqual([targetA, targetB].sort());
    expect(cell(grid, targetA, ask1)).toBe('neutral');
    expect(cell(grid, targetA, ask2)).toBe('unknown');
    expect(grid.cells).toHaveLength(1);
    // counted as they see the cell's history: one stance, not two
    expect(grid.cells[0]).toMatchObject({ asOf: '2026-02-01', evidenceKind: 'judgement', stances: 1 });
    expect(JSON.stringify(grid)).not.toContain(secretMeeting.id);
    expect(JSON.stringify(grid)).not.toContain('Alphaland ambassador');
    expect(countsOf(grid, ask1)).toEqual({ neutral: 1, unknown: 1 });
    expect(countsOf(grid, ask2)).toEqual({ unknown: 2 });

    const history = await (await outsider.get(`/api/campaigns/${campaignId}/targets/${targetA}/asks/${ask1}/stances`)).json();
    expect(history.items.map((s: { value: string }) => s.value)).toEqual(['neutral']);
    const history2 = await (await outsider.get(`/api/campaigns/${campaignId}/targets/${targetA}/asks/${ask2}/stances`)).json();
    expect(history2.items).toEqual([]);
    // the restricted person is no target for them
    await problem(await outsider.get(`/api/campaigns/${campaignId}/targets/${targetSecret}/asks/${ask1}/stances`), 404);
    const detail = await (await outsider.get(`/api/campaigns/${campaignId}`)).json();
    expect(detail.targetCount).toBe(2);
    expect(detail.targets.map((x: { id: string }) => x.id)).not.toContain(targetSecret);
    const list = await (await outsider.get('/api/campaigns')).json();
    expect(list.items.find((x: { id: string }) => x.id === campaignId)).toMatchObject({ targetCount: 2, askCount: 2 });
    expect(await reads(outsider.user.id, 'meeting', secretMeeting.id)).toHaveLength(0);
    expect(await reads(outsider.user.id, 'person', secretPerson.id)).toHaveLength(0);
  });

  it('is seen by whoever was granted the meeting, and that read of the meeting is audited', async () => {
    const grid: Grid = await (await insider.get(`/api/campaigns/${campaignId}/grid`)).json();
    expect(cell(grid, targetA, ask1)).toBe('supportive');
    expect(cell(grid, targetA, ask2)).toBe('champion');
    // the cell says what the grid shows; its evidence is in the cell's history (below)
    expect(grid.cells.find((s) => s.targetId === targetA && s.askId === ask1)).toMatchObject({ value: 'supportive', asOf: '2026-02-20', evidenceKind: 'meeting', stances: 2 });
    expect(JSON.stringify(grid)).not.toContain('Alphaland ambassador');
    expect(countsOf(grid, ask1)).toEqual({ supportive: 1, unknown: 1 });
    expect(await reads(insider.user.id, 'meeting', secretMeeting.id)).toHaveLength(1);
    expect(await reads(insider.user.id, 'campaign', campaignId)).toHaveLength(1);
    const history = await (await insider.get(`/api/campaigns/${campaignId}/targets/${targetA}/asks/${ask1}/stances`)).json();
    expect(history.items.map((s: { value: string }) => s.value)).toEqual(['supportive', 'neutral']);
    expect(history.items[0]).toMatchObject({ value: 'supportive', asOf: '2026-02-20', evidence: { meetingId: secretMeeting.id, meetingTitle: 'Quiet talk with the Alphaland ambassador' } });

    const full: Grid = await (await owner.get(`/api/campaigns/${campaignId}/grid`)).json();
    expect(full.targets).toHaveLength(3);
    expect(countsOf(full, ask1)).toEqual({ supportive: 1, opposed: 1, unknown: 1 });
    expect(await reads(owner.user.id, 'person', secretPerson.id)).not.toHaveLength(0);
    expect(((await (await admin.get(`/api/campaigns/${campaignId}/grid`)).json()) as Grid).cells).toHaveLength(3);
  });

  it('moves nothing for whoever may not see it: the movement since a day counts only visible changes', async () => {
    type Movement = { movement: { since: string; moves: number; cells: { targetId: string; askId: string; from: string; to: string }[] } };
    const out: Movement = await (await outsider.get(`/api/campaigns/${campaignId}/grid?since=2026-02-15`)).json();
    expect(out.movement).toEqual({ since: '2026-02-15', moves: 0, cells: [] });
    const ins: Movement = await (await insider.get(`/api/campaigns/${campaignId}/grid?since=2026-02-15`)).json();
    expect(ins.movement.moves).toBe(2);
    expect(ins.movement.cells).toEqual(
      expect.arrayContaining([
        { targetId: targetA, askId: ask1, from: 'neutral', to: 'supportive' },
        { targetId: targetA, askId: ask2, from: 'unknown', to: 'champion' },
      ]),
    );
    const before: Movement = await (await outsider.get(`/api/campaigns/${campaignId}/grid?since=2026-01-01`)).json();
    expect(before.movement.cells).toEqual([{ targetId: targetA, askId: ask1, from: 'unknown', to: 'neutral' }]);
    expect(((await (await outsider.get(`/api/campaigns/${campaignId}/grid`)).json()) as { movement: unknown }).movement).toBeNull();
    const bad = await problem(await outsider.get(`/api/campaigns/${campaignId}/grid?since=2026-02-30`), 400);
    expect(bad.errors?.[0]?.field).toBe('query.since');
  });

  it('cannot be cited by someone who may not see it, nor can a person they may not see be made a target; nothing written', async () => {
    const before = (await t.db.select({ n: count() }).from(campaignStance))[0]!.n;
    const p = await problem(await stance(outsider, { targetId: targetB, askId: ask1, value: 'supportive', asOf: '2026-02-21', evidence: { kind: 'meeting', meetingId: secretMeeting.id } }), 422);
    expect(p.errors).toEqual([{ field: 'body.evidence.meetingId', detail: 'No such record' }]);
    // the same answer as for a meeting that does not exist
    const q = await problem(
      await stance(outsider, { targetId: targetB, askId: ask1, value: 'supportive', asOf: '2026-02-21', evidence: { kind: 'meeting', meetingId: '00000000-0000-4000-8000-000000000000' } }),
      422,
    );
    expect(q.errors).toEqual(p.errors);
    const hiddenTarget = await problem(await stance(outsider, { targetId: targetSecret, askId: ask1, value: 'neutral', asOf: '2026-02-21', evidence: { kind: 'judgement', reason: 'x' } }), 422);
    expect(hiddenTarget.errors).toEqual([{ field: 'body.targetId', detail: 'No such target in this campaign' }]);
    expect((await t.db.select({ n: count() }).from(campaignStance))[0]!.n).toBe(before);

    const c2 = await (await outsider.post('/api/campaigns', { name: { en: 'Second' } })).json();
    const tp = await problem(await outsider.post(`/api/campaigns/${c2.id}/targets`, { personId: secretPerson.id }), 422);
    expect(tp.errors).toEqual([{ field: 'body.personId', detail: 'No such record' }]);
  });

  it('a campaign holding a stance hidden from its owner is deleted only by an administrator, and the answer says nothing of what it holds', async () => {
    const c2 = await (await outsider.post('/api/campaigns', { name: { en: 'Outsider’s campaign' }, asks: [{ en: 'Ask' }] })).json();
    await outsider.post(`/api/campaigns/${c2.id}/grants`, { userId: owner.user.id });
    const tA = (await (await outsider.post(`/api/campaigns/${c2.id}/targets`, { organisationId: missionA.id })).json()).id;
    expect((await stance(owner, { targetId: tA, askId: c2.asks[0].id, value: 'supportive', asOf: '2026-02-20', evidence: { kind: 'meeting', meetingId: secretMeeting.id } }, c2.id)).status).toBe(201);
    const grid: Grid = await (await outsider.get(`/api/campaigns/${c2.id}/grid`)).json();
    expect(grid.cells).toEqual([]);
    const p = await problem(await outsider.delete(`/api/campaigns/${c2.id}`), 409);
    expect(p.code).toBe('campaign_has_protected_records');
    expect(JSON.stringify(p)).not.toContain(secretMeeting.id);
    expect(await t.db.select().from(campaign).where(eq(campaign.id, c2.id))).toHaveLength(1);
    expect((await admin.delete(`/api/campaigns/${c2.id}`)).status).toBe(204);
  });

  it('a restricted meeting tagged with the campaign is listed only to those who may see it, and counted only for them', async () => {
    const open = await buildMeeting(t.db, { title: 'Open reception', organisations: [missionB.id], startsAt: '2026-02-10T09:00:00Z' });
    expect((await owner.post(`/api/campaigns/${campaignId}/meetings`, { meetingId: secretMeeting.id, targetIds: [targetA, targetSecret], askIds: [ask1] })).status).toBe(200);
    expect((await owner.post(`/api/campaigns/${campaignId}/meetings`, { meetingId: open.id, targetIds: [targetB] })).status).toBe(200);
    const seen = await (await outsider.get(`/api/campaigns/${campaignId}/meetings`)).json();
    expect(seen).toMatchObject({ total: 1, items: [{ meetingId: open.id }] });
    expect(JSON.stringify(seen)).not.toContain(secretMeeting.id);
    const all = await (await insider.get(`/api/campaigns/${campaignId}/meetings`)).json();
    expect(all.total).toBe(2);
    // the insider may not see the restricted person: that target is not listed for them
    expect(all.items.find((m: { meetingId: string }) => m.meetingId === secretMeeting.id).targetIds).toEqual([targetA]);
    const p = await problem(await outsider.post(`/api/campaigns/${campaignId}/meetings`, { meetingId: secretMeeting.id }), 422);
    expect(p.errors).toEqual([{ field: 'body.meetingId', detail: 'No such record' }]);
    // an insider re-tagging keeps the target hidden from them
    expect((await insider.post(`/api/campaigns/${campaignId}/meetings`, { meetingId: secretMeeting.id, targetIds: [targetA] })).status).toBe(200);
    const full = await (await owner.get(`/api/campaigns/${campaignId}/meetings`)).json();
    expect(full.items.find((m: { meetingId: string }) => m.meetingId === secretMeeting.id).targetIds.sort()).toEqual([targetA, targetSecret].sort());
  });

  it('keeps a meeting cited as evidence: deleting it answers 409 for everyone, an administrator too', async () => {
    const p = await problem(await admin.delete(`/api/meetings/${secretMeeting.id}`), 409);
    expect(p.code).toBe('meeting_is_evidence');
    expect((await admin.get(`/api/meetings/${secretMeeting.id}`)).status).toBe(200);
  });
});

// The grid answers a cell from the read model read_model.campaign_cell (src/server/read-models/campaign-cell.sql) while
// no stance of it may be hidden from a reader, and derives it per reader once one may: the triggers move a cell between
// the two when a meeting it cites, or the person it is about, is restricted or opened, and leave what a rebuild makes.
describe('a cell moves between the read model and the per-reader path', () => {
  type Cell = { target_id: string; ask_id: string; value: string; stances: number; guarded: boolean };
  const modelRows = () => rows<Cell>(t.db, sql`SELECT target_id, ask_id, stance_id, value, held_on::text, evidence_kind, meeting_id, stances, guarded FROM read_model.campaign_cell ORDER BY target_id, ask_id`);
  const monthRows = async () => [
    await rows(t.db, sql`SELECT * FROM read_model.campaign_cell_month ORDER BY target_id, ask_id, month`),
    await rows(t.db, sql`SELECT * FROM read_model.campaign_month ORDER BY campaign_id, ask_id, month, value`),
  ];
  async function sameAsRebuild() {
    const kept = await modelRows();
    const keptMonths = await monthRows();
    await t.db.execute(sql`SELECT read_model.rebuild_campaign_cell()`);
    expect(await modelRows()).toEqual(kept);
    expect(await monthRows()).toEqual(keptMonths);
    return kept;
  }
  type Chart = { months: { month: string; counts: Record<string, number> }[] };
  const march = async (who: TestClient) => ((await (await who.get(`/api/campaigns/${campaignOf}/movement`)).json()) as Chart).months.find((m) => m.month === '2026-03')!.counts;
  let campaignOf = '';

  it('as a meeting it cites is restricted and opened again, and as the person it is about is restricted and opened again', async () => {
    const c = await (await owner.post('/api/campaigns', { name: { en: 'Moving cells' }, asks: [{ en: 'An ask' }] })).json();
    const askId: string = c.asks[0].id;
    campaignOf = c.id;
    expect((await owner.post(`/api/campaigns/${c.id}/grants`, { userId: outsider.user.id })).status).toBe(201);
    const tOrg: string = (await (await owner.post(`/api/campaigns/${c.id}/targets`, { organisationId: missionB.id })).json()).id;
    const envoy = await buildPerson(t.db, { name: 'Open Envoy' });
    const tPerson: string = (await (await owner.post(`/api/campaigns/${c.id}/targets`, { personId: envoy.id })).json()).id;
    const talk = await buildMeeting(t.db, { title: 'Reception at the Betaland embassy', kind: 'diplomatic', organisations: [missionB.id], staffIds: [owner.user.id], startsAt: '2026-03-05T09:00:00Z' });
    const post = async (targetId: string, value: string, asOf: string, evidence: Record<string, unknown>) =>
      expect((await stance(owner, { targetId, askId, value, asOf, evidence }, c.id)).status).toBe(201);
    await post(tOrg, 'neutral', '2026-03-01', { kind: 'judgement', reason: 'Polite' });
    await post(tOrg, 'supportive', '2026-03-05', { kind: 'meeting', meetingId: talk.id });
    await post(tPerson, 'sceptical', '2026-03-02', { kind: 'judgement', reason: 'Cautious' });

    const model = async (targetId: string) => (await sameAsRebuild()).find((r) => r.target_id === targetId && r.ask_id === askId);
    const grid = async (who: TestClient) => (await (await who.get(`/api/campaigns/${c.id}/grid?since=2026-03-03`)).json()) as Grid & { movement: { cells: unknown[] } };

    // open: from the read model, the same for everyone
    expect(await model(tOrg)).toMatchObject({ value: 'supportive', stances: 2, guarded: false });
    expect(await model(tPerson)).toMatchObject({ value: 'sceptical', stances: 1, guarded: false });
    let g = await grid(outsider);
    expect(g.cells.map((x) => [x.targetId, x.value, x.stances])).toEqual(expect.arrayContaining([[tOrg, 'supportive', 2], [tPerson, 'sceptical', 1]]));
    expect(g.movement.cells).toEqual([{ targetId: tOrg, askId, from: 'neutral', to: 'supportive' }]);
    expect(await march(outsider)).toMatchObject({ supportive: 1, sceptical: 1, neutral: 0, unknown: 0 });

    // the meeting restricted: the cell is guarded, and derived per reader
    expect((await admin.patch(`/api/meetings/${talk.id}`, { restricted: true })).status).toBe(200);
    expect(await model(tOrg)).toMatchObject({ value: 'supportive', stances: 2, guarded: true });
    g = await grid(outsider);
    expect(g.cells.find((x) => x.targetId === tOrg)).toMatchObject({ value: 'neutral', asOf: '2026-03-01', stances: 1 });
    expect(g.movement.cells).toEqual([]);
    expect(countsOf(g, askId)).toEqual({ neutral: 1, sceptical: 1 });
    expect((await grid(owner)).cells.find((x) => x.targetId === tOrg)).toMatchObject({ value: 'supportive', stances: 2 });
    expect(await march(outsider)).toMatchObject({ supportive: 0, sceptical: 1, neutral: 1, unknown: 0 });
    expect(await march(owner)).toMatchObject({ supportive: 1, sceptical: 1, neutral: 0, unknown: 0 });

    // opened again: back in the read model, the same for everyone
    expect((await admin.patch(`/api/meetings/${talk.id}`, { restricted: false })).status).toBe(200);
    expect(await model(tOrg)).toMatchObject({ value: 'supportive', guarded: false });
    expect((await grid(outsider)).cells.find((x) => x.targetId === tOrg)).toMatchObject({ value: 'supportive', stances: 2 });

    // the person restricted (granted to nobody but the owner): the target and its cell are gone for the outsider
    expect((await admin.patch(`/api/people/${envoy.id}`, { restricted: true })).status).toBe(200);
    expect(await model(tPerson)).toMatchObject({ value: 'sceptical', guarded: true });
    g = await grid(outsider);
    expect(g.targets.map((x) => x.id)).not.toContain(tPerson);
    expect(JSON.stringify(g)).not.toContain(tPerson);
    expect(countsOf(g, askId)).toEqual({ supportive: 1 });
    expect(await march(outsider)).toMatchObject({ supportive: 1, sceptical: 0, unknown: 0 });
    expect((await admin.patch(`/api/people/${envoy.id}`, { restricted: false })).status).toBe(200);
    expect(await model(tPerson)).toMatchObject({ value: 'sceptical', guarded: false });
    expect((await grid(outsider)).cells.find((x) => x.targetId === tPerson)).toMatchObject({ value: 'sceptical' });
  });
});
