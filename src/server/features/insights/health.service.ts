import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import type { Actor } from '../../access/roles.ts';
import { decodeCursor, encodeCursor } from '../../core/pagination.ts';
import { isUuid } from '../../core/errors.ts';
import { meetingVisible, reader, sharedItemVisible } from '../../access/need-to-know.ts';
import { orderedNames, type OrganisationNameRef } from './rows.ts';

// Member health: the list a team opens before a trip. Each organisation with the last time we met it and
// how much is open with it, longest without contact first. Only meetings and items the caller may see are
// counted, so a restricted meeting leaves no trace in anyone else's figures.
//
// Sorted by last meeting (never met first), then name, then id; paged with a keyset cursor over that order.
//
// The page is read from read_model.member_health (src/server/read-models/member-health.sql): per reader key and
// organisation, the figures that reader sees with the organisation's filter and sort columns beside them. Keys: '*'
// (unrestricted records: readers with nothing restricted), '**' (admins), and the user's own id for a user whose
// restricted records touch any organisation (read_model.reader_activity). So a page is one index range in the page's
// order, filtered row by row and stopped after limit + 1 rows, instead of joining and sorting every filtered
// organisation (~1,250 at the benchmark's scale: a few ms a request on the embedded database, which runs one query at
// a time).
//
// The last meeting and the 90-day count depend on the clock: each row holds until its valid_until. The page is read at
// the database's clock, checking in the same statement (one index probe) that no row of the reader has run out; if
// one has, rows due are recomputed (read_model.refresh_due) and the page read again. At a given instant, or if rows
// still do not hold (another transaction is recomputing them), the figures are counted from the per-organisation read
// models and, where those do not hold either, from the records.
//
// The page comes back as one JSON text of ready rows (member_health.item, positional): on the embedded database,
// decoding a hundred rows of sixteen columns, or building their JSON and aggregating their names per request, cost as
// much as finding them.

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
/** how many read-model rows the clock has overtaken are recomputed at a time */
const REFRESH_ROWS = 500;

/**
 * Recomputes read-model rows the clock has overtaken (they are correct meanwhile, only slower). A scheduled job
 * calls this every minute, once across servers (health.jobs.ts); a page that still meets such a row calls it first.
 */
export async function refreshNow(db: Db) {
  await rows(db, sql`SELECT read_model.refresh_due(${REFRESH_ROWS}) AS n`);
}

/**
 * A page row as facts (read_model.health_item, src/server/read-models/member-health.sql): [id, name, names ([id, name,
 * script, kind]), kind, status, country, area, city, tags, owner id, owner's name, last meeting (UTC, microseconds: also
 * the cursor), meetings in 90 days, open concerns, open follow-ups]
 */
type Row = [
  string,
  string,
  [string, string, string, string][],
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string[],
  string | null,
  string | null,
  string | null,
  number,
  number,
  number,
];

/** `at`: the instant to count at (by default the database's clock as the page is read). */
export async function memberHealth(db: Db, ctx: RequestContext, input: MemberHealthInput, at?: Date) {
  const actor = reader(ctx);
  const cursor = decodeCursor(
    input.cursor,
    3,
    ([t, name, id]) => (t === NEVER || !Number.isNaN(Date.parse(String(t)))) && typeof name === 'string' && isUuid(String(id)),
  );
  let found: Row[] | undefined;
  let now = at;
  if (!now) {
    let page = await readPage(db, actor, input, cursor);
    if (page.due) {
      await refreshNow(db);
      page = await readPage(db, actor, input, cursor);
    }
    now = page.now;
    if (!page.due) found = page.rows;
  }
  found ??= await countPage(db, actor, input, cursor, now);

  const page = found.slice(0, input.limit);
  const items: MemberHealthItem[] = page.map(([id, name, names, kind, status, country, area, city, tags, ownerId, ownerName, lastAt, n90, concerns, followUps]) => ({
    id,
    name,
    names: orderedNames(
      names.map(([nameId, n, script, k]) => ({ id: nameId, name: n, script, kind: k })),
      name,
    ),
    kind,
    status,
    country,
    area,
    city,
    tags,
    ownerId,
    ownerName,
    lastMeetingAt: lastAt ? new Date(lastAt).toISOString() : null,
    daysSinceLastMeeting: lastAt ? Math.floor((now.getTime() - Date.parse(lastAt)) / DAY) : null,
    meetingsLast90Days: n90,
    openConcerns: concerns,
    openFollowUps: followUps,
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: found.length > input.limit && last ? encodeCursor([last[11] ?? NEVER, last[1], last[0]]) : null };
}

type Cursor = (string | number)[] | undefined;

/** The filters, on organisation `o` (read_model.member_health_page applies the same ones to its own columns). */
function filters(input: MemberHealthInput) {
  return sql.join(
    [
      input.kind !== 'any' ? sql`o.kind = ${input.kind}` : sql`true`,
      input.status !== 'any' ? sql`o.status = ${input.status}` : sql`true`,
      input.area ? sql`o.area = ${input.area}` : sql`true`,
      input.country ? sql`o.country = ${input.country}` : sql`true`,
      input.tag ? sql`o.tags @> ARRAY[${input.tag}]::text[]` : sql`true`,
      input.ownerId ? sql`o.owner_id = ${input.ownerId}` : sql`true`,
    ],
    sql` AND `,
  );
}

/** After the cursor, in the page's order; `at`, `name`, `id` are the row's sort columns. */
function after(cursor: Cursor, at: SQL, name: SQL, id: SQL) {
  return cursor
    ? sql`(coalesce(${at}, '-infinity'::timestamptz), ${name}, ${id}) > (${String(cursor[0])}::timestamptz, ${String(cursor[1])}::text, ${String(cursor[2])}::uuid)`
    : sql`true`;
}

/**
 * The page from read_model.member_health (read_model.member_health_page) at the database's clock, and
 * whether any row of the reader's key no longer holds (then the page is not used).
 */
async function readPage(db: Db, actor: Actor, input: MemberHealthInput, cursor: Cursor) {
  const [at, name, id] = cursor ?? [null, null, null];
  const [res] = await rows<{ page: string }>(
    db,
    sql`SELECT read_model.member_health_page(${actor.id}, ${actor.role === 'admin'}, ${input.kind === 'any' ? null : input.kind},
      ${input.status === 'any' ? null : input.status}, ${input.area || null}, ${input.country || null}, ${input.tag || null}, ${input.ownerId || null},
      ${at === null ? null : String(at)}::timestamptz, ${name === null ? null : String(name)}::text, ${id === null ? null : String(id)}::uuid, ${input.limit + 1}) AS page`,
  );
  const [now, due, found] = JSON.parse(res!.page) as [string, boolean, Row[]];
  return { now: new Date(now), due, rows: found };
}

/**
 * The page at instant `now`, counted from the per-organisation read models where their rows hold for it
 * (read_model.organisation_activity, read_model.reader_activity) and from the records where they do not.
 */
async function countPage(db: Db, actor: Actor, input: MemberHealthInput, cursor: Cursor, now: Date): Promise<Row[]> {
  const since90 = new Date(now.getTime() - 90 * DAY);
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

  const [res] = await rows<{ page: string | null }>(
    db,
    sql`WITH h AS (
        SELECT o.id, o.name, o.owner_id,
          CASE WHEN ${fresh} THEN ${lastAt} ELSE ${lastProbe} END AS last_at,
          CASE WHEN ${fresh} THEN ${col('n90')} + ${mine('n90')} ELSE ${n90Probe} END::int AS n90,
          CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_concerns')} + ${mine('open_concerns')} ELSE ${concernsProbe} END::int AS concerns,
          CASE WHEN a.organisation_id IS NOT NULL THEN ${col('open_follow_ups')} + ${mine('open_follow_ups')} ELSE ${followUpsProbe} END::int AS follow_ups
        FROM organisation o LEFT JOIN read_model.organisation_activity a ON a.organisation_id = o.id ${readerJoin}
        WHERE ${filters(input)}
      ), p AS (
        SELECT h.*, coalesce(h.last_at, '-infinity'::timestamptz) AS sort_at FROM h
        WHERE ${after(cursor, sql`h.last_at`, sql`h.name`, sql`h.id`)}
        ORDER BY coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.id
        LIMIT ${input.limit + 1}
      )
      SELECT '[' || string_agg(read_model.health_item(read_model.health_org(o,
          coalesce((SELECT c.card->'names' FROM read_model.organisation_card c WHERE c.organisation_id = p.id), read_model.organisation_names_of(p.id)), u.name),
          p.last_at, p.n90, p.concerns, p.follow_ups), ',' ORDER BY p.sort_at, p.name, p.id) || ']' AS page
      FROM p JOIN organisation o ON o.id = p.id LEFT JOIN "user" u ON u.id = p.owner_id`,
  );
  return res?.page ? (JSON.parse(res.page) as Row[]) : [];
}
