import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../../db/client.ts';
import { json, newRouter, problems } from '../../http/openapi.ts';
import { pageSchema } from '../../http/pagination.ts';
import { AuditEntrySchema, AuditQuerySchema } from './audit.contract.ts';
import { listAuditEntries } from './audit.service.ts';

export function auditRoutes(deps: { db: Db }) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listAuditEntries',
      path: '/audit',
      tags: ['Audit log'],
      summary: 'The audit log, newest first, filtered (admins). There is no route that edits or deletes it.',
      request: { query: AuditQuerySchema },
      responses: { 200: json(pageSchema(AuditEntrySchema), 'Entries'), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listAuditEntries(deps.db, c.get('ctx'), {
        ...q,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return c.json(page, 200);
    },
  );
  return r;
}
