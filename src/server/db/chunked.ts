import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from './client.ts';

/**
 * Deletes the rows of `table` that `where` selects, `batch` at a time, each batch its own short transaction: on the
 * embedded database (one connection) a delete of a million rows in one transaction would hold every other request
 * for a minute. Returns how many were deleted. Callers delete what is left, and audit, in their final transaction.
 */
export async function deleteInChunks(db: Db, table: SQL, where: SQL, batch = 5_000): Promise<number> {
  let removed = 0;
  for (;;) {
    const [r] = await rows<{ n: number }>(
      db,
      sql`WITH d AS (DELETE FROM ${table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${batch})) RETURNING 1)
          SELECT count(*)::int AS n FROM d`,
    );
    const n = r?.n ?? 0;
    removed += n;
    if (n < batch) return removed;
    // between batches, others' queries go first
    await new Promise((ok) => setTimeout(ok, 5));
  }
}
