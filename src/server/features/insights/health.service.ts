import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../http/context.ts';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import { isUuid, meetingVisible, reader, sharedItemVisible } from '../network/visibility.ts';
import { iso } from './rows.ts';

// Member health: the list a team opens before a trip. Each organisation with the last time we met it and
// how much is open with it, longest without contact first. Only meetings and items the caller may see are
// counted, so a restricted meeting leaves no trace in anyone else's figures.
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

export async function memberHealth(db: Db, ctx: RequestContext, input: MemberHealthInput, now = new Date()) {
  const actor = reader(ctx);
  const cursor = decodeCursor(
    input.cursor,
    3,
    ([at, name, id]) => (at === NEVER || !Number.isNaN(Date.parse(String(at)))) && typeof name === 'string' && isUuid(String(id)),
  );
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

  const attendedVisible = actor.role === 'admin' ? sql`true` : sql`(mo.meeting_restricted = false OR ${meetingVisible(actor, sql`mo.meeting_id`)})`;

  const found = await rows<{
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
  }>(
    db,
    sql`WITH orgs AS (
        SELECT o.id, o.name, o.kind, o.status, o.country, o.area, o.city, o.tags, o.owner_id FROM organisation o
        WHERE ${sql.join(where, sql` AND `)}
      ), met AS MATERIALIZED (
        -- one index probe per organisation on meeting_organisation (organisation_id, starts_at DESC); the
        -- meeting's start and restricted flag are mirrored there by the database, so an unrestricted meeting
        -- needs no further lookup
        SELECT orgs.id AS organisation_id,
          (SELECT mo.starts_at FROM meeting_organisation mo
            WHERE mo.organisation_id = orgs.id AND mo.starts_at <= ${now} AND ${attendedVisible}
            ORDER BY mo.starts_at DESC NULLS LAST LIMIT 1) AS last_at,
          (SELECT count(*) FROM meeting_organisation mo
            WHERE mo.organisation_id = orgs.id AND mo.starts_at >= ${since90} AND mo.starts_at <= ${now} AND ${attendedVisible}) AS n90
        FROM orgs
      ), concerns AS (
        SELECT s.organisation_id, count(*) AS n FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
        WHERE s.organisation_id IN (SELECT id FROM orgs) AND s.kind = 'concern' AND s.status = 'open'
          AND ((s.restricted = false AND m.restricted = false) OR ${sharedItemVisible(actor, sql`s.id`)})
        GROUP BY s.organisation_id
      ), follow_ups AS (
        SELECT f.organisation_id, count(*) AS n FROM follow_up f
        WHERE f.organisation_id IN (SELECT id FROM orgs) AND f.status = 'open' AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)})
        GROUP BY f.organisation_id
      ), h AS (
        SELECT orgs.*, met.last_at, coalesce(met.n90, 0)::int AS n90, coalesce(concerns.n, 0)::int AS concerns, coalesce(follow_ups.n, 0)::int AS follow_ups
        FROM orgs LEFT JOIN met ON met.organisation_id = orgs.id LEFT JOIN concerns ON concerns.organisation_id = orgs.id
          LEFT JOIN follow_ups ON follow_ups.organisation_id = orgs.id
      )
      SELECT h.id, h.name, h.kind, h.status, h.country, h.area, h.city, h.tags, h.owner_id, u.name AS owner_name,
        ${iso(sql`h.last_at`)} AS last_at, h.n90, h.concerns, h.follow_ups
      FROM h LEFT JOIN "user" u ON u.id = h.owner_id
      WHERE ${after}
      ORDER BY coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.id
      LIMIT ${input.limit + 1}`,
  );

  const page = found.slice(0, input.limit);
  const items: MemberHealthItem[] = page.map((r) => ({
    id: r.id,
    name: r.name,
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
