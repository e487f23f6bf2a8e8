import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../http/context.ts';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import { isUuid, meetingVisible, reader, sharedItemRowVisibleInVisibleMeeting, sharedItemVisible } from '../network/visibility.ts';
import { iso, orderedNames, type NameRow, type OrganisationNameRef } from './rows.ts';

// Member health: the list a team opens before a trip. Each organisation with the last time we met it and
// how much is open with it, longest without contact first. Only meetings and items the caller may see are
// counted, so a restricted meeting leaves no trace in anyone else's figures.
//
// The figures come from read_model.organisation_activity (migration 0005), kept by the database: per
// organisation, the facts over unrestricted records (what every reader sees) and over all records (what
// admins see). To the former the query adds the reader's own restricted meetings and items, few and found
// through read_model.meeting_reader and partial indexes. The last meeting and the 90-day count depend on the
// clock: a row holds for the instants [as_of, valid_until); outside them (a meeting started since, a day left
// the 90) that organisation is counted from meeting_organisation directly, as before the read model, and
// such rows are recomputed now and then (read_model.refresh_due).
//
// Sorted by last meeting (never met first), then name, then id; paged with a keyset cursor over that order.

export type MemberHealthInput = {
  area?: string;
  country?: string;
  tag?: string;
  ownerId?: string;
  status: string;
  kind: string;
  limit: number;
  cursor?: string;
};

export type MemberHealthItem = {
  id: string;
  name: string;
  /** the organisation's recorded names, ordered as on the organisation */
  names: OrganisationNameRef[];
  kind: string;
  status: string | null;
  country: string | null;
  area: string | null;
  city: string | null;
  tags: string[];
  ownerId: string | null;
  ownerName: string | null;
  lastMeetingAt: string | null;
  daysSinceLastMeeting: number | null;
  meetingsLast90Days: number;
  openConcerns: number;
  openFollowUps: number;
};

const NEVER = '-infinity';
const DAY = 86_400_000;
/** how often (per process) rows whose clock-bound facts ran out are recomputed, and how many at a time */
const REFRESH_EVERY_MS = 60_000;
const REFRESH_ROWS = 500;
let nextRefresh = 0;

/** Recomputes, now and then, read-model rows the clock has overtaken (they are correct meanwhile, only slower). */
async function refreshDue(db: Db) {
  const t = Date.now();
  if (t < nextRefresh) return;
  nextRefresh = t + REFRESH_EVERY_MS;
  await rows(db, sql`SELECT read_model.refresh_due(${REFRESH_ROWS}) AS n`);
}

export async function memberHealth(db: Db, ctx: RequestContext, input: MemberHealthInput, now = new Date()) {
  const actor = reader(ctx);
  const cursor = decodeCursor(
    input.cursor,
    3,
    ([at, name, id]) => (at === NEVER || !Number.isNaN(Date.parse(String(at)))) && typeof name === 'string' && isUuid(String(id)),
  );
  await refreshDue(db);
  const where = [
    input.kind !== 'any' ? sql`o.kind = ${input.kind}` : sql`true`,
    input.status !== 'any' ? sql`o.status = ${input.status}` : sql`true`,
    input.area ? sql`o.area = ${input.area}` : sql`true`,
    input.country ? sql`o.country = ${input.country}` : sql`true`,
    input.tag ? sql`o.tags @> ARRAY[${input.tag}]::text[]` : sql`true`,
    input.ownerId ? sql`o.owner_id = ${input.ownerId}` : sql`true`,
  ];
  const since90 = new Date(now.getTime() - 90 * DAY);
  const after = cursor
    ? sql`(coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.id) > (${String(cursor[0])}::timestamptz, ${String(cursor[1])}::text, ${String(cursor[2])}::uuid)`
    : sql`true`;

  const admin = actor.role === 'admin';
  // the read model's row holds for this instant
  const fresh = sql`(a.as_of <= ${now} AND ${now} < a.valid_until)`;

  // Without a row that holds: the visible figures straight from the records (one index probe per organisation
  // on meeting_organisation (organisation_id, starts_at DESC); the meeting's start and restricted flag are
  // mirrored there, so an unrestricted meeting needs no further lookup).
  const attendedVisible = admin ? sql`true` : sql`(mo.meeting_restricted = false OR ${meetingVisible(actor, sql`mo.meeting_id`)})`;
  const lastProbe = sql`(SELECT mo.starts_at FROM meeting_organisation mo
    WHERE mo.organisation_id = orgs.id AND mo.starts_at <= ${now} AND ${attendedVisible}
    ORDER BY mo.starts_at DESC NULLS LAST LIMIT 1)`;
  const n90Probe = sql`(SELECT count(*) FROM meeting_organisation mo
    WHERE mo.organisation_id = orgs.id AND mo.starts_at >= ${since90} AND mo.starts_at <= ${now} AND ${attendedVisible})`;
  const concernsProbe = sql`(SELECT count(*) FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
    WHERE s.organisation_id = orgs.id AND s.kind = 'concern' AND s.status = 'open'
      AND ((s.restricted = false AND m.restricted = false) OR ${sharedItemVisible(actor, sql`s.id`)}))`;
  const followUpsProbe = sql`(SELECT count(*) FROM follow_up f
    WHERE f.organisation_id = orgs.id AND f.status = 'open' AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)}))`;

  // the reader's own restricted records (admins' are in the *_all figures already)
  const mine = admin
    ? sql`mine AS (SELECT NULL::uuid AS meeting_id WHERE false)`
    : sql`mine AS MATERIALIZED (SELECT r.meeting_id FROM read_model.meeting_reader r WHERE r.user_id = ${actor.id})`;
  const restrictedConcerns = admin
    ? sql`SELECT NULL::uuid AS organisation_id WHERE false`
    : sql`SELECT s.organisation_id FROM mine JOIN shared_item s ON s.meeting_id = mine.meeting_id
          WHERE s.kind = 'concern' AND s.status = 'open' AND ${sharedItemRowVisibleInVisibleMeeting(actor, sql`s.restricted`, sql`s.id`, sql`s.meeting_id`)}
        UNION ALL
        SELECT s.organisation_id FROM shared_item s JOIN meeting m ON m.id = s.meeting_id AND m.restricted = false
          WHERE s.restricted AND s.kind = 'concern' AND s.status = 'open' AND ${sharedItemVisible(actor, sql`s.id`)}`;
  const col = (name: string) => sql.raw(admin ? `a.${name}_all` : `a.${name}`);

  type Row = {
    id: string;
    name: string;
    kind: string;
    status: string | null;
    country: string | null;
    area: string | null;
    city: string | null;
    tags: string[] | string;
    owner_id: string | null;
    owner_name: string | null;
    last_at: string | null;
    n90: number;
    concerns: number;
    follow_ups: number;
    names: string | NameRow[] | null;
    stale: number;
  };
  // The usual query trusts the rows and says how many of the filtered organisations lack one that holds (then
  // the safe query runs instead, counting those from the records).
  const trustedFigures = sql`greatest(${col('last_at')}, ra.last_at) AS last_at, (${col('n90')} + coalesce(ra.n90, 0))::int AS n90,
    (${col('open_concerns')} + coalesce(rc.n, 0))::int AS concerns, (${col('open_follow_ups')} + coalesce(rf.n, 0))::int AS follow_ups,
    count(*) FILTER (WHERE ${fresh} IS NOT TRUE) OVER () AS stale`;
  const safeFigures = sql`CASE WHEN ${fresh} THEN greatest(${col('last_at')}, ra.last_at) ELSE ${lastProbe} END AS last_at,
    CASE WHEN ${fresh} THEN ${col('n90')} + coalesce(ra.n90, 0) ELSE ${n90Probe} END::int AS n90,
    CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_concerns')} + coalesce(rc.n, 0) ELSE ${concernsProbe} END::int AS concerns,
    CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_follow_ups')} + coalesce(rf.n, 0) ELSE ${followUpsProbe} END::int AS follow_ups,
    0 AS stale`;
  const query = (safe: boolean) =>
    rows<Row>(
      db,
    sql`WITH orgs AS (
        SELECT o.id, o.name, o.kind, o.status, o.country, o.area, o.city, o.tags, o.owner_id FROM organisation o
        WHERE ${sql.join(where, sql` AND `)}
      ), ${mine}, ra AS (
        SELECT mo.organisation_id,
          max(mo.starts_at) FILTER (WHERE mo.starts_at <= ${now}) AS last_at,
          count(*) FILTER (WHERE mo.starts_at >= ${since90} AND mo.starts_at <= ${now})::int AS n90
        FROM mine JOIN meeting_organisation mo ON mo.meeting_id = mine.meeting_id AND mo.meeting_restricted
        GROUP BY mo.organisation_id
      ), rc AS (
        SELECT x.organisation_id, count(*)::int AS n FROM (${restrictedConcerns}) x GROUP BY x.organisation_id
      ), rf AS (
        SELECT f.organisation_id, count(*)::int AS n FROM mine JOIN follow_up f ON f.meeting_id = mine.meeting_id
        WHERE f.status = 'open' AND f.organisation_id IS NOT NULL GROUP BY f.organisation_id
      ), h AS (
        SELECT orgs.*,
          ${safe ? safeFigures : trustedFigures}
        FROM orgs LEFT JOIN read_model.organisation_activity a ON a.organisation_id = orgs.id
          LEFT JOIN ra ON ra.organisation_id = orgs.id LEFT JOIN rc ON rc.organisation_id = orgs.id LEFT JOIN rf ON rf.organisation_id = orgs.id
      ), page AS (
        SELECT h.* FROM h WHERE ${after}
        ORDER BY coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.id
        LIMIT ${input.limit + 1}
      )
      SELECT page.id, page.name, page.kind, page.status, page.country, page.area, page.city, page.tags, page.owner_id, u.name AS owner_name,
        ${iso(sql`page.last_at`)} AS last_at, page.n90, page.concerns, page.follow_ups, page.stale,
        (SELECT json_agg(json_build_object('id', n.id, 'name', n.name, 'script', n.script, 'kind', n.kind))::text
          FROM organisation_name n WHERE n.organisation_id = page.id) AS names
      FROM page LEFT JOIN "user" u ON u.id = page.owner_id
      ORDER BY coalesce(page.last_at, '-infinity'::timestamptz), page.name, page.id`,
  );

  let found = await query(false);
  if (found.length === 0 || Number(found[0]!.stale) > 0) {
    nextRefresh = 0;
    await refreshDue(db);
    found = await query(true);
  }

  const page = found.slice(0, input.limit);
  const items: MemberHealthItem[] = page.map((r) => ({
    id: r.id,
    name: r.name,
    names: orderedNames(typeof r.names === 'string' ? (JSON.parse(r.names) as NameRow[]) : (r.names ?? []), r.name),
    kind: r.kind,
    status: r.status,
    country: r.country,
    area: r.area,
    city: r.city,
    tags: Array.isArray(r.tags) ? r.tags : parsePgArray(r.tags),
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    lastMeetingAt: r.last_at,
    daysSinceLastMeeting: r.last_at ? Math.floor((now.getTime() - Date.parse(r.last_at)) / DAY) : null,
    meetingsLast90Days: Number(r.n90),
    openConcerns: Number(r.concerns),
    openFollowUps: Number(r.follow_ups),
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: found.length > input.limit && last ? encodeCursor([last.last_at ?? NEVER, last.name, last.id]) : null };
}

/** '{a,"b c"}' -> ['a', 'b c'] for a driver that hands back a text[] unparsed. */
function parsePgArray(text: string): string[] {
  if (!text || text === '{}') return [];
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,{}]+)/g;
  for (const m of text.slice(1, -1).matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}
