import { sql } from 'drizzle-orm';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { forgetAnswers, keptAnswers } from './campaigns-answers.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';

// The grid, its movement since and the chart are kept serialised per process (campaigns-answers.ts), keyed by the
// campaign's token (read_model.campaign_version) and the reader's guarded-cell signature, both read from the database
// on every request. Whatever is written, each reader's next answer is the one derived afresh (the kept answers
// forgotten), and a write that changes what a reader sees changes that reader's next answer.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const owner = await t.signedIn('staff', { name: 'Owner' });
const insider = await t.signedIn('staff', { name: 'Insider' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });
const readers = { admin, owner, insider, outsider, viewer } as Record<string, TestClient>;

const missionA = await buildOrganisation(t.db, { name: 'Embassy of Alphaland', kind: 'mission' });
const missionB = await buildOrganisation(t.db, { name: 'Embassy of Betaland', kind: 'mission' });
const envoy = await buildPerson(t.db, { name: 'Quiet Envoy', restricted: true, grantedTo: [owner.user.id] });
const open = await buildMeeting(t.db, { title: 'Open talk', kind: 'diplomatic', organisations: [missionB.id], staffIds: [owner.user.id], startsAt: '2026-03-01T09:00:00Z' });
const secret = await buildMeeting(t.db, {
  title: 'Quiet talk',
  kind: 'diplomatic',
  restricted: true,
  organisations: [missionA.id],
  staffIds: [owner.user.id],
  grantedTo: [insider.user.id],
  startsAt: '2026-02-20T09:00:00Z',
});

const c = await (await owner.post('/api/campaigns', { name: { en: 'G7 kept answers' }, asks: [{ en: 'A role for civil society' }, { en: 'A fund' }] })).json();
const id: string = c.id;
const [ask1, ask2]: string[] = c.asks.map((a: { id: string }) => a.id);
for (const u of [insider, outsider, viewer]) expect((await owner.post(`/api/campaigns/${id}/grants`, { userId: u.user.id })).status).toBe(201);
const targetA: string = (await (await owner.post(`/api/campaigns/${id}/targets`, { organisationId: missionA.id, groupLabel: 'G7' })).json()).id;
const targetB: string = (await (await owner.post(`/api/campaigns/${id}/targets`, { organisationId: missionB.id, groupLabel: 'G7' })).json()).id;
const targetEnvoy: string = (await (await owner.post(`/api/campaigns/${id}/targets`, { personId: envoy.id })).json()).id;
const stance = async (body: Record<string, unknown>) => expect((await owner.post(`/api/campaigns/${id}/stances`, body)).status).toBe(201);
await stance({ targetId: targetA, askId: ask1, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'Non-committal' } });
await stance({ targetId: targetA, askId: ask1, value: 'supportive', asOf: '2026-02-20', evidence: { kind: 'meeting', meetingId: secret.id } });
await stance({ targetId: targetB, askId: ask2, value: 'sceptical', asOf: '2026-03-01', evidence: { kind: 'meeting', meetingId: open.id } });
await stance({ targetId: targetEnvoy, askId: ask1, value: 'opposed', asOf: '2026-02-02', evidence: { kind: 'judgement', reason: 'Told us privately' } });

const PATHS = [`/api/campaigns/${id}/grid`, `/api/campaigns/${id}/grid?since=2026-02-10`, `/api/campaigns/${id}/movement`, `/api/campaigns/${id}/movement?askId=${ask1}`];

/** Every reader's answers on every kept route, as given (kept or not). */
async function answers(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, who] of Object.entries(readers)) {
    out[name] = [];
    for (const p of PATHS) {
      const res = await who.get(p);
      expect(res.status, `${name} ${p}`).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      out[name].push(await res.text());
    }
  }
  return out;
}

/** The answers as given now (asked twice: the second from what is kept) equal those derived afresh. */
async function givenEqualsFresh(): Promise<Record<string, string[]>> {
  await answers();
  const given = await answers();
  expect(keptAnswers().answers).toBeGreaterThan(0);
  forgetAnswers();
  expect(await answers()).toEqual(given);
  return given;
}

/** After `write`, the readers named see a different answer on the routes given (by index of PATHS); everyone's is the fresh one. */
async function afterWrite(write: () => Promise<void>, changed: Record<string, number[]>) {
  const before = await givenEqualsFresh();
  await write();
  const after = await answers();
  forgetAnswers();
  expect(await answers()).toEqual(after);
  for (const name of Object.keys(readers))
    for (const [i] of PATHS.entries()) {
      const differs = after[name]![i] !== before[name]![i];
      expect(differs, `${name} ${PATHS[i]}`).toBe((changed[name] ?? []).includes(i));
    }
}

const GRIDS = [0, 1];
const ALL = [0, 1, 2, 3];

describe('the answers kept', () => {
  it('a stance recorded changes the next grid, movement since and chart of every reader', async () => {
    await afterWrite(
      () => stance({ targetId: targetB, askId: ask1, value: 'champion', asOf: '2026-03-02', evidence: { kind: 'judgement', reason: 'Said so in public' } }),
      { admin: ALL, owner: ALL, insider: ALL, outsider: ALL, viewer: ALL },
    );
  });

  it('a stance citing a restricted meeting changes the answers of those who see the meeting only', async () => {
    await afterWrite(() => stance({ targetId: targetA, askId: ask2, value: 'champion', asOf: '2026-03-03', evidence: { kind: 'meeting', meetingId: secret.id } }), {
      admin: [0, 1, 2],
      owner: [0, 1, 2],
      insider: [0, 1, 2],
    });
  });

  it('restricting a meeting a stance cites hides it from who may not see it: their next grid differs', async () => {
    await afterWrite(
      async () => {
        await t.db.execute(sql`UPDATE meeting SET restricted = true WHERE id = ${open.id}`);
      },
      { insider: [0, 1, 2], outsider: [0, 1, 2], viewer: [0, 1, 2] },
    );
    // and opened again
    await afterWrite(
      async () => {
        await t.db.execute(sql`UPDATE meeting SET restricted = false WHERE id = ${open.id}`);
      },
      { insider: [0, 1, 2], outsider: [0, 1, 2], viewer: [0, 1, 2] },
    );
  });

  it('a meeting granted changes the grantee’s answers alone; taken away, back again', async () => {
    await afterWrite(async () => {
      expect((await owner.post(`/api/meetings/${secret.id}/grants`, { userId: outsider.user.id })).status).toBe(201);
    }, { outsider: ALL });
    await afterWrite(async () => {
      expect((await owner.delete(`/api/meetings/${secret.id}/grants/${outsider.user.id}`)).status).toBe(204);
    }, { outsider: ALL });
  });

  it('a restricted person targeted, once granted, appears in the grantee’s answers alone', async () => {
    await afterWrite(async () => {
      expect((await owner.post(`/api/people/${envoy.id}/grants`, { userId: viewer.user.id })).status).toBe(201);
    }, { viewer: ALL });
  });

  it('an ask reworded, a group relabelled, a mission renamed: every grid differs (the chart counts alone do not)', async () => {
    await afterWrite(async () => {
      expect((await owner.patch(`/api/campaigns/${id}/asks/${ask2}`, { text: { en: 'An international fund' } })).status).toBe(200);
    }, { admin: GRIDS, owner: GRIDS, insider: GRIDS, outsider: GRIDS, viewer: GRIDS });
    await afterWrite(async () => {
      expect((await owner.patch(`/api/campaigns/${id}/targets/${targetB}`, { groupLabel: 'EU' })).status).toBe(200);
    }, { admin: GRIDS, owner: GRIDS, insider: GRIDS, outsider: GRIDS, viewer: GRIDS });
    await afterWrite(async () => {
      await t.db.execute(sql`UPDATE organisation SET name = 'Embassy of Betaland (Tel Aviv)' WHERE id = ${missionB.id}`);
    }, { admin: GRIDS, owner: GRIDS, insider: GRIDS, outsider: GRIDS, viewer: GRIDS });
  });

  it('a campaign taken away answers 404 at once, with nothing kept given; a grant given back shows it again', async () => {
    await givenEqualsFresh();
    expect((await owner.delete(`/api/campaigns/${id}/grants/${outsider.user.id}`)).status).toBe(204);
    for (const p of PATHS) await problem(await outsider.get(p), 404);
    expect((await owner.post(`/api/campaigns/${id}/grants`, { userId: outsider.user.id })).status).toBe(201);
    await givenEqualsFresh();
  });

  it('every answer given audits the restricted records it shows, kept or not', async () => {
    const count = async () =>
      Number((await rows<{ n: string }>(t.db, sql`SELECT count(*)::text AS n FROM audit_entry WHERE action = 'record.read' AND actor_id = ${insider.user.id} AND entity_id IN (${id}, ${secret.id})`))[0]!.n);
    const before = await count();
    await insider.get(PATHS[0]!);
    await insider.get(PATHS[0]!);
    // twice: the campaign and the restricted meeting each time
    expect((await count()) - before).toBe(4);
  });

  it('a campaign without a token is answered derived each time and nothing is kept; the next write gives it one', async () => {
    await t.db.execute(sql`DELETE FROM read_model.campaign_version WHERE campaign_id = ${id}`);
    forgetAnswers();
    const before = await answers();
    expect(keptAnswers().answers).toBe(0);
    await stance({ targetId: targetB, askId: ask2, value: 'supportive', asOf: '2026-03-04', evidence: { kind: 'judgement', reason: 'A second meeting' } });
    const after = await answers();
    expect(after.owner).not.toEqual(before.owner);
    expect(keptAnswers().answers).toBeGreaterThan(0);
    await givenEqualsFresh();
  });

  it('sends the kept answer gzipped to a client that accepts it', async () => {
    const plain = await (await owner.get(PATHS[0]!)).text();
    const res = await owner.get(PATHS[0]!, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(plain);
  });
});
