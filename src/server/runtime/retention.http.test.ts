import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { session, verification } from '../features/accounts/accounts.schema.ts';
import { createTestApp } from '../../../tests/setup/test-app.ts';
import { waitFor } from '../../../tests/setup/wait.ts';

// Retention (src/server/runtime/retention.ts): a durable job, scheduled every five minutes once across servers,
// deletes what has expired — rate-limit counters a day after their window started, sessions and verification
// values past their expiry — and nothing else.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const staff = await t.signedIn('staff');

const id = () => randomBytes(9).toString('base64url');

type Result = { rateLimits: number; sessions: number; verifications: number };

describe('retention', () => {
  it('is scheduled every five minutes (pg-boss cron: once across all servers) and listed on the jobs page', async () => {
    const found = await rows<{ name: string; cron: string; timezone: string }>(t.db, sql`SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'platform.retention'`);
    expect(found).toEqual([{ name: 'platform.retention', cron: '*/5 * * * *', timezone: 'UTC' }]);
    const list = await (await admin.get('/api/jobs')).json();
    expect(list.names).toContain('platform.retention');
  });

  it('deletes exactly the expired rate-limit counters, sessions and verification values, and keeps the rest', { timeout: 30_000 }, async () => {
    // rate-limit counters: one whose window started 25 hours ago (gone), one 23 hours ago and one just now (kept)
    await t.db.execute(sql`INSERT INTO rate_limit (name, key, window_start, hits) VALUES
      ('test.retention', 'old', now() - interval '25 hours', 3),
      ('test.retention', 'recent', now() - interval '23 hours', 2),
      ('test.retention', 'now', now(), 1)`);
    // sessions: the staff member's live one (signed in above), one that expired a minute ago, one that expires in a minute
    const expiredSession = id();
    const soonSession = id();
    await t.db.insert(session).values([
      { id: expiredSession, token: id(), userId: staff.user.id, expiresAt: new Date(Date.now() - 60_000) },
      { id: soonSession, token: id(), userId: staff.user.id, expiresAt: new Date(Date.now() + 60_000) },
    ]);
    const expiredValue = id();
    const liveValue = id();
    await t.db.insert(verification).values([
      { id: expiredValue, identifier: 'test-retention', value: 'x', expiresAt: new Date(Date.now() - 1000) },
      { id: liveValue, identifier: 'test-retention', value: 'y', expiresAt: new Date(Date.now() + 3_600_000) },
    ]);
    const before = {
      limits: await rows<{ name: string; key: string }>(t.db, sql`SELECT name, key FROM rate_limit ORDER BY name, key`),
      sessions: (await t.db.select({ id: session.id }).from(session)).map((r) => r.id).sort(),
      values: (await t.db.select({ id: verification.id }).from(verification)).map((r) => r.id).sort(),
    };

    const jobId = (await t.jobs.enqueue(t.db, 'platform.retention', {}))!;
    const done = await waitFor('the retention job to complete', async () => {
      const res = await admin.get(`/api/jobs/${jobId}`);
      const j = await res.json();
      return j.state === 'completed' ? j : null;
    });
    expect(done.name).toBe('platform.retention');

    const after = {
      limits: await rows<{ name: string; key: string }>(t.db, sql`SELECT name, key FROM rate_limit ORDER BY name, key`),
      sessions: (await t.db.select({ id: session.id }).from(session)).map((r) => r.id).sort(),
      values: (await t.db.select({ id: verification.id }).from(verification)).map((r) => r.id).sort(),
    };
    expect(after.limits).toEqual(before.limits.filter((r) => !(r.name === 'test.retention' && r.key === 'old')));
    expect(after.sessions).toEqual(before.sessions.filter((s) => s !== expiredSession));
    expect(after.sessions).toContain(soonSession);
    expect(after.values).toEqual(before.values.filter((v) => v !== expiredValue));
    expect(after.values).toContain(liveValue);

    // what each run deleted is its result on the jobs page; a scheduled run may have come first: together, one of each
    const runs = await (await admin.get('/api/jobs?name=platform.retention&state=completed')).json();
    const total = (runs.items as { result: Result }[]).reduce<Result>(
      (sum, j) => ({ rateLimits: sum.rateLimits + j.result.rateLimits, sessions: sum.sessions + j.result.sessions, verifications: sum.verifications + j.result.verifications }),
      { rateLimits: 0, sessions: 0, verifications: 0 },
    );
    expect(total).toEqual({ rateLimits: 1, sessions: 1, verifications: 1 });
    expect(runs.items.map((j: { id: string }) => j.id)).toContain(jobId);

    // the live sessions still work
    expect((await staff.get('/api/me')).status).toBe(200);
    expect((await admin.get('/api/me')).status).toBe(200);
  });
});
