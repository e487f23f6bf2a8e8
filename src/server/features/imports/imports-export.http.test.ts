import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { buildFollowUp, buildMeeting, buildOrganisation, buildPerson, isoDay } from '../../../../tests/setup/network-factories.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';

// CSV exports through HTTP: the list's filters, need-to-know, BOM, RFC 4180 quoting, CSV injection, audit.

const t = await createTestApp();
let staff: TestClient & { user: { id: string; email: string } };
let admin: TestClient & { user: { id: string } };
let viewer: TestClient & { user: { id: string } };

function rowsOf(text: string): Record<string, string>[] {
  return parse(text, { columns: true, bom: true }) as Record<string, string>[];
}

beforeAll(async () => {
  staff = (await t.signedIn('staff')) as never;
  admin = (await t.signedIn('admin')) as never;
  viewer = (await t.signedIn('viewer')) as never;
  const haifa = await buildOrganisation(t.db, { names: ['Sadaka "Friends", Haifa', 'צדקה', 'صداقة'], city: 'Haifa', tags: ['youth'], ownerId: staff.user.id });
  await buildOrganisation(t.db, { names: ['=HYPERLINK("http://evil")'], city: 'Jenin' });
  await buildOrganisation(t.db, { names: ['Missions Org'], kind: 'mission', city: 'Haifa' });
  await buildPerson(t.db, { name: 'Open Person', contacts: [{ kind: 'email', value: 'open@example.org' }], affiliations: [{ organisationId: haifa.id, title: 'Chair' }] });
  await buildPerson(t.db, { name: 'Hidden Person', restricted: true });
  await buildPerson(t.db, { name: 'Real Name', identityRestricted: true, pseudonym: 'Official A', contacts: [{ kind: 'email', value: 'real@example.org' }] });
  await buildMeeting(t.db, { title: 'Open meeting in Ramallah', city: 'Ramallah', organisations: [haifa.id], startsAt: '2024-07-09T08:30:00Z', timeZone: 'Asia/Hebron' });
  const secret = await buildMeeting(t.db, { title: 'Secret meeting', restricted: true, organisations: [haifa.id], staffIds: [admin.user.id] });
  await buildFollowUp(t.db, { title: 'Open follow-up', ownerId: staff.user.id, organisationId: haifa.id, dueDate: isoDay(-3) });
  await buildFollowUp(t.db, { title: 'Follow-up of the secret meeting', ownerId: admin.user.id, meetingId: secret.id });
});

describe('GET /api/exports/organisations.csv', () => {
  it('is RFC 4180 CSV with the list filters, a file name, quoting and CSV-injection guard', async () => {
    const res = await viewer.get('/api/exports/organisations.csv?city=haifa&kind=member');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="organisations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).toContain('"Sadaka ""Friends"", Haifa"');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = rowsOf(text);
    expect(rows.map((r) => r.name)).toEqual(['Sadaka "Friends", Haifa']);
    expect(rows[0]).toMatchObject({ name_he: 'צדקה', name_ar: 'صداقة', kind: 'member', city: 'Haifa', tags: 'youth', owner_email: staff.user.email });

    const all = rowsOf(await (await viewer.get('/api/exports/organisations.csv')).text());
    expect(all.map((r) => r.name)).toContain(`'=HYPERLINK("http://evil")`);
  });

  it('?bom=1 starts with a UTF-8 byte-order mark', async () => {
    const res = await viewer.get('/api/exports/organisations.csv?bom=1');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('צדקה');
  });

  it('rejects a bad filter, naming it; anonymous callers 401', async () => {
    const bad = await problem(await viewer.get('/api/exports/organisations.csv?kind=alliance'), 400);
    expect(bad.errors!.map((e) => e.field)).toEqual(['query.kind']);
    await problem(await t.client().get('/api/exports/organisations.csv'), 401);
    await problem(await t.client().get('/api/exports/people.csv'), 401);
  });

  it('is audited with its filter', async () => {
    await viewer.get('/api/exports/organisations.csv?city=Jenin&bom=1');
    const entries = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'export'));
    expect(entries.find((e) => (e.detail as { filter: { city?: string } }).filter.city === 'Jenin')).toMatchObject({
      actorId: viewer.user.id,
      entityType: 'organisations',
      detail: { list: 'organisations', filter: { city: 'Jenin' }, rows: 1, bom: true },
    });
  });
});

describe('need-to-know in exports', () => {
  it('people: a restricted person never appears; an identity-restricted one only by pseudonym', async () => {
    const rows = rowsOf(await (await viewer.get('/api/exports/people.csv')).text());
    expect(rows.map((r) => r.name).sort()).toEqual(['Official A', 'Open Person']);
    const pseudo = rows.find((r) => r.name === 'Official A')!;
    expect(pseudo.email).toBe('');
    const open = rows.find((r) => r.name === 'Open Person')!;
    expect(open).toMatchObject({ email: 'open@example.org', organisation: 'Sadaka "Friends", Haifa', title: 'Chair' });
    const adminRows = rowsOf(await (await admin.get('/api/exports/people.csv')).text());
    expect(adminRows.map((r) => r.name).sort()).toEqual(['Hidden Person', 'Official A', 'Open Person']);
    // the restricted records an admin exported are audited as reads
    const reads = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'record.read'));
    expect(reads.some((r) => r.actorId === admin.user.id && r.entityType === 'person')).toBe(true);
  });

  it('meetings: a restricted meeting never appears; local time of the place is shown', async () => {
    const rows = rowsOf(await (await viewer.get('/api/exports/meetings.csv')).text());
    expect(rows.map((r) => r.title)).toEqual(['Open meeting in Ramallah']);
    expect(rows[0]).toMatchObject({ starts_at_local: '2024-07-09 11:30', time_zone: 'Asia/Hebron', organisations: 'Sadaka "Friends", Haifa', starts_at: '2024-07-09T08:30:00.000Z' });
    const adminRows = rowsOf(await (await admin.get('/api/exports/meetings.csv')).text());
    expect(adminRows.map((r) => r.title).sort()).toEqual(['Open meeting in Ramallah', 'Secret meeting']);
    const filtered = rowsOf(await (await viewer.get('/api/exports/meetings.csv?city=Ramallah&kind=call')).text());
    expect(filtered).toEqual([]);
  });

  it('follow-ups and member health: nothing of the restricted meeting', async () => {
    const fus = rowsOf(await (await viewer.get('/api/exports/follow-ups.csv')).text());
    expect(fus.map((r) => r.title)).toEqual(['Open follow-up']);
    expect(fus[0]).toMatchObject({ overdue: 'true', organisation: 'Sadaka "Friends", Haifa' });
    const mine = rowsOf(await (await staff.get('/api/exports/follow-ups.csv?mine=true')).text());
    expect(mine.map((r) => r.title)).toEqual(['Open follow-up']);

    const health = rowsOf(await (await viewer.get('/api/exports/member-health.csv?status=any')).text());
    const sadaka = health.find((r) => r.name === 'Sadaka "Friends", Haifa')!;
    // the restricted meeting (yesterday) is not its last meeting for the viewer
    expect(sadaka.last_meeting_at).toMatch(/^2024-07-09T08:30:00/);
    expect(health.map((r) => r.name)).not.toContain('Missions Org');
    const adminHealth = rowsOf(await (await admin.get('/api/exports/member-health.csv?status=any')).text());
    expect(adminHealth.find((r) => r.name === 'Sadaka "Friends", Haifa')!.last_meeting_at).not.toMatch(/^2024-07-09/);
  });
});
