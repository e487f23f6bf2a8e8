import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { sharedItem } from '../meetings/meetings.schema.ts';
import { normalizeName } from '../network/names.ts';
import { organisationName, person, personName } from '../network/network.schema.ts';
import { SearchIndex } from './search-index.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// The search index lives in each server process's memory; every write to an indexed text is logged by triggers
// (drizzle/0010_search_changes.sql) and each search catches up first. These tests write after the index was built,
// through the API and straight into the tables (as another process would), and search again.

const t = await createTestApp();
const staff = await t.signedIn('staff');

type Hit = { type: string; id: string; title: string; matched: string };
async function find(q: string, extra = ''): Promise<Hit[]> {
  const res = await staff.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()).items;
}

const olive = await buildOrganisation(t.db, { names: ['Olive Branch Circle', 'حلقة غصن الزيتون'] });

describe('the search index follows every write', () => {
  it('finds an organisation recorded through the API after the index was built', async () => {
    expect((await find('Olive Branch'))[0]).toMatchObject({ id: olive.id });
    const res = await staff.post('/api/organisations', { names: [{ name: 'Tent of Nations Forum' }, { name: 'منتدى خيمة الأمم' }], kind: 'member' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    // a typo, in Arabic
    expect((await find('منتدى خيمه الامم'))[0]).toMatchObject({ type: 'organisation', id: created.id, matched: 'منتدى خيمة الأمم' });
  });

  it('forgets a renamed name and a deleted record, and follows a name moved to another person (a merge)', async () => {
    const [name] = await t.db.select().from(organisationName).where(eq(organisationName.organisationId, olive.id));
    const arabic = (await t.db.select().from(organisationName).where(eq(organisationName.organisationId, olive.id))).find((n) => n.script === 'arabic')!;
    expect(name).toBeDefined();
    await t.db.update(organisationName).set({ name: 'حلقة الكرمة', norm: normalizeName('حلقة الكرمة') }).where(eq(organisationName.id, arabic.id));
    expect(await find('غصن الزيتون')).toEqual([]);
    expect((await find('حلقة الكرمة'))[0]).toMatchObject({ id: olive.id, matched: 'حلقة الكرمة' });

    const a = await buildPerson(t.db, { name: 'Dalia Mansour' });
    const b = await buildPerson(t.db, { name: 'Dalia Mansur', names: ['داليا منصور'] });
    expect((await find('داليا منصور'))[0]).toMatchObject({ id: b.id });
    await t.db.update(personName).set({ personId: a.id }).where(eq(personName.personId, b.id));
    await t.db.delete(person).where(eq(person.id, b.id));
    const hits = await find('داليا منصور', '&types=person');
    expect(hits.map((h) => h.id)).toEqual([a.id]);

    const m = await buildMeeting(t.db, { title: 'Harvest season coordination', organisations: [olive.id], sharedItems: [{ organisationId: olive.id, body: 'Tractors blocked at the northern gate' }] });
    expect((await find('tractors gate'))[0]).toMatchObject({ type: 'shared_item', id: m.sharedItems[0]!.id });
    await t.db.delete(sharedItem).where(eq(sharedItem.id, m.sharedItems[0]!.id));
    expect(await find('tractors gate')).toEqual([]);
    expect((await find('harvest coordination', '&types=meeting'))[0]).toMatchObject({ id: m.id });
  });

  it('finds a pseudonym given later, and no longer by the old one', async () => {
    const p = await buildPerson(t.db, { name: 'Ruth Levinson' });
    await t.db.update(person).set({ pseudonym: 'Official C, interior ministry', identityRestricted: true }).where(eq(person.id, p.id));
    expect((await find('Official C interior'))[0]).toMatchObject({ id: p.id, title: expect.any(String), matched: 'Official C, interior ministry' });
    await t.db.update(person).set({ pseudonym: 'Official D, defence ministry' }).where(eq(person.id, p.id));
    expect(await find('interior ministry', '&types=person')).toEqual([]);
  });

  it('a second process with its own index catches up from the log, and rebuilds after a truncation or a pruned log', async () => {
    const other = new SearchIndex();
    await other.sync(t.db);
    const before = other.stats().documents;
    const org = await buildOrganisation(t.db, { names: ['Parents Circle Families Forum'] });
    await other.sync(t.db);
    expect(other.stats().documents).toBe(before + 1);
    const hit = other.search('parents circle', new Set(['organisation']), 5).get('organisation')?.[0];
    expect(hit).toMatchObject({ recordId: org.id });

    // a restore truncates the tables (row triggers do not fire): the generation changes and the index is read again
    const [{ generation }] = await rows<{ generation: string }>(t.db, sql`SELECT generation::text FROM read_model.search_state`);
    await rows(t.db, sql`TRUNCATE organisation_name`);
    await other.sync(t.db);
    expect(other.search('parents circle', new Set(['organisation']), 5).get('organisation')).toBeUndefined();
    expect(other.search('olive', new Set(['organisation']), 5).get('organisation')).toBeUndefined();
    expect((await rows<{ generation: string }>(t.db, sql`SELECT generation::text FROM read_model.search_state`))[0]!.generation).not.toBe(generation);

    // entries pruned before this process applied them: it cannot catch up, so it rebuilds
    await buildOrganisation(t.db, { names: ['Combatants for Peace'] });
    const [{ seq }] = await rows<{ seq: string }>(t.db, sql`SELECT max(seq)::text AS seq FROM read_model.search_change`);
    await rows(t.db, sql`DELETE FROM read_model.search_change`);
    await rows(t.db, sql`UPDATE read_model.search_state SET pruned_upto = ${Number(seq)}`);
    const builds = other.stats().builds;
    await other.sync(t.db);
    expect(other.search('combatants peace', new Set(['organisation']), 5).get('organisation')).toHaveLength(1);
    expect(other.stats().builds).toBe(builds + 1);
    // the log is empty now: the index starts from where pruning stopped, and does not rebuild again and again
    await other.sync(t.db);
    await other.sync(t.db);
    expect(other.stats().builds).toBe(builds + 1);
    const fresh = new SearchIndex();
    await fresh.sync(t.db);
    await fresh.sync(t.db);
    expect(fresh.stats().builds).toBe(1);
  });

  it('logs a change only when the transaction commits', async () => {
    const [{ n: before }] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.search_change`);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.insert(organisationName).values({ organisationId: olive.id, name: 'Rolled back', script: 'latin', kind: 'short', norm: 'rolled back' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [{ n: after }] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM read_model.search_change`);
    expect(after).toBe(before);
    expect(await find('rolled back')).toEqual([]);
  });

  // Two transactions at once need two connections: PostgreSQL only (the embedded database has one).
  if (t.database.kind === 'postgres') {
    it('a transaction that commits after another is logged after it, so no process skips its change', async () => {
      const index = new SearchIndex();
      await index.sync(t.db);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const early = t.db.transaction(async (tx) => {
        await tx.insert(organisationName).values({ organisationId: olive.id, name: 'Early Writer', script: 'latin', kind: 'short', norm: 'early writer' });
        await gate;
      });
      await buildOrganisation(t.db, { names: ['Late Writer'] });
      await index.sync(t.db);
      expect(index.search('late writer', new Set(['organisation']), 5).get('organisation')).toHaveLength(1);
      release();
      await early;
      await index.sync(t.db);
      expect(index.search('early writer', new Set(['organisation']), 5).get('organisation')?.[0]).toMatchObject({ recordId: olive.id });
    });
  }
});
