import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { Script } from '../network/names.ts';
import { sortNames } from '../network/list-order.ts';

// Insights are aggregates that Drizzle's builder would only obscure, so they are written as SQL. The two
// drivers hand back raw values differently (node-postgres keeps timestamps as strings, PGlite parses them),
// so queries here return timestamps as ISO text (iso()), days as text and counts as int.

/** A timestamptz as 2024-07-09T08:30:00.000Z */
export function iso(expr: SQLWrapper): SQL {
  return sql`to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export type NameRow = { id: string; name: string; script: string; kind: string };
export type OrganisationNameRef = { name: string; script: Script; kind: string };

/** As on the organisation (sortNames): the display name first, then official names, then the rest. */
export function orderedNames(names: NameRow[], displayName: string): OrganisationNameRef[] {
  return sortNames(names, displayName).map((n) => ({ name: n.name, script: n.script as Script, kind: n.kind }));
}

/** The recorded names of these organisations (id -> names as on the organisation; display names given). */
export async function organisationNames(db: Db, displayNames: Map<string, string>): Promise<Map<string, OrganisationNameRef[]>> {
  const out = new Map<string, OrganisationNameRef[]>();
  if (displayNames.size === 0) return out;
  const found = await rows<NameRow & { organisation_id: string }>(
    db,
    sql`SELECT n.organisation_id, n.id, n.name, n.script, n.kind FROM organisation_name n
      WHERE n.organisation_id IN (${sql.join([...displayNames.keys()].map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  const by = new Map<string, NameRow[]>();
  for (const r of found) by.set(r.organisation_id, [...(by.get(r.organisation_id) ?? []), r]);
  for (const [id, display] of displayNames) out.set(id, orderedNames(by.get(id) ?? [], display));
  return out;
}
