import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app.ts';
import { user } from './accounts.schema.ts';
import { createTestApp, problem } from '../../../../tests/setup/test-app.ts';

// Behind a balancer the first administrator's link is opened on whichever server the balancer picks: every server
// started before anyone set up printed a link of its own, and each takes any of them (their hashes are in the database).

const t = await createTestApp();
const other = await createApp({ db: t.db, kind: t.database.kind, config: t.config, listen: t.database.listen });
const admin = { name: 'First Admin', email: 'admin@example.org', password: 'correct horse battery', locale: 'ar', timeZone: 'Asia/Hebron' };
const post = (app: typeof t.app, body: object) =>
  app.request('/api/setup', { method: 'POST', headers: { 'content-type': 'application/json', origin: t.config.publicUrl }, body: JSON.stringify(body) });

describe('the setup link, with two servers on one database', () => {
  it('one server takes the link the other printed, once; then neither takes any', async () => {
    const links = [t.setup.token!, other.setup.token!];
    expect(other.setup.token).toMatch(/^[\w-]{20,}$/);
    expect(other.setup.token).not.toBe(t.setup.token);
    expect((await problem(await post(other.app, { ...admin, token: `${t.setup.token}x` }), 403)).code).toBe('invalid_setup_token');
    expect((await post(other.app, { ...admin, token: t.setup.token })).status).toBe(201);
    const [n] = await t.db.select({ n: count() }).from(user);
    expect(n!.n).toBe(1);
    // both links are used up, on both servers
    for (const app of [t.app, other.app]) for (const token of links) expect((await problem(await post(app, { ...admin, email: 'second@example.org', token }), 403)).code).toBe('invalid_setup_token');
  });
});
