import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './context.ts';
import { KiB, PUBLIC_LIMIT, apiBodyLimit, formatBytes } from './limits.ts';
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
  413: 'The body is too large (request_too_large)',
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

type Operation = { requestBody?: unknown; responses?: Record<string, unknown>; description?: string };
type Document = { paths?: Record<string, Record<string, Operation>>; components?: Record<string, Record<string, unknown>> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** "/api/meetings/{id}" -> a path Hono would match, for the body-limit rules */
const samplePath = (template: string) => template.replace(/\{[^}]+\}/g, 'x');

/**
 * What every operation shares, added to the generated document: 400 (any path or query text may hold a NUL or a
 * lone surrogate), 413 with the route's body limit on every operation but a GET, 415 on every operation with a
 * body, and 431 (Node answers
 * it, without a body, when the request line and headers pass 16 KiB) once as a shared response for all.
 */
export function finishDocument<T extends object>(generated: T): T {
  const doc = structuredClone(generated) as T & Document;
  const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  doc.components ??= {};
  doc.components.responses = {
    ...doc.components.responses,
    RequestHeaderFieldsTooLarge: {
      description: `The request line and headers together are larger than ${formatBytes(16 * KiB)}: Node answers 431 before Convene sees the request (no body)`,
    },
    UnsupportedMediaType: { description: 'The body is not of a media type the operation accepts (send Content-Type: application/json)', content: problem },
  };
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const responses = (op.responses ??= {});
      responses['400'] ??= {
        description: 'Invalid request: a path or query parameter holds a NUL character or an unpaired surrogate (invalid_text)',
        content: problem,
      };
      // a body can come with any request but a GET (an operation that declares none gets the same limit)
      if (op.requestBody || method !== 'get') {
        const limit = apiBodyLimit(method.toUpperCase(), samplePath(path), true);
        const anonymous = limit.bytes === PUBLIC_LIMIT.bytes ? '' : ` (${formatBytes(PUBLIC_LIMIT.bytes)} without a session)`;
        responses['413'] ??= {
          description: `The body is larger than this operation accepts: at most ${formatBytes(limit.bytes)}${anonymous} (request_too_large; refused before it is read)`,
          content: problem,
        };
      }
      if (op.requestBody) responses['415'] ??= { $ref: '#/components/responses/UnsupportedMediaType' };
      responses['431'] ??= { $ref: '#/components/responses/RequestHeaderFieldsTooLarge' };
    }
  }
  return doc;
}
