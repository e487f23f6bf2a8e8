import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { refreshNow } from './features/insights/health.service.ts';
import { searchIndex } from './features/insights/search-index.ts';
import { loadConfig } from './config.ts';
import { openFromConfig } from './db/client.ts';
import { acquireDataDirLock, DataDirLockedError } from './db/lock.ts';

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
  const { app, setup, publicRuntime, lifecycle } = await createApp({ db: database.db, kind: database.kind, config, listen: database.listen });

  let refreshTimer: NodeJS.Timeout | undefined;
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
    // member health's clock-bound rows, recomputed off the request path
    refreshTimer = setInterval(() => refreshNow(database.db).catch((err: unknown) => console.error('Refreshing member health failed:', err)), 50_000);
    refreshTimer.unref();
  });

  // Stopping (docs/deploying.md): readiness answers 503 at once and responses close their connections; after the
  // drain period no new connection is taken; requests in flight finish (cut after the timeout); the vote writer
  // stores what it queued; then the database is closed.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    console.log(`${signal}: stopping${config.shutdown.drainMs ? ` (taking requests for ${config.shutdown.drainMs / 1000} s more while the balancer notices)` : ''}`);
    clearInterval(refreshTimer);
    const http = server as import('node:http').Server;
    const closed = new Promise<void>((resolve) => {
      setTimeout(() => {
        http.close(() => resolve());
        http.closeIdleConnections?.();
        setTimeout(() => {
          http.closeAllConnections?.();
          resolve();
        }, config.shutdown.timeoutMs).unref();
      }, config.shutdown.drainMs);
    });
    closed
      // votes acknowledged to participants are committed already; a batch still being written finishes first
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
