import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { campaignAsk, campaignDocument, campaignDocumentFile, campaignDocumentPassage, campaignMeeting, campaignTarget } from './campaigns.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildMeeting, buildOrganisation, buildPerson } from '../../../../tests/setup/network-factories.ts';

// Changing and removing what a campaign holds (docs/campaigns.md): documents and passages (a cited passage stays:
// 409 passage_is_evidence naming it), asks (one with stances stays: 409 ask_has_history), a target's group label,
// adding targets in bulk (all or nothing, each bad one named), untagging a meeting, and uploaded files (sniffed,
// limited, served only to readers of the campaign as an attachment with nosniff). Who may not: a viewer, a staff member
// the restricted campaign was not shared with (404, as for one that does not exist), and nothing written.

const t = await createTestApp();
const admin = await t.signedIn('admin');
const owner = await t.signedIn('staff', { name: 'Owner' });
const outsider = await t.signedIn('staff', { name: 'Outsider' });
const stranger = await t.signedIn('staff', { name: 'Stranger' });
const viewer = await t.signedIn('viewer', { name: 'Viewer' });
const grantedViewer = await t.signedIn('viewer', { name: 'Granted viewer' });

const missions = await Promise.all(['Alphaland', 'Betaland', 'Gammaland', 'Deltaland'].map((n) => buildOrganisation(t.db, { name: `Embassy of ${n}`, kind: 'mission' })));
const ngo = await buildOrganisation(t.db, { name: 'Women for Peace', kind: 'member' });
const secretPerson = await buildPerson(t.db, { name: 'Secret Envoy', restricted: true, grantedTo: [owner.user.id] });
const openPerson = await buildPerson(t.db, { name: 'Open Official' });
const meeting = await buildMeeting(t.db, { title: 'Talk with the Alphaland ambassador', kind: 'diplomatic', organisations: [missions[0]!.id], startsAt: '2026-02-20T09:00:00Z' });
const meeting2 = await buildMeeting(t.db, { title: 'Reception at Betaland', kind: 'diplomatic', organisations: [missions[1]!.id], startsAt: '2026-02-21T09:00:00Z' });

let cid = '';
let askCited = '';
let askFree = '';
let targetA = '';
let docId = '';
let citedPassage = '';
let freePassage = '';
const base = () => `/api/campaigns/${cid}`;

const audits = async (action: string) => (await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, action)))[0]!.n;

beforeAll(async () => {
  const c = await (await owner.post('/api/campaigns', { name: { en: 'G7: civil society' }, asks: [{ en: 'A role for civil society' }, { en: 'A fund' }] })).json();
  cid = c.id;
  askCited = c.asks[0].id;
  askFree = c.asks[1].id;
  expect((await owner.post(`${base()}/grants`, { userId: grantedViewer.user.id })).status).toBe(201);
  targetA = (await (await owner.post(`${base()}/targets`, { organisationId: missions[0]!.id, groupLabel: 'G7' })).json()).id;
  const d = await (
    await owner.post(`${base()}/documents`, {
      title: 'G7 communiqué',
      url: 'https://example.org/communique',
      passages: [
        { quote: 'We support a role for civil society in any diplomatic initiative.', locator: '§ 14' },
        { quote: 'We will consider a fund.', locator: '§ 15' },
      ],
    })
  ).json();
  docId = d.id;
  citedPassage = d.passages[0].id;
  freePassage = d.passages[1].id;
  const s = await owner.post(`${base()}/stances`, { targetId: targetA, askId: askCited, value: 'supportive', asOf: '2026-02-01', evidence: { kind: 'document_passage', passageId: citedPassage } });
  expect(s.status).toBe(201);
});

describe('documents and passages', () => {
  it('rewords a title, fixes a link; an outsider and a viewer may not (404 and 403), and nothing changes', async () => {
    const ok = await owner.patch(`${base()}/documents/${docId}`, { title: 'G7 leaders’ communiqué' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ title: 'G7 leaders’ communiqué', kind: 'link', fileName: null });
    await problem(await outsider.patch(`${base()}/documents/${docId}`, { title: 'Hijacked' }), 404);
    await problem(await grantedViewer.patch(`${base()}/documents/${docId}`, { title: 'Hijacked' }), 403);
    await problem(await owner.patch(`${base()}/documents/${docId}`, {}), 400);
    await problem(await owner.patch(`${base()}/documents/${docId}`, { url: 'javascript:alert(1)' }), 400);
    await problem(await owner.patch(`${base()}/documents/not-a-uuid`, { title: 'x' }), 404);
    const [d] = await t.db.select().from(campaignDocument).where(eq(campaignDocument.id, docId));
    expect(d!.title).toBe('G7 leaders’ communiqué');
    expect(await audits('campaign_document.update')).toBe(1);
  });

  it('a cited passage: its quote and its deletion are refused with 409 naming it; its locator can be fixed; a free one goes', async () => {
    const reword = await problem(await owner.patch(`${base()}/documents/${docId}/passages/${citedPassage}`, { quote: 'Something else' }), 409);
    expect(reword).toMatchObject({ code: 'passage_is_evidence' });
    expect(JSON.stringify(reword)).toContain('§ 14');
    const del = await problem(await owner.delete(`${base()}/documents/${docId}/passages/${citedPassage}`), 409);
    expect(del.errors).toEqual([{ field: 'path.passageId', detail: expect.stringContaining('§ 14') }]);
    expect((await owner.patch(`${base()}/documents/${docId}/passages/${citedPassage}`, { locator: '§ 14(a)' })).status).toBe(200);
    // the document holding it stays too, naming the passage
    const doc = await problem(await admin.delete(`${base()}/documents/${docId}`), 409);
    expect(doc.errors).toEqual([{ field: `passages.${citedPassage}`, detail: expect.stringContaining('§ 14(a)') }]);

    await problem(await outsider.delete(`${base()}/documents/${docId}/passages/${freePassage}`), 404);
    await problem(await viewer.delete(`${base()}/documents/${docId}/passages/${freePassage}`), 403);
    expect((await owner.patch(`${base()}/documents/${docId}/passages/${freePassage}`, { quote: 'We will consider an international fund.' })).status).toBe(200);
    expect((await owner.delete(`${base()}/documents/${docId}/passages/${freePassage}`)).status).toBe(204);
    const left = await t.db.select().from(campaignDocumentPassage).where(eq(campaignDocumentPassage.documentId, docId));
    expect(left.map((p) => p.id)).toEqual([citedPassage]);
    expect(await audits('campaign_passage.delete')).toBe(1);
  });

  it('adds a passage, and deletes a document none of whose passages is cited', async () => {
    const d = await (await owner.post(`${base()}/documents`, { title: 'Op-ed', url: 'https://example.org/op-ed' })).json();
    const p = await owner.post(`${base()}/documents/${d.id}/passages`, { quote: 'Peace needs its builders.', locator: 'para. 2' });
    expect(p.status).toBe(201);
    expect(await p.json()).toMatchObject({ quote: 'Peace needs its builders.', locator: 'para. 2', position: 0 });
    await problem(await owner.post(`${base()}/documents/${d.id}/passages`, { quote: '' }), 400);
    await problem(await outsider.post(`${base()}/documents/${d.id}/passages`, { quote: 'x' }), 404);
    await problem(await outsider.delete(`${base()}/documents/${d.id}`), 404);
    expect((await owner.delete(`${base()}/documents/${d.id}`)).status).toBe(204);
    expect(await t.db.select().from(campaignDocument).where(eq(campaignDocument.id, d.id))).toHaveLength(0);
  });
});

describe('asks', () => {
  it('an ask with a stance stays (409 ask_has_history naming it); one without goes; who may not, may not', async () => {
    const p = await problem(await admin.delete(`${base()}/asks/${askCited}`), 409);
    expect(p).toMatchObject({ code: 'ask_has_history', errors: [{ field: 'path.askId', detail: expect.stringContaining('A role for civil society') }] });
    await problem(await outsider.delete(`${base()}/asks/${askFree}`), 404);
    await problem(await grantedViewer.delete(`${base()}/asks/${askFree}`), 403);
    expect((await owner.delete(`${base()}/asks/${askFree}`)).status).toBe(204);
    await problem(await owner.delete(`${base()}/asks/${askFree}`), 404);
    expect((await t.db.select().from(campaignAsk).where(eq(campaignAsk.campaignId, cid))).map((a) => a.id)).toEqual([askCited]);
  });
});

describe('the asks\' order', () => {
  const order = async () => (await t.db.select({ id: campaignAsk.id, position: campaignAsk.position }).from(campaignAsk).where(eq(campaignAsk.campaignId, cid)).orderBy(campaignAsk.position)).map((a) => a.id);

  it('puts every ask in a new order in one request, shown in that order to every reader; audited', async () => {
    await owner.post(`${base()}/asks`, { text: { en: 'Observers at the talks' } });
    const third = (await (await owner.post(`${base()}/asks`, { text: { en: 'Visas for civil society delegations' } })).json()).id as string;
    const before = await order();
    expect(before).toHaveLength(3); // one ask was removed above
    const wanted = [third, ...before.filter((a) => a !== third)];
    const res = await owner.put(`${base()}/asks/order`, { askIds: wanted });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { id: string; position: number }[] }).items.map((a) => [a.id, a.position])).toEqual(wanted.map((a, i) => [a, i]));
    expect(await order()).toEqual(wanted);
    // the campaign as a granted viewer reads it follows the order
    expect(((await (await grantedViewer.get(base())).json()) as { asks: { id: string }[] }).asks.map((a) => a.id)).toEqual(wanted);
    const audit = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'campaign_ask.reorder'), eq(auditEntry.entityId, cid)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toEqual({ askIds: wanted });
  });

  it('refuses an order that leaves an ask out, names one twice or names another campaign\'s (422 naming body.askIds); who may not, may not; nothing changes', async () => {
    const kept = await order();
    const other = await (await owner.post('/api/campaigns', { name: { en: 'Another' }, asks: [{ en: 'Elsewhere' }] })).json();
    for (const askIds of [kept.slice(1), [kept[0], ...kept], [...kept.slice(1), other.asks[0].id], [...kept.slice(1), crypto.randomUUID()]]) {
      const p = await problem(await owner.put(`${base()}/asks/order`, { askIds }), 422);
      expect([p.code, p.errors?.[0]?.field]).toEqual(['invalid_ask_order', 'body.askIds']);
    }
    await problem(await owner.put(`${base()}/asks/order`, { askIds: ['not-a-uuid'] }), 400);
    await problem(await owner.put(`${base()}/asks/order`, { askIds: [] }), 400);
    await problem(await owner.put(`${base()}/asks/order`, { askIds: kept, extra: 1 }), 400);
    const reversed = [...kept].reverse();
    await problem(await outsider.put(`${base()}/asks/order`, { askIds: reversed }), 404);
    await problem(await grantedViewer.put(`${base()}/asks/order`, { askIds: reversed }), 403);
    await problem(await t.client().put(`${base()}/asks/order`, { askIds: reversed }), 401);
    expect(await order()).toEqual(kept);
    // an administrator may
    expect((await admin.put(`${base()}/asks/order`, { askIds: reversed })).status).toBe(200);
    expect(await order()).toEqual(reversed);
  });
});

describe('targets', () => {
  it("changes a target's group label (or clears it)", async () => {
    const res = await owner.patch(`${base()}/targets/${targetA}`, { groupLabel: 'G7 missions' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: targetA, groupLabel: 'G7 missions' });
    expect(await (await owner.patch(`${base()}/targets/${targetA}`, { groupLabel: null })).json()).toMatchObject({ groupLabel: null });
    await problem(await owner.patch(`${base()}/targets/${targetA}`, { groupLabel: 'x'.repeat(61) }), 400);
    await problem(await owner.patch(`${base()}/targets/${targetA}`, {}), 400);
    await problem(await outsider.patch(`${base()}/targets/${targetA}`, { groupLabel: 'Mine' }), 404);
    await problem(await grantedViewer.patch(`${base()}/targets/${targetA}`, { groupLabel: 'Mine' }), 403);
    const [row] = await t.db.select().from(campaignTarget).where(eq(campaignTarget.id, targetA));
    expect(row!.groupLabel).toBeNull();
  });

  it('bulk: all or nothing, every bad target named; a person one may not see is as one that does not exist', async () => {
    const bad = await problem(
      await outsider.post(`${base()}/targets/bulk`, { targets: [{ organisationId: missions[1]!.id }] }),
      404,
    );
    expect(bad.code).toBe('campaign_not_found');
    const p = await problem(
      await owner.post(`${base()}/targets/bulk`, {
        targets: [
          { organisationId: missions[1]!.id, groupLabel: 'G7' },
          { organisationId: ngo.id, groupLabel: 'G7' },
          { organisationId: missions[0]!.id },
          { organisationId: missions[2]!.id },
          { organisationId: missions[2]!.id },
          { organisationId: '00000000-0000-4000-8000-000000000000' },
          { personId: openPerson.id, groupLabel: 'Officials' },
        ],
      }),
      422,
    );
    expect(p.code).toBe('invalid_targets');
    expect(p.errors).toEqual([
      { field: 'body.targets.1.organisationId', detail: 'Not a government or mission' },
      { field: 'body.targets.2.organisationId', detail: 'Already a target of this campaign' },
      { field: 'body.targets.4.organisationId', detail: 'Given twice' },
      { field: 'body.targets.5.organisationId', detail: 'No such record' },
    ]);
    expect(await t.db.select().from(campaignTarget).where(eq(campaignTarget.campaignId, cid))).toHaveLength(1);
    // a restricted person: the owner (granted) may add them, an admin too; a staff member not granted gets "No such record"
    expect((await owner.post(`${base()}/grants`, { userId: outsider.user.id })).status).toBe(201);
    const hidden = await problem(await outsider.post(`${base()}/targets/bulk`, { targets: [{ personId: secretPerson.id }] }), 422);
    expect(hidden.errors).toEqual([{ field: 'body.targets.0.personId', detail: 'No such record' }]);
    await problem(await owner.post(`${base()}/targets/bulk`, { targets: [] }), 400);
    await problem(await owner.post(`${base()}/targets/bulk`, { targets: [{ organisationId: missions[1]!.id, personId: openPerson.id }] }), 400);
    await problem(await grantedViewer.post(`${base()}/targets/bulk`, { targets: [{ organisationId: missions[1]!.id }] }), 403);

    const ok = await owner.post(`${base()}/targets/bulk`, {
      targets: [
        { organisationId: missions[1]!.id, groupLabel: 'G7' },
        { organisationId: missions[2]!.id, groupLabel: 'G7' },
        { personId: secretPerson.id, groupLabel: 'Officials' },
      ],
    });
    expect(ok.status).toBe(201);
    const { items } = await ok.json();
    expect(items.map((x: { name: string }) => x.name)).toEqual(['Embassy of Betaland', 'Embassy of Gammaland', 'Secret Envoy']);
    expect(await t.db.select().from(campaignTarget).where(eq(campaignTarget.campaignId, cid))).toHaveLength(4);
  });
});

describe('untagging a meeting', () => {
  it('untags a meeting the caller sees; the meeting stays; 404 for one not tagged; a tag naming a target hidden from the caller is only untagged by who sees it', async () => {
    expect((await owner.post(`${base()}/meetings`, { meetingId: meeting.id, targetIds: [targetA], askIds: [askCited] })).status).toBe(200);
    await problem(await stranger.delete(`${base()}/meetings/${meeting.id}`), 404); // not shared: the campaign does not exist for them
    await problem(await viewer.delete(`${base()}/meetings/${meeting.id}`), 403);
    await problem(await grantedViewer.delete(`${base()}/meetings/${meeting.id}`), 403);
    expect((await owner.delete(`${base()}/meetings/${meeting.id}`)).status).toBe(204);
    expect(await t.db.select().from(campaignMeeting).where(eq(campaignMeeting.campaignId, cid))).toHaveLength(0);
    expect((await owner.get(`/api/meetings/${meeting.id}`)).status).toBe(200);
    await problem(await owner.delete(`${base()}/meetings/${meeting.id}`), 404);
    await problem(await owner.delete(`${base()}/meetings/not-a-uuid`), 404);

    const secretTarget = (await (await owner.get(base())).json()).targets.find((x: { name: string }) => x.name === 'Secret Envoy').id;
    expect((await owner.post(`${base()}/meetings`, { meetingId: meeting2.id, targetIds: [secretTarget] })).status).toBe(200);
    const p = await problem(await outsider.delete(`${base()}/meetings/${meeting2.id}`), 409);
    expect(p.code).toBe('campaign_has_protected_records');
    expect(JSON.stringify(p)).not.toContain('Secret');
    expect(await t.db.select().from(campaignMeeting).where(and(eq(campaignMeeting.campaignId, cid), eq(campaignMeeting.meetingId, meeting2.id)))).toHaveLength(1);
    expect((await owner.delete(`${base()}/meetings/${meeting2.id}`)).status).toBe(204);
    expect(await audits('campaign_meeting.untag')).toBe(2);
  });
});

describe('uploaded documents', () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const upload = (c: TestClient, bytes: Uint8Array<ArrayBuffer>, name: string, type = 'application/pdf', title?: string, campaignId = cid) => {
    const form = new FormData();
    form.set('file', new File([bytes], name, { type }));
    if (title) form.set('title', title);
    return c.request(`/api/campaigns/${campaignId}/documents/upload`, { method: 'POST', body: form });
  };

  it('takes a PDF, keeps its bytes, and serves them only to readers of the campaign, as an attachment with nosniff; reads audited', async () => {
    const res = await upload(owner, PDF, 'communiqué ‮fdp.exe', 'application/pdf', 'Communiqué (PDF)');
    expect(res.status).toBe(201);
    const doc = await res.json();
    expect(doc).toMatchObject({ kind: 'file', title: 'Communiqué (PDF)', mediaType: 'application/pdf', byteSize: PDF.byteLength, url: null });
    // a passage of an uploaded document
    expect((await owner.post(`${base()}/documents/${doc.id}/passages`, { quote: 'Civil society', locator: 'p. 1' })).status).toBe(201);

    const file = await grantedViewer.get(`${base()}/documents/${doc.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    const [read] = await t.db
      .select()
      .from(auditEntry)
      .where(and(eq(auditEntry.action, 'record.read'), eq(auditEntry.actorId, grantedViewer.user.id), eq(auditEntry.entityType, 'campaign_document'), eq(auditEntry.entityId, doc.id)));
    expect(read).toBeTruthy();

    await problem(await viewer.get(`${base()}/documents/${doc.id}/file`), 404);
    expect(await t.db.select().from(auditEntry).where(and(eq(auditEntry.actorId, viewer.user.id), eq(auditEntry.entityId, doc.id)))).toHaveLength(0);
    expect((await t.app.request(`${base()}/documents/${doc.id}/file`)).status).toBe(401);
    // a link document has no file
    await problem(await owner.get(`${base()}/documents/${docId}/file`), 404);
    // a file has no link to change
    expect((await problem(await owner.patch(`${base()}/documents/${doc.id}`, { url: 'https://example.org/x' }), 422)).code).toBe('invalid_document');
  });

  it('judges the bytes, not the name or the claimed type: HTML called a PDF, an empty file, a zip that is not an office file: 422, nothing written', async () => {
    const before = (await t.db.select({ n: count() }).from(campaignDocumentFile))[0]!.n;
    const html = await problem(await upload(owner, Buffer.from('<html><script>alert(1)</script></html>'), 'report.pdf'), 422);
    expect(html).toMatchObject({ code: 'unsupported_document', errors: [{ field: 'body.file', detail: expect.any(String) }] });
    expect((await problem(await upload(owner, new Uint8Array(0), 'empty.pdf'), 422)).code).toBe('unsupported_document');
    expect((await problem(await upload(owner, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'archive.zip', 'application/zip'), 422)).code).toBe('unsupported_document');
    expect((await problem(await upload(owner, Buffer.from([0x68, 0x69, 0x00, 0x01]), 'notes.txt', 'text/plain'), 422)).code).toBe('unsupported_document');
    expect((await problem(await upload(owner, Buffer.from([0xc3, 0x28]), 'notes.txt', 'text/plain'), 422)).code).toBe('unsupported_document');
    // what the bytes are decides: a PNG uploaded as "text/html" is served as a PNG
    const png = await upload(owner, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'map.png', 'text/html');
    expect(png.status).toBe(201);
    expect((await png.json()).mediaType).toBe('image/png');
    const txt = await upload(owner, Buffer.from('ملاحظات — הערות — notes\n'), 'notes.txt', 'text/plain');
    expect(txt.status).toBe(201);
    expect((await txt.json()).mediaType).toBe('text/plain; charset=utf-8');
    expect((await t.db.select({ n: count() }).from(campaignDocumentFile))[0]!.n).toBe(before + 2);
  });

  it('refuses a file above 20 MiB, and a body above the route’s limit before reading it', async () => {
    const big = new Uint8Array(20 * 1024 * 1024 + 1);
    big.set(PDF.subarray(0, 8));
    const p = await problem(await upload(owner, big, 'big.pdf'), 422);
    expect(p.code).toBe('document_too_large');
    const huge = await owner.request(`${base()}/documents/upload`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(30 * 1024 * 1024) },
      body: 'x',
    });
    expect(huge.status).toBe(413);
  });

  it('who may not upload: a staff member not granted (404), a viewer (403), no file field (400)', async () => {
    await problem(await upload(stranger, PDF, 'a.pdf'), 404);
    await problem(await upload(viewer, PDF, 'a.pdf'), 403);
    await problem(await upload(grantedViewer, PDF, 'a.pdf'), 403);
    const form = new FormData();
    form.set('title', 'No file');
    await problem(await owner.request(`${base()}/documents/upload`, { method: 'POST', body: form }), 400);
  });
});

describe('a next step from the campaign page', () => {
  it("is a Network follow-up about a mission target's organisation, with owner and due day, listed in the campaign's coverage", async () => {
    const res = await owner.post('/api/follow-ups', { title: 'Send the civil society paper', ownerId: owner.user.id, dueDate: '2027-01-15', organisationId: missions[0]!.id });
    expect(res.status).toBe(201);
    const f = await res.json();
    const coverage = await (await grantedViewer.get(`${base()}/coverage`)).json();
    const row = coverage.targets.find((x: { targetId: string }) => x.targetId === targetA);
    expect(row.openFollowUps).toEqual([expect.objectContaining({ id: f.id, title: 'Send the civil society paper', dueDate: '2027-01-15', ownerId: owner.user.id, ownerName: 'Owner' })]);
    // a viewer may not add one; a bad owner is named
    await problem(await grantedViewer.post('/api/follow-ups', { title: 'x', ownerId: grantedViewer.user.id, organisationId: missions[0]!.id }), 403);
    expect(JSON.stringify(await problem(await owner.post('/api/follow-ups', { title: 'x', ownerId: 'nobody', organisationId: missions[0]!.id }), 422))).toContain('ownerId');
  });
});
