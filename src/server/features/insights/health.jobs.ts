import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { refreshNow } from './health.service.ts';

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** member health's clock-bound rows, recomputed off the request path (health.service.ts) */
    'insights.refresh-health': Record<string, never>;
  }
}

/** Every minute, once across all servers (pg-boss's cron): requests then rarely pay for rows that ran out. */
export function defineHealthJobs(jobs: Jobs, deps: { db: Db }): void {
  jobs.define('insights.refresh-health', {
    handler: async () => {
      await refreshNow(deps.db);
    },
    schedule: '* * * * *',
    // the next minute's run is the retry
    retryLimit: 0,
    expireInSeconds: 5 * 60,
  });
}
