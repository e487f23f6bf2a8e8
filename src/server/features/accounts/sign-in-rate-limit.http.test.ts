import { describe, expect, it } from 'vitest';
import { createUserWithPassword } from './accounts.service.ts';
import { PASSWORD, createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// SIGN_IN_RATE_LIMIT=3: the fourth attempt from one address in the window is refused
const t = await createTestApp({ config: { signInRateLimit: 3 } });

describe('sign-in rate limit', () => {
  it('answers 429 with Retry-After after SIGN_IN_RATE_LIMIT attempts, even with the right password', async () => {
    const email = 'limited@example.org';
    await createUserWithPassword(t.db, { name: 'Limited', email, password: PASSWORD, role: 'staff', locale: 'en', timeZone: 'UTC' });

    for (let i = 0; i < 3; i++) {
      const res = await t.client().post('/api/auth/sign-in/email', { email, password: 'wrong password, again' });
      expect(res.status).toBe(401);
    }
    const c = t.client();
    const res = await c.post('/api/auth/sign-in/email', { email, password: PASSWORD });
    const p = await problem(res, 429);
    expect(p.code).toBe('rate_limited');
    const retry = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(c.cookies.size).toBe(0);
    await problem(await c.get('/api/me'), 401);
  });

  it('does not count successful sign-ins', async () => {
    const email = 'regular@example.org';
    await createUserWithPassword(t.db, { name: 'Regular', email, password: PASSWORD, role: 'staff', locale: 'en', timeZone: 'UTC' });
    for (let i = 0; i < 5; i++) {
      expect((await t.client().post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(200);
    }
  });

  it('limits one address to five times as many failures across accounts', async () => {
    // 3 failures from the first test; 12 more on other accounts reach 15 for this address
    for (let i = 0; i < 12; i++) {
      expect((await t.client().post('/api/auth/sign-in/email', { email: `guess-${i}@example.org`, password: 'guessing password' })).status).toBe(401);
    }
    const res = await t.client().post('/api/auth/sign-in/email', { email: 'regular@example.org', password: PASSWORD });
    await problem(res, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
