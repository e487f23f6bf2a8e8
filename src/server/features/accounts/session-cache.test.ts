import { describe, expect, it } from 'vitest';
import type { Actor } from '../../access/roles.ts';
import { SessionCache, sessionCookieValue } from './session-cache.ts';

const actor: Actor = { id: 'u1', email: 'a@example.org', name: 'A', role: 'staff', locale: 'en', timeZone: 'UTC', twoFactorEnabled: false, sessionId: 's1', createdAt: '2026-01-01T00:00:00.000Z' };
const far = new Date('2100-01-01');

describe('SessionCache', () => {
  it('remembers for the ttl, never past the session expiry', () => {
    const c = new SessionCache(1000);
    c.set('k', actor, far, c.generation, 0);
    expect(c.get('k', 999)).toEqual(actor);
    expect(c.get('k', 1000)).toBeUndefined();
    c.set('k', actor, new Date(10), c.generation, 0);
    expect(c.get('k', 10)).toBeUndefined();
  });
  it('forgets everything on clear, and refuses a lookup that began before the clear', () => {
    const c = new SessionCache(1000);
    const before = c.generation;
    c.set('k', actor, far, before, 0);
    c.clear();
    expect(c.get('k', 1)).toBeUndefined();
    c.set('k', actor, far, before, 1);
    expect(c.get('k', 2)).toBeUndefined();
    c.set('k', actor, far, c.generation, 1);
    expect(c.get('k', 2)).toEqual(actor);
  });
  it('finds the session cookie, plain or __Secure-', () => {
    expect(sessionCookieValue('a=1; better-auth.session_token=abc.def; b=2')).toBe('abc.def');
    expect(sessionCookieValue('__Secure-better-auth.session_token=x.y')).toBe('x.y');
    expect(sessionCookieValue('better-auth.session_token_other=1')).toBeUndefined();
    expect(sessionCookieValue(undefined)).toBeUndefined();
  });
});
