import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { json, newRouter } from '../../http/openapi.ts';

const HealthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), database: z.enum(['pglite', 'postgres']), databaseOk: z.boolean(), version: z.string() })
  .openapi('Health');

export function healthRoutes(deps: { db: Db; kind: 'pglite' | 'postgres'; version: string }) {
  const r = newRouter();
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
