import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { eventSigningKey, referralLink, registration, ticket, ticketType, waitlistEntry } from './events.schema.ts';
import { createReferralLink, revokeReferralLink, updateEvent, updateTicketType } from './events.service.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { verifyTicketCode } from './ticket-code.ts';
import { expireOffer, makeOffers } from './waitlist.service.ts';
import { createTestApp, ORIGIN } from '../../../../tests/setup/test-app.ts';
import { buildOrganisation } from '../../../../tests/setup/network-factories.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// The public registration pages (/e/{slug}) and what they write. Jobs do not run here (work: false): the tests
// drive the waitlist's jobs themselves, with their own clock.
const t = await createTestApp({ config: { trustProxy: true }, jobs: { work: false } });
const staffClient = await t.signedIn('staff');
const viewer = await t.signedIn('viewer');
const ctx = staffContext({ id: staffClient.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file' };
const parents = await buildOrganisation(t.db, { name: 'Parents Circle' });
let address = 0;
/** a browser of its own (own cookies, own address: the per-address limit counts each apart) */
const browser = () => t.client({ 'x-forwarded-for': `203.0.113.${++address % 250}` });

function form(fields: Record<string, string | string[]>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p;
}
const post = (c: ReturnType<typeof browser>, path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
  c.request(path, { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

async function tally(eventId: string) {
  const [r] = await t.db.select({ n: count() }).from(registration).where(eq(registration.eventId, eventId));
  const [k] = await t.db.select({ n: count() }).from(ticket).where(and(eq(ticket.eventId, eventId), eq(ticket.status, 'valid')));
  const [w] = await t.db.select({ n: count() }).from(waitlistEntry).where(eq(waitlistEntry.eventId, eventId));
  const [tt] = await t.db.select({ taken: sql<number>`sum(${ticketType.taken})::int` }).from(ticketType).where(eq(ticketType.eventId, eventId));
  return { registrations: r!.n, tickets: k!.n, waitlist: w!.n, taken: Number(tt!.taken) };
}

async function queued(name: string): Promise<unknown[]> {
  const r = await t.db.execute(sql`SELECT data FROM pgboss.job WHERE name = ${name} AND state = 'created' ORDER BY created_on`);
  return (r as unknown as { rows: { data: unknown }[] }).rows.map((x) => x.data);
}

describe('registering for an event at /e/{slug}', () => {
  it('shows the event in the reader’s language, right to left in Hebrew and Arabic; a draft is not found', async () => {
    const { event: e } = await buildOpenEvent(t.db, ctx, { slug: 'time-is-now', capacity: 3, terms: true });
    const en = await browser().get('/e/time-is-now?lang=en');
    expect(en.status).toBe(200);
    const html = await en.text();
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('Time is Now');
    expect(html).toContain('name="website"');
    expect(html).toMatch(/3 places left/);
    const he = await (await browser().get('/e/time-is-now', { headers: { 'accept-language': 'he-IL,he;q=0.9' } })).text();
    expect(he).toContain('<html lang="he" dir="rtl">');
    expect(he).toContain('הזמן הוא עכשיו');
    const ar = await (await browser().get('/e/time-is-now?lang=ar')).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    await updateEvent(t.db, ctx, e.id, { status: 'draft' });
    expect((await browser().get('/e/time-is-now')).status).toBe(404);
    await updateEvent(t.db, ctx, e.id, { status: 'published' });
    expect((await browser().get('/e/no-such-event')).status).toBe(404);
  });

  it('registers with a form (no script): a ticket whose code the event’s public key verifies, and a ticket page with its QR code and .ics', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'ticket-page', capacity: 3, terms: true });
    const [terms] = (await t.db.execute(sql`SELECT id FROM registration_question WHERE event_id = ${e.id}`) as unknown as { rows: { id: string }[] }).rows;
    const b = browser();
    const missing = await post(b, '/e/ticket-page', { language: 'en', ticketTypeId: tt.id, name: 'Noa', email: 'noa@example.org' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Please agree to continue.');
    expect((await tally(e.id)).registrations).toBe(0);

    const res = await post(b, '/e/ticket-page', { language: 'he', ticketTypeId: tt.id, name: 'נועה', email: ' Noa@Example.org ', [`q_${terms!.id}`]: 'yes' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/e\/ticket-page\/t\/[A-Za-z0-9_-]{43}\?lang=he$/);
    expect(await tally(e.id)).toEqual({ registrations: 1, tickets: 1, waitlist: 0, taken: 1 });
    const [r] = await t.db.select().from(registration).where(eq(registration.eventId, e.id));
    expect(r).toMatchObject({ email: 'noa@example.org', name: 'נועה', language: 'he' });
    expect(Object.keys(r!.consents)).toEqual(['terms']);
    // the token is stored only as its hash
    expect(r!.manageTokenHash).not.toBe(location.split('/')[4]!.split('?')[0]);

    const [tk] = await t.db.select().from(ticket).where(eq(ticket.registrationId, r!.id));
    const [key] = await t.db.select().from(eventSigningKey).where(eq(eventSigningKey.eventId, e.id));
    expect(verifyTicketCode(key!.publicKey, tk!.code)).toEqual({ eventId: e.id, ticketId: tk!.id, version: 1 });

    const page = await (await b.get(location)).text();
    expect(page).toContain('<html lang="he" dir="rtl">');
    expect(page).toContain('<svg role="img"');
    expect(page).toContain('הכרטיס שלכם');
    const ics = await b.get(`${location.split('?')[0]}/event.ics`);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const cal = await ics.text();
    expect(cal).toContain('BEGIN:VEVENT');
    expect(cal).toContain('TZID=Asia/Jerusalem');
    expect((await b.get('/e/ticket-page/t/not-a-real-token-at-all-0000000000')).status).toBe(404);
  });

  it('gives the same email its registration again, never a second ticket: the same browser its ticket page, anyone else only a notice', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'twice', capacity: 5 });
    const b = browser();
    const fields = { language: 'en', ticketTypeId: tt.id, name: 'Amir', email: 'amir@example.org' };
    const first = await post(b, '/e/twice', fields);
    const again = await post(b, '/e/twice', { ...fields, email: 'AMIR@example.org' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const stranger = await post(browser(), '/e/twice', fields);
    expect(stranger.status).toBe(200);
    const text = await stranger.text();
    expect(text).toContain('already registered');
    expect(text).not.toContain(first.headers.get('location')!.split('?')[0]);
    expect(await tally(e.id)).toEqual({ registrations: 1, tickets: 1, waitlist: 0, taken: 1 });
  });

  it('records the co-host whose link brought the person; an unknown or revoked code still registers, without attribution, said politely', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'with-links', capacity: 10, cohosts: [{ organisationId: parents.id }] });
    const link = await createReferralLink(t.db, ctx, ORIGIN, e.id, { organisationId: parents.id, channel: 'newsletter' });
    const page = await (await browser().get(`/e/with-links?ref=${link.code}`)).text();
    expect(page).toContain('You came through <bdi>Parents Circle</bdi>.');
    await post(browser(), `/e/with-links?ref=${link.code}`, { language: 'en', ticketTypeId: tt.id, name: 'Rana', email: 'rana@example.org', ref: link.code });
    const unknown = await (await browser().get('/e/with-links?ref=AAAAAAAAAAAAAAAAAAAAAA')).text();
    expect(unknown).toContain('no longer active');
    await revokeReferralLink(t.db, ctx, ORIGIN, e.id, link.id);
    expect(await (await browser().get(`/e/with-links?ref=${link.code}`)).text()).toContain('no longer active');
    const res = await post(browser(), '/e/with-links', { language: 'en', ticketTypeId: tt.id, name: 'Yoav', email: 'yoav@example.org', ref: link.code });
    expect(res.status).toBe(303);
    const rows = await t.db.select({ email: registration.email, link: registration.referralLinkId, org: registration.referrerOrganisationId }).from(registration).where(eq(registration.eventId, e.id));
    expect(rows.sort((a, b) => a.email.localeCompare(b.email))).toEqual([
      { email: 'rana@example.org', link: link.id, org: parents.id },
      { email: 'yoav@example.org', link: null, org: null },
    ]);
    const [l] = await t.db.select().from(referralLink).where(eq(referralLink.id, link.id));
    expect(l!.revokedAt).not.toBeNull();

    // staff see who registered and through whom; a viewer the totals only, never a name or an address
    const list = await (await staffClient.get(`/api/events/${e.id}/registrations`)).json();
    expect(list.items.map((r: { email: string; referrerName: string | null; tickets: number }) => [r.email, r.referrerName, r.tickets])).toEqual([
      ['yoav@example.org', null, 1],
      ['rana@example.org', 'Parents Circle', 1],
    ]);
    expect((await viewer.get(`/api/events/${e.id}/registrations`)).status).toBe(403);
    expect((await t.client().get(`/api/events/${e.id}/registrations`)).status).toBe(401);
    const totals = await (await viewer.get(`/api/events/${e.id}/totals`)).json();
    expect(totals).toMatchObject({ registrations: 2, tickets: 2 });
    expect(totals.byCohost).toEqual(
      expect.arrayContaining([
        { organisationId: parents.id, organisationName: 'Parents Circle', registrations: 1, tickets: 1 },
        { organisationId: null, organisationName: null, registrations: 1, tickets: 1 },
      ]),
    );
    const seen = JSON.stringify([totals, await (await viewer.get(`/api/events/${e.id}`)).json(), await (await viewer.get('/api/events')).json()]);
    for (const secret of ['rana@example.org', 'yoav@example.org', 'Rana', 'Yoav']) expect(seen).not.toContain(secret);
  });

  it('stores nothing for a bot that fills the hidden field, a form from another site, or bad bytes', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'bots', capacity: 10 });
    const fields = { language: 'en', ticketTypeId: tt.id, name: 'Bot', email: 'bot@example.org' };
    const bot = await post(browser(), '/e/bots', { ...fields, website: 'http://spam.example' });
    expect(bot.status).toBe(200);
    expect(await bot.text()).toContain('Thank you');
    const foreign = await post(browser(), '/e/bots', fields, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(foreign.status).toBe(403);
    const nul = await post(browser(), '/e/bots', { ...fields, name: 'Bo\u0000t' });
    expect(nul.status).toBe(400);
    // a lone surrogate cannot be form-encoded (browsers send U+FFFD); a NUL in the address is refused too
    expect((await browser().get('/e/bots?ref=a%00b')).status).toBe(400);
    const huge = await post(browser(), '/e/bots', { ...fields, name: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    expect(await tally(e.id)).toEqual({ registrations: 0, tickets: 0, waitlist: 0, taken: 0 });
  });

  it('puts people on the waitlist of a full type; a cancellation frees the place, offered by a job to the next; an offer not taken passes on', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'full', capacity: 1, offerHours: 2 });
    const people = ['a', 'b', 'c'].map((n) => ({ b: browser(), email: `${n}@example.org` }));
    const locations: string[] = [];
    for (const p of people) locations.push((await post(p.b, '/e/full', { language: 'en', ticketTypeId: tt.id, name: p.email, email: p.email })).headers.get('location')!);
    expect(await tally(e.id)).toEqual({ registrations: 3, tickets: 1, waitlist: 2, taken: 1 });
    expect(await (await people[1]!.b.get(locations[1]!)).text()).toContain('Your place in the queue: 1');
    expect(await (await people[2]!.b.get(locations[2]!)).text()).toContain('Your place in the queue: 2');

    // the first cancels: the place is freed and a job asked to offer it
    const [tk] = await t.db.select().from(ticket).where(eq(ticket.eventId, e.id));
    const cancel = await post(people[0]!.b, `${locations[0]!.split('?')[0]}/cancel`, { ticketId: tk!.id, language: 'en' });
    expect(cancel.status).toBe(303);
    expect(await tally(e.id)).toMatchObject({ tickets: 0, taken: 0 });
    expect(await queued('events.waitlist-offer')).toContainEqual({ ticketTypeId: tt.id });
    // …which a newcomer cannot take while people wait
    await post(browser(), '/e/full', { language: 'en', ticketTypeId: tt.id, name: 'late', email: 'late@example.org' });
    expect(await tally(e.id)).toMatchObject({ tickets: 0, waitlist: 3, taken: 0 });

    // the job: b gets the offer for 2 hours, the place is held
    const now = new Date();
    const offered = await makeOffers(t.db, deps, tt.id, now);
    expect(offered).toHaveLength(1);
    expect(await tally(e.id)).toMatchObject({ tickets: 0, taken: 1 });
    const [offer] = await t.db.select().from(waitlistEntry).where(eq(waitlistEntry.id, offered[0]!));
    expect(offer).toMatchObject({ status: 'offered' });
    expect(offer!.offerExpiresAt!.getTime() - now.getTime()).toBe(2 * 3_600_000);
    expect(await queued('events.waitlist-expire')).toContainEqual({ entryId: offer!.id });
    expect(await (await people[1]!.b.get(locations[1]!)).text()).toContain('A place is available for you!');
    // running the job again offers nothing more: one place, one offer
    expect(await makeOffers(t.db, deps, tt.id, now)).toEqual([]);

    // b lets the time run out: the expiry job (its clock two hours on) passes the place to c
    expect(await expireOffer(t.db, deps, offer!.id, new Date(now.getTime() + 3_600_000))).toBe('not_due');
    expect(await expireOffer(t.db, deps, offer!.id, new Date(now.getTime() + 2 * 3_600_000))).toBe('expired');
    const [cEntry] = await t.db.select().from(waitlistEntry).where(and(eq(waitlistEntry.eventId, e.id), eq(waitlistEntry.status, 'offered')));
    expect(cEntry!.registrationId).toBe((await t.db.select().from(registration).where(eq(registration.email, 'c@example.org')))[0]!.id);
    expect(await tally(e.id)).toMatchObject({ tickets: 0, taken: 1 });
    // b's late acceptance is refused; c takes it
    const [bEntry] = await t.db.select().from(waitlistEntry).where(eq(waitlistEntry.id, offer!.id));
    const late = await post(people[1]!.b, `${locations[1]!.split('?')[0]}/accept`, { entryId: bEntry!.id, language: 'en' });
    expect(late.headers.get('location')).toContain('done=waitlist.expired');
    const took = await post(people[2]!.b, `${locations[2]!.split('?')[0]}/accept`, { entryId: cEntry!.id, language: 'en' });
    expect(took.status).toBe(303);
    expect(await tally(e.id)).toMatchObject({ tickets: 1, taken: 1 });
    expect(await (await people[2]!.b.get(took.headers.get('location')!)).text()).toContain('You took the place');

    // a raised capacity offers the new places at once (a job) to those still waiting
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { capacity: 2 });
    expect(await queued('events.waitlist-offer')).toContainEqual({ ticketTypeId: tt.id });
    expect(await makeOffers(t.db, deps, tt.id)).toHaveLength(1);
    expect(await tally(e.id)).toMatchObject({ tickets: 1, taken: 2 });
  });

  it('answers a date outside the sales window and a closed event on the form, in the reader’s language, writing nothing', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'window', capacity: 10 });
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { salesStartAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(await (await browser().get('/e/window?lang=en')).text()).toContain('Registration opens');
    const early = await post(browser(), '/e/window', { language: 'he', ticketTypeId: tt.id, name: 'Dana', email: 'dana@example.org' });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('ההרשמה לכרטיס הזה עוד לא נפתחה.');
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { salesStartAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), salesEndAt: new Date(Date.now() - 86_400_000).toISOString() });
    const late = await post(browser(), '/e/window', { language: 'ar', ticketTypeId: tt.id, name: 'Dana', email: 'dana@example.org' });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('انتهى التسجيل لهذه التذكرة.');
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { salesEndAt: null });
    await updateEvent(t.db, ctx, e.id, { status: 'closed' });
    expect(await (await browser().get('/e/window?lang=en')).text()).toContain('Registration for this event is closed.');
    const closed = await post(browser(), '/e/window', { language: 'en', ticketTypeId: tt.id, name: 'Dana', email: 'dana@example.org' });
    expect(closed.status).toBe(409);
    const unknownType = await post(browser(), '/e/window', { language: 'en', ticketTypeId: 'nope', name: 'Dana', email: 'dana@example.org' });
    expect(unknownType.status).toBe(400);
    expect(await tally(e.id)).toEqual({ registrations: 0, tickets: 0, waitlist: 0, taken: 0 });
  });

  it('never oversells: 40 simultaneous registrations into 7 places give exactly 7 tickets and 33 places on the waitlist', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'burst', capacity: 7 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        register(t.db, { actor: null, ip: `198.51.100.${i}`, userAgent: '' }, deps, 'burst', { email: `p${i}@example.org`, name: `Person ${i}`, language: 'en', ticketTypeId: tt.id, answers: {} }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'ticket')).toHaveLength(7);
    expect(results.filter((r) => r.outcome === 'waitlisted')).toHaveLength(33);
    expect(await tally(e.id)).toEqual({ registrations: 40, tickets: 7, waitlist: 33, taken: 7 });
    // and the same email five times at once: one registration
    const same = await Promise.all(
      Array.from({ length: 5 }, () => register(t.db, { actor: null, ip: '198.51.100.1', userAgent: '' }, deps, 'burst', { email: 'same@example.org', name: 'Same', language: 'en', ticketTypeId: tt.id, answers: {} })),
    );
    expect(new Set(same.map((r) => r.registrationId)).size).toBe(1);
    expect((await tally(e.id)).registrations).toBe(41);
  });

  it('limits registrations per address (counted in the database): the 21st form in ten minutes is 429, in the reader’s language', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'limited', capacity: 100 });
    const b = t.client({ 'x-forwarded-for': '192.0.2.77' });
    for (let i = 0; i < 20; i++) expect((await post(b, '/e/limited', { language: 'ar', ticketTypeId: tt.id, name: `n${i}`, email: `l${i}@example.org` })).status).toBe(303);
    const refused = await post(b, '/e/limited', { language: 'ar', ticketTypeId: tt.id, name: 'n', email: 'l20@example.org' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toContain('<html lang="ar" dir="rtl">');
    expect((await tally(e.id)).registrations).toBe(20);
  });
});
