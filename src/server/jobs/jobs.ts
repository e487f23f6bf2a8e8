import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { rows, type Db } from '../db/client.ts';
import { drizzleExecutor, pgliteExecutor, poolExecutor, type SqlExecutor } from './adapters.ts';

// Durable background jobs (docs/decisions/003-durable-jobs.md): pg-boss 10 on the app's own database, PGlite or
// PostgreSQL. A job is a row in pgboss.job: it is written in the caller's transaction (it exists if and only if
// the write that asked for it committed), taken by one worker across every server (FOR UPDATE SKIP LOCKED),
// retried with exponential backoff, and kept, failed, with its error for an administrator to see and retry.
//
// Waking: enqueue() also sends NOTIFY convene_jobs in the same transaction; PostgreSQL (and PGlite) deliver it
// at commit, to every server, which wakes its worker for that queue at once. Polling every few seconds
// remains for retries and delayed jobs.
//
// A server that dies mid-job: on the embedded database only one server uses the data folder, so at start every
// job still "active" from before this process is handed back. On PostgreSQL each running job holds an advisory
// lock on a connection of its server; PostgreSQL drops the lock with the connection when the server dies, and
// any server then finds the job active with nobody holding its lock and hands it back (within seconds, not
// pg-boss's expiry). Handlers must be safe to run again after a crash (imports record their progress in the
// transaction of each chunk).

/**
 * The data each job name carries. Features add their names with declaration merging:
 *   declare module '../../jobs/jobs.ts' { interface JobPayloads { 'dialogues.translate': { statementIds: string[] } } }
 */
// biome-ignore lint: an interface to merge into
export interface JobPayloads {}
export type JobName = keyof JobPayloads & string;

export type JobRun = {
  id: string;
  name: string;
  /** 1 for the first try */
  attempt: number;
  /** tries in all: the first, then retryLimit more */
  attempts: number;
  /** aborted when the server stops: finish soon (a long job stops between steps and throws, to be resumed) */
  signal: AbortSignal;
};

export type JobDefinition<D> = {
  handler: (data: D, run: JobRun) => Promise<Record<string, unknown> | void>;
  /** tries after the first one fails (default 5), each after retryDelaySeconds × 2^n (with jitter) */
  retryLimit?: number;
  /** default 10 */
  retryDelaySeconds?: number;
  /** a try still running after this long is failed and tried again (default 15 minutes; at most 23 hours) */
  expireInSeconds?: number;
  /** tries run at once on one server (default 1) */
  concurrency?: number;
  /** cron expression (UTC): the job is enqueued on this schedule, once across all servers */
  schedule?: string;
  /** what the admin jobs page shows of a job: a record id, an address… never the raw data (it may hold a link) */
  subject?: (data: D) => string | null;
  /**
   * What cancelling a queued job also ends, in the cancel's transaction: the work the job stood for (an import run
   * is ended and its stored file deleted), so that nothing waits, holding personal data, for a job that will not run.
   */
  cancelled?: (tx: Db, data: D) => Promise<void>;
};

export type EnqueueOptions = {
  /** the job's id (a UUID): a second enqueue with the same id while the first is kept is ignored */
  id?: string;
  /** run no earlier than this many seconds from now */
  startAfterSeconds?: number;
  retryLimit?: number;
};

export type JobsOptions = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** false: this instance enqueues only (no workers, no schedules, no maintenance); default true */
  work?: boolean;
  /** seconds between looks for due jobs when no notification came (retries, delayed jobs); default 2 */
  pollingIntervalSeconds?: number;
  /** seconds a job may stay active with no live server holding it before another hands it back (PostgreSQL); default 10 */
  orphanGraceSeconds?: number;
  log?: (message: string, err?: unknown) => void;
};

export const JOB_SCHEMA = 'pgboss';
const CHANNEL = 'convene_jobs';
const INTERNAL = '__pgboss__';
/** the advisory-lock namespace of running jobs (the second key is hashtext of the job id) */
const LOCK_SPACE = sql`hashtext('convene.jobs')`;

type Defined = { name: string; def: JobDefinition<any> };
/** pg-boss's retry, resume and cancel answer how many jobs they changed (its typings say void) */
type Command = (name: string, id: string, options: { db: SqlExecutor }) => Promise<{ affected: number }>;

export class Jobs {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  readonly work: boolean;
  readonly #boss: PgBoss;
  readonly #defs = new Map<string, Defined>();
  readonly #workers = new Map<string, string[]>();
  readonly #running = new Map<string, Promise<unknown>>();
  readonly #abort = new AbortController();
  readonly #log: (message: string, err?: unknown) => void;
  readonly #polling: number;
  readonly #grace: number;
  #bossPool?: pg.Pool;
  /** PostgreSQL: one connection that LISTENs and holds the advisory lock of every job running here */
  #holder?: pg.Client;
  #holderUp = false;
  #holderQueue: Promise<unknown> = Promise.resolve();
  #unlisten?: () => Promise<void>;
  #reaper?: NodeJS.Timeout;
  #state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  /** the start under way or done (a server starts its jobs once it listens, and may be stopped meanwhile) */
  #started?: Promise<void>;

  constructor(opts: JobsOptions) {
    this.db = opts.db;
    this.kind = opts.kind;
    this.work = opts.work ?? true;
    this.#polling = opts.pollingIntervalSeconds ?? 2;
    this.#grace = opts.orphanGraceSeconds ?? 10;
    this.#log = opts.log ?? ((m, e) => console.error(m, e ?? ''));
    let executor: SqlExecutor;
    const client = (opts.db as unknown as { $client: unknown }).$client;
    if (opts.kind === 'pglite') {
      executor = pgliteExecutor(client as PGlite);
    } else {
      // a small pool of its own: polling and maintenance never wait for, nor take, a connection requests need
      const appPool = client as pg.Pool;
      this.#bossPool = new pg.Pool({ ...appPool.options, max: 2, application_name: 'convene-jobs' });
      this.#bossPool.on('error', (err) => this.#log('Jobs: a PostgreSQL connection was lost:', err.message));
      executor = poolExecutor(this.#bossPool);
    }
    // pg-boss completes or fails a job without awaiting it: after stop() (the pool ended, the database closed) that
    // would be an unhandled rejection; the job is then handed back by the next start, as after a crash
    const guarded: SqlExecutor = {
      executeSql: async (text, values) => {
        try {
          return await executor.executeSql(text, values);
        } catch (err) {
          if (this.#state === 'stopping' || this.#state === 'stopped') return { rows: [] };
          throw err;
        }
      },
    };
    this.#boss = new PgBoss({
      db: guarded,
      schema: JOB_SCHEMA,
      migrate: true,
      supervise: this.work,
      schedule: this.work,
      // expiry, archiving and dropping: once across servers, every two minutes
      maintenanceIntervalSeconds: 120,
      // completed jobs stay listed for a day, failed ones for two weeks (then archived, and dropped a week later)
      archiveCompletedAfterSeconds: 24 * 3600,
      archiveFailedAfterSeconds: 14 * 24 * 3600,
      deleteAfterDays: 7,
      cronMonitorIntervalSeconds: 30,
    } as PgBoss.ConstructorOptions);
    this.#boss.on('error', (err: unknown) => this.#log('Jobs:', err));
  }

  /** Registers a job name and its handler (before start). */
  define<N extends JobName>(name: N, def: JobDefinition<JobPayloads[N]>): void {
    if (this.#state !== 'new') throw new Error(`Jobs: define ${name} before start()`);
    if (this.#defs.has(name)) throw new Error(`Jobs: ${name} is defined twice`);
    this.#defs.set(name, { name, def });
  }

  definition(name: string): JobDefinition<unknown> | undefined {
    return this.#defs.get(name)?.def;
  }

  get names(): string[] {
    return [...this.#defs.keys()];
  }

  /** Creates or upgrades the queue's tables and queues; with `work`, starts the workers and schedules. */
  start(): Promise<void> {
    if (this.#state !== 'new') return this.#started ?? Promise.resolve();
    this.#state = 'starting';
    this.#started = this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    // servers starting at once on one PostgreSQL take turns: two creating queues together deadlock (each queue is a
    // partition of pgboss.job with a foreign key to pgboss.queue, which the other's insert holds)
    const release = await this.#setupLock();
    try {
      await this.#setUp();
    } finally {
      await release();
    }
    if (this.work) {
      if (this.kind === 'postgres') await this.#connectHolder();
      else await this.#listenPglite();
      await this.#recoverOrphans();
      for (const { name, def } of this.#defs.values()) {
        const ids: string[] = [];
        for (let i = 0; i < (def.concurrency ?? 1); i++) {
          ids.push(
            await this.#boss.work(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.#polling }, (jobs) =>
              this.#run(name, def, jobs[0] as PgBoss.JobWithMetadata),
            ),
          );
        }
        this.#workers.set(name, ids);
      }
      if (this.kind === 'postgres') {
        this.#reaper = setInterval(() => void this.#recoverOrphans().catch((err) => this.#log('Jobs: handing back jobs of stopped servers failed:', err)), 5_000);
        this.#reaper.unref();
      }
    }
    this.#state = 'started';
  }

  /** pg-boss's schema (created or upgraded) and every queue with its options and schedule. */
  async #setUp(): Promise<void> {
    await this.#boss.start();
    for (const { name, def } of this.#defs.values()) {
      const options = {
        policy: 'standard' as const,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: Math.max(1, def.retryDelaySeconds ?? 10),
        retryBackoff: true,
        expireInSeconds: Math.min(def.expireInSeconds ?? 15 * 60, 23 * 3600),
      };
      await this.#boss.createQueue(name, { name, ...options });
      // a queue keeps the options it was created with: later versions' options apply from here
      await this.#boss.updateQueue(name, { name, ...options });
      if (def.schedule) await this.#boss.schedule(name, def.schedule, {}, { tz: 'UTC' });
      else await this.#boss.unschedule(name);
    }
  }

  /**
   * PostgreSQL: a session-level advisory lock on a connection of the job pool, held while this server sets the
   * queues up; the returned function releases it. Nothing to do on the embedded database (one connection).
   */
  async #setupLock(): Promise<() => Promise<void>> {
    if (!this.#bossPool) return async () => {};
    const c = await this.#bossPool.connect();
    try {
      await c.query(`SELECT pg_advisory_lock(hashtext('convene.jobs.setup'), 0)`);
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
    return async () => {
      try {
        await c.query(`SELECT pg_advisory_unlock(hashtext('convene.jobs.setup'), 0)`);
        c.release();
      } catch (err) {
        // a lost connection released the lock with it
        c.release(err as Error);
      }
    };
  }

  /**
   * Adds a job in `tx`'s transaction (or at once, given the database itself): it exists if and only if the
   * transaction commits. Returns its id (null when `options.id` is already taken).
   */
  async enqueue<N extends JobName>(tx: Db, name: N, data: JobPayloads[N], options: EnqueueOptions = {}): Promise<string | null> {
    if (!this.#defs.has(name)) throw new Error(`Jobs: no job named ${name}`);
    const id = await this.#boss.send(name, data as object, {
      ...(options.id ? { id: options.id } : {}),
      // an instant, not a number of seconds: pg-boss binds a number to a timestamptz parameter too, which fails
      ...(options.startAfterSeconds ? { startAfter: new Date(Date.now() + Math.ceil(options.startAfterSeconds) * 1000) } : {}),
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
      db: drizzleExecutor(tx),
    });
    // delivered at commit, to every server (nothing if the transaction rolls back)
    await tx.execute(sql`SELECT pg_notify(${CHANNEL}, ${name})`);
    return id;
  }

  /** A failed or cancelled job queued again (in `tx`'s transaction). False when it is in neither state. */
  async retry(tx: Db, name: string, id: string, state: string): Promise<boolean> {
    const executor = { db: drizzleExecutor(tx) };
    const res = await (this.#boss[state === 'cancelled' ? 'resume' : 'retry'] as unknown as Command)(name, id, executor);
    if (res.affected > 0) await tx.execute(sql`SELECT pg_notify(${CHANNEL}, ${name})`);
    return res.affected > 0;
  }

  /** A queued job (created or waiting to retry) cancelled in `tx`'s transaction, with what its definition ends. */
  async cancel(tx: Db, name: string, id: string, data: unknown): Promise<boolean> {
    const res = await (this.#boss.cancel as unknown as Command)(name, id, { db: drizzleExecutor(tx) });
    if (res.affected > 0) await this.#defs.get(name)?.def.cancelled?.(tx, data);
    return res.affected > 0;
  }

  /**
   * Stops taking jobs, lets those running finish for up to `timeoutMs` (their signal is aborted at once, so long
   * ones stop at their next step), then hands back the ones still running (failed, to be retried). Does not
   * close the database.
   */
  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#state === 'new') {
      this.#state = 'stopped';
      await this.#bossPool?.end();
      return;
    }
    // stopped while starting (a server told to stop as it starts): the start finishes first, then is undone
    if (this.#state === 'starting') await this.#started?.catch(() => {});
    if (this.#state === 'stopping' || this.#state === 'stopped') return;
    this.#state = 'stopping';
    const timeout = opts.timeoutMs ?? 10_000;
    this.#abort.abort();
    if (this.#reaper) clearInterval(this.#reaper);
    try {
      await this.#boss.stop({ graceful: true, wait: true, close: false, timeout });
    } catch (err) {
      this.#log('Jobs: stopping the queue failed:', err);
    }
    // handlers that outlived the timeout were handed back; give them a moment to notice the signal
    const left = [...this.#running.values()];
    if (left.length) await Promise.race([Promise.allSettled(left), new Promise((r) => setTimeout(r, 2_000).unref())]);
    await this.#unlisten?.().catch(() => {});
    if (this.#holder) {
      this.#holderUp = false;
      await this.#holder.end().catch(() => {});
    }
    await this.#bossPool?.end().catch(() => {});
    this.#state = 'stopped';
  }

  /** Jobs running on this server now (their ids). */
  get running(): string[] {
    return [...this.#running.keys()];
  }

  // ---------------------------------------------------------------------------------------------- internals

  #wake(name: string) {
    for (const id of this.#workers.get(name) ?? []) this.#boss.notifyWorker(id);
  }

  async #run(name: string, def: JobDefinition<unknown>, job: PgBoss.JobWithMetadata): Promise<Record<string, unknown> | void> {
    const release = await this.#hold(job.id);
    const run: JobRun = { id: job.id, name, attempt: job.retryCount + 1, attempts: job.retryLimit + 1, signal: this.#abort.signal };
    const p = (async () => {
      try {
        return await def.handler(job.data, run);
      } finally {
        await release();
      }
    })();
    this.#running.set(job.id, p);
    try {
      return await p;
    } finally {
      this.#running.delete(job.id);
      // pg-boss waits a polling interval after each job: look again at once while the queue has more
      this.#wake(name);
    }
  }

  /** PostgreSQL: the job's advisory lock on the holder connection, for as long as it runs here. */
  async #hold(id: string): Promise<() => Promise<void>> {
    if (this.kind !== 'postgres') return async () => {};
    if (!this.#holderUp || !this.#holder) throw new Error('This server has lost its connection to PostgreSQL; the job will be tried again.');
    const holder = this.#holder;
    const onHolder = <T>(f: () => Promise<T>): Promise<T> => {
      const p = this.#holderQueue.then(f, f);
      this.#holderQueue = p.catch(() => {});
      return p;
    };
    await onHolder(() => holder.query(`SELECT pg_advisory_lock(hashtext('convene.jobs'), hashtext($1))`, [id]));
    return async () => {
      if (this.#holder !== holder || !this.#holderUp) return; // the connection, and with it the lock, is gone
      await onHolder(() => holder.query(`SELECT pg_advisory_unlock(hashtext('convene.jobs'), hashtext($1))`, [id])).catch(() => {});
    };
  }

  async #connectHolder(): Promise<void> {
    const appPool = (this.db as unknown as { $client: pg.Pool }).$client;
    const holder = new pg.Client({ ...(appPool.options as pg.ClientConfig), application_name: 'convene-jobs-holder' });
    holder.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.#wake(n.payload);
    });
    holder.on('error', (err) => {
      // the locks of the jobs running here went with the connection: other servers may take those jobs over
      this.#holderUp = false;
      this.#log('Jobs: the connection that holds running jobs was lost; reconnecting:', err.message);
      if (this.#state === 'started' || this.#state === 'starting') {
        setTimeout(() => void this.#connectHolder().catch((e) => this.#log('Jobs: reconnecting failed:', e)), 1_000).unref();
      }
    });
    await holder.connect();
    await holder.query(`LISTEN ${CHANNEL}`);
    this.#holder = holder;
    this.#holderUp = true;
  }

  async #listenPglite(): Promise<void> {
    const client = (this.db as unknown as { $client: PGlite }).$client;
    this.#unlisten = await client.listen(CHANNEL, (payload) => this.#wake(payload));
  }

  /** A job handed back after a crash is tried again at once: the crash was not its fault, no backoff. */
  async #now(tx: Db, name: string, id: string): Promise<void> {
    await tx.execute(sql`UPDATE pgboss.job SET start_after = now() WHERE name = ${name} AND id = ${id}::uuid AND state = 'retry'`);
  }

  /**
   * Jobs left active by a server that is gone, handed back (failed, so that they are retried with their count).
   * Embedded database: those started before this process (only one process uses the data folder). PostgreSQL:
   * those active for a while whose advisory lock nobody holds.
   */
  async #recoverOrphans(): Promise<void> {
    const message = { message: 'The server running this job stopped before it finished; it will be tried again.' };
    if (this.kind === 'pglite') {
      const found = await rows<{ id: string; name: string }>(
        this.db,
        sql`SELECT id::text AS id, name FROM pgboss.job
            WHERE state = 'active' AND name NOT LIKE ${`${INTERNAL}%`} AND started_on < ${new Date(performance.timeOrigin).toISOString()}::timestamptz`,
      );
      for (const j of found) {
        await this.db.transaction(async (tx) => {
          await this.#boss.fail(j.name, j.id, message, { db: drizzleExecutor(tx) });
          await this.#now(tx, j.name, j.id);
        });
      }
      if (found.length) this.#log(`Jobs: ${found.length} job(s) interrupted by the last stop were handed back.`);
      return;
    }
    const candidates = await rows<{ id: string; name: string; started: string }>(
      this.db,
      sql`SELECT id::text AS id, name, started_on::text AS started FROM pgboss.job
          WHERE state = 'active' AND name NOT LIKE ${`${INTERNAL}%`}
            AND started_on < now() - make_interval(secs => ${this.#grace})`,
    );
    for (const c of candidates) {
      if (this.#running.has(c.id)) continue;
      await this.db.transaction(async (tx) => {
        // still the same try, and nobody holds its lock: its server is gone (the row lock keeps other servers out)
        const [orphan] = await rows<{ id: string }>(
          tx,
          sql`SELECT id::text AS id FROM pgboss.job
              WHERE name = ${c.name} AND id = ${c.id}::uuid AND state = 'active' AND started_on = ${c.started}::timestamptz
                AND pg_try_advisory_xact_lock(${LOCK_SPACE}, hashtext(${c.id}))
              FOR UPDATE SKIP LOCKED`,
        );
        if (orphan) {
          await this.#boss.fail(c.name, c.id, message, { db: drizzleExecutor(tx) });
          await this.#now(tx, c.name, c.id);
          await tx.execute(sql`SELECT pg_notify(${CHANNEL}, ${c.name})`);
          this.#log(`Jobs: ${c.name} ${c.id} was running on a server that stopped; handed back.`);
        }
      });
    }
  }
}
