import { count, eq, isNotNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checkinDevice } from './events.schema.ts';
import { PAIR_FAILURES } from './checkin.routes.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// POST /api/checkin/pair counts failed attempts per client address in the database (as sign-in does): its own file,
// so that the other check-in tests' failures do not share the counter. TRUST_PROXY: each client says its address.
const t = await createTestApp({ config: { trustProxy: true } });
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
const { event: e } = await buildOpenEvent(t.db, ctx, { slug: 'pairing-limit', capacity: 5 });
const from = (ip: string) => t.client({ 'x-forwarded-for': ip });

async function pairingCode(label: string): Promise<string> {
  const res = await staff.post(`/api/events/${e.id}/checkin-devices`, { gate: 'North', label });
  expect(res.status).toBe(201);
  return (await res.json()).pairingCode;
}

async function paired() {
  const [n] = await t.db.select({ n: count() }).from(checkinDevice).where(isNotNull(checkinDevice.tokenHash));
  return n!.n;
}

describe('check-in: pairing is rate-limited per address', () => {
  it('counts successful pairings not at all', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await from('203.0.113.1').post('/api/checkin/pair', { code: await pairingCode(`ok ${i}`) })).status).toBe(200);
    }
    expect(await paired()).toBe(3);
  });

  it(`refuses an address after ${PAIR_FAILURES.max} failed attempts in 15 minutes, even with a right code, and pairs nothing`, async () => {
    const guesser = from('203.0.113.66');
    for (let i = 0; i < PAIR_FAILURES.max; i++) {
      const guess = `ABCD-EFGH-${String(i).padStart(4, '0')}`;
      expect((await problem(await guesser.post('/api/checkin/pair', { code: guess }), 404)).code).toBe('pairing_code_unknown');
    }
    const right = await pairingCode('after the guesses');
    const res = await guesser.post('/api/checkin/pair', { code: right });
    const p = await problem(res, 429);
    expect(p.code).toBe('rate_limited');
    const retry = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(await paired()).toBe(3);
    const [row] = await t.db.select().from(checkinDevice).where(eq(checkinDevice.label, 'after the guesses'));
    expect(row!.tokenHash).toBeNull();

    // another address is not held back, and the code still works there
    expect((await from('198.51.100.7').post('/api/checkin/pair', { code: right })).status).toBe(200);
    expect(await paired()).toBe(4);
  });

  it('counts a malformed code as a failure too (a short one is a 404, not a free guess)', async () => {
    const c = from('203.0.113.99');
    for (let i = 0; i < PAIR_FAILURES.max; i++) expect((await c.post('/api/checkin/pair', { code: 'nope' })).status).toBe(404);
    expect((await problem(await c.post('/api/checkin/pair', { code: 'nope' }), 429)).code).toBe('rate_limited');
  });

  it('stores no address: only keyed hashes in the counters', async () => {
    const rows = await t.db.execute(`SELECT key FROM rate_limit WHERE name = '${PAIR_FAILURES.name}'`);
    const keys = ((rows as { rows?: { key: string }[] }).rows ?? (rows as unknown as { key: string }[])).map((r) => r.key);
    expect(keys.length).toBe(2);
    expect(keys.join(' ')).not.toMatch(/203\.0\.113/);
  });
});
