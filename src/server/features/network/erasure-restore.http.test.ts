import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { describeReapplied, parseErasureList, reapplyInDatabase } from '../../../cli/erasures.ts';
import { rows } from '../../db/client.ts';
import { backupDatabase, restoreDatabase } from '../../db/backup.ts';
import { erasureRecords, reapplyErasures } from './erasure.service.ts';
import { dumpDatabase, findIn, needlesOf } from '../../../../tests/setup/erasure-scan.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';

// A backup made before an erasure still holds what was erased. Restoring it the way `convene restore` does re-applies
// the database's erasures in the restore's own transaction; a list kept beside the backups (`convene erasures list
// --json`) re-applies them to a database restored some other way. Either way nothing of the erased record is left.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-erasure-restore-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;
async function ok(res: Response | Promise<Response>): Promise<Json> {
  const r = await res;
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${r.status}: ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

const N = { latin: 'Ilsa Varnokhova', hebrew: 'אילסה ורנוחובה', arabic: 'إلسا فارنوخوفا', email: 'ilsa.varnokhova@example.org', org: 'Tidewater Quorum Circle' };
const needles = needlesOf(Object.values(N));

describe('erasures survive a restore of an older backup', () => {
  it('restore re-applies them in its transaction; a kept list re-applies them afterwards; both leave nothing', async () => {
    const org = await ok(admin.post('/api/organisations', { kind: 'member', status: 'active', name: N.org, names: [{ name: N.org }], description: 'Meets by the pier' }));
    const p = await ok(admin.post('/api/people', { names: [{ name: N.latin }, { name: N.hebrew, kind: 'alternate' }, { name: N.arabic, kind: 'alternate' }], contacts: [{ kind: 'email', value: N.email }] }));
    const meeting = await ok(
      admin.post('/api/meetings', {
        kind: 'group',
        title: `Pier meeting with ${N.latin}`,
        startsAt: '2026-11-02T09:00:00Z',
        endsAt: '2026-11-02T10:00:00Z',
        timeZone: 'Asia/Jerusalem',
        organisations: [{ organisationId: org.id }],
        people: [{ personId: p.id }],
      }),
    );
    const before = path.join(dir, 'before.jsonl.gz');
    await backupDatabase(t.db, before);

    const prev = await ok(admin.get(`/api/people/${p.id}/erasure/preview`));
    const person = await ok(admin.post(`/api/people/${p.id}/erasure`, { confirmName: N.latin, redact: prev.mentions.map((m: Json) => ({ kind: m.kind, id: m.id })) }));
    const organisation = await ok(admin.post(`/api/organisations/${org.id}/erasure`, { confirmName: N.org }));
    expect(findIn(await dumpDatabase(t.db), needles)).toEqual([]);
    const list = await erasureRecords(t.db);
    expect(list.map((e) => e.recordId)).toEqual([p.id, org.id]);
    expect(list[0]!.redact).toEqual([{ kind: 'meeting_title', id: meeting.id }]);
    // the list holds ids and references, nothing of what was erased
    const kept = list.map((e) => JSON.stringify(e)).join('\n');
    expect(needles.filter((n) => kept.toLowerCase().includes(n))).toEqual([]);

    // ---- `convene restore` of the older backup: the data comes back and is erased again before anyone sees it
    let outcome: Awaited<ReturnType<typeof reapplyErasures>> | undefined;
    await restoreDatabase(t.db, before, { afterLoad: async (tx) => void (outcome = await reapplyErasures(tx, list)) });
    expect(outcome).toMatchObject({ reapplied: 2, alreadyErased: 0, absent: 0 });
    expect(describeReapplied(outcome!)).toBe('Erasures re-applied: 2; already erased: 0; records not in the database: 0.');
    expect(findIn(await dumpDatabase(t.db), needles)).toEqual([]);
    const shown = await ok(admin.get(`/api/people/${p.id}`));
    expect(shown.displayName).toBe(person.erasure.tombstone);
    expect((await ok(admin.get(`/api/meetings/${meeting.id}`))).title).toBe(`Pier meeting with [${person.erasure.tombstone}]`);
    expect((await ok(admin.get(`/api/organisations/${org.id}`))).name).toBe(organisation.erasure.tombstone);
    // the same erasures, references and dates; the audit says they were re-applied
    expect((await erasureRecords(t.db)).map((e) => [e.id, e.reference, e.erasedAt])).toEqual(list.map((e) => [e.id, e.reference, e.erasedAt]));
    const audit = await ok(admin.get(`/api/audit?action=person.erase&entityId=${p.id}`));
    expect(audit.items[0]).toMatchObject({ actorId: null, detail: { reference: person.erasure.reference, reapplied: true } });
    // the read models were rebuilt from the restored, re-erased tables; search has nothing to find
    const cards = await rows<{ card: string }>(
      t.db,
      sql`SELECT card::text AS card FROM read_model.organisation_card UNION ALL SELECT item FROM read_model.member_health`,
    );
    expect(cards.map((c) => c.card).join()).not.toContain(N.org);
    expect((await ok(admin.get(`/api/search?q=${encodeURIComponent(N.hebrew)}`))).items).toEqual([]);

    // ---- a database restored some other way (its erasure table as old as the backup): the kept list re-applies
    await restoreDatabase(t.db, before);
    expect(findIn(await dumpDatabase(t.db), needles).length).toBeGreaterThan(0);
    expect(await erasureRecords(t.db)).toEqual([]);
    const file = list.map((e) => JSON.stringify(e)).join('\n');
    const again = await reapplyInDatabase(t.db, parseErasureList(file, 'erasures.jsonl'));
    expect(again).toEqual({ reapplied: 2, alreadyErased: 0, absent: 0 });
    expect(findIn(await dumpDatabase(t.db), needles)).toEqual([]);
    expect(await reapplyInDatabase(t.db, parseErasureList(file, 'erasures.jsonl'))).toEqual({ reapplied: 0, alreadyErased: 2, absent: 0 });
    // a record the database does not hold is only noted
    const ghost = { ...list[0]!, id: '00000000-0000-4000-8000-0000000000a1', recordId: '00000000-0000-4000-8000-0000000000b2', reference: 'ZZZZ', tombstone: 'Erased person · ZZZZ' };
    expect(await reapplyInDatabase(t.db, [ghost])).toEqual({ reapplied: 0, alreadyErased: 0, absent: 1 });
    expect(() => parseErasureList('{"id":"x"}', 'bad.jsonl')).toThrow('bad.jsonl, entry 1');
  });
});
