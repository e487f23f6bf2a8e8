import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { RequestContext } from '../core/context.ts';
import { meetingVisible, personVisible } from './need-to-know.ts';
import { authorize, type Actor } from './roles.ts';

// Need-to-know for campaigns (docs/campaigns.md), in the style of need-to-know.ts: SQL conditions that every query
// reading, counting or exporting campaign records includes, so that the grid, its counts, a cell's history and the
// list obey the same rule as opening the record.
//
// - A restricted campaign (the default) is seen by admins, its owner and the users granted it (access_grant with
//   record_type 'campaign'); an unrestricted one by every reader. Its asks, targets, documents, stances and meeting
//   tags are seen by whoever sees the campaign, each with its own rule on top:
// - a target that is a Network person is seen only by those who may see the person (a pseudonymous person shows
//   the pseudonym: person.display_name);
// - a stance is seen only where its target is seen and, when its evidence is a meeting, the meeting is seen. Who
//   may not see it sees the latest stance they may see (or none: "unknown"), never a hint that another exists.

const TRUE = sql`true`;

/** Campaigns (by id column or value) the actor may see. */
export function campaignVisible(actor: Actor, campaignId: SQLWrapper): SQL {
  if (actor.role === 'admin') return TRUE;
  return sql`EXISTS (SELECT 1 FROM campaign vc WHERE vc.id = ${campaignId} AND (vc.restricted = false OR vc.owner_id = ${actor.id}
    OR EXISTS (SELECT 1 FROM access_grant vcg WHERE vcg.record_type = 'campaign' AND vcg.record_id = vc.id AND vcg.user_id = ${actor.id})))`;
}

/** For queries over the campaign table itself: decided from the row at hand where it can be. */
export function campaignRowVisible(actor: Actor, row: { restricted: SQLWrapper; ownerId: SQLWrapper; id: SQLWrapper }): SQL {
  if (actor.role === 'admin') return TRUE;
  return sql`(${row.restricted} = false OR ${row.ownerId} = ${actor.id}
    OR EXISTS (SELECT 1 FROM access_grant vcg WHERE vcg.record_type = 'campaign' AND vcg.record_id = ${row.id} AND vcg.user_id = ${actor.id}))`;
}

/**
 * Who may change who sees a campaign (restrict or unrestrict it, change its owner): admins and its owner. Granting
 * it to another user is open to everyone who sees it (they see at least what the grant shows), as for meetings.
 */
export function manageCampaignAccess(actor: Actor, campaign: { ownerId: string | null }): boolean {
  return actor.role === 'admin' || campaign.ownerId === actor.id;
}

/** A campaign target (row of campaign_target, by its person_id column) the actor may see, its campaign being visible. */
export function targetRowVisible(actor: Actor, personIdColumn: SQLWrapper): SQL {
  if (actor.role === 'admin') return TRUE;
  return sql`(${personIdColumn} IS NULL OR ${personVisible(actor, personIdColumn)})`;
}

/**
 * A stance (row of campaign_stance, aliased `s` by the caller) the actor may see, its campaign being visible: its
 * target is visible and its evidence, when a meeting, is visible. A passage cited is of the same campaign.
 */
export function stanceRowVisible(actor: Actor, s: { targetPersonId: SQLWrapper; meetingId: SQLWrapper }): SQL {
  if (actor.role === 'admin') return TRUE;
  return sql`(${targetRowVisible(actor, s.targetPersonId)} AND (${s.meetingId} IS NULL OR ${meetingVisible(actor, s.meetingId)}))`;
}

/**
 * The stances of one campaign the actor may see, as a subquery with the columns of campaign_stance and
 * target_person_id: every list, history, grid and count of stances selects from this and nothing else.
 * The caller has checked that the actor sees the campaign.
 */
export function visibleStances(actor: Actor, campaignId: string): SQL {
  return sql`(SELECT s.*, t.person_id AS target_person_id FROM campaign_stance s JOIN campaign_target t ON t.id = s.target_id
    WHERE s.campaign_id = ${campaignId} AND ${stanceRowVisible(actor, { targetPersonId: sql`t.person_id`, meetingId: sql`s.meeting_id` })})`;
}

/**
 * The current stance of each cell (target × ask) for the actor: the latest they may see by as_of, then when it was
 * recorded (with `asOf`: among those held on or before that day, for the movement since it). A cell whose stances are
 * all hidden from the actor has no row (the grid shows "unknown").
 */
export function currentVisibleStances(actor: Actor, campaignId: string, asOf?: string): SQL {
  return sql`(SELECT DISTINCT ON (vs.target_id, vs.ask_id) vs.* FROM ${visibleStances(actor, campaignId)} vs
    ${asOf ? sql`WHERE vs.as_of <= ${asOf}::date` : sql``}
    ORDER BY vs.target_id, vs.ask_id, vs.as_of DESC, vs.recorded_at DESC, vs.id DESC)`;
}

/** Signed in and allowed to read campaigns; returns the actor. */
export function campaignReader(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'campaigns.read');
  return ctx.actor;
}

/** Signed in and allowed to write campaigns; returns the actor. */
export function campaignWriter(ctx: RequestContext): Actor {
  authorize(ctx.actor, 'campaigns.write');
  return ctx.actor;
}
