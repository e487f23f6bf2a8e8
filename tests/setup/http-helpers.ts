import { base32 } from '@better-auth/utils/base32';
import { createOTP } from '@better-auth/utils/otp';
import { expect } from 'vitest';
import type { TestClient } from './test-app.ts';

/**
 * The current TOTP code for an otpauth:// URI. better-auth gives createOTP the raw secret string and
 * puts its base32 form in the URI, so decode it back to that string first.
 */
export async function totpCode(totpURI: string, used?: Set<string>): Promise<string> {
  const secret = new URL(totpURI).searchParams.get('secret')!;
  const raw = new TextDecoder().decode(base32.decode(secret));
  const otp = createOTP(raw, { digits: 6, period: 30 });
  if (!used) return otp.totp();
  // each code is accepted once; the server takes the previous, current and next 30-second step,
  // so a test that needs several codes at once takes one of those it has not used yet
  const step = Math.floor(Date.now() / 30_000);
  for (const offset of [0, 1, -1]) {
    const code = await otp.hotp(step + offset);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
  throw new Error('no unused code in the current window');
}

/** Turns on two-factor for a signed-in client; returns the URI and the backup codes. */
export async function enableTwoFactor(client: TestClient, password: string) {
  const res = await client.post('/api/auth/two-factor/enable', { password });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { totpURI: string; backupCodes: string[] };
  const verify = await client.post('/api/auth/two-factor/verify-totp', { code: await totpCode(body.totpURI) });
  expect(verify.status).toBe(200);
  return body;
}

/** Every page of a cursor-paginated list, following nextCursor. */
export async function allPages<T>(client: TestClient, path: string, limit: number): Promise<{ pages: T[][]; items: T[] }> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await client.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: T[]; nextCursor: string | null };
    expect(body.items.length).toBeLessThanOrEqual(limit);
    pages.push(body.items);
    cursor = body.nextCursor;
    if (pages.length > 1000) throw new Error('pagination does not end');
  } while (cursor);
  return { pages, items: pages.flat() };
}
