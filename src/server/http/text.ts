// Text that no service may see: the NUL character (U+0000), which PostgreSQL refuses in text and jsonb, and
// unpaired UTF-16 surrogates (e.g. "\uD800" in JSON), which are not Unicode text at all (PostgreSQL refuses them
// in jsonb; in text they would silently become U+FFFD). One check here, run before validation on every JSON
// body, form body, query parameter and path parameter of the API and of the public pages (/p, /s).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { FieldError } from '../core/errors.ts';
import { problemResponse } from './problem.ts';

import { badText, printable, textErrors } from '../core/text.ts';

export { badText, NUL_DETAIL, printable, SURROGATE_DETAIL, textErrors } from '../core/text.ts';

/**
 * Percent-decoding as Hono does it for parameters: the whole text, or, when that fails (malformed UTF-8), each run
 * of escapes on its own, a run that still fails staying as it is. So "%00%FF" stays text, but "a%00b%FF" holds a NUL.
 */
export function decodeLikeRouter(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** The route template the request matched (e.g. /api/meetings/:id), for naming path parameters. */
function templateOf(c: Context): string | undefined {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  try {
    return matchedRoutes(c).find((r) => r.method === method && r.path.includes(':'))?.path;
  } catch {
    return undefined;
  }
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const FORM_TYPE = /^(multipart\/form-data|application\/x-www-form-urlencoded)$/i;

/** What is wrong with the request's path, query and body text; empty when all of it is acceptable. */
export async function requestTextErrors(c: Context): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  // path parameters, named from the route template when one matched
  const url = new URL(c.req.url);
  const segments = url.pathname.split('/');
  const template = templateOf(c)?.split('/');
  segments.forEach((seg, i) => {
    if (!seg.includes('%')) return;
    const why = badText(decodeLikeRouter(seg));
    if (!why) return;
    const t = template?.length === segments.length ? template[i] : undefined;
    const name = t?.startsWith(':') ? t.slice(1).replace(/\{.*$/, '') : `segment${i}`;
    errors.push({ field: `param.${name}`, detail: why });
  });
  // query parameters (names and values)
  if (url.search) {
    for (const [k, values] of Object.entries(c.req.queries())) {
      const kWhy = badText(k);
      if (kWhy) {
        errors.push({ field: `query.${printable(k)}`, detail: kWhy });
        continue;
      }
      for (const v of values) {
        const why = badText(v);
        if (why) {
          errors.push({ field: `query.${k}`, detail: why });
          break;
        }
      }
    }
  }
  // bodies: parsed once here; Hono caches the text and the form data, so the validators reuse them
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.raw.body) {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (JSON_TYPE.test(type)) {
      let parsed: unknown;
      let ok = true;
      try {
        parsed = await c.req.json();
      } catch {
        ok = false; // malformed: the validator answers malformed_json
      }
      if (ok) errors.push(...textErrors(parsed, 'body'));
    } else if (FORM_TYPE.test(type)) {
      let parsed: unknown;
      let ok = true;
      try {
        parsed = await c.req.parseBody({ all: true });
      } catch {
        ok = false;
      }
      if (ok) errors.push(...textErrors(parsed, 'body'));
    }
  }
  return errors;
}

export const BAD_TEXT_DETAIL = 'Text may not contain NUL characters (U+0000) or unpaired UTF-16 surrogates.';

/**
 * Refuses a request whose path, query or body holds a NUL or a lone surrogate before any validator or service
 * sees it: the API answers 400 problem+json (`invalid_text`, each field named); pages pass `refuse` to answer
 * with a page of their own.
 */
export function refuseBadText(refuse?: (c: Context, errors: FieldError[]) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const errors = await requestTextErrors(c);
    if (errors.length) {
      return refuse ? refuse(c, errors) : problemResponse(400, 'invalid_text', BAD_TEXT_DETAIL, errors);
    }
    await next();
  };
}
