import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invitation, user } from '../features/accounts/accounts.schema.ts';
import { errorToResponse } from './problem.ts';
import { createTestApp, problem } from '../../../tests/setup/test-app.ts';

// No route can reach a missing foreign key today (the only references are to the signed-in actor), so the
// mapping is checked with real errors from the real database, PGlite or PostgreSQL.
const t = await createTestApp();

async function dbError(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected the database to refuse');
}

const newInvitation = (invitedBy: string) => ({
  id: randomUUID(),
  email: 'fk@example.org',
  name: 'FK',
  role: 'staff',
  tokenHash: randomUUID(),
  invitedBy,
  expiresAt: new Date(Date.now() + 86_400_000),
});

describe('database errors become problem+json naming the field', () => {
  it('a foreign key to a missing record (23503) is 422 naming body.invitedBy, and nothing is written', async () => {
    const err = await dbError(() => t.db.insert(invitation).values(newInvitation('no-such-user')));
    const logged: unknown[] = [];
    const p = await problem(errorToResponse(err, (e) => logged.push(e)), 422);
    expect(p.code).toBe('unknown_reference');
    expect(p.errors).toEqual([{ field: 'body.invitedBy', detail: expect.any(String) }]);
    expect(logged).toEqual([]);
    expect(await t.db.select().from(invitation)).toEqual([]);
  });

  it('a unique value taken twice (23505) is 409 naming the field', async () => {
    const u = { id: randomUUID(), name: 'Dup', email: 'dup@example.org' };
    await t.db.insert(user).values(u);
    const err = await dbError(() => t.db.insert(user).values({ ...u, id: randomUUID() }));
    const p = await problem(errorToResponse(err, () => {}), 409);
    expect(p.code).toBe('already_exists');
    expect(p.errors).toEqual([{ field: 'body.email', detail: expect.any(String) }]);
  });

  it('anything else is a 500 that says nothing about the internals, and is logged', async () => {
    const logged: unknown[] = [];
    const p = await problem(errorToResponse(new Error('secret internals at /srv/db'), (e) => logged.push(e)), 500);
    expect(JSON.stringify(p)).not.toContain('secret internals');
    expect(logged).toHaveLength(1);
  });

  it('a deadlock or a serialization failure (40P01, 40001) is 503 try_again with Retry-After, and the transaction left nothing', async () => {
    for (const code of ['40P01', '40001']) {
      const email = `rolled-${code}@example.org`;
      const err = await dbError(() =>
        t.db.transaction(async (tx) => {
          await tx.insert(user).values({ id: randomUUID(), name: 'Rolled back', email });
          await tx.execute(sql.raw(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}'; END $$`));
        }),
      );
      const res = errorToResponse(err, () => {});
      expect(res.headers.get('retry-after')).toBe('1');
      expect((await problem(res, 503)).code).toBe('try_again');
      expect(await t.db.select().from(user).where(eq(user.email, email))).toEqual([]);
    }
  });

  // Two writers at once need two connections: PostgreSQL only (the embedded database has one).
  if (t.database.kind === 'postgres') {
    it('two writers locking the same rows in opposite orders: PostgreSQL aborts one, which answers 503 try_again', async () => {
      const a = { id: randomUUID(), name: 'A', email: 'lock-a@example.org' };
      const b = { id: randomUUID(), name: 'B', email: 'lock-b@example.org' };
      await t.db.insert(user).values([a, b]);
      let bothLocked!: () => void;
      const ready = new Promise<void>((r) => (bothLocked = r));
      let locked = 0;
      const writer = (first: typeof a, second: typeof a) =>
        t.db.transaction(async (tx) => {
          await tx.update(user).set({ name: `${first.name}1` }).where(eq(user.id, first.id));
          if (++locked === 2) bothLocked();
          await ready;
          await tx.update(user).set({ name: `${second.name}2` }).where(eq(user.id, second.id));
        });
      const results = await Promise.allSettled([writer(a, b), writer(b, a)]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect((await problem(errorToResponse(failed[0]!.reason, () => {}), 503)).code).toBe('try_again');
    });
  }
});
