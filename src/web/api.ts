import type { z } from 'zod';
import type {
  InvitationSchema,
  MeSchema,
  PublicInvitationSchema,
  SessionSchema,
  SettingsSchema,
  UserSchema,
} from '../server/features/accounts/accounts.contract.ts';
import type { AuditEntry } from '../server/features/audit/audit.contract.ts';
import type { Locale } from '../i18n/locales.ts';

// Types only: the zod schemas stay on the server and out of the bundle.
export type User = z.infer<typeof UserSchema>;
export type Me = z.infer<typeof MeSchema>;
export type Role = User['role'];
export type Invitation = z.infer<typeof InvitationSchema>;
export type PublicInvitation = z.infer<typeof PublicInvitationSchema>;
export type Session = z.infer<typeof SessionSchema>;
export type Settings = z.infer<typeof SettingsSchema>;
export type Page<T> = { items: T[]; nextCursor: string | null };
export type { AuditEntry };
export type AuditFilter = { actorId?: string; action?: string; entityType?: string; entityId?: string; from?: string; to?: string };

/** A problem+json answer. `fields` maps a field name ("email", without "body.") to the server's detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter?: number,
  ) {
    super(detail);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server could not be reached.');
  }
  if (res.status === 204) return undefined as T;
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  const data = isJson ? await res.json().catch(() => null) : null;
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: { field: string; detail: string }[] };
    const fields: Record<string, string> = {};
    for (const e of p.errors ?? []) fields[e.field.replace(/^(body|query|param)\./, '')] ??= e.detail;
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, p.code ?? `http_${res.status}`, p.detail ?? res.statusText, fields, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  setupStatus: () => request<{ needsSetup: boolean }>('GET', '/setup'),
  /** who is signed in (null: nobody) and, signed out, whether the first administrator is still to be created */
  session: () => request<{ me: Me | null; needsSetup: boolean }>('GET', '/session'),
  setup: (body: { token: string; name: string; email: string; password: string; locale: Locale; timeZone: string }) =>
    request<User>('POST', '/setup', body),

  signIn: (body: { email: string; password: string }) =>
    request<{ twoFactorRedirect?: boolean; user?: Partial<User> }>('POST', '/auth/sign-in/email', body),
  verifyTotp: (code: string) => request<Record<string, unknown>>('POST', '/auth/two-factor/verify-totp', { code }),
  verifyBackupCode: (code: string) => request<Record<string, unknown>>('POST', '/auth/two-factor/verify-backup-code', { code }),
  signOut: () => request<{ success: boolean }>('POST', '/auth/sign-out'),
  enableTwoFactor: (password: string) => request<{ totpURI: string; backupCodes: string[] }>('POST', '/auth/two-factor/enable', { password }),
  disableTwoFactor: (password: string) => request<Record<string, unknown>>('POST', '/auth/two-factor/disable', { password }),

  me: () => request<Me>('GET', '/me'),
  updateMe: (body: { name?: string; locale?: Locale; timeZone?: string }) => request<User>('PATCH', '/me', body),
  sessions: () => request<{ items: Session[] }>('GET', '/me/sessions'),
  endSession: (id: string) => request<void>('DELETE', `/me/sessions/${encodeURIComponent(id)}`),

  users: (cursor?: string) => request<Page<User>>('GET', `/users${query({ limit: 200, cursor })}`),
  updateUser: (id: string, body: { role?: Role; disabled?: boolean }) => request<User>('PATCH', `/users/${encodeURIComponent(id)}`, body),

  invitations: (cursor?: string) => request<Page<Invitation>>('GET', `/invitations${query({ limit: 200, cursor })}`),
  invite: (body: { email: string; name: string; role: Role; locale: Locale }) =>
    request<{ invitation: Invitation; link: string; emailed: boolean }>('POST', '/invitations', body),
  revokeInvitation: (id: string) => request<Invitation>('DELETE', `/invitations/${encodeURIComponent(id)}`),
  lookupInvitation: (token: string) => request<PublicInvitation>('POST', '/invitations/lookup', { token }),
  acceptInvitation: (body: { token: string; password: string; name?: string; timeZone?: string }) =>
    request<User>('POST', '/invitations/accept', body),

  settings: () => request<Settings>('GET', '/settings'),
  updateSettings: (body: Partial<Settings>) => request<Settings>('PATCH', '/settings', body),

  audit: (filter: AuditFilter, cursor?: string, limit = 50) => request<Page<AuditEntry>>('GET', `/audit${query({ ...filter, cursor, limit })}`),
};
