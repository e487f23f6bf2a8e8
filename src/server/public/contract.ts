import { z } from '@hono/zod-openapi';

/**
 * The random part of a public link (/p/{token}, /s/{token}) as a path parameter of the JSON API: 8 to 100
 * URL-safe characters.
 */
export function linkTokenParam(name: string, description: string) {
  return z
    .string()
    .min(8)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/)
    .openapi({ param: { name, in: 'path' }, description });
}
