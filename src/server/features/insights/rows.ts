import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../policy.ts';
import { meetingVisible } from '../network/visibility.ts';

// Insights are aggregates that Drizzle's builder would only obscure, so they are written as SQL. The two
// drivers hand back raw values differently (node-postgres keeps timestamps as strings, PGlite parses them),
// so queries here return timestamps as ISO text (iso()), days as text and counts as int.

/** Runs a raw query on either driver and returns its rows. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}

/** A timestamptz as 2024-07-09T08:30:00.000Z */
export function iso(expr: SQLWrapper): SQL {
  return sql`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * meetingVisible for a query that has the meeting row at hand as `alias`: the same rule, with the common
 * case (not restricted) decided from the row itself before the rule's per-row lookups run.
 */
export function meetingRowVisible(actor: Actor, alias: string): SQL {
  return sql`(${sql.raw(alias)}.restricted = false OR ${meetingVisible(actor, sql.raw(`${alias}.id`))})`;
}
