import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

// Insights are aggregates that Drizzle's builder would only obscure, so they are written as SQL. The two
// drivers hand back raw values differently (node-postgres keeps timestamps as strings, PGlite parses them),
// so queries here return timestamps as ISO text (iso()), days as text and counts as int.

/** A timestamptz as 2024-07-09T08:30:00.000Z */
export function iso(expr: SQLWrapper): SQL {
  return sql`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
