import { and, count, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { event, eventCohost, eventSigningKey, referralLink, registrationQuestion, ticketType } from './events.schema.ts';
import { createTestApp, problem, type TestClient } from '../../../../tests/setup/test-app.ts';
import { buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { eventInput } from '../../../../tests/setup/event-factories.ts';

const t = await createTestApp();
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const anonymous = t.client();
const peace = await buildOrganisation(t.db, { name: 'Parents Circle' });
const youth = await buildOrganisation(t.db, { name: 'Youth Bridge' });

async function created(res: Response) {
  const text = await res.text();
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${text}`);
  return JSON.parse(text);
}

async function tally() {
  const [e] = await t.db.select({ n: count() }).from(event);
  const [tt] = await t.db.select({ n: count() }).from(ticketType);
  const [c] = await t.db.select({ n: count() }).from(eventCohost);
  const [l] = await t.db.select({ n: count() }).from(referralLink);
  const [q] = await t.db.select({ n: count() }).from(registrationQuestion);
  const [a] = await t.db.select({ n: count() }).from(auditEntry).where(like(auditEntry.action, 'event.%'));
  return { events: e!.n, types: tt!.n, cohosts: c!.n, links: l!.n, questions: q!.n, audit: a!.n };
}

describe('events: the staff API', () => {
  let id = '';
  let typeId = '';
  let linkId = '';
  let questionId = '';

  it('creates "Time is Now" with its ticket types, in three languages, with an Ed25519 key of its own', async () => {
    const e = await created(await staff.post('/api/events', eventInput({ slug: 'time-is-now' })));
    id = e.id;
    expect(e).toMatchObject({
      slug: 'time-is-now',
      title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
      startsAt: '2026-06-04T15:00:00.000Z',
      timeZone: 'Asia/Jerusalem',
      gates: ['North', 'South', 'VIP'],
      status: 'draft',
      waitlistOfferHours: 24,
      cohosts: [],
      questions: [],
    });
    expect(e.ticketTypes.map((x: { capacity: number; taken: number }) => [x.capacity, x.taken])).toEqual([
      [5500, 0],
      [500, 0],
    ]);
    typeId = e.ticketTypes[0].id;
    expect(e.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the private key stays in its own table and is never in an answer
    expect(JSON.stringify(e)).not.toContain((await t.db.select().from(eventSigningKey).where(eq(eventSigningKey.eventId, id)))[0]!.privateKey);
    const got = await (await viewer.get(`/api/events/${id}`)).json();
    expect(got.slug).toBe('time-is-now');
    const list = await (await viewer.get('/api/events')).json();
    expect(list.items).toEqual([expect.objectContaining({ id, capacity: 6000, tickets: 0, waiting: 0 })]);
    const [a] = await t.db.select().from(auditEntry).where(and(eq(auditEntry.action, 'event.create'), eq(auditEntry.entityId, id)));
    expect(a?.actorId).toBe(staff.user.id);
  });

  it('refuses a second event at the same address (409 slug_taken) and an end before the start', async () => {
    const before = await tally();
    const p = await problem(await staff.post('/api/events', eventInput({ slug: 'time-is-now' })), 409);
    expect(p.code).toBe('slug_taken');
    const q = await problem(await staff.post('/api/events', eventInput({ slug: 'backwards', startsAt: '2026-06-04T18:00:00Z', endsAt: '2026-06-04T17:00:00Z' })), 400);
    expect(q.errors).toEqual([{ field: 'body.endsAt', detail: 'Must be after the start' }]);
    expect(await tally()).toEqual(before);
  });

  it('refuses a time zone that is not IANA, unknown fields, bad bytes and huge bodies, writing nothing', async () => {
    const before = await tally();
    const tz = await problem(await staff.post('/api/events', eventInput({ slug: 'zone-test', timeZone: 'GMT+3 Jerusalem' })), 400);
    expect(tz.errors).toEqual([{ field: 'body.timeZone', detail: 'Not an IANA time zone (e.g. Asia/Jerusalem)' }]);
    const unknown = await problem(await staff.post('/api/events', { ...eventInput({ slug: 'unknown' }), price: 10 }), 400);
    expect(unknown.errors).toEqual([{ field: 'body.price', detail: 'Unknown field' }]);
    const nul = await problem(await staff.post('/api/events', eventInput({ slug: 'nul-test', title: { en: 'Time\u0000is Now' } })), 400);
    expect(nul.errors?.[0]?.field).toBe('body.title.en');
    const lone = await problem(await staff.patch(`/api/events/${id}`, { venueName: 'Arena \uD800' }), 400);
    expect(lone.errors?.[0]).toEqual({ field: 'body.venueName', detail: expect.stringMatching(/surrogate/) });
    const huge = await staff.post('/api/events', eventInput({ slug: 'huge', description: { en: 'x'.repeat(2 * 1024 * 1024) } }));
    expect((await problem(huge, 413)).code).toBe('request_too_large');
    const paid = await problem(await staff.post(`/api/events/${id}/ticket-types`, { name: { en: 'VIP' }, capacity: 10, priceCents: 5000 }), 400);
    expect(paid.errors?.[0]?.field).toBe('body.priceCents');
    const map = await problem(await staff.patch(`/api/events/${id}`, { mapUrl: 'javascript:alert(1)' }), 400);
    expect(map.errors?.[0]?.field).toBe('body.mapUrl');
    expect(await tally()).toEqual(before);
  });

  it('changes the event and its ticket types; a capacity below what is taken is refused', async () => {
    const e = await (await staff.patch(`/api/events/${id}`, { status: 'published', venueName: 'Menora Mivtachim Arena', mapUrl: 'https://www.openstreetmap.org/#map=17/32.05/34.78' })).json();
    expect(e).toMatchObject({ status: 'published', venueName: 'Menora Mivtachim Arena' });
    const tt = await created(await staff.post(`/api/events/${id}/ticket-types`, { name: { en: 'Press', he: 'עיתונות' }, capacity: 40, perPersonLimit: 1 }));
    expect(tt).toMatchObject({ capacity: 40, taken: 0, priceCents: 0, position: 2 });
    const window = await problem(
      await staff.patch(`/api/events/${id}/ticket-types/${tt.id}`, { salesStartAt: '2026-05-01T00:00:00Z', salesEndAt: '2026-04-01T00:00:00Z' }),
      400,
    );
    expect(window.errors?.[0]?.field).toBe('body.salesEndAt');
    await t.db.update(ticketType).set({ taken: 30 }).where(eq(ticketType.id, tt.id));
    const below = await problem(await staff.patch(`/api/events/${id}/ticket-types/${tt.id}`, { capacity: 29 }), 409);
    expect(below.code).toBe('capacity_below_taken');
    expect((await (await staff.patch(`/api/events/${id}/ticket-types/${tt.id}`, { capacity: 30 })).json()).capacity).toBe(30);
    await t.db.update(ticketType).set({ taken: 0 }).where(eq(ticketType.id, tt.id));
    expect((await staff.delete(`/api/events/${id}/ticket-types/${tt.id}`)).status).toBe(204);
    expect((await problem(await staff.patch(`/api/events/${id}/ticket-types/not-an-id`, { capacity: 3 }), 404)).code).toBe('ticket_type_not_found');
  });

  it('adds co-hosts from Network; an organisation that does not exist is 404 and nothing is written', async () => {
    const c = await (await staff.put(`/api/events/${id}/cohosts/${peace.id}`, { role: 'lead', sharingMode: 'contacts' })).json();
    expect(c).toMatchObject({ organisationId: peace.id, organisationName: 'Parents Circle', role: 'lead', sharingMode: 'contacts' });
    await staff.put(`/api/events/${id}/cohosts/${youth.id}`, { role: 'supporter', sharingMode: 'aggregate' });
    const changed = await (await staff.put(`/api/events/${id}/cohosts/${youth.id}`, { role: 'cohost', sharingMode: 'aggregate' })).json();
    expect(changed.role).toBe('cohost');
    const before = await tally();
    expect((await problem(await staff.put(`/api/events/${id}/cohosts/00000000-0000-4000-8000-000000000000`, { role: 'cohost', sharingMode: 'aggregate' }), 404)).code).toBe('organisation_not_found');
    expect((await problem(await staff.put(`/api/events/${id}/cohosts/nope`, { role: 'cohost', sharingMode: 'aggregate' }), 404)).code).toBe('organisation_not_found');
    expect((await problem(await staff.put(`/api/events/${id}/cohosts/${youth.id}`, { role: 'sponsor', sharingMode: 'aggregate' }), 400)).errors?.[0]?.field).toBe('body.role');
    expect(await tally()).toEqual(before);
    const e = await (await viewer.get(`/api/events/${id}`)).json();
    expect(e.cohosts.map((x: { organisationName: string; role: string }) => [x.organisationName, x.role])).toEqual([
      ['Parents Circle', 'lead'],
      ['Youth Bridge', 'cohost'],
    ]);
  });

  it('makes unguessable referral links for co-hosts only, and revokes them', async () => {
    const l = await created(await staff.post(`/api/events/${id}/referral-links`, { organisationId: peace.id, channel: 'whatsapp' }));
    linkId = l.id;
    expect(l.code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(l.url).toBe(`http://localhost:3000/e/time-is-now?ref=${l.code}`);
    const other = await buildOrganisation(t.db, { name: 'Not a co-host' });
    const p = await problem(await staff.post(`/api/events/${id}/referral-links`, { organisationId: other.id }), 422);
    expect(p.code).toBe('not_a_cohost');
    const revoked = await (await staff.post(`/api/events/${id}/referral-links/${linkId}/revoke`)).json();
    expect(revoked.revokedAt).not.toBeNull();
    const again = await (await staff.post(`/api/events/${id}/referral-links/${linkId}/revoke`)).json();
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const list = await (await viewer.get(`/api/events/${id}/referral-links`)).json();
    expect(list.items).toHaveLength(1);
  });

  it('asks questions in three languages: consents name their purpose once, choices have options', async () => {
    const q = await created(
      await staff.post(`/api/events/${id}/questions`, {
        kind: 'consent',
        consentPurpose: 'terms',
        label: { en: 'I accept the event’s terms', he: 'אני מסכים/ה לתנאי האירוע', ar: 'أوافق على شروط الفعالية' },
      }),
    );
    questionId = q.id;
    expect(q).toMatchObject({ kind: 'consent', consentPurpose: 'terms', required: true });
    expect((await problem(await staff.post(`/api/events/${id}/questions`, { kind: 'consent', consentPurpose: 'terms', label: { en: 'Again' } }), 409)).code).toBe('consent_purpose_taken');
    expect((await problem(await staff.post(`/api/events/${id}/questions`, { kind: 'consent', label: { en: 'No purpose' } }), 400)).errors?.[0]?.field).toBe('body.consentPurpose');
    expect((await problem(await staff.post(`/api/events/${id}/questions`, { kind: 'single', label: { en: 'One option' }, options: [{ id: 'a', label: { en: 'A' } }] }), 400)).errors?.[0]?.field).toBe(
      'body.options',
    );
    const choice = await created(
      await staff.post(`/api/events/${id}/questions`, {
        kind: 'single',
        label: { en: 'Where do you come from?' },
        options: [
          { id: 'north', label: { en: 'North' } },
          { id: 'south', label: { en: 'South' } },
        ],
      }),
    );
    const changed = await (await staff.patch(`/api/events/${id}/questions/${choice.id}`, { required: true })).json();
    expect(changed.required).toBe(true);
    expect((await staff.delete(`/api/events/${id}/questions/${choice.id}`)).status).toBe(204);
  });

  it('gives viewers the totals but no write; anonymous callers nothing', async () => {
    const totals = await (await viewer.get(`/api/events/${id}/totals`)).json();
    expect(totals).toMatchObject({ registrations: 0, capacity: 6000, tickets: 0, waiting: 0 });
    const writes: [string, string, unknown?][] = [
      ['POST', '/api/events', eventInput({ slug: 'viewer-made' })],
      ['PATCH', `/api/events/${id}`, { status: 'closed' }],
      ['DELETE', `/api/events/${id}`],
      ['POST', `/api/events/${id}/ticket-types`, { name: { en: 'More' }, capacity: 1 }],
      ['PATCH', `/api/events/${id}/ticket-types/${typeId}`, { capacity: 6000 }],
      ['DELETE', `/api/events/${id}/ticket-types/${typeId}`],
      ['PUT', `/api/events/${id}/cohosts/${youth.id}`, { role: 'lead', sharingMode: 'contacts' }],
      ['DELETE', `/api/events/${id}/cohosts/${youth.id}`],
      ['POST', `/api/events/${id}/referral-links`, { organisationId: peace.id }],
      ['POST', `/api/events/${id}/referral-links/${linkId}/revoke`],
      ['POST', `/api/events/${id}/questions`, { kind: 'text', label: { en: 'Why?' } }],
      ['PATCH', `/api/events/${id}/questions/${questionId}`, { required: false }],
      ['DELETE', `/api/events/${id}/questions/${questionId}`],
    ];
    const before = await tally();
    const send = (c: TestClient, [method, path, body]: (typeof writes)[number]) => c.request(path, { method, ...(body !== undefined ? { json: body } : {}) });
    for (const w of writes) {
      expect((await problem(await send(viewer, w), 403)).code, `${w[0]} ${w[1]}`).toBe('forbidden');
      expect((await problem(await send(anonymous, w), 401)).code, `${w[0]} ${w[1]}`).toBe('not_signed_in');
    }
    for (const path of ['/api/events', `/api/events/${id}`, `/api/events/${id}/totals`, `/api/events/${id}/referral-links`]) {
      expect((await problem(await anonymous.get(path), 401)).code).toBe('not_signed_in');
    }
    expect(await tally()).toEqual(before);
  });

  it('removes a co-host with its links, and deletes an event nobody registered for (admins too)', async () => {
    expect((await staff.delete(`/api/events/${id}/cohosts/${peace.id}`)).status).toBe(204);
    const [l] = await t.db.select({ n: count() }).from(referralLink).where(eq(referralLink.eventId, id));
    expect(l!.n).toBe(0);
    expect((await problem(await staff.delete(`/api/events/${id}/cohosts/${peace.id}`), 404)).code).toBe('cohost_not_found');
    expect((await admin.delete(`/api/events/${id}`)).status).toBe(204);
    expect((await problem(await staff.get(`/api/events/${id}`), 404)).code).toBe('event_not_found');
    const [k] = await t.db.select({ n: count() }).from(eventSigningKey).where(eq(eventSigningKey.eventId, id));
    expect(k!.n).toBe(0);
  });
});

describe('events: a ticket type without a name', () => {
  it('is “General” in English, Hebrew and Arabic (as the new-event form sends it when left empty), on the Hebrew and Arabic pages too', async () => {
    const body = eventInput({ slug: 'unnamed-type', status: 'published' });
    const e = await created(await staff.post('/api/events', { ...body, ticketTypes: [{ capacity: 30 }] }));
    expect(e.ticketTypes.map((x: { name: unknown }) => x.name)).toEqual([{ en: 'General', he: 'כללי', ar: 'عام' }]);
    // a name written in some languages only is kept as written (the pages fall back to another language)
    const more = await created(await staff.post(`/api/events/${e.id}/ticket-types`, { name: { en: 'Youth' }, capacity: 5 }));
    expect(more.name).toEqual({ en: 'Youth' });
    const other = await created(await staff.post(`/api/events/${e.id}/ticket-types`, { capacity: 5 }));
    expect(other.name).toEqual({ en: 'General', he: 'כללי', ar: 'عام' });
    // an empty name is still refused (400 naming it), and nothing is written
    const before = await tally();
    const empty = await problem(await staff.post('/api/events', { ...eventInput({ slug: 'empty-type-name' }), ticketTypes: [{ name: {}, capacity: 3 }] }), 400);
    expect(empty.errors!.map((x: { field: string }) => x.field)).toContain('body.ticketTypes.0.name');
    expect(await tally()).toEqual(before);
    const page = async (lang: string) => (await anonymous.get(`/e/unnamed-type?lang=${lang}`)).text();
    expect(await page('he')).toContain('כללי');
    expect(await page('ar')).toContain('عام');
    expect(await page('en')).toContain('General');
  });
});
