// The registry of problem types: every `code` the API answers with, the statuses it comes with, and what it means in
// English, Hebrew and Arabic. problem-codes.json is generated from the code (every AppError a service throws,
// every notFound() and every problemResponse()) by src/server/http/problem-types.http.test.ts, which fails when the code throws a code the
// registry or a catalog lacks (run `npx vitest run -u src/server/http/problem-types.http.test.ts` to regenerate it). The
// texts are in src/i18n/problems/<lang>.json; `<thing>_not_found` codes share one text naming the thing.
import ar from '../../i18n/problems/ar.json' with { type: 'json' };
import en from '../../i18n/problems/en.json' with { type: 'json' };
import he from '../../i18n/problems/he.json' with { type: 'json' };
import type { Locale } from '../../i18n/locales.ts';
import generated from './problem-codes.json' with { type: 'json' };

/**
 * Codes of the sign-in service (better-auth) that Convene passes on from the sign-in and two-factor routes; any
 * other of its codes is answered as `auth_error`, so that every code the API gives is one the registry explains.
 */
export const AUTH_CODES = [
  'auth_error',
  'invalid_email_or_password',
  'invalid_password',
  'invalid_code',
  'invalid_backup_code',
  'invalid_two_factor_cookie',
  'two_factor_not_enabled',
  'totp_not_enabled',
  'too_many_attempts_request_new_code',
  'account_temporarily_locked',
] as const;

type Entry = { title: string; text: string };
export type ProblemCatalog = {
  page: Record<string, string>;
  notFound: Entry;
  things: Record<string, string>;
  codes: Record<string, Entry>;
};

export const problemCatalogs: Record<Locale, ProblemCatalog> = { en: en.problems, he: he.problems, ar: ar.problems };

const statuses: Record<string, number[]> = { ...(generated as Record<string, number[]>) };
for (const code of AUTH_CODES) statuses[code] ??= [];

/** Every problem code, sorted. */
export const PROBLEM_CODES: readonly string[] = Object.keys(statuses).sort();

export type ProblemType = { code: string; title: string; text: string; statuses: number[] };

const fill = (s: string, vars: Record<string, string>) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? '');

/** What a code means, in a language; undefined for a code the API never gives (or one a catalog lacks). */
export function describeProblem(locale: Locale, code: string): ProblemType | undefined {
  const codeStatuses = Object.hasOwn(statuses, code) ? statuses[code]! : undefined;
  if (!codeStatuses) return undefined;
  const c = problemCatalogs[locale];
  const own = Object.hasOwn(c.codes, code) ? c.codes[code] : undefined;
  if (own) return { code, title: own.title, text: own.text, statuses: codeStatuses };
  const thingKey = code.match(/^(\w+)_not_found$/)?.[1];
  const thing = thingKey && Object.hasOwn(c.things, thingKey) ? c.things[thingKey]! : undefined;
  if (thing) return { code, title: fill(c.notFound.title, { thing }), text: fill(c.notFound.text, { thing }), statuses: codeStatuses };
  return undefined;
}

/** A code from the sign-in service as the API answers it. */
export function authCode(code: string): string {
  return (AUTH_CODES as readonly string[]).includes(code) ? code : 'auth_error';
}
