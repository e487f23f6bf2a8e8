import fs from 'node:fs';
import path from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { Client } from 'pg';
import { applyReadModels, type ApplyResult } from '../read-models/apply.ts';
import type { Db } from './db.types.ts';
import { migrationsPending } from './migrations-state.ts';
import { schema } from './schema.ts';
import { paths } from '../paths.ts';

export type { Db } from './db.types.ts';

export const migrationsFolder = paths.migrations;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * Applies the pending migrations, then the read models' SQL when it changed (src/server/read-models/apply.ts);
   * `rebuildReadModels` applies it again and rebuilds every read model whatever changed.
   */
  migrate(opts?: { rebuildReadModels?: boolean }): Promise<{ readModels: ApplyResult }>;
  close(): Promise<void>;
  /**
   * Resolves once no query has run for a moment (at most `maxMs` later). The embedded database runs one query at a
   * time, on the server's one thread: long background work (an import's chunks) waits for this between its
   * transactions, so that a request's few queries all go before the next chunk, not one per chunk. PostgreSQL runs
   * queries side by side: there it resolves at once.
   */
  quiet(maxMs: number): Promise<void>;
  /**
   * Calls `onNotify` with the payload of every NOTIFY on `channel` (from any server on this database, this one
   * included), until the returned function is called. On PostgreSQL a connection of its own listens; when it is lost
   * it reconnects, and `onGap` says that notifications may have been missed meanwhile.
   */
  listen(channel: string, onNotify: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
};

/** serialises migrating processes on one PostgreSQL (the key is arbitrary, fixed) */
const MIGRATE_LOCK = 727043100;

export type OpenOptions =
  | {
      kind: 'pglite';
      dataDir?: string;
      loadDataDir?: Blob | File;
      /**
       * PostgreSQL's shared_buffers for this process only (PGlite's default is 128MB, set up at every start: ~110 MB of
       * memory and ~0.1 s). A short command that reads a little once (`convene dialogue analyze`) starts smaller and
       * sooner with 16MB; the server keeps the default, which its lists read from again and again.
       */
      sharedBuffers?: string;
      /** PGlite's WebAssembly, compiled beforehand (db/pglite-wasm.ts) */
      wasmModule?: Promise<WebAssembly.Module>;
    }
  | { kind: 'postgres'; url: string; max?: number };

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  // a driver is loaded when used (~40 ms each): processes on the embedded database never load pg, nor those on PostgreSQL PGlite
  if (opts.kind === 'postgres') {
    const [{ default: pg }, { drizzle: drizzlePg }, { migrate: migratePg }] = await Promise.all([
      import('pg'),
      import('drizzle-orm/node-postgres'),
      import('drizzle-orm/node-postgres/migrator'),
    ]);
    // sessions in UTC whatever the server's setting; no JIT: the need-to-know subqueries inflate cost
    // estimates and JIT compilation then costs more than the query
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.max ?? 10, options: '-c TimeZone=UTC -c jit=off' });
    // an idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects
    pool.on('error', (err) => console.error('PostgreSQL connection lost:', err.message));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    const listeners = new Set<() => Promise<void>>();
    return {
      db,
      kind: 'postgres',
      // Servers starting at once: one migrates while the others wait, then finds nothing to do. The lock is held by
      // a session of its own, outside the pool, for as long as migrating takes.
      migrate: async (o) => {
        // up to date (every start but the first after an upgrade): no lock, no migrator; the read models take their own lock
        if (!(await migrationsPending(db))) return { readModels: await applyReadModels(db, { force: o?.rebuildReadModels }) };
        const lock = new pg.Client({ connectionString: opts.url });
        await lock.connect();
        try {
          await lock.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
          await migratePg(db as never, { migrationsFolder });
          return { readModels: await applyReadModels(db, { force: o?.rebuildReadModels }) };
        } finally {
          await lock.end().catch(() => {});
        }
      },
      close: async () => {
        for (const stop of [...listeners]) await stop();
        await pool.end();
      },
      quiet: async () => {},
      listen: async (channel, onNotify, onGap) => {
        const stop = await listenOnPostgres(opts.url, channel, onNotify, onGap);
        const unlisten = async () => {
          listeners.delete(unlisten);
          await stop();
        };
        listeners.add(unlisten);
        return unlisten;
      },
    };
  }
  const [{ PGlite }, { pg_trgm }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { pg_trgm },
    pgliteWasmModule: await opts.wasmModule,
    // on the command line, not in postgresql.conf (PGlite's postgresqlconf option rewrites the data folder's file)
    startParams: [...PGlite.defaultStartParams, '-c', `work_mem=${PGLITE_WORK_MEM}`, ...(opts.sharedBuffers ? ['-c', `shared_buffers=${opts.sharedBuffers}`] : [])],
  });
  const gate = activityGate(client);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: async (o) => {
      if (await migrationsPending(db)) await migratePglite(db as never, { migrationsFolder });
      return { readModels: await applyReadModels(db, { force: o?.rebuildReadModels }) };
    },
    close: () => client.close(),
    quiet: gate.quiet,
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, onNotify);
      return async () => {
        if (!client.closed) await stop();
      };
    },
    // exposed for tests that dump a template
    ...({ pglite: client } as object),
  };
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTEN on a connection of its own (pool connections come and go). A lost connection is replaced after a short
 * pause, for as long as the listener lives; `onGap` is told each time, since NOTIFYs sent meanwhile are lost.
 */
async function listenOnPostgres(url: string, channel: string, onNotify: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const { default: pg } = await import('pg');
  let client: Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    c.on('error', () => reconnect(c));
    c.on('end', () => reconnect(c));
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
  };
  const reconnect = (lost: Client) => {
    if (stopped || client !== lost) return;
    client = null;
    lost.end().catch(() => {});
    const attempt = () => {
      retry = undefined;
      if (stopped) return;
      connect()
        .then(() => onGap?.())
        .catch(() => {
          retry = setTimeout(attempt, 500);
          retry.unref();
        });
    };
    retry = setTimeout(attempt, 100);
    retry.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}

export function openFromConfig(
  config: { dataDir: string; databaseUrl?: string },
  opts: { sharedBuffers?: string; wasmModule?: Promise<WebAssembly.Module> } = {},
): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite'), sharedBuffers: opts.sharedBuffers, wasmModule: opts.wasmModule });
}

/** Runs a raw query and returns its rows, whichever driver answers (PGlite and node-postgres shape results apart). */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(res) ? res : (res.rows ?? []);
}

/**
 * Awaits Drizzle queries one after another. They are lazy until awaited, so `Promise.all` would send them
 * at once, which a transaction's single PostgreSQL connection does not allow (pg warns now, refuses in v9).
 */
export async function inOrder<T extends unknown[]>(...queries: { [K in keyof T]: PromiseLike<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as T;
}

/**
 * Memory a sort or hash of the embedded database may use before it spills to temporary files. PostgreSQL's default
 * (4 MB) is sized for many backends at once; PGlite is one backend running one query at a time, and its temporary
 * files go through the WebAssembly file layer (a file created, written, sought and read back for each spilling query):
 * sorting a list of organisations by name spilled on every request.
 */
const PGLITE_WORK_MEM = '32MB';

/** how long the embedded database must have been idle for `quiet` to resolve */
const QUIET_MS = 20;

/**
 * Counts the embedded database's queries in flight (its query, exec and transaction calls, which is how drizzle
 * reaches it) and when the last ended; `quiet` waits for a pause in them.
 */
function activityGate(client: { query: unknown; exec: unknown; transaction: unknown }) {
  let inFlight = 0;
  let lastEnd = performance.now();
  const target = client as unknown as Record<'query' | 'exec' | 'transaction', (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['query', 'exec', 'transaction'] as const) {
    const call = target[m].bind(client);
    target[m] = async (...a: unknown[]) => {
      inFlight++;
      try {
        return await call(...a);
      } finally {
        inFlight--;
        lastEnd = performance.now();
      }
    };
  }
  const quiet = async (maxMs: number) => {
    const until = performance.now() + maxMs;
    for (;;) {
      const now = performance.now();
      const idle = inFlight === 0 ? now - lastEnd : 0;
      if (idle >= QUIET_MS || now >= until) return;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, Math.min(until - now, inFlight ? 5 : QUIET_MS - idle))));
    }
  };
  return { quiet };
}
