import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { searchIndex } from './features/insights/search-index.ts';
import { loadConfig } from './config.ts';
import { openFromConfig } from './db/client.ts';
import { acquireDataDirLock, DataDirLockedError } from './db/lock.ts';

/** how long SIGTERM lets running background jobs finish before handing them back (within a 10 s container stop) */
const JOB_STOP_MS = 7_000;

async function main() {
  const started = performance.now();
  const config = loadConfig();
  let release = () => {};
  if (!config.databaseUrl) {
    try {
      release = acquireDataDirLock(config.dataDir);
    } catch (err) {
      if (err instanceof DataDirLockedError) {
        console.error(err.message);
        process.exit(1);
      }
      throw err;
    }
  }
  const database = await openFromConfig(config);
  await database.migrate();
  // the app starts its background jobs (src/server/jobs): member health's refresh, translations, emails, imports
  const { app, setup, jobs, publicRuntime } = await createApp({ db: database.db, kind: database.kind, config, listen: database.listen });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const ms = Math.round(performance.now() - started);
    console.log(`Convene is running on ${config.publicUrl} (listening on ${info.address}:${info.port}, ${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}, ready in ${ms} ms)`);
    if (setup.token) {
      console.log('');
      console.log('No account exists yet. Open this one-time link to create the first administrator:');
      console.log(`  ${config.publicUrl}/setup?token=${setup.token}`);
      console.log('');
    }
    // the search index is built in memory: start now, so that the first search does not wait for it
    searchIndex(database.db).catch((err: unknown) => console.error('Building the search index failed; the first search will try again:', err));
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    server.close();
    // no new job is taken; running ones get JOB_STOP_MS to finish (long ones stop between steps), then are handed
    // back to be tried again (by another server, or this one's next start). Votes acknowledged to participants are
    // committed already; a batch still being written finishes first.
    jobs
      .stop({ timeoutMs: JOB_STOP_MS })
      .catch((err: unknown) => console.error('Stopping background jobs failed:', err))
      .then(() => publicRuntime.stop())
      .catch(() => {})
      .then(() => database.close())
      .catch(() => {})
      .finally(() => {
        release();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
