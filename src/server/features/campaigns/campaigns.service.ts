import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { textArray } from '../../db/array-literal.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError, isUuid, notFound, type FieldError } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { auditRestrictedReads, meetingRowVisible, meetingVisible } from '../../access/need-to-know.ts';
import {
  campaignReader,
  campaignRowVisible,
  campaignWriter,
  cellsAsOf,
  currentCells,
  manageCampaignAccess,
  targetRowVisible,
  visibleStances,
} from '../../access/campaigns.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { todayIn } from '../meetings/follow-ups.service.ts';
import { organisation } from '../network/network.schema.ts';
import type {
  Campaign,
  CampaignAsk,
  CampaignDetail,
  CampaignDocument,
  CampaignMeeting,
  CreateDocumentInput,
  TagMeetingInput,
  CampaignTarget,
  CreateAskInput,
  CreateCampaignInput,
  CreateStanceInput,
  CreateTargetInput,
  Grid,
  Stance,
  UpdateAskInput,
  ReorderAsksInput,
  UpdateCampaignInput,
  UpdateTargetInput,
  CreateTargetsInput,
} from './campaigns.contract.ts';
import {
  campaign,
  campaignAsk,
  campaignDocument,
  campaignDocumentFile,
  campaignDocumentPassage,
  campaignMeeting,
  campaignMeetingAsk,
  campaignMeetingTarget,
  campaignStance,
  campaignTarget,
  type Localized,
} from './campaigns.schema.ts';

// Campaigns, their asks and targets, stances with their evidence, the grid and a cell's history (docs/campaigns.md).
// Who sees what is decided in access/campaigns.ts; every query here includes its conditions.

type CampaignRow = typeof campaign.$inferSelect;

const clean = (l: Localized | undefined): Localized => {
  const out: Localized = {};
  if (l?.en) out.en = l.en;
  if (l?.he) out.he = l.he;
  if (l?.ar) out.ar = l.ar;
  return out;
};

const iso = (v: unknown) => new Date(v as string | Date).toISOString();

/** The campaign if the actor may see it, else the same 404 as for a missing one. */
export async function loadVisibleCampaign(db: Db, actor: Actor, id: string): Promise<CampaignRow> {
  if (!isUuid(id)) throw notFound('campaign');
  const [row] = await db
    .select()
    .from(campaign)
    .where(and(eq(campaign.id, id), campaignRowVisible(actor, campaign)));
  if (!row) throw notFound('campaign');
  return row;
}

async function assertUser(db: Db, id: string, field: string): Promise<void> {
  const [u] = await db.select({ id: user.id }).from(user).where(eq(user.id, id));
  if (!u) throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field, detail: 'No such user' }]);
}

// ---------- reading ----------

type CampaignListRow = {
  id: string;
  name: Localized;
  goal: Localized;
  owner_id: string | null;
  owner_name: string | null;
  starts_on: string | null;
  ends_on: string | null;
  restricted: boolean;
  ask_count: number;
  target_count: number;
  created_at: string | Date;
  updated_at: string | Date;
};

function selectCampaigns(actor: Actor, where: SQL): SQL {
  return sql`SELECT c.id, c.name, c.goal, c.owner_id, u.name AS owner_name, c.starts_on::text AS starts_on, c.ends_on::text AS ends_on,
      c.restricted, c.created_at, c.updated_at,
      (SELECT count(*)::int FROM campaign_ask a WHERE a.campaign_id = c.id) AS ask_count,
      (SELECT count(*)::int FROM campaign_target t WHERE t.campaign_id = c.id AND ${targetRowVisible(actor, sql`t.person_id`)}) AS target_count
    FROM campaign c LEFT JOIN "user" u ON u.id = c.owner_id
    WHERE ${campaignRowVisible(actor, { restricted: sql`c.restricted`, ownerId: sql`c.owner_id`, id: sql`c.id` })} AND ${where}`;
}

function toCampaign(r: CampaignListRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    goal: r.goal ?? {},
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    restricted: r.restricted,
    askCount: Number(r.ask_count),
    targetCount: Number(r.target_count),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Campaigns the actor may see, newest first (a whole list: a coalition runs a handful at a time). */
export async function listCampaigns(db: Db, ctx: RequestContext): Promise<{ items: Campaign[]; total: number }> {
  const actor = campaignReader(ctx);
  const list = await rows<CampaignListRow>(db, sql`${selectCampaigns(actor, sql`true`)} ORDER BY c.created_at DESC, c.id DESC`);
  await auditRestrictedReads(
    db,
    ctx,
    list.filter((c) => c.restricted).map((c) => ({ entityType: 'campaign', entityId: c.id })),
  );
  return { items: list.map(toCampaign), total: list.length };
}

export async function asksOf(db: Db, campaignId: string): Promise<CampaignAsk[]> {
  const list = await db
    .select({ id: campaignAsk.id, text: campaignAsk.text, position: campaignAsk.position })
    .from(campaignAsk)
    .where(eq(campaignAsk.campaignId, campaignId))
    .orderBy(campaignAsk.position, campaignAsk.createdAt, campaignAsk.id);
  return list;
}

type TargetRow = { id: string; organisation_id: string | null; person_id: string | null; name: string; group_label: string | null; person_restricted: boolean | null };

/** The targets of a campaign the actor may see, by group then name. */
export async function targetsOf(db: Db, actor: Actor, campaignId: string): Promise<{ targets: CampaignTarget[]; restrictedPeople: string[] }> {
  const list = await rows<TargetRow>(
    db,
    sql`SELECT t.id, t.organisation_id, t.person_id, t.group_label, coalesce(o.name, p.display_name) AS name, p.restricted AS person_restricted
      FROM campaign_target t LEFT JOIN organisation o ON o.id = t.organisation_id LEFT JOIN person p ON p.id = t.person_id
      WHERE t.campaign_id = ${campaignId} AND ${targetRowVisible(actor, sql`t.person_id`)}
      ORDER BY t.group_label NULLS LAST, coalesce(o.name, p.display_name), t.id`,
  );
  return {
    targets: list.map((t) => ({
      id: t.id,
      kind: t.organisation_id ? 'organisation' : 'person',
      organisationId: t.organisation_id,
      personId: t.person_id,
      name: t.name,
      groupLabel: t.group_label,
    })),
    restrictedPeople: list.filter((t) => t.person_restricted).map((t) => t.person_id!),
  };
}

export async function getCampaign(db: Db, ctx: RequestContext, id: string): Promise<CampaignDetail> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const [row] = await rows<CampaignListRow>(db, selectCampaigns(actor, sql`c.id = ${c.id}`));
  const asks = await asksOf(db, c.id);
  const { targets, restrictedPeople } = await targetsOf(db, actor, c.id);
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...restrictedPeople.map((p) => ({ entityType: 'person', entityId: p })),
  ]);
  return { ...toCampaign(row!), asks, targets };
}

// ---------- writing campaigns ----------

export async function createCampaign(db: Db, ctx: RequestContext, input: CreateCampaignInput): Promise<CampaignDetail> {
  const actor = campaignWriter(ctx);
  const ownerId = input.ownerId ?? actor.id;
  if (input.ownerId) await assertUser(db, input.ownerId, 'body.ownerId');
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaign)
      .values({
        name: clean(input.name),
        goal: clean(input.goal),
        ownerId,
        startsOn: input.startsOn ?? null,
        endsOn: input.endsOn ?? null,
        restricted: input.restricted ?? true,
        createdBy: actor.id,
      })
      .returning({ id: campaign.id });
    // whoever creates a restricted campaign for someone else keeps sight of it
    if ((input.restricted ?? true) && ownerId !== actor.id) await grantCampaignTo(tx, actor, row!.id, actor.id);
    await recordAudit(tx, ctx, { action: 'campaign.create', entityType: 'campaign', entityId: row!.id, detail: { restricted: input.restricted ?? true, ownerId } });
    let position = 0;
    for (const text of input.asks ?? []) {
      const [ask] = await tx
        .insert(campaignAsk)
        .values({ campaignId: row!.id, text: clean(text), position: position++ })
        .returning({ id: campaignAsk.id });
      await recordAudit(tx, ctx, { action: 'campaign_ask.create', entityType: 'campaign_ask', entityId: ask!.id, detail: { campaignId: row!.id } });
    }
    return row!.id;
  });
  return getCampaign(db, ctx, id);
}

export async function updateCampaign(db: Db, ctx: RequestContext, id: string, input: UpdateCampaignInput): Promise<CampaignDetail> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const accessChange: FieldError[] = [];
  if (input.restricted !== undefined && input.restricted !== c.restricted) accessChange.push({ field: 'body.restricted', detail: 'Only its owner or an administrator may change this' });
  if (input.ownerId !== undefined && input.ownerId !== c.ownerId) accessChange.push({ field: 'body.ownerId', detail: 'Only its owner or an administrator may change this' });
  if (accessChange.length && !manageCampaignAccess(actor, c)) {
    throw new AppError('forbidden', 'campaign_access_restricted', "Only the campaign's owner or an administrator may change who sees it.", accessChange);
  }
  if (input.ownerId) await assertUser(db, input.ownerId, 'body.ownerId');
  const startsOn = input.startsOn !== undefined ? input.startsOn : c.startsOn;
  const endsOn = input.endsOn !== undefined ? input.endsOn : c.endsOn;
  if (startsOn && endsOn && endsOn < startsOn) {
    throw new AppError('unprocessable', 'invalid_period', 'The campaign ends before it starts.', [{ field: 'body.endsOn', detail: 'Ends before it starts' }]);
  }
  await db.transaction(async (tx) => {
    await tx
      .update(campaign)
      .set({
        ...(input.name ? { name: clean(input.name) } : {}),
        ...(input.goal !== undefined ? { goal: input.goal ? clean(input.goal) : {} } : {}),
        ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
        startsOn,
        endsOn,
        ...(input.restricted !== undefined ? { restricted: input.restricted } : {}),
        updatedAt: new Date(),
      })
      .where(eq(campaign.id, c.id));
    // the previous owner of a restricted campaign keeps sight of it
    if (input.ownerId && c.ownerId && input.ownerId !== c.ownerId && (input.restricted ?? c.restricted)) await grantCampaignTo(tx, actor, c.id, c.ownerId);
    await recordAudit(tx, ctx, { action: 'campaign.update', entityType: 'campaign', entityId: c.id, detail: { fields: Object.keys(input) } });
  });
  return getCampaign(db, ctx, c.id);
}

/**
 * Deletes a campaign with everything in it: its owner and admins only; a campaign holding a stance hidden from the
 * caller (its evidence a meeting they may not see) only by an administrator, with a 409 that never says what it holds.
 */
export async function deleteCampaign(db: Db, ctx: RequestContext, id: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!manageCampaignAccess(actor, c)) throw new AppError('forbidden', 'campaign_access_restricted', "Only the campaign's owner or an administrator may delete it.");
  if (actor.role !== 'admin') {
    const [hidden] = await rows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM campaign_stance s WHERE s.campaign_id = ${c.id}
        AND s.id NOT IN (SELECT vs.id FROM ${visibleStances(actor, c.id)} vs)`,
    );
    if (Number(hidden?.n) > 0) throw new AppError('conflict', 'campaign_has_protected_records', 'Only an administrator may delete this campaign.');
  }
  await db.transaction(async (tx) => {
    await tx.delete(campaignStance).where(eq(campaignStance.campaignId, c.id));
    await tx.delete(campaign).where(eq(campaign.id, c.id));
    await tx.delete(accessGrant).where(and(eq(accessGrant.recordType, 'campaign'), eq(accessGrant.recordId, c.id)));
    await recordAudit(tx, ctx, { action: 'campaign.delete', entityType: 'campaign', entityId: c.id });
  });
}

async function grantCampaignTo(db: Db, actor: Actor, campaignId: string, userId: string): Promise<boolean> {
  const r = await db.insert(accessGrant).values({ recordType: 'campaign', recordId: campaignId, userId, grantedBy: actor.id }).onConflictDoNothing().returning({ id: accessGrant.id });
  return r.length > 0;
}

/** Shares a campaign with a user (anyone who sees it may: they see at least what the grant shows). */
export async function grantCampaign(db: Db, ctx: RequestContext, id: string, userId: string) {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const [u] = await db.select({ id: user.id, name: user.name }).from(user).where(eq(user.id, userId));
  if (!u) throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field: 'body.userId', detail: 'No such user' }]);
  const created = await db.transaction(async (tx) => {
    const made = await grantCampaignTo(tx, actor, c.id, u.id);
    if (made) await recordAudit(tx, ctx, { action: 'campaign.grant', entityType: 'campaign', entityId: c.id, detail: { userId: u.id } });
    return made;
  });
  const [g] = await db
    .select()
    .from(accessGrant)
    .where(and(eq(accessGrant.recordType, 'campaign'), eq(accessGrant.recordId, c.id), eq(accessGrant.userId, u.id)));
  return { created, grant: { userId: u.id, name: u.name, grantedBy: g!.grantedBy, grantedAt: g!.grantedAt.toISOString() } };
}

/**
 * Who a campaign is shared with: to staff and administrators who see it (viewers read the campaign, not its audience);
 * a restricted one's read is audited.
 */
export async function listCampaignGrants(db: Db, ctx: RequestContext, id: string) {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (c.restricted) await auditRestrictedReads(db, ctx, [{ entityType: 'campaign', entityId: c.id }]);
  const found = await db
    .select({ userId: accessGrant.userId, name: user.name, grantedBy: accessGrant.grantedBy, grantedAt: accessGrant.grantedAt })
    .from(accessGrant)
    .innerJoin(user, eq(user.id, accessGrant.userId))
    .where(and(eq(accessGrant.recordType, 'campaign'), eq(accessGrant.recordId, c.id)))
    .orderBy(asc(user.name), asc(accessGrant.userId));
  return { items: found.map((g) => ({ ...g, grantedAt: g.grantedAt.toISOString() })), mayRevoke: manageCampaignAccess(actor, c) };
}

/** Takes a user's grant of a campaign away: its owner or an administrator only (they decide who sees it). */
export async function revokeCampaignGrant(db: Db, ctx: RequestContext, id: string, userId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!manageCampaignAccess(actor, c)) throw new AppError('forbidden', 'campaign_access_restricted', "Only the campaign's owner or an administrator may change who sees it.");
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(accessGrant)
      .where(and(eq(accessGrant.recordType, 'campaign'), eq(accessGrant.recordId, c.id), eq(accessGrant.userId, userId)))
      .returning({ id: accessGrant.id });
    if (!gone.length) throw notFound('grant');
    await recordAudit(tx, ctx, { action: 'campaign.revoke_grant', entityType: 'campaign', entityId: c.id, detail: { userId } });
  });
}

// ---------- asks and targets ----------

export async function createAsk(db: Db, ctx: RequestContext, id: string, input: CreateAskInput): Promise<CampaignAsk> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  return db.transaction(async (tx) => {
    const [{ next }] = (await rows<{ next: number }>(tx, sql`SELECT coalesce(max(position) + 1, 0)::int AS next FROM campaign_ask WHERE campaign_id = ${c.id}`)) as [{ next: number }];
    const [ask] = await tx
      .insert(campaignAsk)
      .values({ campaignId: c.id, text: clean(input.text), position: input.position ?? Number(next) })
      .returning();
    await recordAudit(tx, ctx, { action: 'campaign_ask.create', entityType: 'campaign_ask', entityId: ask!.id, detail: { campaignId: c.id } });
    return { id: ask!.id, text: ask!.text, position: ask!.position };
  });
}

export async function updateAsk(db: Db, ctx: RequestContext, id: string, askId: string, input: UpdateAskInput): Promise<CampaignAsk> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(askId)) throw notFound('ask');
  return db.transaction(async (tx) => {
    const [ask] = await tx
      .update(campaignAsk)
      .set({ ...(input.text ? { text: clean(input.text) } : {}), ...(input.position !== undefined ? { position: input.position } : {}) })
      .where(and(eq(campaignAsk.id, askId), eq(campaignAsk.campaignId, c.id)))
      .returning();
    if (!ask) throw notFound('ask');
    await recordAudit(tx, ctx, { action: 'campaign_ask.update', entityType: 'campaign_ask', entityId: ask.id, detail: { campaignId: c.id, fields: Object.keys(input) } });
    return { id: ask.id, text: ask.text, position: ask.position };
  });
}

/**
 * Puts the campaign's asks in a new order, in one go: `askIds` names every ask of the campaign once (422 naming
 * body.askIds otherwise, nothing changed). Positions become 0, 1, 2 … in that order; the campaign's lock makes two
 * reorderings at once apply one after the other.
 */
export async function reorderAsks(db: Db, ctx: RequestContext, id: string, input: ReorderAsksInput): Promise<CampaignAsk[]> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT 1 FROM campaign WHERE id = ${c.id} FOR UPDATE`);
    const current = await tx.select({ id: campaignAsk.id }).from(campaignAsk).where(eq(campaignAsk.campaignId, c.id));
    const known = new Set(current.map((a) => a.id));
    const given = new Set(input.askIds);
    const wrong =
      given.size !== input.askIds.length
        ? 'Each ask may be named once'
        : input.askIds.some((a) => !known.has(a))
          ? 'An ask of another campaign, or none'
          : given.size !== known.size
            ? 'Every ask of the campaign must be named'
            : null;
    if (wrong) throw new AppError('unprocessable', 'invalid_ask_order', 'The new order must name every ask of this campaign once.', [{ field: 'body.askIds', detail: wrong }]);
    await tx.execute(
      sql`UPDATE campaign_ask a SET position = x.n - 1 FROM unnest(${textArray(input.askIds)}::uuid[]) WITH ORDINALITY AS x(id, n) WHERE a.id = x.id AND a.campaign_id = ${c.id}`,
    );
    await recordAudit(tx, ctx, { action: 'campaign_ask.reorder', entityType: 'campaign', entityId: c.id, detail: { askIds: input.askIds } });
    const asks = await tx
      .select({ id: campaignAsk.id, text: campaignAsk.text, position: campaignAsk.position })
      .from(campaignAsk)
      .where(eq(campaignAsk.campaignId, c.id))
      .orderBy(campaignAsk.position, campaignAsk.createdAt, campaignAsk.id);
    return asks;
  });
}

/** Organisation kinds that are a government or a diplomatic mission (Network's `mission`). */
export const TARGET_ORGANISATION_KINDS = ['mission'] as const;

export async function createTarget(db: Db, ctx: RequestContext, id: string, input: CreateTargetInput): Promise<CampaignTarget> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (input.organisationId) {
    const [o] = await db.select({ kind: organisation.kind }).from(organisation).where(eq(organisation.id, input.organisationId));
    if (!o) throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field: 'body.organisationId', detail: 'No such record' }]);
    if (!(TARGET_ORGANISATION_KINDS as readonly string[]).includes(o.kind)) {
      throw new AppError('unprocessable', 'not_a_target', 'A target is a government or mission, or an official.', [
        { field: 'body.organisationId', detail: 'Not a government or mission' },
      ]);
    }
  } else {
    // a person the actor may not see cannot be probed by id: the same answer as one that does not exist
    const [p] = await rows<{ id: string }>(db, sql`SELECT id FROM person WHERE id = ${input.personId!} AND ${targetRowVisible(actor, sql`person.id`)}`);
    if (!p) throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', [{ field: 'body.personId', detail: 'No such record' }]);
  }
  const field = input.organisationId ? 'body.organisationId' : 'body.personId';
  const [dup] = await db
    .select({ id: campaignTarget.id })
    .from(campaignTarget)
    .where(and(eq(campaignTarget.campaignId, c.id), input.organisationId ? eq(campaignTarget.organisationId, input.organisationId) : eq(campaignTarget.personId, input.personId!)));
  if (dup) throw new AppError('conflict', 'already_a_target', 'Already a target of this campaign.', [{ field, detail: 'Already a target of this campaign' }]);
  const targetId = await db.transaction(async (tx) => {
    const [t] = await tx
      .insert(campaignTarget)
      .values({ campaignId: c.id, organisationId: input.organisationId ?? null, personId: input.personId ?? null, groupLabel: input.groupLabel ?? null, createdBy: actor.id })
      .returning({ id: campaignTarget.id });
    await recordAudit(tx, ctx, { action: 'campaign_target.create', entityType: 'campaign_target', entityId: t!.id, detail: { campaignId: c.id } });
    return t!.id;
  });
  const { targets } = await targetsOf(db, actor, c.id);
  return targets.find((t) => t.id === targetId)!;
}

/** Removes a target that has no stance yet (with one: 409, whether the caller sees the stance or not). */
export async function deleteTarget(db: Db, ctx: RequestContext, id: string, targetId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(targetId)) throw notFound('target');
  const [t] = await rows<{ id: string }>(
    db,
    sql`SELECT t.id FROM campaign_target t WHERE t.id = ${targetId} AND t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (!t) throw notFound('target');
  const [s] = await db.select({ id: campaignStance.id }).from(campaignStance).where(eq(campaignStance.targetId, t.id)).limit(1);
  if (s) throw new AppError('conflict', 'target_has_history', 'A target with recorded stances stays: its history is kept.');
  await db.transaction(async (tx) => {
    await tx.delete(campaignTarget).where(eq(campaignTarget.id, t.id));
    await recordAudit(tx, ctx, { action: 'campaign_target.delete', entityType: 'campaign_target', entityId: t.id, detail: { campaignId: c.id } });
  });
}

// ---------- stances ----------

export type StanceRow = {
  id: string;
  target_id: string;
  ask_id: string;
  value: Stance['value'];
  as_of: string;
  recorded_by: string | null;
  recorded_by_name: string | null;
  recorded_at: string | Date;
  evidence_kind: Stance['evidence']['kind'];
  meeting_id: string | null;
  meeting_title: string | null;
  meeting_restricted: boolean | null;
  statement_url: string | null;
  statement_quote: string | null;
  passage_id: string | null;
  reason: string | null;
  note: string | null;
};

export function selectStances(source: SQL, where: SQL, order: SQL): SQL {
  return sql`SELECT st.id, st.target_id, st.ask_id, st.value, st.as_of::text AS as_of, st.recorded_by, u.name AS recorded_by_name, st.recorded_at,
      st.evidence_kind, st.meeting_id, m.title AS meeting_title, m.restricted AS meeting_restricted, st.statement_url, st.statement_quote,
      st.passage_id, st.reason, st.note
    FROM ${source} st LEFT JOIN "user" u ON u.id = st.recorded_by LEFT JOIN meeting m ON m.id = st.meeting_id
    WHERE ${where} ORDER BY ${order}`;
}

export function toStance(r: StanceRow): Stance {
  return {
    id: r.id,
    targetId: r.target_id,
    askId: r.ask_id,
    value: r.value,
    asOf: r.as_of,
    recordedBy: r.recorded_by,
    recordedByName: r.recorded_by_name,
    recordedAt: iso(r.recorded_at),
    evidence: {
      kind: r.evidence_kind,
      meetingId: r.meeting_id,
      meetingTitle: r.meeting_title,
      url: r.statement_url,
      quote: r.statement_quote,
      passageId: r.passage_id,
      reason: r.reason,
    },
    note: r.note,
  };
}

/** What a response about to show these stances must audit: the restricted meetings they cite. */
export const citedRestrictedMeetings = (list: Pick<StanceRow, 'meeting_id' | 'meeting_restricted'>[]) => list.filter((s) => s.meeting_restricted).map((s) => ({ entityType: 'meeting', entityId: s.meeting_id! }));

/**
 * Records a stance. Every field the recorder got wrong is named at once (422), and nothing is written: a day in the
 * future, a target or an ask not of this campaign (or a target they may not see), evidence they may not see.
 */
export async function recordStance(db: Db, ctx: RequestContext, id: string, input: CreateStanceInput): Promise<Stance> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const errors: FieldError[] = [];
  if (input.asOf > todayIn(actor.timeZone)) errors.push({ field: 'body.asOf', detail: 'Not a day in the future' });
  const [t] = await rows<{ id: string }>(
    db,
    sql`SELECT t.id FROM campaign_target t WHERE t.id = ${input.targetId} AND t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (!t) errors.push({ field: 'body.targetId', detail: 'No such target in this campaign' });
  const [a] = await db
    .select({ id: campaignAsk.id })
    .from(campaignAsk)
    .where(and(eq(campaignAsk.id, input.askId), eq(campaignAsk.campaignId, c.id)));
  if (!a) errors.push({ field: 'body.askId', detail: 'No such ask in this campaign' });
  const e = input.evidence;
  if (e.kind === 'meeting') {
    const [m] = await rows<{ id: string }>(db, sql`SELECT m.id FROM meeting m WHERE m.id = ${e.meetingId} AND ${meetingVisible(actor, sql`m.id`)}`);
    if (!m) errors.push({ field: 'body.evidence.meetingId', detail: 'No such record' });
  } else if (e.kind === 'document_passage') {
    const [p] = await db
      .select({ id: campaignDocumentPassage.id })
      .from(campaignDocumentPassage)
      .innerJoin(campaignDocument, eq(campaignDocument.id, campaignDocumentPassage.documentId))
      .where(and(eq(campaignDocumentPassage.id, e.passageId), eq(campaignDocument.campaignId, c.id)));
    if (!p) errors.push({ field: 'body.evidence.passageId', detail: 'No such passage in this campaign' });
  }
  if (errors.length) throw new AppError('unprocessable', 'invalid_stance', 'The stance cannot be recorded as given.', errors);
  const stanceId = await db.transaction(async (tx) => {
    const [s] = await tx
      .insert(campaignStance)
      .values({
        campaignId: c.id,
        targetId: input.targetId,
        askId: input.askId,
        value: input.value,
        asOf: input.asOf,
        recordedBy: actor.id,
        evidenceKind: e.kind,
        meetingId: e.kind === 'meeting' ? e.meetingId : null,
        statementUrl: e.kind === 'statement' ? e.url : null,
        statementQuote: e.kind === 'statement' ? e.quote : null,
        passageId: e.kind === 'document_passage' ? e.passageId : null,
        reason: e.kind === 'judgement' ? e.reason : null,
        note: input.note ?? null,
      })
      .returning({ id: campaignStance.id });
    await recordAudit(tx, ctx, {
      action: 'campaign_stance.create',
      entityType: 'campaign_stance',
      entityId: s!.id,
      detail: { campaignId: c.id, targetId: input.targetId, askId: input.askId, value: input.value, asOf: input.asOf, evidence: e.kind },
    });
    return s!.id;
  });
  const [row] = await rows<StanceRow>(db, selectStances(sql`campaign_stance`, sql`st.id = ${stanceId}`, sql`st.id`));
  return toStance(row!);
}

type CellRow = {
  target_id: string;
  ask_id: string;
  value: Stance['value'];
  as_of: string;
  evidence_kind: Stance['evidence']['kind'];
  stances: number | string;
  meeting_id: string | null;
  meeting_restricted: boolean;
};

/**
 * The grid: targets × asks with the current stance of each cell as the actor may see it (what the grid shows, not the
 * evidence: a cell's history gives that), and its counts. Every cell that holds no stance a reader might not see comes
 * from the read model read_model.campaign_cell; only the others are derived for this reader (access/campaigns.ts
 * currentCells). With `since`, the movement: each cell as the actor saw it on that day against now, computed only for
 * the cells whose latest stance is after that day (cellsAsOf); a stance hidden from them moves nothing.
 */
export async function getGrid(db: Db, ctx: RequestContext, id: string, since?: string): Promise<Grid> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const { grid, audit } = await computeGrid(db, actor, c, since);
  await auditRestrictedReads(db, ctx, [...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []), ...audit]);
  return grid;
}

/** A restricted record an answer shows, to be audited as read (auditRestrictedReads) each time the answer is given. */
export type AuditedRead = { entityType: string; entityId: string };

/**
 * getGrid's answer for a campaign the actor sees, without the audit: the grid and the restricted records it shows
 * besides the campaign (the restricted people among its targets, the restricted meetings its cells cite), which the
 * caller audits (campaigns-answers.ts keeps both, serialised, for the next reader with the same key).
 */
export async function computeGrid(db: Db, actor: Actor, c: Pick<CampaignRow, 'id'>, since?: string): Promise<{ grid: Grid; audit: AuditedRead[] }> {
  const asks = await asksOf(db, c.id);
  const { targets, restrictedPeople } = await targetsOf(db, actor, c.id);
  const shownTargets = new Set(targets.map((t) => t.id));
  const cells = (await rows<CellRow>(db, currentCells(actor, c.id)))
    .filter((r) => shownTargets.has(r.target_id))
    .sort((x, y) => (x.target_id < y.target_id ? -1 : x.target_id > y.target_id ? 1 : x.ask_id < y.ask_id ? -1 : x.ask_id > y.ask_id ? 1 : 0));
  // per ask, how many targets (the actor sees) stand where: from the cells above, every other visible cell unknown
  const current = new Map(cells.map((r) => [`${r.target_id}:${r.ask_id}`, r.value]));
  const tally = new Map<string, number>();
  for (const a of asks)
    for (const t of targets) {
      const key = `${a.id}\u0000${current.get(`${t.id}:${a.id}`) ?? 'unknown'}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
  const counts = [...tally]
    .map(([key, n]) => {
      const [ask_id, value] = key.split('\u0000') as [string, Stance['value']];
      return { ask_id, value, targets: n };
    })
    .sort((x, y) => (x.ask_id < y.ask_id ? -1 : x.ask_id > y.ask_id ? 1 : x.value < y.value ? -1 : x.value > y.value ? 1 : 0));
  // movement: each cell as the actor saw it on `since` against now; a cell whose stances all held by then did not move
  let moved: { targetId: string; askId: string; from: Stance['value']; to: Stance['value'] }[] | null = null;
  if (since) {
    const past = new Map(
      (await rows<{ target_id: string; ask_id: string; past: Stance['value'] | null }>(db, cellsAsOf(actor, c.id, since))).map((r) => [`${r.target_id}:${r.ask_id}`, r.past ?? 'unknown']),
    );
    moved = [];
    for (const t of [...targets].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)))
      for (const a of [...asks].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
        const key = `${t.id}:${a.id}`;
        if (!past.has(key)) continue;
        const from = past.get(key)!;
        const to = current.get(key) ?? 'unknown';
        if (from !== to) moved.push({ targetId: t.id, askId: a.id, from, to });
      }
  }
  const audit = [
    ...restrictedPeople.map((p) => ({ entityType: 'person', entityId: p })),
    ...[...new Set(cells.filter((r) => r.meeting_restricted).map((r) => r.meeting_id!))].map((m) => ({ entityType: 'meeting', entityId: m })),
  ];
  const grid: Grid = {
    asks,
    targets,
    cells: cells.map((r) => ({ targetId: r.target_id, askId: r.ask_id, value: r.value, asOf: r.as_of, evidenceKind: r.evidence_kind, stances: Number(r.stances) })),
    counts: counts.map((r) => ({ askId: r.ask_id, value: r.value, targets: Number(r.targets) })),
    movement: moved && since ? { since, moves: moved.length, cells: moved } : null,
  };
  return { grid, audit };
}

/** A cell's history as the actor may see it, newest first: stances they may not see are not there at all. */
export async function getCellHistory(db: Db, ctx: RequestContext, id: string, targetId: string, askId: string): Promise<{ items: Stance[] }> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(targetId)) throw notFound('target');
  if (!isUuid(askId)) throw notFound('ask');
  const [t] = await rows<{ id: string; person_id: string | null; person_restricted: boolean | null }>(
    db,
    sql`SELECT t.id, t.person_id, p.restricted AS person_restricted FROM campaign_target t LEFT JOIN person p ON p.id = t.person_id
      WHERE t.id = ${targetId} AND t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (!t) throw notFound('target');
  const [a] = await db
    .select({ id: campaignAsk.id })
    .from(campaignAsk)
    .where(and(eq(campaignAsk.id, askId), eq(campaignAsk.campaignId, c.id)));
  if (!a) throw notFound('ask');
  const list = await rows<StanceRow>(
    db,
    selectStances(visibleStances(actor, c.id), sql`st.target_id = ${t.id} AND st.ask_id = ${a.id}`, sql`st.as_of DESC, st.recorded_at DESC, st.id DESC`),
  );
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...(t.person_restricted ? [{ entityType: 'person', entityId: t.person_id! }] : []),
    ...citedRestrictedMeetings(list),
  ]);
  return { items: list.map(toStance) };
}

// ---------- documents ----------

/** Adds a reference document given by its link, with the passages stances may cite (file uploads: docs/campaigns.md). */
export async function createDocument(db: Db, ctx: RequestContext, id: string, input: CreateDocumentInput): Promise<CampaignDocument> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const docId = await db.transaction(async (tx) => {
    const [d] = await tx.insert(campaignDocument).values({ campaignId: c.id, title: input.title, kind: 'link', url: input.url, createdBy: actor.id }).returning({ id: campaignDocument.id });
    const passages = input.passages ?? [];
    if (passages.length) await tx.insert(campaignDocumentPassage).values(passages.map((p, i) => ({ documentId: d!.id, quote: p.quote, locator: p.locator ?? null, position: i })));
    await recordAudit(tx, ctx, { action: 'campaign_document.create', entityType: 'campaign_document', entityId: d!.id, detail: { campaignId: c.id, passages: passages.length } });
    return d!.id;
  });
  return (await documentsOf(db, c.id)).find((d) => d.id === docId)!;
}

export async function documentsOf(db: Db, campaignId: string): Promise<CampaignDocument[]> {
  const docs = await db
    .select({
      id: campaignDocument.id,
      title: campaignDocument.title,
      kind: campaignDocument.kind,
      url: campaignDocument.url,
      fileName: campaignDocument.fileName,
      mediaType: campaignDocument.mediaType,
      byteSize: campaignDocumentFile.byteSize,
      createdAt: campaignDocument.createdAt,
    })
    .from(campaignDocument)
    .leftJoin(campaignDocumentFile, eq(campaignDocumentFile.documentId, campaignDocument.id))
    .where(eq(campaignDocument.campaignId, campaignId))
    .orderBy(asc(campaignDocument.createdAt), asc(campaignDocument.id));
  const passages = docs.length
    ? await db
        .select()
        .from(campaignDocumentPassage)
        .where(inArray(campaignDocumentPassage.documentId, docs.map((d) => d.id)))
        .orderBy(asc(campaignDocumentPassage.position), asc(campaignDocumentPassage.id))
    : [];
  return docs.map((d) => ({
    id: d.id,
    title: d.title,
    kind: d.kind as CampaignDocument['kind'],
    url: d.url,
    fileName: d.fileName,
    mediaType: d.mediaType,
    byteSize: d.byteSize ?? null,
    passages: passages.filter((p) => p.documentId === d.id).map((p) => ({ id: p.id, quote: p.quote, locator: p.locator, position: p.position })),
    createdAt: d.createdAt.toISOString(),
  }));
}

export async function listDocuments(db: Db, ctx: RequestContext, id: string): Promise<{ items: CampaignDocument[] }> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const items = await documentsOf(db, c.id);
  if (c.restricted) await auditRestrictedReads(db, ctx, [{ entityType: 'campaign', entityId: c.id }]);
  return { items };
}

// ---------- meetings tagged ----------

type CampaignMeetingRow = { meeting_id: string; title: string; starts_at: string | Date; restricted: boolean; target_ids: string[] | null; ask_ids: string[] | null };

/** The campaign's meetings the actor may see, newest first, with the targets (they may see) met and the asks discussed. */
async function campaignMeetingsOf(db: Db, actor: Actor, campaignId: string, meetingId?: string): Promise<CampaignMeetingRow[]> {
  return rows<CampaignMeetingRow>(
    db,
    sql`SELECT m.id AS meeting_id, m.title, m.starts_at, m.restricted,
        (SELECT array_agg(mt.target_id::text ORDER BY mt.target_id) FROM campaign_meeting_target mt JOIN campaign_target t ON t.id = mt.target_id
          WHERE mt.campaign_id = cm.campaign_id AND mt.meeting_id = cm.meeting_id AND ${targetRowVisible(actor, sql`t.person_id`)}) AS target_ids,
        (SELECT array_agg(ma.ask_id::text ORDER BY ma.ask_id) FROM campaign_meeting_ask ma WHERE ma.campaign_id = cm.campaign_id AND ma.meeting_id = cm.meeting_id) AS ask_ids
      FROM campaign_meeting cm JOIN meeting m ON m.id = cm.meeting_id
      WHERE cm.campaign_id = ${campaignId} AND ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)} ${meetingId ? sql`AND m.id = ${meetingId}` : sql``}
      ORDER BY m.starts_at DESC, m.id DESC`,
  );
}

const toCampaignMeeting = (r: CampaignMeetingRow): CampaignMeeting => ({
  meetingId: r.meeting_id,
  title: r.title,
  startsAt: iso(r.starts_at),
  restricted: r.restricted,
  targetIds: r.target_ids ?? [],
  askIds: r.ask_ids ?? [],
});

export async function listCampaignMeetings(db: Db, ctx: RequestContext, id: string): Promise<{ items: CampaignMeeting[]; total: number }> {
  const actor = campaignReader(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const list = await campaignMeetingsOf(db, actor, c.id);
  await auditRestrictedReads(db, ctx, [
    ...(c.restricted ? [{ entityType: 'campaign', entityId: c.id }] : []),
    ...list.filter((m) => m.restricted).map((m) => ({ entityType: 'meeting', entityId: m.meeting_id })),
  ]);
  return { items: list.map(toCampaignMeeting), total: list.length };
}

/**
 * The campaigns (the actor may see) a meeting (they may see) is tagged with, with the targets met and asks discussed
 * as they see them. A meeting they may not see answers 404, as for one that does not exist.
 */
export async function listMeetingCampaigns(db: Db, ctx: RequestContext, meetingId: string): Promise<{ items: (CampaignMeeting & { campaignId: string; campaignName: Localized })[] }> {
  const actor = campaignReader(ctx);
  if (!isUuid(meetingId)) throw notFound('meeting');
  const [m] = await rows<{ id: string; restricted: boolean }>(db, sql`SELECT m.id, m.restricted FROM meeting m WHERE m.id = ${meetingId} AND ${meetingVisible(actor, sql`m.id`)}`);
  if (!m) throw notFound('meeting');
  const tagged = await rows<{ id: string; name: Localized; restricted: boolean }>(
    db,
    sql`SELECT c.id, c.name, c.restricted FROM campaign_meeting cm JOIN campaign c ON c.id = cm.campaign_id
      WHERE cm.meeting_id = ${m.id} AND ${campaignRowVisible(actor, { restricted: sql`c.restricted`, ownerId: sql`c.owner_id`, id: sql`c.id` })}
      ORDER BY c.created_at DESC, c.id`,
  );
  const items = [];
  for (const c of tagged) {
    const [row] = await campaignMeetingsOf(db, actor, c.id, m.id);
    if (row) items.push({ ...toCampaignMeeting(row), campaignId: c.id, campaignName: c.name });
  }
  await auditRestrictedReads(db, ctx, [
    ...tagged.filter((c) => c.restricted).map((c) => ({ entityType: 'campaign', entityId: c.id })),
    ...(m.restricted && items.length ? [{ entityType: 'meeting', entityId: m.id }] : []),
  ]);
  return { items };
}

/**
 * Tags a meeting the actor may see with the campaign, the targets met and the asks discussed (given lists replace the
 * ones the actor sees; targets hidden from them stay). A meeting they may not see: 422, as for one that does not exist.
 */
export async function tagMeeting(db: Db, ctx: RequestContext, id: string, input: TagMeetingInput): Promise<CampaignMeeting> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const errors: FieldError[] = [];
  const [m] = await rows<{ id: string }>(db, sql`SELECT m.id FROM meeting m WHERE m.id = ${input.meetingId} AND ${meetingVisible(actor, sql`m.id`)}`);
  if (!m) errors.push({ field: 'body.meetingId', detail: 'No such record' });
  const visibleTargets = new Set(
    (await rows<{ id: string }>(db, sql`SELECT t.id FROM campaign_target t WHERE t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`)).map((r) => r.id),
  );
  (input.targetIds ?? []).forEach((t, i) => {
    if (!visibleTargets.has(t)) errors.push({ field: `body.targetIds.${i}`, detail: 'No such target in this campaign' });
  });
  const asks = new Set((await asksOf(db, c.id)).map((a) => a.id));
  (input.askIds ?? []).forEach((a, i) => {
    if (!asks.has(a)) errors.push({ field: `body.askIds.${i}`, detail: 'No such ask in this campaign' });
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_meeting_tag', 'The meeting cannot be tagged as given.', errors);
  await db.transaction(async (tx) => {
    await tx.insert(campaignMeeting).values({ campaignId: c.id, meetingId: m!.id, taggedBy: actor.id }).onConflictDoNothing();
    if (input.targetIds) {
      if (visibleTargets.size)
        await tx
          .delete(campaignMeetingTarget)
          .where(and(eq(campaignMeetingTarget.campaignId, c.id), eq(campaignMeetingTarget.meetingId, m!.id), inArray(campaignMeetingTarget.targetId, [...visibleTargets])));
      const ids = [...new Set(input.targetIds)];
      if (ids.length) await tx.insert(campaignMeetingTarget).values(ids.map((targetId) => ({ campaignId: c.id, meetingId: m!.id, targetId })));
    }
    if (input.askIds) {
      await tx.delete(campaignMeetingAsk).where(and(eq(campaignMeetingAsk.campaignId, c.id), eq(campaignMeetingAsk.meetingId, m!.id)));
      const ids = [...new Set(input.askIds)];
      if (ids.length) await tx.insert(campaignMeetingAsk).values(ids.map((askId) => ({ campaignId: c.id, meetingId: m!.id, askId })));
    }
    await recordAudit(tx, ctx, { action: 'campaign_meeting.tag', entityType: 'campaign', entityId: c.id, detail: { meetingId: m!.id, targetIds: input.targetIds, askIds: input.askIds } });
  });
  const [row] = await campaignMeetingsOf(db, actor, c.id, m!.id);
  return toCampaignMeeting(row!);
}

// ---------- asks, targets and tags: changing and removing ----------

/** Removes an ask no stance was recorded on (with one: 409 ask_has_history, whether the caller sees the stance or not). */
export async function deleteAsk(db: Db, ctx: RequestContext, id: string, askId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(askId)) throw notFound('ask');
  const [a] = await db
    .select({ id: campaignAsk.id, text: campaignAsk.text })
    .from(campaignAsk)
    .where(and(eq(campaignAsk.id, askId), eq(campaignAsk.campaignId, c.id)));
  if (!a) throw notFound('ask');
  const [s] = await db.select({ id: campaignStance.id }).from(campaignStance).where(eq(campaignStance.askId, a.id)).limit(1);
  if (s) {
    throw new AppError('conflict', 'ask_has_history', 'Stances have been recorded on this ask, and their history is kept: the ask stays (reword it instead).', [
      { field: 'path.askId', detail: `Has recorded stances: ${a.text.en ?? a.text.he ?? a.text.ar ?? a.id}` },
    ]);
  }
  await db.transaction(async (tx) => {
    await tx.delete(campaignAsk).where(eq(campaignAsk.id, a.id));
    await recordAudit(tx, ctx, { action: 'campaign_ask.delete', entityType: 'campaign_ask', entityId: a.id, detail: { campaignId: c.id, text: a.text } });
  });
}

/** Changes a target's group label ("G7", "EU" …; null: no group). */
export async function updateTarget(db: Db, ctx: RequestContext, id: string, targetId: string, input: UpdateTargetInput): Promise<CampaignTarget> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(targetId)) throw notFound('target');
  const [t] = await rows<{ id: string; group_label: string | null }>(
    db,
    sql`SELECT t.id, t.group_label FROM campaign_target t WHERE t.id = ${targetId} AND t.campaign_id = ${c.id} AND ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (!t) throw notFound('target');
  await db.transaction(async (tx) => {
    await tx.update(campaignTarget).set({ groupLabel: input.groupLabel }).where(eq(campaignTarget.id, t.id));
    await recordAudit(tx, ctx, { action: 'campaign_target.update', entityType: 'campaign_target', entityId: t.id, detail: { campaignId: c.id, from: t.group_label, to: input.groupLabel } });
  });
  const { targets } = await targetsOf(db, actor, c.id);
  return targets.find((x) => x.id === t.id)!;
}

/**
 * Adds several targets at once, all or nothing: every bad one is named (`body.targets.<i>.organisationId` or
 * `.personId`: no such record, not a government or mission, already a target, given twice), and then nothing is written.
 */
export async function createTargets(db: Db, ctx: RequestContext, id: string, input: CreateTargetsInput): Promise<{ items: CampaignTarget[] }> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  const orgIds = [...new Set(input.targets.flatMap((t) => (t.organisationId ? [t.organisationId] : [])))];
  const personIds = [...new Set(input.targets.flatMap((t) => (t.personId ? [t.personId] : [])))];
  const orgs = new Map(orgIds.length ? (await db.select({ id: organisation.id, kind: organisation.kind }).from(organisation).where(inArray(organisation.id, orgIds))).map((o) => [o.id, o.kind]) : []);
  // a person the actor may not see is answered as one that does not exist
  const people = new Set(
    personIds.length
      ? (await rows<{ id: string }>(db, sql`SELECT person.id FROM person WHERE person.id = ANY(${`{${personIds.join(',')}}`}::uuid[]) AND ${targetRowVisible(actor, sql`person.id`)}`)).map((r) => r.id)
      : [],
  );
  const existing = await db.select({ organisationId: campaignTarget.organisationId, personId: campaignTarget.personId }).from(campaignTarget).where(eq(campaignTarget.campaignId, c.id));
  const already = new Set(existing.map((e) => e.organisationId ?? e.personId));
  const errors: FieldError[] = [];
  const given = new Set<string>();
  input.targets.forEach((t, i) => {
    const key = (t.organisationId ?? t.personId)!;
    const field = t.organisationId ? `body.targets.${i}.organisationId` : `body.targets.${i}.personId`;
    if (t.organisationId) {
      const kind = orgs.get(t.organisationId);
      if (!kind) return errors.push({ field, detail: 'No such record' });
      if (!(TARGET_ORGANISATION_KINDS as readonly string[]).includes(kind)) return errors.push({ field, detail: 'Not a government or mission' });
    } else if (!people.has(t.personId!)) return errors.push({ field, detail: 'No such record' });
    if (already.has(key)) return errors.push({ field, detail: 'Already a target of this campaign' });
    if (given.has(key)) return errors.push({ field, detail: 'Given twice' });
    given.add(key);
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_targets', 'None of the targets was added: each one at fault is named.', errors);
  const ids = await db.transaction(async (tx) => {
    const made = await tx
      .insert(campaignTarget)
      .values(input.targets.map((t) => ({ campaignId: c.id, organisationId: t.organisationId ?? null, personId: t.personId ?? null, groupLabel: t.groupLabel ?? null, createdBy: actor.id })))
      .returning({ id: campaignTarget.id });
    for (const t of made) await recordAudit(tx, ctx, { action: 'campaign_target.create', entityType: 'campaign_target', entityId: t.id, detail: { campaignId: c.id, bulk: true } });
    return made.map((t) => t.id);
  });
  const { targets } = await targetsOf(db, actor, c.id);
  const byId = new Map(targets.map((t) => [t.id, t]));
  return { items: ids.map((x) => byId.get(x)!) };
}

/**
 * Untags a meeting (the actor may see) from the campaign, with the targets met and asks discussed. When the tag names
 * a target the actor may not see, only an administrator or someone who sees it may untag it (409
 * campaign_has_protected_records, which never says what is hidden): a write never destroys what its caller cannot see.
 */
export async function untagMeeting(db: Db, ctx: RequestContext, id: string, meetingId: string): Promise<void> {
  const actor = campaignWriter(ctx);
  const c = await loadVisibleCampaign(db, actor, id);
  if (!isUuid(meetingId)) throw notFound('meeting');
  const [m] = await rows<{ id: string }>(
    db,
    sql`SELECT m.id FROM campaign_meeting cm JOIN meeting m ON m.id = cm.meeting_id WHERE cm.campaign_id = ${c.id} AND m.id = ${meetingId} AND ${meetingVisible(actor, sql`m.id`)}`,
  );
  if (!m) throw notFound('meeting');
  const [hidden] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM campaign_meeting_target mt JOIN campaign_target t ON t.id = mt.target_id
      WHERE mt.campaign_id = ${c.id} AND mt.meeting_id = ${m.id} AND NOT ${targetRowVisible(actor, sql`t.person_id`)}`,
  );
  if (Number(hidden?.n) > 0) throw new AppError('conflict', 'campaign_has_protected_records', 'Only an administrator may untag this meeting.');
  await db.transaction(async (tx) => {
    await tx.delete(campaignMeeting).where(and(eq(campaignMeeting.campaignId, c.id), eq(campaignMeeting.meetingId, m.id)));
    await recordAudit(tx, ctx, { action: 'campaign_meeting.untag', entityType: 'campaign', entityId: c.id, detail: { meetingId: m.id } });
  });
}
