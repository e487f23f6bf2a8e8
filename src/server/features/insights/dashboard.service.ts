import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { auditRestrictedReads, meetingVisible, reader, sharedItemVisible } from '../../access/need-to-know.ts';
import { countMeetings, countOrganisationsMet, scopedMeetings } from './figures.ts';

// The dashboard: what the period's meetings covered, how many members we met, which concerns are open and
// which follow-ups are late. Days are counted in the caller's time zone (a meeting at 01:00 in Ramallah
// belongs to that day), and every figure is computed only from meetings and items the caller may see. The meetings
// and organisations met are counted by figures.ts, which Updates' "Draft from data" also uses.

export const MAX_RANGE_DAYS = 400;
const DEFAULT_DAYS = 30;
const TOP_OVERDUE = 10;

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

type TopicCols = { topic_id: string | null; key: string | null; name_en: string | null; name_he: string | null; name_ar: string | null };
const topicOf = (r: TopicCols) => ({ topicId: r.topic_id, key: r.key, nameEn: r.name_en, nameHe: r.name_he, nameAr: r.name_ar });

export async function dashboard(db: Db, ctx: RequestContext, input: { from?: string; to?: string; city?: string[] }, now = new Date()) {
  const actor = reader(ctx);
  const timeZone = actor.timeZone || 'UTC';
  const today = todayIn(timeZone, now);
  const to = input.to ?? (input.from ? addDays(input.from, DEFAULT_DAYS - 1) : today);
  const from = input.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (daysBetween(from, to) < 0) {
    throw new AppError('invalid', 'invalid_range', 'The period ends before it starts.', [{ field: 'query.to', detail: 'Before from' }]);
  }
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new AppError('invalid', 'range_too_long', `The period is at most ${MAX_RANGE_DAYS} days.`, [{ field: 'query.to', detail: `At most ${MAX_RANGE_DAYS} days after from` }]);
  }
  const cities = input.city?.length ? input.city : undefined;
  const period = scopedMeetings(actor, { from, to, timeZone, cities });
  const { byKind, byCity } = await countMeetings(db, period);
  const byTopic = await rows<TopicCols & { count: number }>(
    db,
    sql`SELECT t.id AS topic_id, t.key, t.name_en, t.name_he, t.name_ar, count(*)::int AS count
      FROM (${period}) pm JOIN meeting_topic mt ON mt.meeting_id = pm.id JOIN topic t ON t.id = mt.topic_id
      GROUP BY t.id ORDER BY count DESC, t.key`,
  );
  const met = await countOrganisationsMet(db, period);
  const concerns = await rows<TopicCols & { week: string; week_start: string; count: number }>(
    db,
    sql`SELECT to_char(pm.starts_at AT TIME ZONE ${timeZone}, 'IYYY-"W"IW') AS week,
        to_char(date_trunc('week', pm.starts_at AT TIME ZONE ${timeZone}), 'YYYY-MM-DD') AS week_start,
        t.id AS topic_id, t.key, t.name_en, t.name_he, t.name_ar, count(*)::int AS count
      FROM (${period}) pm JOIN shared_item s ON s.meeting_id = pm.id LEFT JOIN topic t ON t.id = s.topic_id
      WHERE s.kind = 'concern' AND s.status = 'open' AND ${sharedItemVisible(actor, sql`s.id`)}
      GROUP BY 1, 2, t.id ORDER BY 2, count DESC, t.key NULLS LAST`,
  );
  const overdueWhere = sql`f.status = 'open' AND f.due_date < ${today}::date AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)})`;
  const [overdue] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM follow_up f WHERE ${overdueWhere}`);
  const top = await rows<{
    id: string;
    title: string;
    owner_id: string;
    owner_name: string | null;
    due_date: string;
    meeting_id: string | null;
    meeting_restricted: boolean | null;
    organisation_id: string | null;
    organisation_name: string | null;
  }>(
    db,
    sql`SELECT f.id, f.title, f.owner_id, u.name AS owner_name, f.due_date::text AS due_date, f.meeting_id, m.restricted AS meeting_restricted,
        f.organisation_id, o.name AS organisation_name
      FROM follow_up f LEFT JOIN "user" u ON u.id = f.owner_id LEFT JOIN organisation o ON o.id = f.organisation_id
        LEFT JOIN meeting m ON m.id = f.meeting_id
      WHERE ${overdueWhere} ORDER BY f.due_date, f.created_at LIMIT ${TOP_OVERDUE}`,
  );
  // a late follow-up of a restricted meeting names that meeting: a read of it
  await auditRestrictedReads(
    db,
    ctx,
    top.filter((f) => f.meeting_restricted).map((f) => ({ entityType: 'meeting', entityId: f.meeting_id! })),
  );

  return {
    from,
    to,
    timeZone,
    meetings: {
      total: byKind.reduce((n, r) => n + r.count, 0),
      byKind,
      byCity,
      byTopic: byTopic.map((r) => ({ ...topicOf(r), count: Number(r.count) })),
    },
    ...(cities ? { cities } : {}),
    memberOrganisationsMet: met.members,
    organisationsMet: met.all,
    openConcernsByWeek: concerns.map((r) => ({ week: r.week, weekStart: r.week_start, ...topicOf(r), count: Number(r.count) })),
    overdueFollowUps: {
      count: Number(overdue?.n ?? 0),
      items: top.map((f) => ({
        id: f.id,
        title: f.title,
        ownerId: f.owner_id,
        ownerName: f.owner_name,
        dueDate: f.due_date,
        daysOverdue: daysBetween(f.due_date, today),
        meetingId: f.meeting_id,
        organisationId: f.organisation_id,
        organisationName: f.organisation_name,
      })),
    },
  };
}
