import type { Actor } from '../../access/roles.ts';

/**
 * Who a session cookie belongs to, remembered for a few seconds so that a burst of reads does not look the
 * session up each time. Any staff write through the API, on any server, clears it all (sign-out, disabling an
 * account, ending a session, a role change…): this server at once, the others when the NOTIFY the write sends
 * reaches them (app.ts), so a change holds everywhere at the next request. ttlMs bounds it if a NOTIFY is lost.
 */
export class SessionCache {
  private entries = new Map<string, { actor: Actor; until: number }>();
  /** bumped by clear(): a lookup that began before a write must not store what it read */
  generation = 0;
  constructor(
    readonly ttlMs = 5_000,
    readonly maxEntries = 10_000,
  ) {}

  get(key: string, now = Date.now()): Actor | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.actor;
  }

  set(key: string, actor: Actor, expiresAt: Date, generation: number, now = Date.now()) {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { actor, until: Math.min(now + this.ttlMs, expiresAt.getTime()) });
  }

  clear() {
    this.generation++;
    this.entries.clear();
  }
}

/** The value of better-auth's session cookie (plain or __Secure- prefixed), if the request has one. */
export function sessionCookieValue(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    const name = part.slice(0, i).trim();
    if (name === 'better-auth.session_token' || name === '__Secure-better-auth.session_token') return part.slice(i + 1).trim();
  }
  return undefined;
}
