import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { ProblemSchema, validationHook } from './problem.ts';

/** Every feature's router: validation failures become problem+json naming the fields. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}

export function jsonBody<T extends z.ZodTypeAny>(schema: T, description?: string) {
  return { required: true, description, content: { 'application/json': { schema } } };
}

export function json<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const problemDescriptions: Record<number, string> = {
  400: 'Invalid request: each bad field is named in errors',
  401: 'Not signed in',
  403: 'Not allowed (role, CSRF, or two-factor required)',
  404: 'No such record (or not one you may see)',
  409: 'Conflicts with the current state',
  410: 'Gone',
  422: 'Well-formed but not acceptable',
  429: 'Rate limited; see Retry-After',
  503: 'An outside service (the AI provider) did not answer',
};

export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: problemDescriptions[s] ?? 'Error', content: { 'application/problem+json': { schema: ProblemSchema } } }]),
  );
}

export const IdParamSchema = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });
