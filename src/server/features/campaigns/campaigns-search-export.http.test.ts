import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';

// Campaigns in /api/search and in exports (docs/campaigns.md, "Search and exports"), under the rule of the campaign
// pages: a restricted campaign the reader was not granted is neither found nor counted nor audited; inside a campaign
// they see, a stance whose evidence is a meeting they may not see, and a target they may not see, are not in the file.

const t = await createTestApp();
const owner = await t.signedIn('staff', { name: 'Owner' });
const insider = await t.signedIn('staff', { name: 'Insider' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const viewer = await t.signedIn('viewer');

const missionA = await buildOrganisation(t.db, { name: '=HYPERLINK("http://x","Embassy")', kind: 'mission' });
const missionB = await buildOrganisation(t.db, { name: 'Embassy of Betaland', kind: 'mission' });
const secretPerson = await buildPerson(t.db, { name: 'Secret Envoy', restricted: true, grantedTo: [owner.user.id] });
const secretMeeting = await buildMeeting(t.db, {
  title: 'Quiet talk with the Alphaland ambassador',
  kind: 'diplomatic',
  restricted: true,
  organisations: [missionA.id],
  staffIds: [owner.user.id],
  startsAt: '2026-02-20T09:00:00Z',
});

let restrictedId = '';
let openId = '';
let ask1 = '';
let targetA = '';
let targetB = '';

type Hit = { type: string; id: string; title: string; matched: string };
async function find(c: TestClient, q: string, extra = ''): Promise<Hit[]> {
  const res = await c.get(`/api/search?q=${encodeURIComponent(q)}${extra}`);
  expect(res.status).toBe(200);
  return (await res.json()).items;
}
const reads = (actorId: string, entityType: string, entityId: string) =>
  t.db
    .select()
    .from(auditEntry)
    .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, actorId), eq(auditEntry.entityType, entityType), eq(auditEntry.entityId, entityId)));
const csvRows = (text: string) => text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

beforeAll(async () => {
  const c = await (
    await owner.post('/api/campaigns', {
      name: { en: 'G7: civil society in the day-after', ar: 'مجموعة السبع: المجتمع المدني في اليوم التالي' },
      asks: [{ en: 'An international fund for peacebuilding', he: 'קרן בינלאומית לבניית שלום' }, { en: 'A seat at the table' }],
    })
  ).json();
  restrictedId = c.id;
  ask1 = c.asks[0].id;
  expect((await owner.post(`/api/campaigns/${restrictedId}/grants`, { userId: insider.user.id })).status).toBe(201);
  targetA = (await (await owner.post(`/api/campaigns/${restrictedId}/targets`, { organisationId: missionA.id, groupLabel: 'G7' })).json()).id;
  targetB = (await (await owner.post(`/api/campaigns/${restrictedId}/targets`, { organisationId: missionB.id, groupLabel: 'G7' })).json()).id;
  const s = await owner.post(`/api/campaigns/${restrictedId}/targets`, { personId: secretPerson.id, groupLabel: 'Officials' });
  const targetSecret = (await s.json()).id;
  const ok = async (body: Record<string, unknown>) => expect((await owner.post(`/api/campaigns/${restrictedId}/stances`, body)).status).toBe(201);
  await ok({ targetId: targetA, askId: ask1, value: 'neutral', asOf: '2026-02-01', evidence: { kind: 'judgement', reason: 'Non-committal at the reception' } });
  await ok({ targetId: targetA, askId: ask1, value: 'supportive', asOf: '2026-02-20', evidence: { kind: 'meeting', meetingId: secretMeeting.id } });
  await ok({ targetId: targetB, askId: ask1, value: 'sceptical', asOf: '2026-02-03', evidence: { kind: 'statement', url: 'https://example.org/s', quote: '-2+3 said the minister' } });
  await ok({ targetId: targetSecret, askId: ask1, value: 'opposed', asOf: '2026-02-02', evidence: { kind: 'judgement', reason: 'Told us privately' } });
  openId = (await (await owner.post('/api/campaigns', { name: { en: 'Open letter on the peacebuilding fund' }, restricted: false })).json()).id;
});

describe('campaigns in /api/search', () => {
  it('finds a campaign by its name, an ask in another script, and with a typo', async () => {
    expect((await find(owner, 'civil society day-after'))[0]).toMatchObject({ type: 'campaign', id: restrictedId, title: 'G7: civil society in the day-after' });
    expect((await find(owner, 'קרן בינלאומית')).find((h) => h.type === 'campaign')).toMatchObject({ id: restrictedId, matched: 'קרן בינלאומית לבניית שלום' });
    expect((await find(owner, 'المجتمع المدنى', '&types=campaign'))[0]).toMatchObject({ id: restrictedId }); // ى for ي
    expect((await find(owner, 'socety', '&types=campaign'))[0]).toMatchObject({ id: restrictedId });
  });

  it('a restricted campaign not granted is not found, not counted, and leaves no audit trace; an open one is found by all', async () => {
    for (const c of [outsider, viewer]) {
      const hits = await find(c, 'peacebuilding fund', '&types=campaign');
      expect(hits.map((h) => h.id)).toEqual([openId]);
      expect(await reads(c.user.id, 'campaign', restrictedId)).toHaveLength(0);
    }
    const insiderHits = await find(insider, 'peacebuilding fund', '&types=campaign');
    expect(insiderHits.map((h) => h.id).sort()).toEqual([openId, restrictedId].sort());
    expect(await reads(insider.user.id, 'campaign', restrictedId)).toHaveLength(1);
    // other kinds only: no campaign read, no audit
    expect((await find(insider, 'civil society', '&types=organisation')).some((h) => h.type === 'campaign')).toBe(false);
  });

  it('refuses an unknown type, naming the field', async () => {
    const p = await problem(await owner.get('/api/search?q=fund&types=campaign,stance'), 400);
    expect(JSON.stringify(p)).toContain('types');
  });
});

describe('campaign exports', () => {
  it('the grid as CSV: the current stance as the reader sees it; a hidden meeting’s stance and a hidden target absent; formulas defused; audited', async () => {
    const res = await owner.get(`/api/campaigns/${restrictedId}/export/grid.csv?bom=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="campaign-grid-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder().decode(bytes);
    const ownerRows = csvRows(body);
    expect(ownerRows[0]).toBe('target,kind,group,ask_1: An international fund for peacebuilding,ask_2: A seat at the table,target_id');
    expect(ownerRows.find((r) => r.includes(targetA))).toContain(`"'=HYPERLINK(""http://x"",""Embassy"")",organisation,G7,supportive,unknown`);
    expect(ownerRows.find((r) => r.startsWith('Secret Envoy'))).toMatch(/^Secret Envoy,person,Officials,opposed,unknown,/);

    const insiderRows = csvRows(await (await insider.get(`/api/campaigns/${restrictedId}/export/grid.csv`)).text());
    expect(insiderRows.find((r) => r.includes(targetA))).toContain(',G7,neutral,unknown,');
    expect(insiderRows.join('\n')).not.toContain('Secret Envoy');
    expect(insiderRows).toHaveLength(3); // header and the two missions
    const [exp] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'campaign.export'), eq(auditEntry.actorId, insider.user.id)));
    expect(exp).toMatchObject({ entityType: 'campaign', entityId: restrictedId });
    expect(await reads(owner.user.id, 'meeting', secretMeeting.id)).not.toHaveLength(0);
    expect(await reads(insider.user.id, 'meeting', secretMeeting.id)).toHaveLength(0);
    expect(await reads(owner.user.id, 'person', secretPerson.id)).not.toHaveLength(0);
    expect(await reads(insider.user.id, 'person', secretPerson.id)).toHaveLength(0);
  });

  it('every stance with its evidence: the hidden ones not in the file, nor any trace of them', async () => {
    const ownerText = await (await owner.get(`/api/campaigns/${restrictedId}/export/stances.csv`)).text();
    expect(csvRows(ownerText)).toHaveLength(5);
    expect(ownerText).toContain('Quiet talk with the Alphaland ambassador');
    expect(ownerText).toContain("'-2+3 said the minister"); // a quote that a spreadsheet would run
    const insiderText = await (await insider.get(`/api/campaigns/${restrictedId}/export/stances.csv`)).text();
    const insiderRows = csvRows(insiderText);
    expect(insiderRows).toHaveLength(3);
    expect(insiderText).not.toContain('Quiet talk');
    expect(insiderText).not.toContain(secretMeeting.id);
    expect(insiderText).not.toContain('supportive');
    expect(insiderText).not.toContain('Told us privately');
  });

  it('a restricted campaign not granted: 404, as for one that does not exist, with no audit; a bad bom: 400', async () => {
    for (const what of ['grid', 'stances']) {
      await problem(await outsider.get(`/api/campaigns/${restrictedId}/export/${what}.csv`), 404);
      await problem(await viewer.get(`/api/campaigns/${restrictedId}/export/${what}.csv`), 404);
      await problem(await outsider.get(`/api/campaigns/00000000-0000-4000-8000-000000000000/export/${what}.csv`), 404);
    }
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'campaign.export'), eq(auditEntry.actorId, outsider.user.id)))).toHaveLength(0);
    await problem(await owner.get(`/api/campaigns/${restrictedId}/export/grid.csv?bom=yes`), 400);
    expect((await owner.get(`/api/campaigns/${restrictedId}/export/secrets.csv`)).status).toBe(404);
    expect((await viewer.get(`/api/campaigns/${openId}/export/grid.csv`)).status).toBe(200);
    expect((await t.app.request(`/api/campaigns/${openId}/export/grid.csv`)).status).toBe(401);
  });
});
