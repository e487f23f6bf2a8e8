import { z } from '@hono/zod-openapi';
import { PageQuerySchema, pageSchema } from '../http/pagination.ts';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobStateSchema = z.enum(JOB_STATES).openapi({
  description:
    'created: queued; retry: failed, waiting to be tried again; active: running; completed; cancelled; failed: every try failed (retry it from here)',
});

export const JobSchema = z
  .object({
    id: z.string(),
    /** e.g. dialogues.translate, accounts.invitation-email, insights.refresh-health, imports.run, platform.retention */
    name: z.string().openapi({ example: 'dialogues.translate' }),
    state: JobStateSchema,
    /** what the job is about (a record id, an email address); never its raw data */
    subject: z.string().nullable(),
    /** tries made so far (a try in progress included) */
    attempts: z.number().int(),
    /** tries allowed in all */
    maxAttempts: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    /** not before this time (a retry's backoff, a delayed job) */
    runAfter: z.string().openapi({ format: 'date-time' }),
    startedAt: z.string().nullable().openapi({ format: 'date-time' }),
    completedAt: z.string().nullable().openapi({ format: 'date-time' }),
    /** the last failure's message (failed, or waiting to retry) */
    error: z.string().nullable(),
    /** what a completed job reported (counts) */
    result: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('Job');

export const JobCountsSchema = z.object(Object.fromEntries(JOB_STATES.map((s) => [s, z.number().int()])) as Record<JobState, z.ZodNumber>).openapi('JobCounts');

export const JobListQuerySchema = PageQuerySchema.extend({
  state: z
    .union([JobStateSchema, z.literal('queued')])
    .optional()
    .openapi({ description: 'One state; queued = created or retry' }),
  name: z.string().max(100).optional().openapi({ description: 'One job name, e.g. dialogues.translate' }),
});

export const JobListSchema = pageSchema(JobSchema)
  .extend({
    /** jobs in each state (with the name filter, not the state filter): the page's tabs */
    counts: JobCountsSchema,
    /** every job name this server knows */
    names: z.array(z.string()),
  })
  .openapi('JobList');

export type Job = z.infer<typeof JobSchema>;
export type JobListQuery = z.infer<typeof JobListQuerySchema>;
