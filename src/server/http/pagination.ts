import { z } from '@hono/zod-openapi';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'Items per page (1–200)' }),
  cursor: z.string().max(200).optional().openapi({ description: 'The nextCursor of the previous page' }),
});

export function pageSchema<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null on the last' }),
  });
}

export { decodeCursor, encodeCursor, paginate } from '../core/pagination.ts';
