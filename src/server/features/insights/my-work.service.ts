import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { can } from '../../access/roles.ts';
import { readVisit } from '../accounts/visits.ts';
import { followUpsByIds, listFollowUps } from '../meetings/follow-ups.service.ts';
import { listMeetings } from '../meetings/meetings.service.ts';
import { auditRestrictedReads, meetingRowVisible, meetingVisible, personVisible, reader, sharedItemVisible } from '../../access/need-to-know.ts';
import type { MyWork } from './insights.contract.ts';

// The home page: the reader's own work (their next meetings, their late follow-ups), what is taking part now in
// Research, and what others recorded since the reader last came. Every list obeys need-to-know as the pages it
// links to do (the meeting and follow-up lists are those pages' own queries), and restricted meetings shown are
// audited as read.

const SHOWN = 5;
const FIRST_VISIT_DAYS = 7;

export async function myWork(db: Db, ctx: RequestContext, now = new Date()): Promise<MyWork> {
  const actor = reader(ctx);
  const me = actor.id;

  const upcoming = await listMeetings(db, ctx, { staffId: me, from: now.toISOString(), limit: SHOWN });
  const overdue = await listFollowUps(db, ctx, { mine: true, status: 'open', overdue: true, limit: SHOWN });

  // the visit this request belongs to was noted before it ran (app.ts): previousEndedAt is the last visit's end
  const visit = await readVisit(db, me);
  const lastVisit = visit?.previousEndedAt ?? null;
  const since = lastVisit ?? new Date(now.getTime() - FIRST_VISIT_DAYS * 86_400_000);
  const at = since.toISOString();

  // meetings others recorded since (created_at), or changed since (their audit entries)
  const changedMeetings = sql`WITH ch AS (
      SELECT m.id, m.created_at AS at, true AS is_new FROM meeting m
        WHERE m.created_at > ${at}::timestamptz AND m.created_by IS DISTINCT FROM ${me}
      UNION ALL
      SELECT m.id, a.at, false FROM audit_entry a JOIN meeting m ON m.id::text = a.entity_id
        WHERE a.at > ${at}::timestamptz AND a.entity_type = 'meeting' AND a.action = 'meeting.update' AND a.actor_id IS DISTINCT FROM ${me}
    )
    SELECT m.id, m.title, m.starts_at, m.ends_at, m.time_zone, m.restricted, bool_or(ch.is_new) AS is_new, max(ch.at) AS changed_at
    FROM ch JOIN meeting m ON m.id = ch.id
    WHERE ${meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)}
    GROUP BY m.id`;
  const meetingRows = await rows<{
    id: string;
    title: string;
    starts_at: Date | string;
    ends_at: Date | string;
    time_zone: string;
    restricted: boolean;
    is_new: boolean;
    changed_at: Date | string;
  }>(db, sql`SELECT * FROM (${changedMeetings}) c ORDER BY c.changed_at DESC, c.id LIMIT ${SHOWN}`);
  const [meetingCount] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM (${changedMeetings}) c`);

  // follow-ups someone else gave the reader since (the follow-up list's own query and visibility)
  const forYouWhere = sql`f.owner_id = ${me} AND f.created_at > ${at}::timestamptz AND f.created_by IS DISTINCT FROM ${me}
    AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)})`;
  const forYouIds = await rows<{ id: string }>(db, sql`SELECT f.id FROM follow_up f WHERE ${forYouWhere} ORDER BY f.created_at DESC, f.id LIMIT ${SHOWN}`);
  const [forYouCount] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM follow_up f WHERE ${forYouWhere}`);
  const forYou = forYouIds.length ? await followUpsByIds(db, ctx, forYouIds.map((r) => r.id)) : [];

  // organisations record no author: their audit entry names who created them
  const orgWhere = sql`o.created_at > ${at}::timestamptz AND NOT EXISTS (SELECT 1 FROM audit_entry a
    WHERE a.entity_type = 'organisation' AND a.entity_id = o.id::text AND a.action = 'organisation.create' AND a.actor_id = ${me})`;
  const orgRows = await rows<{ id: string; name: string; created_at: Date | string; names: { name: string; script: string; kind: string }[] | null }>(
    db,
    sql`SELECT o.id, o.name, o.created_at,
        (SELECT json_agg(json_build_object('name', n.name, 'script', n.script, 'kind', n.kind)
           ORDER BY (n.name = o.name) DESC, (n.kind = 'official') DESC, n.name) FROM organisation_name n WHERE n.organisation_id = o.id) AS names
      FROM organisation o WHERE ${orgWhere} ORDER BY o.created_at DESC, o.id LIMIT ${SHOWN}`,
  );
  const [counts] = await rows<{ orgs: number; people: number; items: number; statements: number; responses: number }>(
    db,
    sql`SELECT
        (SELECT count(*)::int FROM organisation o WHERE ${orgWhere}) AS orgs,
        (SELECT count(*)::int FROM person p WHERE p.created_at > ${at}::timestamptz AND p.created_by IS DISTINCT FROM ${me}
           AND ${personVisible(actor, sql`p.id`)}) AS people,
        (SELECT count(*)::int FROM shared_item s WHERE s.created_at > ${at}::timestamptz AND s.created_by IS DISTINCT FROM ${me}
           AND ${sharedItemVisible(actor, sql`s.id`)}) AS items,
        ${
          can(actor, 'research.read')
            ? sql`(SELECT count(*)::int FROM dialogue_statement st WHERE st.created_at > ${at}::timestamptz AND st.participant_id IS NOT NULL) AS statements,
        (SELECT count(*)::int FROM study_response r WHERE r.completed_at > ${at}::timestamptz AND r.status = 'complete') AS responses`
            : sql`0 AS statements, 0 AS responses`
        }`,
  );

  const research = can(actor, 'research.read');
  const sessions = research
    ? await rows<{ session_id: string; session_title: string; dialogue_id: string; dialogue_title: string; closes_at: Date | string | null; participants: number }>(
        db,
        sql`SELECT s.id AS session_id, s.title AS session_title, d.id AS dialogue_id, d.title AS dialogue_title, s.closes_at,
            (SELECT count(*)::int FROM dialogue_participant p WHERE p.dialogue_id = d.id) AS participants
          FROM dialogue_session s JOIN dialogue d ON d.id = s.dialogue_id
          WHERE (s.closes_at IS NULL OR s.closes_at > ${now.toISOString()}::timestamptz)
            AND (s.status = 'open' OR (s.status = 'scheduled' AND s.opens_at <= ${now.toISOString()}::timestamptz))
          ORDER BY s.closes_at NULLS LAST, d.created_at DESC, s.position LIMIT 20`,
      )
    : [];
  const studies = research
    ? await rows<{ id: string; title: string; completed: number }>(
        db,
        sql`SELECT s.id, s.title, (SELECT count(*)::int FROM study_response r WHERE r.study_id = s.id AND r.status = 'complete') AS completed
          FROM study s WHERE s.status = 'open' ORDER BY s.updated_at DESC LIMIT 20`,
      )
    : [];

  let team: MyWork['team'] = null;
  if (actor.role === 'admin') {
    const [row] = await rows<{ others: number; pending: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM "user" u WHERE u.id <> ${me}) AS others,
          (SELECT count(*)::int FROM invitation i WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ${now.toISOString()}::timestamptz) AS pending`,
    );
    team = { otherAccounts: row?.others ?? 0, pendingInvitations: row?.pending ?? 0 };
  }

  await auditRestrictedReads(
    db,
    ctx,
    meetingRows.filter((m) => m.restricted).map((m) => ({ entityType: 'meeting', entityId: m.id })),
  );

  const iso = (v: Date | string) => new Date(v).toISOString();
  return {
    timeZone: actor.timeZone || 'UTC',
    upcomingMeetings: { total: upcoming.total, items: upcoming.items },
    overdueFollowUps: { total: overdue.total, items: overdue.items },
    openSessions: sessions.map((s) => ({
      sessionId: s.session_id,
      sessionTitle: s.session_title,
      dialogueId: s.dialogue_id,
      dialogueTitle: s.dialogue_title,
      closesAt: s.closes_at ? iso(s.closes_at) : null,
      participants: s.participants,
    })),
    openStudies: studies.map((s) => ({ id: s.id, title: s.title, completedResponses: s.completed })),
    changes: {
      since: at,
      basis: lastVisit ? 'lastVisit' : 'week',
      meetings: {
        total: meetingCount?.n ?? 0,
        items: meetingRows.map((m) => ({
          id: m.id,
          title: m.title,
          startsAt: iso(m.starts_at),
          endsAt: iso(m.ends_at),
          timeZone: m.time_zone,
          restricted: m.restricted,
          change: m.is_new ? 'new' : 'updated',
          changedAt: iso(m.changed_at),
        })),
      },
      followUpsForYou: { total: forYouCount?.n ?? 0, items: forYou },
      organisations: {
        total: counts?.orgs ?? 0,
        items: orgRows.map((o) => ({ id: o.id, name: o.name, names: (o.names ?? []) as never, createdAt: iso(o.created_at) })),
      },
      people: counts?.people ?? 0,
      sharedItems: counts?.items ?? 0,
      statements: counts?.statements ?? 0,
      responses: counts?.responses ?? 0,
    },
    team,
  };
}
