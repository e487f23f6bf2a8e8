import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../src/server/db/client.ts';
import { normalizeName } from '../../src/server/features/network/names.ts';

/**
 * Every row of every table of every schema (public, read_model, drizzle and any other; not PostgreSQL's own
 * catalogs), as JSON text, one table per entry; plus the sampled values PostgreSQL keeps as statistics for the
 * application's columns (pg_statistic), which ANALYZE copies from the tables.
 */
export async function dumpDatabase(db: Db): Promise<Map<string, string>> {
  const tables = await rows<{ s: string; t: string }>(
    db,
    sql`SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        ORDER BY 1, 2`,
  );
  const out = new Map<string, string>();
  for (const { s, t } of tables) {
    const [r] = await rows<{ text: string | null }>(db, sql`SELECT string_agg(row_to_json(x)::text, chr(10)) AS text FROM ${sql.identifier(s)}.${sql.identifier(t)} x`);
    out.set(`${s}.${t}`, r?.text ?? '');
  }
  const stats = await rows<{ rel: string; text: string | null }>(
    db,
    sql`SELECT c.relname AS rel, concat_ws(' ', st.stavalues1::text, st.stavalues2::text, st.stavalues3::text, st.stavalues4::text, st.stavalues5::text) AS text
        FROM pg_statistic st JOIN pg_class c ON c.oid = st.starelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  );
  out.set('pg_statistic', stats.map((s) => `${s.rel}: ${s.text ?? ''}`).join('\n'));
  return out;
}

/** The strings as typed and as search folds them (norm columns hold the folded form), lower-cased. */
export function needlesOf(strings: string[]): string[] {
  return [...new Set(strings.flatMap((s) => [s.toLowerCase(), normalizeName(s)]).filter((s) => s.length > 0))];
}

/** Where in the dump each needle still appears: "schema.table: needle" (empty when clean). */
export function findIn(dump: Map<string, string>, needles: string[]): string[] {
  const found: string[] = [];
  for (const [table, text] of dump) {
    const lower = text.toLowerCase();
    for (const n of needles) if (lower.includes(n)) found.push(`${table}: ${n}`);
  }
  return found;
}
