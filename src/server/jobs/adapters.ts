import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../db/client.ts';

/**
 * What pg-boss needs of a database (its `db` option): run one SQL text with $1, $2… parameters, or, without
 * parameters, a text of several statements (its schema creation and maintenance send BEGIN; …; COMMIT).
 */
export type SqlExecutor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }> };

type Result = { rows: any[] };

/**
 * The embedded database: PGlite's `query` takes one statement (extended protocol, parameters), `exec` several
 * (simple protocol, no parameters). Both wait for any transaction in progress (PGlite runs one at a time).
 */
export function pgliteExecutor(client: PGlite): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return (await client.query(text, values as any[])) as Result;
      const results = await client.exec(text);
      // several statements: pg-boss reads the rows of single-statement texts only
      return (results.length === 1 ? results[0] : (results[results.length - 1] ?? { rows: [] })) as Result;
    },
  };
}

/** PostgreSQL through a pool of its own (node-postgres runs a parameterless text of several statements as one simple query). */
export function poolExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async executeSql(text, values) {
      return (await pool.query(text, values as any[])) as Result;
    },
  };
}

/**
 * pg-boss's positional SQL ($1, $2…) as a Drizzle query, each value one bound parameter (never spliced in):
 * arrays and objects go to the driver as they are, as pg-boss expects (uuid[], jsonb).
 */
export function positionalSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) chunks.push(sql.raw(parts[i]!));
    else {
      const n = Number(parts[i]);
      if (n < 1 || n > values.length) throw new Error(`pg-boss SQL names $${n}, but ${values.length} values were given`);
      chunks.push(sql`${sql.param(values[n - 1])}`);
    }
  }
  return sql.join(chunks, sql``);
}

/**
 * A Drizzle database or transaction as pg-boss's `db`: what pg-boss writes through it (a new job, a retry)
 * commits or rolls back with the caller's transaction. Single statements with parameters only.
 */
export function drizzleExecutor(db: Db): SqlExecutor {
  return {
    async executeSql(text, values) {
      const res = (await db.execute(positionalSql(text, values ?? []))) as unknown as { rows?: any[] } | any[];
      return { rows: Array.isArray(res) ? res : (res.rows ?? []) };
    },
  };
}
