import { and, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { authorize, type Actor, type Role } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ImportRunDto } from './imports.contract.ts';
import { importRun, importRunItem } from './imports.schema.ts';

// Long imports as durable jobs (docs/network.md, "Long imports"). The embedded database has one connection and a
// transaction holds it: an import of 10,000 rows in one transaction made every other request wait for it. So the
// whole input is validated first (no write), then written chunk by chunk, each chunk in a short transaction
// together with the run's progress: a crash resumes after the last chunk that committed and never writes one
// twice; between chunks other requests go first.
//
// Each kind of import (the Network CSV, a Pol.is export, a message test's panel CSV) is an Importer: it prepares
// (parses and validates the stored input against the database as it is now: again at every resume), writes units
// [from, to) of its plan, finishes (the audit entry, the summary), and may undo what a failed run wrote.

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** the import_run to write (or to go on writing after a crash) */
    'imports.run': { runId: string };
  }
}

export type ImportKind = 'network' | 'polis' | 'study';
export type RunRow = typeof importRun.$inferSelect;
/** A run without its input (megabytes for a large file): what following it and showing it need. */
export type RunSummary = Omit<RunRow, 'input'>;
const { input: _input, ...summaryColumns } = getTableColumns(importRun);

/** The run cannot go on: the data changed under it, or its input no longer validates. Not retried. */
export class ImportStopped extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type Importer<P> = {
  /** units (rows, participants, votes…) per chunk to start with; the runner then sizes chunks to CHUNK_MS */
  chunk: number;
  /** parses and validates the stored input against the database now (no write); throws to stop the run */
  prepare(db: Db, run: RunRow, ctx: RequestContext): Promise<P & { total: number }>;
  /** writes units [from, to) in `tx`, the chunk's transaction; what it counts as created and updated */
  write(tx: Db, run: RunRow, prepared: P, ctx: RequestContext, from: number, to: number): Promise<{ created?: number; updated?: number }>;
  /** in the last transaction, after the last chunk: the audit entry and the run's summary */
  finish(tx: Db, run: RunRow, prepared: P, ctx: RequestContext): Promise<Record<string, unknown>>;
  /** after a failure: removes what the run wrote, in short transactions (resumable); what to report */
  undo?(db: Db, run: RunRow): Promise<Record<string, unknown>>;
};

export type Importers = Record<ImportKind, Importer<any>>;

/**
 * A chunk's transaction should hold the embedded database about this long (others wait at most that, well under the
 * 1 s a request may wait); between chunks, others go first. Longer chunks write faster (each statement has a cost of
 * its own), shorter ones make others wait less.
 */
const CHUNK_MS = 100;
const MIN_CHUNK = 10;
const MAX_CHUNK = 20_000;

/** The account that started the run, with its rights now (disabled, deleted or demoted: the run stops). */
async function runContext(db: Db, run: RunRow): Promise<RequestContext> {
  const [u] = run.createdBy ? await db.select().from(user).where(eq(user.id, run.createdBy)) : [];
  if (!u || u.disabled) throw new ImportStopped('importer_gone', 'The account that started this import is disabled or gone: nothing more was written.');
  const actor: Actor = {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as Role,
    locale: String(u.locale),
    timeZone: String(u.timeZone),
    twoFactorEnabled: !!u.twoFactorEnabled,
    sessionId: `import:${run.id}`,
    createdAt: new Date(u.createdAt).toISOString(),
  };
  return { actor, ip: run.ip ?? '', userAgent: run.userAgent ?? '' };
}

/** What a failure says: AppError and ImportStopped are the data's; integrity errors the database's (data changed). */
function describe(err: unknown): { permanent: boolean; code: string; message: string; detail: Record<string, unknown> } {
  if (err instanceof ImportStopped) return { permanent: true, code: err.code, message: err.message, detail: err.detail };
  if (err instanceof AppError) return { permanent: true, code: err.code, message: err.message, detail: err.errors ? { errors: err.errors } : {} };
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string; detail?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  // SQLSTATE 22 (data exception) and 23 (integrity constraint violation): the data changed under the run
  if (typeof code === 'string' && /^2[23]/.test(code)) return { permanent: true, code: 'data_changed', message: `The database refused a chunk: ${message}`, detail: {} };
  return { permanent: false, code: 'failed', message, detail: {} };
}

export class ImportInterrupted extends Error {
  constructor() {
    super('The server is stopping: the import goes on from its last chunk when the job runs again.');
  }
}

/**
 * Writes (or goes on writing) a run, chunk by chunk. Returns when the run has ended (done or failed); throws when
 * it should be tried again (the server stopping, a lost connection): the job retries and resumes.
 */
export async function runImport(
  db: Db,
  runId: string,
  importers: Importers,
  opts: { signal?: AbortSignal; lastTry?: boolean; quiet?: (maxMs: number) => Promise<void>; log?: (line: string) => void } = {},
): Promise<{ state: string; done: number; total: number }> {
  // between chunks: until the database is quiet (requests first), but never longer than the chunk took (the run
  // keeps at least half of a busy database); without a gate, a short pause
  const rest = opts.quiet ?? ((maxMs: number) => new Promise<void>((r) => setTimeout(r, Math.min(60, Math.max(15, maxMs / 4)))));
  const [run] = await db.select().from(importRun).where(eq(importRun.id, runId));
  if (!run) return { state: 'gone', done: 0, total: 0 };
  const importer = importers[run.kind as ImportKind];
  if (run.state === 'undoing') return undoRun(db, run, importer);
  if (run.state !== 'queued' && run.state !== 'running') return { state: run.state, done: run.done, total: run.total };
  try {
    const ctx = await runContext(db, run);
    const prepared = await importer.prepare(db, run, ctx);
    if (prepared.total !== run.total) {
      throw new ImportStopped('data_changed', `The import now has ${prepared.total} units to write instead of ${run.total}: the data changed since it was checked.`);
    }
    opts.log?.(`Import ${run.id} (${run.kind}): ${run.done === 0 ? 'writing' : `resuming after ${run.done} of`} ${run.total} units`);
    if (run.state === 'queued') {
      await db.update(importRun).set({ state: 'running', startedAt: new Date() }).where(and(eq(importRun.id, runId), eq(importRun.state, 'queued')));
    }
    let size = importer.chunk;
    for (;;) {
      if (opts.signal?.aborted) throw new ImportInterrupted();
      // timed with its BEGIN and COMMIT (the commit writes the chunk out): about what it holds the database for
      const started = performance.now();
      const step = await db.transaction(async (tx) => {
        // the run's row, locked: two tries of the same job never write the same chunk
        const [cur] = await tx.select({ done: importRun.done, state: importRun.state }).from(importRun).where(eq(importRun.id, runId)).for('update');
        if (!cur || cur.state !== 'running') return 'stopped' as const;
        if (cur.done >= run.total) return 'written' as const;
        const to = Math.min(run.total, cur.done + size);
        const counts = await importer.write(tx, run, prepared, ctx, cur.done, to);
        await tx
          .update(importRun)
          .set({ done: to, created: sql`${importRun.created} + ${counts.created ?? 0}`, updated: sql`${importRun.updated} + ${counts.updated ?? 0}` })
          .where(eq(importRun.id, runId));
        return to >= run.total ? ('written' as const) : ('more' as const);
      });
      if (step === 'stopped') {
        const [now] = await db.select(summaryColumns).from(importRun).where(eq(importRun.id, runId));
        return { state: now?.state ?? 'gone', done: now?.done ?? 0, total: run.total };
      }
      if (step === 'written') break;
      const held = performance.now() - started;
      // the next chunk sized to take about CHUNK_MS; then a rest, so that a request's few queries all go before it
      size = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, size * 2, Math.round((size * CHUNK_MS) / Math.max(held, 1))));
      await rest(Math.max(50, held));
    }
    await db.transaction(async (tx) => {
      const [cur] = await tx.select({ state: importRun.state }).from(importRun).where(eq(importRun.id, runId)).for('update');
      if (cur?.state !== 'running') return;
      const result = await importer.finish(tx, run, prepared, ctx);
      await tx.update(importRun).set({ state: 'done', result, input: null, finishedAt: new Date() }).where(eq(importRun.id, runId));
    });
    return { state: 'done', done: run.total, total: run.total };
  } catch (err) {
    if (err instanceof ImportInterrupted) throw err;
    const d = describe(err);
    if (!d.permanent && !opts.lastTry) throw err;
    return failRun(db, runId, importer, d);
  }
}

async function failRun(db: Db, runId: string, importer: Importer<unknown>, d: ReturnType<typeof describe>) {
  const [run] = await db.select().from(importRun).where(eq(importRun.id, runId));
  if (!run) return { state: 'gone', done: 0, total: 0 };
  const error = { code: d.code, message: d.message, ...d.detail };
  await db.transaction(async (tx) => {
    await tx
      .update(importRun)
      .set({ state: importer.undo ? 'undoing' : 'failed', error, input: null, finishedAt: importer.undo ? null : new Date() })
      .where(eq(importRun.id, runId));
    await recordAudit(tx, { actor: null, ip: run.ip ?? '', userAgent: run.userAgent ?? '' }, {
      action: 'import.fail',
      entityType: 'import_run',
      entityId: runId,
      actorId: run.createdBy,
      actorEmail: null,
      detail: { kind: run.kind, target: run.target, written: run.done, total: run.total, code: d.code, message: d.message.slice(0, 500) },
    });
  });
  if (importer.undo) return undoRun(db, { ...run, error }, importer);
  return { state: 'failed', done: run.done, total: run.total };
}

async function undoRun(db: Db, run: RunRow, importer: Importer<unknown>) {
  const undone = await importer.undo!(db, run);
  await db
    .update(importRun)
    .set({ state: 'failed', error: { ...(run.error ?? {}), undone: true, ...undone }, finishedAt: new Date() })
    .where(eq(importRun.id, run.id));
  return { state: 'failed', done: run.done, total: run.total };
}

/**
 * A new run and its job, in the caller's transaction (with the audit entry of the request): the job exists if
 * and only if the run does. The job's id is the run's.
 */
export async function startRun(
  tx: Db,
  ctx: RequestContext,
  jobs: Jobs,
  run: { kind: ImportKind; target: string; input: Record<string, unknown>; total: number; id?: string },
): Promise<RunSummary> {
  const actor = ctx.actor!;
  const [row] = await tx
    .insert(importRun)
    .values({ ...(run.id ? { id: run.id } : {}), kind: run.kind, target: run.target, input: run.input, total: run.total, createdBy: actor.id, ip: ctx.ip, userAgent: ctx.userAgent.slice(0, 500) })
    .returning(summaryColumns);
  await recordAudit(tx, ctx, { action: 'import.start', entityType: 'import_run', entityId: row!.id, detail: { kind: run.kind, target: run.target, total: run.total } });
  await jobs.enqueue(tx, 'imports.run', { runId: row!.id }, { id: row!.id });
  return row!;
}

/** The run, for the account that started it or an administrator (anyone else: 404). */
export async function readRun(db: Db, ctx: RequestContext, id: string): Promise<RunSummary> {
  authorize(ctx.actor, 'pillars.read');
  const [run] = /^[0-9a-f-]{36}$/i.test(id) ? await db.select(summaryColumns).from(importRun).where(eq(importRun.id, id)) : [];
  if (!run || (run.createdBy !== ctx.actor.id && ctx.actor.role !== 'admin')) throw new AppError('not_found', 'import_not_found', 'No such import.');
  return run;
}

/** rows of a run's items read at a time: 50,000 at once hold the embedded database (and the thread) for a second */
const ITEMS_PAGE = 2_000;

/** A Network run's records by row, read a page at a time (other requests go between the pages). */
async function runItems(db: Db, runId: string) {
  const out: { row: number; id: string; action: 'create' | 'update' }[] = [];
  for (let after = -1; ; ) {
    const page = await db
      .select({ row: importRunItem.row, id: importRunItem.recordId, action: importRunItem.action })
      .from(importRunItem)
      .where(and(eq(importRunItem.runId, runId), gt(importRunItem.row, after)))
      .orderBy(importRunItem.row)
      .limit(ITEMS_PAGE);
    for (const i of page) out.push({ row: i.row, id: i.id, action: i.action as 'create' | 'update' });
    if (page.length < ITEMS_PAGE) return out;
    after = page[page.length - 1]!.row;
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A run as the API shows it; a Network import's records by row once it has ended. */
export async function runDto(db: Db, run: RunSummary): Promise<ImportRunDto> {
  const ended = run.state === 'done' || run.state === 'failed';
  const items = run.kind === 'network' && ended ? await runItems(db, run.id) : null;
  return {
    id: run.id,
    kind: run.kind as ImportKind,
    target: run.target,
    state: run.state as ImportRunDto['state'],
    total: run.total,
    done: run.done,
    created: run.created,
    updated: run.updated,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    result: run.state === 'done' ? { ...(run.result ?? {}), ...(items ? { ids: items } : {}) } : null,
    error: run.error ?? null,
    written: run.state === 'failed' ? items : null,
  };
}

/** The job that writes runs; and, at start, a job for every unfinished run that has none (after a restore). */
export function defineImportJobs(jobs: Jobs, deps: { db: Db; importers: Importers; log?: (line: string) => void; quiet?: (maxMs: number) => Promise<void> }): void {
  jobs.define('imports.run', {
    handler: async ({ runId }, job) => runImport(deps.db, runId, deps.importers, { signal: job.signal, lastTry: job.attempt >= job.attempts, log: deps.log, quiet: deps.quiet }),
    retryLimit: 10,
    retryDelaySeconds: 5,
    // a run may take long; a server that dies is noticed sooner (jobs.ts), so this is the last resort
    expireInSeconds: 6 * 3600,
    subject: (d) => d.runId,
    // an administrator cancelled the queued job: the run ends, its file is deleted, and what a retry-waiting run
    // already wrote is undone by a job of its own where the kind undoes (Pol.is, panel), else kept and named
    cancelled: async (tx, { runId }) => {
      const [run] = await tx.select({ kind: importRun.kind, done: importRun.done, state: importRun.state }).from(importRun).where(eq(importRun.id, runId)).for('update');
      if (!run || (run.state !== 'queued' && run.state !== 'running')) return;
      const error = { code: 'cancelled', message: 'An administrator cancelled the import’s job.' };
      const undo = run.done > 0 && !!deps.importers[run.kind as ImportKind].undo;
      await tx
        .update(importRun)
        .set(undo ? { state: 'undoing', error, input: null } : { state: 'failed', error, input: null, finishedAt: new Date() })
        .where(eq(importRun.id, runId));
      if (undo) await jobs.enqueue(tx, 'imports.run', { runId });
    },
  });
}

/**
 * Unfinished runs get a job again when theirs is gone (emptied by a restore) or has ended (its tries used up by
 * restarts): called at start. A job still queued or running is left as it is.
 */
export async function resumeRuns(db: Db, jobs: Jobs): Promise<number> {
  const open = await db.select({ id: importRun.id }).from(importRun).where(inArray(importRun.state, ['queued', 'running', 'undoing']));
  let n = 0;
  for (const r of open) {
    await db.transaction(async (tx) => {
      const [job] = await rows<{ state: string }>(tx, sql`SELECT state::text AS state FROM pgboss.job WHERE name = 'imports.run' AND id = ${r.id}::uuid FOR UPDATE`);
      if (!job) await jobs.enqueue(tx, 'imports.run', { runId: r.id }, { id: r.id });
      // (a job an admin cancelled stays cancelled: retrying it on the jobs page resumes the run)
      else if (job.state === 'failed') await jobs.retry(tx, 'imports.run', r.id, job.state);
      else if (job.state === 'completed') await jobs.enqueue(tx, 'imports.run', { runId: r.id });
      else return;
      n++;
    });
  }
  return n;
}
