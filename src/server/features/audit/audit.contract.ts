import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../http/pagination.ts';

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
    record: z
      .object({
        name: z.string().nullable().openapi({ description: "The record's current name; null when the record is restricted (its page shows it, and audits that read)" }),
        restricted: z.boolean(),
      })
      .nullable()
      .openapi({ description: 'The record the entry is about, when it has a page and still exists; null otherwise' }),
  })
  .openapi('AuditEntry');

export const AuditQuerySchema = PageQuerySchema.extend({
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional().openapi({ description: 'Exact action, e.g. user.disable' }),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or after (ISO 8601)' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or before (ISO 8601)' }),
});

export type AuditEntry = z.infer<typeof AuditEntrySchema>;
