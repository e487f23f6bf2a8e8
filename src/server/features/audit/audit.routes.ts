import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../../db/client.ts';
import { json, newRouter, problems } from '../../http/openapi.ts';
import { PageQuerySchema, pageSchema } from '../../http/pagination.ts';
import { listAuditEntries } from './audit.service.ts';

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string().openapi({ example: 'user.disable' }),
    entityType: z.string().openapi({ example: 'user' }),
    entityId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');

const AuditQuerySchema = PageQuerySchema.extend({
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional().openapi({ description: 'Exact action, e.g. user.disable' }),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or after (ISO 8601)' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or before (ISO 8601)' }),
});

export function auditRoutes(deps: { db: Db }) {
  const r = newRouter();
  r.openapi(
    createRoute({
      method: 'get',
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
