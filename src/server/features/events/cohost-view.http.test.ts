import { HtmlValidate } from 'html-validate';
import { and, count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { checkinScan, event, registration, registrationQuestion, ticket } from './events.schema.ts';
import { cohostViewLink } from './cohost-view.schema.ts';
import { createQuestion, createReferralLink } from './events.service.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { buildReport, loadEventById } from './reports.service.ts';
import { createTestApp, ORIGIN } from '../../../../tests/setup/test-app.ts';
import { buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// Co-host views (issue 12, items 3 and 14): by a secret link (/e/{slug}/cohost/{token}) and in the staff API. A
// co-host sees its own figures only; in "contacts" mode the names and contacts of those who came through its links
// AND agreed to share with it; in "aggregate" mode no name at all. Revoked links are 404. Viewers read figures, never
// a contact. Reports and CSV exports (?bom=1): staff everything, co-hosts theirs.
const t = await createTestApp({ jobs: { work: false } });
const staff = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const anonymous = t.client();
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file' };

const parents = await buildOrganisation(t.db, { name: 'Parents Circle' });
const youth = await buildOrganisation(t.db, { name: 'Youth Bridge' });
const women = await buildOrganisation(t.db, { name: 'Women Wage Peace' });
const outsider = await buildOrganisation(t.db, { name: 'Not a co-host' });
const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, {
  slug: 'cohosted',
  capacity: 4,
  terms: true,
  cohosts: [
    { organisationId: parents.id, sharingMode: 'contacts' },
    { organisationId: youth.id, sharingMode: 'aggregate' },
    { organisationId: women.id, sharingMode: 'contacts' },
  ],
});
const other = await buildOpenEvent(t.db, ctx, { slug: 'another-event', capacity: 4, cohosts: [{ organisationId: parents.id, sharingMode: 'contacts' }] });
const share = await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'share_with_cohost', label: { en: 'Share my details with the organisation that invited me' } });
const termsId = (await t.db.select().from(registrationQuestion).where(and(eq(registrationQuestion.eventId, e.id), eq(registrationQuestion.consentPurpose, 'terms'))))[0]!.id;

const linkOf = async (organisationId: string) => (await createReferralLink(t.db, ctx, ORIGIN, e.id, { organisationId, channel: 'newsletter' })).code;
const refs = { parents: await linkOf(parents.id), youth: await linkOf(youth.id), women: await linkOf(women.id) };

let n = 0;
async function person(name: string, ref: string | null, shares: boolean) {
  const answers: Record<string, string> = { [termsId]: 'yes' };
  if (shares) answers[share.id] = 'yes';
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}@example.org`;
  const r = await register(t.db, { actor: null, ip: `198.51.100.${++n}`, userAgent: '' }, deps, 'cohosted', { email, name, language: 'en', ticketTypeId: tt.id, answers, ref });
  return { ...r, email, name };
}
// four places: four tickets, then two waiting
const amal = await person('Amal Haddad', refs.parents, true);
const avi = await person('Avi Cohen', refs.parents, false);
const bashir = await person('Bashir Nasser', refs.youth, true);
const carmel = await person('Carmel Levi', refs.women, true);
const dana = await person('Dana Shalev', refs.parents, true);
const direct = await person('Direct Person', null, true);
// Amal came in at the North gate
const [amalTicket] = await t.db.select().from(ticket).where(eq(ticket.registrationId, amal.registrationId));
await t.db.insert(checkinScan).values({ nonce: 'scan-amal-1', eventId: e.id, ticketId: amalTicket!.id, gate: 'North', scannedAt: new Date(), result: 'admitted' });

async function json(res: Response, status = 200) {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return JSON.parse(body);
}
const pathOf = (url: string) => new URL(url).pathname;
// the same rules as the registration pages' test
const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
});
async function valid(where: string, html: string) {
  const report = await validator.validateString(html, where);
  expect(report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
}

describe('co-host view links', () => {
  let parentsUrl = '';
  let parentsLinkId = '';
  let youthUrl = '';
  let womenUrl = '';

  it('are handed out by staff only, for co-hosts of the event only', async () => {
    expect([amal.outcome, avi.outcome, bashir.outcome, carmel.outcome, dana.outcome, direct.outcome]).toEqual(['ticket', 'ticket', 'ticket', 'ticket', 'waitlisted', 'waitlisted']);
    const l = await json(await staff.post(`/api/events/${e.id}/cohosts/${parents.id}/view-links`), 201);
    expect(l.url).toMatch(new RegExp(`^${ORIGIN}/e/cohosted/cohost/[A-Za-z0-9_-]{43}$`));
    parentsUrl = l.url;
    parentsLinkId = l.id;
    youthUrl = (await json(await staff.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`), 201)).url;
    womenUrl = (await json(await staff.post(`/api/events/${e.id}/cohosts/${women.id}/view-links`), 201)).url;
    // the same address can be copied again
    expect((await json(await staff.get(`/api/events/${e.id}/cohosts/${parents.id}/view-links`))).items.map((x: { url: string }) => x.url)).toEqual([parentsUrl]);

    expect((await viewer.post(`/api/events/${e.id}/cohosts/${parents.id}/view-links`)).status).toBe(403);
    expect((await viewer.get(`/api/events/${e.id}/cohosts/${parents.id}/view-links`)).status).toBe(403);
    expect((await anonymous.post(`/api/events/${e.id}/cohosts/${parents.id}/view-links`)).status).toBe(401);
    expect((await staff.post(`/api/events/${e.id}/cohosts/${outsider.id}/view-links`)).status).toBe(404);
    expect((await staff.post(`/api/events/${e.id}/cohosts/not-a-uuid/view-links`)).status).toBe(404);
    expect((await viewer.post(`/api/events/${e.id}/cohost-view-links/${parentsLinkId}/revoke`)).status).toBe(403);
    const [audited] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.cohost_view_link.create'));
    expect(audited!.n).toBe(3);
  });

  it('"contacts" mode: the co-host sees its own figures and only its registrants who agreed to share', async () => {
    const res = await anonymous.get(`${pathOf(parentsUrl)}?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).toContain('Parents Circle');
    expect(html).toContain('Amal Haddad');
    expect(html).toContain(amal.email);
    expect(html).toContain('Dana Shalev');
    // came through Parents Circle but did not agree to share
    expect(html).not.toContain('Avi Cohen');
    expect(html).not.toContain(avi.email);
    // other co-hosts' registrants and figures, and people who came directly
    for (const p of [bashir, carmel, direct]) {
      expect(html).not.toContain(p.name);
      expect(html).not.toContain(p.email);
    }
    expect(html).not.toContain('Youth Bridge');
    expect(html).not.toContain('Women Wage Peace');
    expect(html).toContain('2 people who agreed to share');

    const he = await (await anonymous.get(`${pathOf(parentsUrl)}?lang=he`)).text();
    expect(he).toContain('<html lang="he" dir="rtl">');
    expect(he).toContain('הנתונים שלכם');
    const ar = await (await anonymous.get(`${pathOf(parentsUrl)}?lang=ar`)).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    await valid('cohost-en', html);
    await valid('cohost-he', he);
    await valid('cohost-ar', ar);
  });

  it('its CSV files: figures, and its consenting registrants with a byte-order mark (?bom=1), the download audited', async () => {
    const csv = await anonymous.get(`${pathOf(parentsUrl)}/registrants.csv?bom=1`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain(amal.email);
    expect(text).toContain(dana.email);
    expect(text).not.toContain(avi.email);
    expect(text).not.toContain(bashir.email);
    expect(text.trim().split('\r\n')).toHaveLength(3);
    const plain = new Uint8Array(await (await anonymous.get(`${pathOf(parentsUrl)}/registrants.csv`)).arrayBuffer());
    expect(plain[0]).not.toBe(0xef);
    const [audited] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.cohost_view.export'));
    expect(audited!.n).toBe(2);

    const report = await (await anonymous.get(`${pathOf(parentsUrl)}/report.csv`)).text();
    const lines = report.trim().split('\r\n');
    expect(lines[0]).toBe('scope,id,name,registrations,tickets,cancelled,attended,noShows,attendanceRate,waitlistJoined,waitlistWaiting,waitlistAccepted,waitlistExpired,waitlistLeft,waitlistConversion');
    // its own: 3 registrations, 2 tickets, 1 admitted, 1 waiting
    expect(lines[1]).toBe(`event,${e.id},,3,2,0,1,,,1,1,0,0,0,0`);
    expect(report).not.toContain('@example.org');
    expect(report).not.toContain('Youth Bridge');
  });

  it('"aggregate" mode: figures, never a name or a contact', async () => {
    const html = await (await anonymous.get(`${pathOf(youthUrl)}?lang=en`)).text();
    expect(html).toContain('Youth Bridge');
    expect(html).toContain('Figures only');
    for (const p of [amal, avi, bashir, carmel, dana, direct]) {
      expect(html).not.toContain(p.name);
      expect(html).not.toContain(p.email);
    }
    expect(html).not.toContain('registrants.csv');
    await valid('cohost-aggregate', html);
    expect((await anonymous.get(`${pathOf(youthUrl)}/registrants.csv`)).status).toBe(404);
    expect((await anonymous.get(`${pathOf(youthUrl)}/report.csv`)).status).toBe(200);
    // Women Wage Peace sees Carmel, not Parents Circle's people
    const women = await (await anonymous.get(`${pathOf(womenUrl)}?lang=en`)).text();
    expect(women).toContain('Carmel Levi');
    expect(women).not.toContain('Amal Haddad');
    expect(women).not.toContain('Dana Shalev');
  });

  it('a revoked, unknown or other event’s link is 404 and says nothing', async () => {
    const token = pathOf(parentsUrl).split('/').pop()!;
    expect((await anonymous.get(`/e/another-event/cohost/${token}`)).status).toBe(404);
    expect((await anonymous.get(`/e/cohosted/cohost/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await anonymous.get('/e/cohosted/cohost/short')).status).toBe(404);
    const revoked = await json(await staff.post(`/api/events/${e.id}/cohost-view-links/${parentsLinkId}/revoke`));
    expect(revoked.revokedAt).not.toBeNull();
    // idempotent
    expect((await json(await staff.post(`/api/events/${e.id}/cohost-view-links/${parentsLinkId}/revoke`))).revokedAt).toBe(revoked.revokedAt);
    for (const suffix of ['', '/report.csv', '/registrants.csv']) {
      const res = await anonymous.get(`${pathOf(parentsUrl)}${suffix}`);
      expect(res.status).toBe(404);
      const body = await res.text();
      expect(body).not.toContain('Parents Circle');
      expect(body).not.toContain('@example.org');
    }
    // another event's id with this link's id: not found
    expect((await staff.post(`/api/events/${other.event.id}/cohost-view-links/${parentsLinkId}/revoke`)).status).toBe(404);
    const [audited] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.cohost_view_link.revoke'));
    expect(audited!.n).toBe(1);
  });
});

describe('the co-host view and reports in the staff API', () => {
  it('staff see a co-host’s consenting registrants; viewers its figures only; "aggregate" never lists anyone', async () => {
    const v = await json(await staff.get(`/api/events/${e.id}/cohosts/${parents.id}/view`));
    expect(v).toMatchObject({ organisationName: 'Parents Circle', sharingMode: 'contacts' });
    expect(v.registrants.map((r: { email: string }) => r.email)).toEqual([amal.email, dana.email]);
    expect(v.registrants.map((r: { state: string }) => r.state)).toEqual(['ticket', 'waiting']);
    expect(v.report.totals).toMatchObject({ registrations: 3, tickets: 2, attended: 1, waitlistJoined: 1 });
    expect(v.report.byCohost.map((c: { organisationName: string }) => c.organisationName)).toEqual(['Parents Circle']);

    const seen = await json(await viewer.get(`/api/events/${e.id}/cohosts/${parents.id}/view`));
    expect(seen.registrants).toBeNull();
    expect(seen.report.totals.registrations).toBe(3);
    expect(JSON.stringify(seen)).not.toContain('@example.org');

    const agg = await json(await staff.get(`/api/events/${e.id}/cohosts/${youth.id}/view`));
    expect(agg.registrants).toBeNull();
    expect(agg.report.totals.registrations).toBe(1);
    expect((await staff.get(`/api/events/${e.id}/cohosts/${outsider.id}/view`)).status).toBe(404);
    expect((await anonymous.get(`/api/events/${e.id}/cohosts/${parents.id}/view`)).status).toBe(401);
  });

  it('the report: by co-host and ticket type, over time, attendance from admitted scans, no-shows once started', async () => {
    const r = await json(await viewer.get(`/api/events/${e.id}/report`));
    expect(r.started).toBe(false);
    expect(r.totals).toMatchObject({ registrations: 6, tickets: 4, cancelled: 0, attended: 1, noShows: null, attendanceRate: null, waitlistJoined: 2, waitlistWaiting: 2, waitlistConversion: 0 });
    expect(r.byCohost.map((c: { organisationName: string | null; registrations: number }) => [c.organisationName, c.registrations])).toEqual([
      ['Parents Circle', 3],
      ['Women Wage Peace', 1],
      ['Youth Bridge', 1],
      [null, 1],
    ]);
    expect(r.byTicketType).toHaveLength(1);
    expect(r.byTicketType[0]).toMatchObject({ ticketTypeId: tt.id, registrations: 6, tickets: 4 });
    expect(r.overTime.reduce((s: number, x: { registrations: number }) => s + x.registrations, 0)).toBe(6);
    expect(r.overTime.every((x: { day: string }) => /^\d{4}-\d{2}-\d{2}$/.test(x.day))).toBe(true);
    expect(JSON.stringify(r)).not.toContain('@example.org');

    // after the start: the three valid tickets never scanned are no-shows
    const later = await buildReport(t.db, await loadEventById(t.db, e.id), null, new Date(e.startsAt.getTime() + 3_600_000));
    expect(later.totals).toMatchObject({ attended: 1, noShows: 3, attendanceRate: 0.25 });
    // a cancelled ticket is no longer counted as a place, nor as a no-show
    await t.db.update(ticket).set({ status: 'cancelled', cancelledAt: new Date() }).where(eq(ticket.registrationId, bashir.registrationId));
    const after = await buildReport(t.db, await loadEventById(t.db, e.id), null, new Date(e.startsAt.getTime() + 3_600_000));
    expect(after.totals).toMatchObject({ tickets: 3, cancelled: 1, noShows: 2 });
    await t.db.update(ticket).set({ status: 'valid', cancelledAt: null }).where(eq(ticket.registrationId, bashir.registrationId));
  });

  it('CSV exports: the figures for everyone signed in, every registration with contacts for staff only (audited)', async () => {
    const report = await viewer.get(`/api/events/${e.id}/report.csv?bom=1`);
    expect(report.status).toBe(200);
    const bytes = new Uint8Array(await report.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toContain('@example.org');
    expect(text).toContain('cohost,');

    expect((await viewer.get(`/api/events/${e.id}/registrations.csv`)).status).toBe(403);
    expect((await anonymous.get(`/api/events/${e.id}/registrations.csv`)).status).toBe(401);
    expect((await staff.get(`/api/events/${e.id}/registrations.csv?bom=maybe`)).status).toBe(400);
    const all = await staff.get(`/api/events/${e.id}/registrations.csv?bom=1`);
    expect(all.status).toBe(200);
    const body = await all.text();
    for (const p of [amal, avi, bashir, carmel, dana, direct]) expect(body).toContain(p.email);
    expect(body).toContain('Parents Circle');
    const [audited] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.registrations.export'));
    expect(audited!.n).toBe(1);
    // erased registrations are not listed (their counts stay in the report)
    await t.db.update(registration).set({ erasedAt: new Date(), name: '', email: `erased-${avi.registrationId}` }).where(eq(registration.id, avi.registrationId));
    const again = await (await staff.get(`/api/events/${e.id}/registrations.csv`)).text();
    expect(again).not.toContain(avi.email);
    expect(again).not.toContain('erased-');
    expect((await json(await staff.get(`/api/events/${e.id}/report`))).totals.registrations).toBe(6);
  });

  it('links expire by themselves: 30 days after the event by default, or after the days staff give; past it they are 404', async () => {
    const [row] = await t.db.select().from(event).where(eq(event.id, e.id));
    const before = Date.now();
    const byDefault = await json(await staff.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`), 201);
    expect(new Date(byDefault.expiresAt).getTime()).toBe(Math.max(row!.endsAt.getTime() + 30 * 86_400_000, new Date(byDefault.createdAt).getTime() + 86_400_000));
    const week = await json(await staff.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`, { validDays: 7 }), 201);
    const weekEnds = new Date(week.expiresAt).getTime();
    expect(weekEnds).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(weekEnds).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
    const audited = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'event.cohost_view_link.create'), eq(auditEntry.entityId, e.id)));
    expect(audited.map((a) => (a.detail as { expiresAt?: string }).expiresAt)).toEqual(expect.arrayContaining([byDefault.expiresAt, week.expiresAt]));

    // bad lengths, unknown fields, and who may not: nothing made
    const [made] = await t.db.select({ n: count() }).from(cohostViewLink);
    for (const body of [{ validDays: 0 }, { validDays: 731 }, { validDays: 1.5 }, { validDays: '7' }]) {
      const res = await staff.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).errors.map((x: { field: string }) => x.field)).toEqual(['body.validDays']);
    }
    expect((await staff.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`, { validDays: 7, forever: true })).status).toBe(400);
    expect((await viewer.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`, { validDays: 7 })).status).toBe(403);
    expect((await anonymous.post(`/api/events/${e.id}/cohosts/${youth.id}/view-links`, { validDays: 7 })).status).toBe(401);
    expect((await t.db.select({ n: count() }).from(cohostViewLink))[0]!.n).toBe(made!.n);

    // works until it expires; then 404 (page and CSV), with nobody revoking it
    const open = await anonymous.get(`${pathOf(week.url)}?lang=en`);
    expect(open.status).toBe(200);
    // the page says until when the link works
    const page = await open.text();
    expect(page).toContain(`data-link-expires="${week.expiresAt}"`);
    expect(page).toContain('This link works until');
    const report = await validator.validateString(page, 'cohost-expiring');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
    expect((await anonymous.get(`${pathOf(week.url)}/report.csv`)).status).toBe(200);
    await t.db.update(cohostViewLink).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(cohostViewLink.id, week.id));
    expect((await anonymous.get(pathOf(week.url))).status).toBe(404);
    expect((await anonymous.get(`${pathOf(week.url)}/report.csv`)).status).toBe(404);
    const listed = (await json(await staff.get(`/api/events/${e.id}/cohosts/${youth.id}/view-links`))).items.find((x: { id: string }) => x.id === week.id);
    expect(listed.revokedAt).toBeNull();
    expect(new Date(listed.expiresAt).getTime()).toBeLessThan(Date.now());
    // a link made before links expired (no expires_at) lasts until 30 days after the event
    await t.db.update(cohostViewLink).set({ expiresAt: null }).where(eq(cohostViewLink.id, byDefault.id));
    expect((await anonymous.get(pathOf(byDefault.url))).status).toBe(200);
    await t.db.update(event).set({ startsAt: new Date(Date.now() - 40 * 86_400_000), endsAt: new Date(Date.now() - 31 * 86_400_000) }).where(eq(event.id, e.id));
    expect((await anonymous.get(pathOf(byDefault.url))).status).toBe(404);
    await t.db.update(event).set({ startsAt: row!.startsAt, endsAt: row!.endsAt }).where(eq(event.id, e.id));
    expect((await anonymous.get(pathOf(byDefault.url))).status).toBe(200);
  });
});
