// Text that no service may see: the NUL character (U+0000), which PostgreSQL refuses in text and jsonb, and
// unpaired UTF-16 surrogates (e.g. "\uD800" in JSON), which are not Unicode text at all (PostgreSQL refuses them
// in jsonb; in text they would silently become U+FFFD). One check here, run before validation on every JSON
// body, form body, query parameter and path parameter of the API and of the public pages (/p, /s).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { FieldError } from './problem.ts';
import { problemResponse } from './problem.ts';

const NUL = '\u0000';
/** a high surrogate not followed by a low one, or a low one not preceded by a high one */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const NUL_DETAIL = 'Contains a NUL character (U+0000), which is not allowed in text';
export const SURROGATE_DETAIL = 'Contains an unpaired UTF-16 surrogate (not valid Unicode text)';

/** Why `s` is not acceptable text, or null when it is. */
export function badText(s: string): string | null {
  if (s.includes(NUL)) return NUL_DETAIL;
  // String.prototype.isWellFormed (Node 20, ES2024) is native and fast on a 60 MB import; the pattern otherwise
  const wellFormed = (s as unknown as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(s);
  return wellFormed ? null : SURROGATE_DETAIL;
}

/** The string with NULs and lone surrogates replaced by U+FFFD: safe to echo back in a field name. */
export function printable(s: string): string {
  return s.replace(/\u0000/g, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * Every string (and object key) in `value` that is not acceptable text, named by its path under `prefix`
 * ("body.people.0.role"). Walks without recursion, so that a deeply nested body cannot overflow the stack.
 * Stops after `max` findings.
 */
export function textErrors(value: unknown, prefix: string, max = 20): FieldError[] {
  const out: FieldError[] = [];
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length && out.length < max) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const why = badText(v);
      if (why) out.push({ field: path, detail: why });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`]);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Blob)) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const why = badText(k);
        if (why) out.push({ field: `${path}.${printable(k)}`, detail: `The field name: ${why[0]!.toLowerCase()}${why.slice(1)}` });
        else stack.push([(v as Record<string, unknown>)[k], `${path}.${k}`]);
      }
    }
  }
  return out;
}

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
