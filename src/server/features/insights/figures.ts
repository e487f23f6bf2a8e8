import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { meetingRowVisible } from '../../access/need-to-know.ts';
import type { Actor } from '../../access/roles.ts';

// The network's figures, in one place: which meetings a period (or a trip, or a campaign) covers for a reader,
// how many there were by kind and city, and which organisations were met. The dashboard counts with these, and
// Updates' "Draft from data" lists with the very same queries, as a reader with no need-to-know grants: a figure in
// a post is the figure the dashboard shows a staff member with no grants, by construction.

/**
 * The meetings counted: days `from`..`to` (inclusive, YYYY-MM-DD) in `timeZone` (a meeting at 01:00 in Ramallah
 * belongs to that day), optionally only in `cities` (as recorded) or among `meetingIds` (a subquery of ids), and
 * only those the actor may see.
 */
export type MeetingScope = { from?: string; to?: string; timeZone: string; cities?: string[]; meetingIds?: SQL };

/** `SELECT m.id, m.kind, m.city, m.starts_at, m.title FROM meeting m WHERE …` for the scope, as the actor sees it. */
export function scopedMeetings(actor: Actor, scope: MeetingScope): SQL {
  const where: SQL[] = [meetingRowVisible(actor, sql`m.restricted`, sql`m.id`)];
  if (scope.from) where.push(sql`m.starts_at >= (${scope.from}::date::timestamp AT TIME ZONE ${scope.timeZone})`);
  if (scope.to) where.push(sql`m.starts_at < ((${scope.to}::date + 1)::timestamp AT TIME ZONE ${scope.timeZone})`);
  if (scope.cities?.length) where.push(sql`m.city IN (${sql.join(scope.cities.map((c) => sql`${c}`), sql`, `)})`);
  if (scope.meetingIds) where.push(sql`m.id IN (${scope.meetingIds})`);
  return sql`SELECT m.id, m.kind, m.city, m.starts_at, m.title FROM meeting m WHERE ${sql.join(where, sql` AND `)}`;
}

/** The distinct organisations met in the scoped meetings: id, name, kind (member, partner, mission …). */
export function metOrganisations(scoped: SQL): SQL {
  return sql`SELECT DISTINCT o.id, o.name, o.kind FROM (${scoped}) pm
    JOIN meeting_organisation mo ON mo.meeting_id = pm.id JOIN organisation o ON o.id = mo.organisation_id`;
}

/** The member organisations met, and the organisations of any kind met. */
export async function countOrganisationsMet(db: Db, scoped: SQL): Promise<{ members: number; all: number }> {
  const [met] = await rows<{ members: number; all_orgs: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE mo.kind = 'member')::int AS members, count(*)::int AS all_orgs FROM (${metOrganisations(scoped)}) mo`,
  );
  return { members: Number(met?.members ?? 0), all: Number(met?.all_orgs ?? 0) };
}

/** The scoped meetings by kind and by city (city null: online or not recorded), most first. */
export async function countMeetings(db: Db, scoped: SQL): Promise<{ byKind: { kind: string; count: number }[]; byCity: { city: string | null; count: number }[] }> {
  const byKind = await rows<{ kind: string; count: number }>(db, sql`SELECT pm.kind, count(*)::int AS count FROM (${scoped}) pm GROUP BY pm.kind ORDER BY count DESC, pm.kind`);
  const byCity = await rows<{ city: string | null; count: number }>(
    db,
    sql`SELECT pm.city, count(*)::int AS count FROM (${scoped}) pm GROUP BY pm.city ORDER BY count DESC, pm.city NULLS LAST`,
  );
  return { byKind: byKind.map((r) => ({ kind: r.kind, count: Number(r.count) })), byCity: byCity.map((r) => ({ city: r.city, count: Number(r.count) })) };
}
