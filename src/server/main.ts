import { compilePgliteWasm } from './db/pglite-wasm.ts';

/** how long a stop lets running background jobs finish, once requests in flight are done, before handing them back */
const JOB_STOP_MS = 7_000;
/** the latest the background jobs start after the server listens, when no request came before */
const JOBS_START_AFTER_MS = 1_000;

/**
 * Says that the start is over: run from the build, V8's code cache of the bundle is then written for the next start
 * when there was none (scripts/code-cache.mjs); under tsx or Vitest, nothing happens.
 */
function startupDone() {
  const done = (globalThis as Record<symbol, unknown>)[Symbol.for('convene.startupDone')];
  if (typeof done === 'function') done();
}

async function main() {
  const started = performance.now();
  // First, the embedded database's WebAssembly starts compiling on V8's background threads; everything else is
  // imported and evaluated meanwhile (~0.3 s of CPU on the main thread), the application's modules included.
  // (DATABASE_URL as config.ts reads it: PostgreSQL when set and not empty.)
  const wasmModule = process.env.DATABASE_URL ? undefined : compilePgliteWasm();
  const [{ serve }, { loadConfig }, { openFromConfig }, { acquireDataDirLock, DataDirLockedError }] = await Promise.all([
    import('@hono/node-server'),
    import('./config.ts'),
    import('./db/client.ts'),
    import('./db/lock.ts'),
  ]);
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
  const appModule = import('./app.ts');
  const searchModule = import('./features/insights/search-index.ts');
  appModule.catch(() => {});
  searchModule.catch(() => {});
  const database = await openFromConfig(config, { wasmModule });
  // every request that may touch the database comes after this
  await database.migrate();
  const { createApp } = await appModule;
  // The background jobs (src/server/jobs: member health's refresh, translations, emails, imports) are set up once the
  // server listens, so that a start answers its health check without waiting for the queue's setup (a third of a
  // start's CPU time). Until they are up, readiness says `starting` and every request but health and readiness waits.
  const lifecycle = { draining: false, starting: true };
  const { app, setup, jobs, startJobs, publicRuntime } = await createApp({
    db: database.db,
    kind: database.kind,
    config,
    listen: database.listen,
    quiet: database.quiet,
    lifecycle,
    jobs: { deferStart: true },
  });
  // The jobs start after the first health or readiness check is answered (a process manager, a balancer or a
  // deployment script asks one as soon as the server listens), or at the first other request (which waits for them),
  // or JOBS_START_AFTER_MS after listening, whichever comes first.
  let jobsUp: Promise<void> | undefined;
  const upJobs = (): Promise<void> =>
    (jobsUp ??= startJobs().then(
      () => {
        lifecycle.starting = false;
        setImmediate(startupDone);
        // (a server stopped before its jobs started has them stopped already: start() after stop() does nothing)
        if (lifecycle.draining) return;
        // the search index is built in memory: start now, so that the first search does not wait for it
        searchModule
          .then(({ searchIndex }) => searchIndex(database.db))
          .catch((err: unknown) => console.error('Building the search index failed; the first search will try again:', err));
      },
      (err: unknown) => {
        console.error('Starting the background jobs failed:', err instanceof Error ? err.message : err);
        release();
        process.exit(1);
      },
    ));
  const fetch = (request: Request, env: unknown): Response | Promise<Response> => {
    if (!lifecycle.starting) return app.fetch(request, env as never);
    const { pathname } = new URL(request.url);
    if (pathname === '/api/health' || pathname === '/api/ready') {
      return Promise.resolve(app.fetch(request, env as never)).finally(() => setImmediate(upJobs));
    }
    return upJobs().then(() => app.fetch(request, env as never));
  };

  const server = serve({ fetch, port: config.port, hostname: config.host }, (info) => {
    const ms = Math.round(performance.now() - started);
    console.log(`Convene is running on ${config.publicUrl} (listening on ${info.address}:${info.port}, ${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}, ready in ${ms} ms)`);
    if (setup.token) {
      console.log('');
      console.log('No account exists yet. Open this one-time link to create the first administrator:');
      console.log(`  ${config.publicUrl}/setup?token=${setup.token}`);
      console.log('');
    }
    setTimeout(upJobs, JOBS_START_AFTER_MS);
  });
  // An idle keep-alive connection is kept 65 s (Node's default is 5 s), longer than a balancer's or a client's own idle
  // timeout, as load balancers advise: when the server closes an idle connection first, a request sent on it at that
  // moment fails at the client (ECONNRESET). Headers must then be allowed a little longer still.
  Object.assign(server as import('node:http').Server, { keepAliveTimeout: 65_000, headersTimeout: 66_000 });

  // Stopping (docs/deploying.md): readiness answers 503 at once and responses close their connections; after the
  // drain period no new connection is taken; requests in flight finish (cut after the timeout); background jobs
  // finish or are handed back; the vote writer stores what it queued; then the database is closed.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    console.log(`${signal}: stopping${config.shutdown.drainMs ? ` (taking requests for ${config.shutdown.drainMs / 1000} s more while the balancer notices)` : ''}`);
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
      // no new job is taken; running ones get JOB_STOP_MS to finish (long ones stop between steps), then are handed
      // back to be tried again (by another server, or this one's next start)
      .then(() => jobs.stop({ timeoutMs: JOB_STOP_MS }))
      .catch((err: unknown) => console.error('Stopping background jobs failed:', err))
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
