import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { json, newRouter } from '../../http/openapi.ts';

const HealthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), database: z.enum(['pglite', 'postgres']), databaseOk: z.boolean(), version: z.string() })
  .openapi('Health');

const ReadySchema = z
  .object({
    ready: z.boolean(),
    reason: z
      .enum(['starting', 'draining', 'database'])
      .optional()
      .openapi({ description: 'why not: the server is still starting (its background jobs are being set up), is stopping, or its database does not answer' }),
  })
  .openapi('Ready');

/** How long a database check that answered stands for readiness while the next one waits in the pool. */
const READY_GRACE_MS = 10_000;

/**
 * What a server's life says about taking requests: `starting` while it listens but still sets up its background jobs
 * (requests but health and readiness wait meanwhile, src/server/main.ts), `draining` once it starts to stop.
 */
export type Lifecycle = { draining: boolean; starting?: boolean };

export function healthRoutes(deps: { db: Db; kind: 'pglite' | 'postgres'; version: string; lifecycle: Lifecycle }) {
  const r = newRouter();
  // Readiness asks the database, but a balancer checking a busy server must not take it out because the check
  // waits behind the work in the connection pool: while a check is under way and the last one answered within
  // READY_GRACE_MS, that answer is given at once.
  let last = { ok: false, at: 0 };
  let asking: Promise<boolean> | null = null;
  const databaseAnswers = async (): Promise<boolean> => {
    asking ??= deps.db
      .execute(sql`SELECT 1`)
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        last = { ok, at: Date.now() };
        asking = null;
        return ok;
      });
    if (last.ok && Date.now() - last.at < READY_GRACE_MS) return true;
    return asking;
  };
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getReadiness',
      path: '/ready',
      tags: ['Health'],
      summary: 'Readiness for a load balancer (no sign-in needed): 503 once the server is stopping, so that new requests go elsewhere while it finishes what it has',
      responses: { 200: json(ReadySchema, 'Takes requests'), 503: json(ReadySchema, 'Still starting, stopping, or the database does not answer') },
    }),
    async (c) => {
      if (deps.lifecycle.draining) return c.json({ ready: false, reason: 'draining' as const }, 503);
      if (deps.lifecycle.starting) return c.json({ ready: false, reason: 'starting' as const }, 503);
      return (await databaseAnswers()) ? c.json({ ready: true }, 200) : c.json({ ready: false, reason: 'database' as const }, 503);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getHealth',
      path: '/health',
      tags: ['Health'],
      summary: 'Liveness and database check (no sign-in needed)',
      responses: { 200: json(HealthSchema, 'Healthy'), 503: json(HealthSchema, 'The database does not answer') },
    }),
    async (c) => {
      let ok = true;
      try {
        await deps.db.execute(sql`SELECT 1`);
      } catch {
        ok = false;
      }
      const body = { status: ok ? ('ok' as const) : ('degraded' as const), database: deps.kind, databaseOk: ok, version: deps.version };
      return ok ? c.json(body, 200) : c.json(body, 503);
    },
  );
  return r;
}
