import type { TFunction } from 'i18next';
import { i18next } from '../i18n.ts';
import { ApiError } from '../api.ts';

/** A sentence for an error, in the interface language; known codes have their own text. */
export function errorMessage(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      const minutes = Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60));
      return t('errors.rateLimited', { minutes });
    }
    const key = `errors.codes.${err.code}`;
    if (i18next.exists(key)) return t(key);
    if (err.status === 0) return t('errors.network');
    if (err.status === 403) return t('errors.codes.forbidden');
    return t('errors.unexpected', { status: err.status });
  }
  return t('errors.unexpected', { status: '—' });
}

/** The server's field errors are English zod messages; they map to catalog sentences. */
export function fieldError(t: TFunction, err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const detail = err.fields[field];
  if (!detail) return undefined;
  return fieldText(t, detail);
}

/** A server field error's English detail as a catalog sentence (errors.field.invalid when it is not a known kind). */
export function fieldText(t: TFunction, detail: string): string {
  let m: RegExpMatchArray | null;
  if (/^required$/i.test(detail) || /received undefined/i.test(detail)) return t('errors.field.required');
  if ((m = detail.match(/at least (\d+) char/i))) return t('errors.field.tooShort', { n: Number(m[1]) });
  if ((m = detail.match(/at most (\d+) char/i))) return t('errors.field.tooLong', { n: Number(m[1]) });
  if (/email/i.test(detail)) return t('errors.field.email');
  if (/already has an account/i.test(detail)) return t('errors.field.emailTaken');
  if (/time zone|IANA/i.test(detail)) return t('errors.field.timeZone');
  if (/own account/i.test(detail)) return t('errors.codes.cannot_demote_self');
  return t('errors.field.invalid');
}

/** Client-side checks mirroring the server's rules, so most mistakes are named before a request. */
export const rules = {
  required: (t: TFunction, v: string) => (v.trim() ? undefined : t('errors.field.required')),
  email: (t: TFunction, v: string) => (!v.trim() ? t('errors.field.required') : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : t('errors.field.email')),
  password: (t: TFunction, v: string) => (v.length < 10 ? t('errors.field.tooShort', { n: 10 }) : v.length > 200 ? t('errors.field.tooLong', { n: 200 }) : undefined),
};
