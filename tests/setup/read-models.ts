import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/server/db/client.ts';
import { READ_MODELS } from '../../src/server/read-models/registry.ts';
import { buildDialogue, buildParticipant, buildVotes } from './dialogue-factories.ts';
import { campaign, campaignAsk, campaignStance, campaignTarget } from '../../src/server/features/campaigns/campaigns.schema.ts';
import { buildFollowUp, buildGrant, buildMeeting, buildOrganisation, buildPerson, daysAgo } from './network-factories.ts';

/**
 * Everything the read models keep (registry.ts), as text, in a fixed order: every row of each read_model table (as_of
 * left out: when a row was computed), and the whole rows of application tables with mirrored columns. Not the search
 * change log: its rows are positions servers hold, and a rebuild adds one.
 */
export async function readModelSnapshot(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const m of READ_MODELS) {
    for (const kept of m.keeps) {
      const table = kept.startsWith('read_model.') ? kept : kept.split('.')[0]!;
      // the search log's positions and the campaigns' answer tokens are not data a rebuild makes again (a rebuild gives new tokens)
      if (table.startsWith('read_model.search_') || table === 'read_model.campaign_version' || out[table]) continue;
      const found = await rows<{ j: string }>(db, sql`SELECT (to_jsonb(t) - 'as_of')::text AS j FROM ${sql.raw(table)} t ORDER BY 1`);
      out[table] = found.map((r) => r.j);
    }
  }
  return out;
}

/** A small network and a dialogue that give every read model rows: restricted meetings, grants, items, votes. */
export async function buildDerivedWorld(db: Db, users: { staff: string; other: string }) {
  const a = await buildOrganisation(db, { names: ['Olive Grove Collective', 'קולקטיב חורשת הזיתים', 'تجمع بستان الزيتون'], ownerId: users.staff });
  const b = await buildOrganisation(db, { name: 'Two Rivers Forum', tags: ['youth'] });
  await buildPerson(db, { name: 'Rami Haddad', names: ['רמי חדאד', 'رامي حداد'] });
  await buildPerson(db, { name: 'Lina Saleh', identityRestricted: true, grantedTo: [users.staff] });
  const open = await buildMeeting(db, {
    startsAt: daysAgo(12),
    organisations: [a.id, b.id],
    sharedItems: [
      { organisationId: a.id, kind: 'concern', body: 'Permits are late' },
      { organisationId: b.id, kind: 'concern', body: 'Only for some', restricted: true, grantedTo: [users.other] },
    ],
    followUps: [{ title: 'Send the letter', ownerId: users.staff, organisationId: a.id }],
  });
  const secret = await buildMeeting(db, {
    startsAt: daysAgo(3),
    restricted: true,
    organisations: [a.id],
    staffIds: [users.staff],
    sharedItems: [{ organisationId: a.id, kind: 'concern', body: 'A closed matter' }],
    followUps: [{ title: 'Quiet call', ownerId: users.staff, organisationId: a.id }],
  });
  await buildGrant(db, { recordType: 'meeting', recordId: secret.id, userId: users.other });
  await buildMeeting(db, { startsAt: new Date(Date.now() + 5 * 86_400_000), restricted: true, organisations: [b.id], staffIds: [users.other] });
  await buildFollowUp(db, { title: 'No meeting', ownerId: users.staff, organisationId: b.id });
  const d = await buildDialogue(db, { sessions: [{ key: 's', questions: [{ key: 'q', kind: 'open', seeds: ['One', 'Two'] }] }] });
  const p1 = await buildParticipant(db, { dialogueId: d.id });
  const p2 = await buildParticipant(db, { dialogueId: d.id });
  const [s1, s2] = d.seeds.q!;
  await buildVotes(db, d.id, [
    [p1.id, s1!, 1],
    [p1.id, s2!, -1],
    [p2.id, s1!, 0],
  ]);
  // a campaign: a clean cell, a cell guarded by a stance citing the restricted meeting, a cell of a restricted person
  const [c] = await db.insert(campaign).values({ name: { en: 'Derived campaign' }, ownerId: users.staff, createdBy: users.staff }).returning({ id: campaign.id });
  const [ask] = await db.insert(campaignAsk).values({ campaignId: c!.id, text: { en: 'An ask' }, position: 0 }).returning({ id: campaignAsk.id });
  const hidden = await buildPerson(db, { name: 'Quiet Envoy', restricted: true, grantedTo: [users.staff] });
  const [ta, tb, tp] = await db
    .insert(campaignTarget)
    .values([
      { campaignId: c!.id, organisationId: a.id, createdBy: users.staff },
      { campaignId: c!.id, organisationId: b.id, createdBy: users.staff },
      { campaignId: c!.id, personId: hidden.id, createdBy: users.staff },
    ])
    .returning({ id: campaignTarget.id });
  const judged = { campaignId: c!.id, askId: ask!.id, recordedBy: users.staff, evidenceKind: 'judgement', reason: 'Our reading' };
  await db.insert(campaignStance).values([
    { ...judged, targetId: ta!.id, value: 'neutral', asOf: '2026-01-05' },
    { ...judged, targetId: ta!.id, value: 'supportive', asOf: '2026-02-05', evidenceKind: 'meeting', meetingId: open.id, reason: null },
    { ...judged, targetId: tb!.id, value: 'sceptical', asOf: '2026-01-05' },
    { ...judged, targetId: tb!.id, value: 'champion', asOf: '2026-02-05', evidenceKind: 'meeting', meetingId: secret.id, reason: null },
    { ...judged, targetId: tp!.id, value: 'opposed', asOf: '2026-01-07' },
  ]);
  return { a, b, open, secret, dialogue: d };
}
