import type { z } from 'zod';
import type { JobListSchema, JobSchema, JobState } from '../../../server/jobs/jobs.contract.ts';
import { query, request } from '../../api.ts';

// Types only: the zod schemas stay on the server and out of the bundle.
export type Job = z.infer<typeof JobSchema>;
export type JobList = z.infer<typeof JobListSchema>;
export type { JobState };
export type JobFilter = { state?: JobState | 'queued'; name?: string };

export const jobsApi = {
  list: (f: JobFilter, cursor?: string) => request<JobList>('GET', `/jobs${query({ state: f.state, name: f.name, limit: 50, cursor })}`),
  retry: (id: string) => request<Job>('POST', `/jobs/${encodeURIComponent(id)}/retry`),
  cancel: (id: string) => request<Job>('DELETE', `/jobs/${encodeURIComponent(id)}`),
};
