import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/client.ts';
import type { RequestContext } from '../core/context.ts';
import { decodeCursor, paginate } from '../core/pagination.ts';
import { AppError } from '../core/errors.ts';
import { authorize } from '../access/roles.ts';
import { recordAudit } from '../features/audit/audit.service.ts';
import { JOB_STATES, type Job, type JobListQuery, type JobState } from './jobs.contract.ts';
import type { Jobs } from './jobs.ts';

// The admin jobs page: what is queued, running, failed (with its error), and retrying or cancelling one. Read
// from pg-boss's own table (pgboss.job, schema version 24), where jobs stay until archived: completed ones a
// day, failed ones two weeks (jobs.ts). pg-boss's internal queues (its cron) are left out.

type JobRow = {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  retry_count: number;
  retry_limit: number;
  created_on: Date | string;
  start_after: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  output: unknown;
  created_us: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_INTERNAL = sql`name NOT LIKE '\\_\\_pgboss\\_\\_%'`;
const COLUMNS = sql`id::text AS id, name, state::text AS state, data, retry_count, retry_limit, created_on, start_after, started_on, completed_on, output,
  (extract(epoch FROM created_on) * 1000000)::bigint::text AS created_us`;

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The message of a failure as pg-boss stored it: a serialized Error, or { value } for a plain one. */
function errorOf(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const o = output as { message?: unknown; value?: unknown };
  if (typeof o.message === 'string') return o.message;
  if (typeof o.value === 'string') return o.value;
  if (o.value && typeof o.value === 'object' && typeof (o.value as { message?: unknown }).message === 'string') return (o.value as { message: string }).message;
  return null;
}

function toJob(jobs: Jobs, r: JobRow): Job {
  const def = jobs.definition(r.name);
  let subject: string | null = null;
  try {
    subject = def?.subject?.(r.data) ?? null;
  } catch {
    subject = null;
  }
  const attempts = r.started_on === null ? 0 : Number(r.retry_count) + 1;
  const failedBefore = r.state === 'retry' || r.state === 'failed' || (r.state === 'active' && attempts > 1);
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    subject,
    attempts,
    maxAttempts: Number(r.retry_limit) + 1,
    createdAt: iso(r.created_on)!,
    runAfter: iso(r.start_after)!,
    startedAt: iso(r.started_on),
    completedAt: iso(r.completed_on),
    error: failedBefore ? errorOf(r.output) : null,
    result: r.state === 'completed' && r.output && typeof r.output === 'object' ? (r.output as Record<string, unknown>) : null,
  };
}

export async function listJobs(db: Db, ctx: RequestContext, jobs: Jobs, q: JobListQuery) {
  authorize(ctx.actor, 'jobs.manage');
  const cur = decodeCursor(q.cursor, 2, ([us, id]) => /^\d{1,20}$/.test(String(us)) && UUID.test(String(id)));
  const byName: SQL[] = [NOT_INTERNAL];
  if (q.name) byName.push(sql`name = ${q.name}`);
  const where = [...byName];
  if (q.state === 'queued') where.push(sql`state IN ('created', 'retry')`);
  else if (q.state) where.push(sql`state = ${q.state}::pgboss.job_state`);
  // newest first; the cursor compares at microseconds (what the table keeps)
  if (cur) where.push(sql`((extract(epoch FROM created_on) * 1000000)::bigint, id) < (${String(cur[0])}::bigint, ${String(cur[1])}::uuid)`);
  const found = await rows<JobRow>(
    db,
    sql`SELECT ${COLUMNS} FROM pgboss.job WHERE ${sql.join(where, sql` AND `)}
        ORDER BY created_on DESC, id DESC LIMIT ${q.limit + 1}`,
  );
  const counted = await rows<{ state: JobState; n: string | number }>(
    db,
    sql`SELECT state::text AS state, count(*) AS n FROM pgboss.job WHERE ${sql.join(byName, sql` AND `)} GROUP BY state`,
  );
  const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const c of counted) counts[c.state] = Number(c.n);
  const page = paginate(found, q.limit, (r) => [r.created_us, r.id]);
  return { items: page.items.map((r) => toJob(jobs, r)), nextCursor: page.nextCursor, counts, names: jobs.names.slice().sort() };
}

async function findJob(db: Db, id: string, lock = false): Promise<JobRow> {
  const [row] = UUID.test(id)
    ? await rows<JobRow>(db, sql`SELECT ${COLUMNS} FROM pgboss.job WHERE id = ${id}::uuid AND ${NOT_INTERNAL}${lock ? sql` FOR UPDATE` : sql``}`)
    : [];
  if (!row) throw new AppError('not_found', 'job_not_found', 'No such job (or it has been archived).');
  return row;
}

export async function getJob(db: Db, ctx: RequestContext, jobs: Jobs, id: string): Promise<Job> {
  authorize(ctx.actor, 'jobs.manage');
  return toJob(jobs, await findJob(db, id));
}

/** A failed (or cancelled) job, queued again for one more try. */
export async function retryJob(db: Db, ctx: RequestContext, jobs: Jobs, id: string): Promise<Job> {
  authorize(ctx.actor, 'jobs.manage');
  await db.transaction(async (tx) => {
    const job = await findJob(tx, id, true);
    if (job.state !== 'failed' && job.state !== 'cancelled') {
      throw new AppError('conflict', 'job_not_failed', `Only a failed or cancelled job can be retried; this one is ${job.state}.`);
    }
    await jobs.retry(tx, job.name, job.id, job.state);
    await recordAudit(tx, ctx, { action: 'job.retry', entityType: 'job', entityId: job.id, detail: { name: job.name, before: job.state } });
  });
  return toJob(jobs, await findJob(db, id));
}

/** A queued job (not yet running) cancelled: it will not run. */
export async function cancelJob(db: Db, ctx: RequestContext, jobs: Jobs, id: string): Promise<Job> {
  authorize(ctx.actor, 'jobs.manage');
  await db.transaction(async (tx) => {
    const job = await findJob(tx, id, true);
    if (job.state !== 'created' && job.state !== 'retry') {
      throw new AppError('conflict', 'job_not_queued', `Only a queued job can be cancelled; this one is ${job.state}.`);
    }
    await jobs.cancel(tx, job.name, job.id, job.data);
    await recordAudit(tx, ctx, { action: 'job.cancel', entityType: 'job', entityId: job.id, detail: { name: job.name, before: job.state } });
  });
  return toJob(jobs, await findJob(db, id));
}
