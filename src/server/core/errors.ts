// What services throw and how a bad field is named: no HTTP framework here, so that services, the command line and
// jobs share it. http/problem.ts turns an AppError into RFC 9457 problem+json.
import type { ZodError } from 'zod';

/** One bad field: `field` is a dotted path into the request ("body.email", "query.limit"). */
export type FieldError = { field: string; detail: string };

export const statusByKind = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  rate_limited: 429,
  /** an outside service (the AI provider) did not answer */
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof statusByKind;

/** What services throw. `code` is feature-specific ("invitation_expired"); `kind` picks the HTTP status. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message ?? code.replace(/_/g, ' '));
  }
  get status(): number {
    return statusByKind[this.kind];
  }
}

/** The answer for a record that does not exist or that the actor may not see: the same 404. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what}_not_found`, `No such ${what.replace(/_/g, ' ')}.`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are free text: anything that is not a uuid is simply not found (never a database error). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** Each issue of a failed zod parse as a field error, under `target` ("body", "query", a CSV row…). */
export function zodFieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => {
    let path = [target, ...issue.path.map(String)];
    let detail = issue.message;
    if (issue.code === 'unrecognized_keys') {
      // name each unknown field itself
      return issue.keys.map((k) => ({ field: [...path, k].join('.'), detail: 'Unknown field' }));
    }
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) detail = 'Required';
    return [{ field: path.join('.'), detail }];
  }).flat();
}
