import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { z } from '@hono/zod-openapi';
import { describeProblem } from './problem-types.ts';

import { AppError, statusByKind, zodFieldErrors, type ErrorKind, type FieldError } from '../core/errors.ts';

export { AppError, statusByKind, zodFieldErrors, type ErrorKind, type FieldError } from '../core/errors.ts';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'A page explaining the problem type, in English, Hebrew and Arabic (JSON with Accept: application/json)', example: '/problems/invalid_request' }),
    title: z.string().openapi({ description: 'What the problem type is, in English (the same for every occurrence)' }),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().openapi({ description: 'Stable, machine-readable error code; /problems/{code} explains it' }),
    instance: z.string().openapi({ description: 'The path of the request that failed (RFC 9457 instance)', example: '/api/meetings/0b5c…' }),
    errors: z
      .array(z.object({ field: z.string(), detail: z.string() }))
      .optional()
      .openapi({ description: 'Each bad field of the request, by path (e.g. body.email)' }),
  })
  .openapi('Problem');

export type Problem = z.infer<typeof ProblemSchema>;
type ProblemBody = Omit<Problem, 'instance'> & { instance?: string };

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problemResponse(
  status: number,
  code: string,
  detail?: string,
  errors?: FieldError[],
  headers?: Record<string, string>,
): Response {
  const body: ProblemBody = {
    type: `/problems/${code}`,
    // the same for every occurrence of a type (RFC 9457 §3.1.3): the registry's English title of the code
    title: describeProblem('en', code)?.title ?? titles[status] ?? 'Error',
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  });
}

/** defaultHook for every OpenAPIHono: validation failures become 400 problem+json naming each field. */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; target: string },
  _c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const target = result.target === 'json' || result.target === 'form' ? 'body' : result.target;
  return problemResponse(400, 'invalid_request', 'The request has invalid fields.', zodFieldErrors(result.error, target));
}

type PgError = { code?: string; detail?: string; column?: string; constraint?: string; cause?: unknown };

function pgErrorOf(err: unknown): PgError | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as PgError).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as PgError;
    e = (e as PgError).cause;
  }
  return undefined;
}

/** Column named in a PostgreSQL key error: 'Key (invited_by)=(x) is not present…' -> invitedBy */
function columnFromDetail(detail?: string): string | undefined {
  const m = detail?.match(/Key \(([^)]+)\)/);
  return m?.[1]?.split(',')[0]?.trim().replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

export function errorToResponse(err: unknown, log: (err: unknown) => void): Response {
  if (err instanceof AppError) return problemResponse(err.status, err.code, err.message, err.errors, err.headers);
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 400 && /JSON/i.test(err.message)) {
      return problemResponse(400, 'malformed_json', 'The request body is not valid JSON.', [
        { field: 'body', detail: 'Malformed JSON' },
      ]);
    }
    if (status === 413) return problemResponse(413, 'request_too_large', err.message);
    if (status === 415) return problemResponse(415, 'unsupported_media_type', 'The body must be JSON: send it with Content-Type: application/json.');
    return problemResponse(status, 'http_error', err.message);
  }
  const pgErr = pgErrorOf(err);
  if (pgErr?.code === '23503') {
    const field = columnFromDetail(pgErr.detail) ?? 'body';
    return problemResponse(422, 'unknown_reference', 'A referenced record does not exist.', [
      { field: `body.${field}`, detail: 'No such record' },
    ]);
  }
  if (pgErr?.code === '23505') {
    const field = columnFromDetail(pgErr.detail) ?? 'body';
    return problemResponse(409, 'already_exists', 'A record with this value already exists.', [
      { field: `body.${field}`, detail: 'Already taken' },
    ]);
  }
  // two writers took the same rows' locks in opposite orders (the database aborted one) or a serialization
  // failure: the transaction was rolled back whole, and trying again succeeds
  if (pgErr?.code === '40P01' || pgErr?.code === '40001') {
    log(err);
    return problemResponse(503, 'try_again', 'Someone saved a change to the same records at the same moment. Nothing was written; try again.', undefined, {
      'Retry-After': '1',
    });
  }
  if (pgErr?.code === '22001') {
    return problemResponse(400, 'value_too_long', 'A value is too long.', [{ field: 'body', detail: 'Too long' }]);
  }
  log(err);
  return problemResponse(500, 'internal_error', 'Something went wrong on the server.');
}

const PROBLEM_TYPE = /^application\/problem\+json\b/i;

/**
 * Every problem answered under the middleware names the request it answers (RFC 9457 `instance`: the request's
 * path, without its query). Wraps the error handler and every middleware that answers early (body limits, CSRF).
 */
export function problemInstance(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!PROBLEM_TYPE.test(c.res.headers.get('content-type') ?? '')) return;
    let body: unknown;
    try {
      body = await c.res.clone().json();
    } catch {
      return;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body) || 'instance' in body) return;
    const { status, headers } = c.res;
    const fresh = new Headers(headers);
    fresh.delete('content-length');
    // cleared first: Hono copies the headers of the answer it replaces (a stale Content-Length among them)
    c.res = undefined;
    c.res = new Response(JSON.stringify({ ...body, instance: c.req.path }), { status, headers: fresh });
  };
}
