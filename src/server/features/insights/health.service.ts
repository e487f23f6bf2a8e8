import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../http/context.ts';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import { isUuid, meetingVisible, reader, sharedItemVisible } from '../network/visibility.ts';
import { iso, orderedNames, type NameRow, type OrganisationNameRef } from './rows.ts';

// Member health: the list a team opens before a trip. Each organisation with the last time we met it and
// how much is open with it, longest without contact first. Only meetings and items the caller may see are
// counted, so a restricted meeting leaves no trace in anyone else's figures.
//
// The figures come from read models kept by the database. read_model.organisation_activity (migration 0005):
// per organisation, the facts over unrestricted records (what every reader sees) and over all records (what
// admins see). read_model.reader_activity (migration 0009): per reader and organisation, what the reader's own
// restricted meetings and items add; one index range per request. The last meeting and the 90-day count depend
// on the clock: a row holds for the instants [as_of, valid_until); outside them (a meeting started since, a day
// left the 90) that organisation is counted from the records directly, and such rows are recomputed now and
// then (read_model.refresh_due).
//
// Sorted by last meeting (never met first), then name, then id; paged with a keyset cursor over that order.
// The page comes back as one JSON text built from each organisation's ready card (read_model.organisation_card,
// 0009): on the embedded database, decoding a hundred rows of sixteen columns, or building their JSON and
// aggregating their names per request, cost as much as finding them.

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
  // Admins see every record: the *_all figures. Others: the unrestricted figures plus their own restricted
  // contributions (no row in reader_activity: none).
  const col = (name: string) => sql.raw(admin ? `a.${name}_all` : `a.${name}`);
  const mine = (name: string) => (admin ? sql`0` : sql.raw(`coalesce(r.${name}, 0)`));
  const readerJoin = admin ? sql`` : sql`LEFT JOIN read_model.reader_activity r ON r.user_id = ${actor.id} AND r.organisation_id = o.id`;
  // both rows hold for this instant (a reader without a row has nothing restricted there, whatever the time)
  const fresh = admin
    ? sql`(a.as_of <= ${now} AND ${now} < a.valid_until)`
    : sql`(a.as_of <= ${now} AND ${now} < a.valid_until AND (r.user_id IS NULL OR (r.as_of <= ${now} AND ${now} < r.valid_until)))`;
  const lastAt = admin ? sql`a.last_at_all` : sql`greatest(a.last_at, r.last_at)`;

  // Where a row does not hold: the visible figures straight from the records (one index probe per organisation
  // on meeting_organisation (organisation_id, starts_at DESC); the meeting's start and restricted flag are
  // mirrored there, so an unrestricted meeting needs no further lookup).
  const attendedVisible = admin ? sql`true` : sql`(mo.meeting_restricted = false OR ${meetingVisible(actor, sql`mo.meeting_id`)})`;
  const lastProbe = sql`(SELECT mo.starts_at FROM meeting_organisation mo
    WHERE mo.organisation_id = o.id AND mo.starts_at <= ${now} AND ${attendedVisible}
    ORDER BY mo.starts_at DESC NULLS LAST LIMIT 1)`;
  const n90Probe = sql`(SELECT count(*) FROM meeting_organisation mo
    WHERE mo.organisation_id = o.id AND mo.starts_at >= ${since90} AND mo.starts_at <= ${now} AND ${attendedVisible})`;
  const concernsProbe = sql`(SELECT count(*) FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
    WHERE s.organisation_id = o.id AND s.kind = 'concern' AND s.status = 'open'
      AND ((s.restricted = false AND m.restricted = false) OR ${sharedItemVisible(actor, sql`s.id`)}))`;
  const followUpsProbe = sql`(SELECT count(*) FROM follow_up f
    WHERE f.organisation_id = o.id AND f.status = 'open' AND (f.meeting_id IS NULL OR ${meetingVisible(actor, sql`f.meeting_id`)}))`;

  // The usual query trusts the rows. Organisations whose rows do not hold (rare: see read_model.refresh_due)
  // sort first whatever the cursor, so the first row says whether the safe query must run instead.
  const trustedFigures = sql`${lastAt} AS last_at, ${col('n90')} + ${mine('n90')} AS n90,
    ${col('open_concerns')} + ${mine('open_concerns')} AS concerns, ${col('open_follow_ups')} + ${mine('open_follow_ups')} AS follow_ups,
    ${fresh} IS NOT TRUE AS stale`;
  const safeFigures = sql`CASE WHEN ${fresh} THEN ${lastAt} ELSE ${lastProbe} END AS last_at,
    CASE WHEN ${fresh} THEN ${col('n90')} + ${mine('n90')} ELSE ${n90Probe} END::int AS n90,
    CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_concerns')} + ${mine('open_concerns')} ELSE ${concernsProbe} END::int AS concerns,
    CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_follow_ups')} + ${mine('open_follow_ups')} ELSE ${followUpsProbe} END::int AS follow_ups,
    false AS stale`;

  /** what the lists show of an organisation: read_model.organisation_card (migration 0009) */
  type Card = {
    id: string;
    name: string;
    names: NameRow[];
    kind: string;
    status: string | null;
    country: string | null;
    area: string | null;
    city: string | null;
    tags: string[];
    ownerId: string | null;
  };
  /** [card, owner's name, last meeting (ISO), meetings in 90 days, open concerns, open follow-ups, stale] */
  type Row = [Card, string | null, string | null, number, number, number, boolean];
  const query = async (safe: boolean) => {
    const [res] = await rows<{ page: string | null }>(
      db,
      sql`WITH h AS (
          SELECT o.id, o.name, o.owner_id, ${safe ? safeFigures : trustedFigures}
          FROM organisation o LEFT JOIN read_model.organisation_activity a ON a.organisation_id = o.id ${readerJoin}
          WHERE ${sql.join(where, sql` AND `)}
        ), page AS (
          SELECT h.*, coalesce(h.last_at, '-infinity'::timestamptz) AS sort_at FROM h WHERE h.stale OR ${after}
          ORDER BY h.stale DESC, coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.id
          LIMIT ${input.limit + 1}
        )
        SELECT '[' || string_agg(concat('[',
            coalesce((SELECT c.card FROM read_model.organisation_card c WHERE c.organisation_id = page.id),
              (SELECT read_model.organisation_card_of(o) FROM organisation o WHERE o.id = page.id)), ',',
            coalesce(to_json(u.name)::text, 'null'), ',', coalesce(to_json(${iso(sql`page.last_at`)})::text, 'null'), ',',
            page.n90, ',', page.concerns, ',', page.follow_ups, ',', to_json(page.stale), ']'),
          ',' ORDER BY page.stale DESC, page.sort_at, page.name, page.id) || ']' AS page
        FROM page LEFT JOIN "user" u ON u.id = page.owner_id`,
    );
    return res?.page ? (JSON.parse(res.page) as Row[]) : [];
  };

  let found = await query(false);
  if (found[0]?.[6]) {
    nextRefresh = 0;
    await refreshDue(db);
    found = await query(true);
  }

  const page = found.slice(0, input.limit);
  const items: MemberHealthItem[] = page.map(([c, ownerName, lastAt, n90, concerns, followUps]) => ({
    id: c.id,
    name: c.name,
    names: orderedNames(c.names, c.name),
    kind: c.kind,
    status: c.status,
    country: c.country,
    area: c.area,
    city: c.city,
    tags: c.tags,
    ownerId: c.ownerId,
    ownerName,
    lastMeetingAt: lastAt,
    daysSinceLastMeeting: lastAt ? Math.floor((now.getTime() - Date.parse(lastAt)) / DAY) : null,
    meetingsLast90Days: n90,
    openConcerns: concerns,
    openFollowUps: followUps,
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: found.length > input.limit && last ? encodeCursor([last[2] ?? NEVER, last[0].name, last[0].id]) : null };
}
