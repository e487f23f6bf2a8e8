import { createRoute } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { IdParamSchema, json, newRouter, problems } from '../http/openapi.ts';
import { JobListQuerySchema, JobListSchema, JobSchema } from './jobs.contract.ts';
import { cancelJob, getJob, listJobs, retryJob } from './jobs.service.ts';
import type { Jobs } from './jobs.ts';

const tags = ['Jobs'];

/** Background jobs for administrators: what is queued, running and failed, with the error; retry or cancel. */
export function jobsRoutes({ db, jobs }: { db: Db; jobs: Jobs }) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listJobs',
      path: '/jobs',
      tags,
      summary: 'Background jobs, newest first, by state and name, with counts per state (admins)',
      request: { query: JobListQuerySchema },
      responses: { 200: json(JobListSchema, 'Jobs'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await listJobs(db, c.get('ctx'), jobs, c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getJob',
      path: '/jobs/{id}',
      tags,
      summary: 'One background job: its state, tries and last error (admins)',
      request: { params: IdParamSchema },
      responses: { 200: json(JobSchema, 'The job'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await getJob(db, c.get('ctx'), jobs, c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'retryJob',
      path: '/jobs/{id}/retry',
      tags,
      summary: 'Queue a failed (or cancelled) job again for one more try (admins; audited)',
      request: { params: IdParamSchema },
      responses: { 200: json(JobSchema, 'The job, queued'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await retryJob(db, c.get('ctx'), jobs, c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'cancelJob',
      path: '/jobs/{id}',
      tags,
      summary: 'Cancel a queued job, one not running yet (admins; audited). The job is kept, cancelled; retry brings it back',
      request: { params: IdParamSchema },
      responses: { 200: json(JobSchema, 'The job, cancelled'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await cancelJob(db, c.get('ctx'), jobs, c.req.valid('param').id), 200),
  );

  return r;
}
