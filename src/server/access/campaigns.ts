import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { RequestContext } from '../core/context.ts';
import { meetingRowVisible, meetingVisible, personRowVisible, personVisible } from './need-to-know.ts';
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
 * all hidden from the actor has no row (the grid shows "unknown"). The rule's plain statement: the grid, its export and
 * the chart read currentCells and the read model, and bench/campaigns-grid-profile.ts checks them against this.
 */
export function currentVisibleStances(actor: Actor, campaignId: string, asOf?: string): SQL {
  return sql`(SELECT DISTINCT ON (vs.target_id, vs.ask_id) vs.* FROM ${visibleStances(actor, campaignId)} vs
    ${asOf ? sql`WHERE vs.as_of <= ${asOf}::date` : sql``}
    ORDER BY vs.target_id, vs.ask_id, vs.as_of DESC, vs.recorded_at DESC, vs.id DESC)`;
}

/**
 * The current stance of each cell for the actor, as the grid shows it (currentVisibleStances' rule, the same cells),
 * from the read model read_model.campaign_cell (src/server/read-models/campaign-cell.sql): a cell that is not guarded
 * (no stance citing a restricted meeting, the target not a restricted person) is seen whole by everyone who sees the
 * campaign, so its latest stance overall is everyone's current one; a guarded cell is derived here for this actor
 * from the stances they may see (DISTINCT ON over those cells alone). An administrator sees every stance: every cell
 * from the read model. Columns: target_id, ask_id, value, as_of, evidence_kind, stances (how many the actor
 * sees in the cell), meeting_id and meeting_restricted (only ever set for a guarded cell: a clean one cites no
 * restricted meeting). The caller has checked that the actor sees the campaign; it keeps the targets it shows.
 */
export function currentCells(actor: Actor, campaignId: string): SQL {
  const fromModel = (where: SQL) => sql`SELECT cc.target_id, cc.ask_id, cc.value, cc.held_on::text AS as_of, cc.evidence_kind, cc.stances,
      cc.meeting_id, coalesce(cc.guarded AND cm.restricted, false) AS meeting_restricted
    FROM read_model.campaign_cell cc LEFT JOIN meeting cm ON cc.guarded AND cm.id = cc.meeting_id
    WHERE cc.campaign_id = ${campaignId} AND ${where}`;
  if (actor.role === 'admin') return fromModel(TRUE);
  // a guarded cell, for a reader who sees its target: the latest of its latest open stance (from the read model) and
  // the stances citing a restricted meeting the reader may see (few: found from the restricted meetings)
  return sql`${fromModel(sql`NOT cc.guarded`)}
    UNION ALL
    (SELECT DISTINCT ON (x.target_id, x.ask_id) x.target_id, x.ask_id, x.value, x.as_of::text, x.evidence_kind,
        (sum(x.n) OVER (PARTITION BY x.target_id, x.ask_id))::integer, x.meeting_id, x.meeting_restricted
    FROM (
      SELECT g.target_id, g.ask_id, g.open_value AS value, g.open_held_on AS as_of, g.open_recorded_at AS recorded_at, g.open_stance_id AS id,
          g.open_evidence_kind AS evidence_kind, g.open_stances AS n, NULL::uuid AS meeting_id, false AS meeting_restricted
        FROM read_model.campaign_cell g JOIN campaign_target gt ON gt.id = g.target_id
        WHERE g.campaign_id = ${campaignId} AND g.guarded AND g.open_stance_id IS NOT NULL AND ${targetRowVisible(actor, sql`gt.person_id`)}
      UNION ALL
      SELECT s.target_id, s.ask_id, s.value, s.as_of, s.recorded_at, s.id, s.evidence_kind, 1, s.meeting_id, true
        FROM meeting rm JOIN campaign_stance s ON s.meeting_id = rm.id JOIN campaign_target st ON st.id = s.target_id
        WHERE rm.restricted AND s.campaign_id = ${campaignId} AND ${meetingRowVisible(actor, sql`rm.restricted`, sql`rm.id`)}
          AND ${targetRowVisible(actor, sql`st.person_id`)}
    ) x
    ORDER BY x.target_id, x.ask_id, x.as_of DESC, x.recorded_at DESC, x.id DESC)`;
}

/**
 * For the movement since a day: each cell that could have moved for the actor (its latest stance overall is after
 * `since`: a cell whose stances all held by then stands now as it stood then, for every reader) with the stance the
 * actor saw on that day (`past`, null: unknown). One index probe per such cell (campaign_stance_cell_idx); the
 * visibility rule only in guarded cells (see currentCells).
 */
export function cellsAsOf(actor: Actor, campaignId: string, since: string): SQL {
  const visible = actor.role === 'admin' ? TRUE : sql`(NOT cc.guarded OR ps.meeting_id IS NULL OR ${meetingVisible(actor, sql`ps.meeting_id`)})`;
  return sql`SELECT cc.target_id, cc.ask_id, (SELECT ps.value FROM campaign_stance ps
      WHERE ps.target_id = cc.target_id AND ps.ask_id = cc.ask_id AND ps.as_of <= ${since}::date AND ${visible}
      ORDER BY ps.as_of DESC, ps.recorded_at DESC, ps.id DESC LIMIT 1) AS past
    FROM read_model.campaign_cell cc JOIN campaign_target ct ON ct.id = cc.target_id
    WHERE cc.campaign_id = ${campaignId} AND cc.held_on > ${since}::date AND ${targetRowVisible(actor, sql`ct.person_id`)}`;
}

/**
 * For the movement chart: per guarded cell (see currentCells) and month, the latest stance the actor may see held in
 * that month (stanceRowVisible's rule, the meeting's restriction read from its row). The cells that are not guarded
 * are counted from the read model's monthly summary (read_model.campaign_month) by the caller.
 */
export function guardedCellsByMonth(actor: Actor, campaignId: string, askId?: string): SQL {
  // (aliases not of need-to-know.ts's subqueries: theirs begin with v)
  return sql`SELECT DISTINCT ON (ms.target_id, ms.ask_id, to_char(ms.as_of, 'YYYY-MM')) ms.target_id, ms.ask_id, to_char(ms.as_of, 'YYYY-MM') AS month, ms.value
    FROM read_model.campaign_cell g JOIN campaign_stance ms ON ms.target_id = g.target_id AND ms.ask_id = g.ask_id
      JOIN campaign_target mt ON mt.id = g.target_id LEFT JOIN meeting mm ON mm.id = ms.meeting_id
    WHERE g.campaign_id = ${campaignId} AND g.guarded ${askId ? sql`AND g.ask_id = ${askId}` : sql``}
      AND ${targetRowVisible(actor, sql`mt.person_id`)} AND (mm.id IS NULL OR ${meetingRowVisible(actor, sql`mm.restricted`, sql`mm.id`)})
    ORDER BY ms.target_id, ms.ask_id, to_char(ms.as_of, 'YYYY-MM'), ms.as_of DESC, ms.recorded_at DESC, ms.id DESC`;
}

/**
 * What the grid, its movement since and the chart show a reader of a campaign depends on the campaign's records (the
 * token read_model.campaign_version, replaced by every write that changes them: campaign-cell.sql) and, for a reader
 * who is not an administrator, on the reader's guarded-cell signature: which of the restricted meetings its stances cite
 * and which of the restricted people it targets the reader may see (everything else in a campaign is seen alike by all
 * who see it: an unrestricted meeting or person is seen by every reader). One query, by primary keys and the reader's
 * own rows of read_model.meeting_reader: the campaign if the actor may see it (no row: 404), whether it is restricted,
 * its token (null: none yet, nothing may be kept), the signature of its meetings (an md5 of the ids, '' for an
 * administrator) and the restricted people among its targets the reader sees (their reads are audited).
 */
export function campaignAnswerKey(actor: Actor, campaignId: string): SQL {
  const meetings =
    actor.role === 'admin'
      ? sql`''`
      : sql`(SELECT coalesce(md5(string_agg(kr.meeting_id::text, ',' ORDER BY kr.meeting_id)), '') FROM read_model.meeting_reader kr
          WHERE kr.user_id = ${actor.id} AND EXISTS (SELECT 1 FROM campaign_stance ks WHERE ks.meeting_id = kr.meeting_id AND ks.campaign_id = kc.id))`;
  return sql`SELECT kc.id, kc.restricted, kv.version::text AS version, ${meetings} AS meetings,
      ARRAY(SELECT kt.person_id::text FROM campaign_target kt JOIN person kp ON kp.id = kt.person_id
        WHERE kt.campaign_id = kc.id AND kp.restricted AND ${personRowVisible(actor, sql`kp.restricted`, sql`kp.id`)}
        ORDER BY kt.person_id) AS people
    FROM campaign kc LEFT JOIN read_model.campaign_version kv ON kv.campaign_id = kc.id
    WHERE kc.id = ${campaignId} AND ${campaignRowVisible(actor, { restricted: sql`kc.restricted`, ownerId: sql`kc.owner_id`, id: sql`kc.id` })}`;
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
