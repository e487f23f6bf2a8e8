import { getTableColumns, type Table } from 'drizzle-orm';

// Read models and list queries hand rows over as facts (row_to_json of a table's row, or positional arrays of columns),
// never in the API's shape: the services build responses from them next to their contracts, with the same code that
// builds them from rows read through Drizzle.

/** A row as row_to_json wrote it (columns by their database names, timestamps as text) -> the row as Drizzle reads it. */
export function rowFromFacts<T extends Table>(table: T, facts: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = facts[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

/** A name as read_model.organisation_card holds it: [id, name, script, kind] */
export type NameFacts = [id: string, name: string, script: string, kind: string];

export function nameFromFacts([id, name, script, kind]: NameFacts) {
  return { id, name, script, kind };
}
