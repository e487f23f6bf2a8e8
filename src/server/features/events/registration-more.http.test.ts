import { HtmlValidate } from 'html-validate';
import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEntry } from '../audit/audit.schema.ts';
import { registration, registrationQuestion, ticket, ticketType, waitlistEntry } from './events.schema.ts';
import { createQuestion, updateTicketType } from './events.service.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// More tickets per person (up to the type's per-person limit) and "change your details" on the ticket page.
const t = await createTestApp({ config: { trustProxy: true }, jobs: { work: false } });
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file' };
let address = 0;
const browser = () => t.client({ 'x-forwarded-for': `203.0.113.${++address % 250}` });
function form(fields: Record<string, string | string[]>): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return p;
}
const post = (c: ReturnType<typeof browser>, path: string, fields: Record<string, string | string[]>) =>
  c.request(path, { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const validator = new HtmlValidate({
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
});
async function valid(where: string, html: string) {
  const report = await validator.validateString(html, where);
  expect(report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
}
async function tickets(registrationId: string) {
  const [n] = await t.db.select({ n: count() }).from(ticket).where(and(eq(ticket.registrationId, registrationId), eq(ticket.status, 'valid')));
  return n!.n;
}

describe('more than one ticket per person', () => {
  it('asks how many when a type allows more; gives as many as are free; never more than the limit; the rest is nobody’s', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'families', capacity: 5 });
    // one per person: no question asked
    expect(await (await browser().get('/e/families?lang=en')).text()).not.toContain('name="quantity"');
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { perPersonLimit: 4 });
    const html = await (await browser().get('/e/families?lang=en')).text();
    expect(html).toContain('name="quantity"');
    expect(html).toContain('max="4"');
    await valid('families-form', html);

    const res = await post(browser(), '/e/families', { language: 'en', ticketTypeId: tt.id, name: 'Family One', email: 'one@example.org', quantity: '3' });
    expect(res.status).toBe(303);
    const [one] = await t.db.select().from(registration).where(eq(registration.email, 'one@example.org'));
    expect(await tickets(one!.id)).toBe(3);
    const page = await (await browser().get(res.headers.get('location')!)).text();
    expect(page.match(/class="card ticket"/g)).toHaveLength(3);

    // over the limit, or not a number: answered on the form, nothing written
    for (const quantity of ['5', '0', 'two', '-1', '2.5']) {
      const bad = await post(browser(), '/e/families', { language: 'en', ticketTypeId: tt.id, name: 'Too Many', email: `many-${quantity}@example.org`, quantity });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('You asked for more tickets than one person may have for this ticket.');
    }
    expect(await t.db.select().from(registration).where(eq(registration.eventId, e.id))).toHaveLength(1);

    // three asked, two left: two given
    const two = await register(t.db, { actor: null, ip: '198.51.100.9', userAgent: '' }, deps, 'families', { email: 'two@example.org', name: 'Family Two', language: 'he', ticketTypeId: tt.id, answers: {}, quantity: 3 });
    expect(two.outcome).toBe('ticket');
    expect(await tickets(two.registrationId)).toBe(2);
    // full: the next family waits
    const three = await register(t.db, { actor: null, ip: '198.51.100.10', userAgent: '' }, deps, 'families', { email: 'three@example.org', name: 'Family Three', language: 'ar', ticketTypeId: tt.id, answers: {}, quantity: 2 });
    expect(three.outcome).toBe('waitlisted');
    const [type] = await t.db.select().from(ticketType).where(eq(ticketType.id, tt.id));
    expect(type).toMatchObject({ taken: 5, capacity: 5 });
    const [w] = await t.db.select({ n: count() }).from(waitlistEntry).where(eq(waitlistEntry.ticketTypeId, tt.id));
    expect(w!.n).toBe(1);
    const [audited] = await t.db.select().from(auditEntry).where(sql`${auditEntry.detail} ->> 'registrationId' = ${two.registrationId}`);
    expect(audited!.detail).toMatchObject({ asked: 3, tickets: 2 });
  });

  it('never oversells when families ask for several places at once', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'families-burst', capacity: 10 });
    await updateTicketType(t.db, ctx, deps, e.id, tt.id, { perPersonLimit: 3 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        register(t.db, { actor: null, ip: `198.51.100.${i}`, userAgent: '' }, deps, 'families-burst', { email: `f${i}@example.org`, name: `F ${i}`, language: 'en', ticketTypeId: tt.id, answers: {}, quantity: 3 }),
      ),
    );
    const [k] = await t.db.select({ n: count() }).from(ticket).where(and(eq(ticket.eventId, e.id), eq(ticket.status, 'valid')));
    const [type] = await t.db.select().from(ticketType).where(eq(ticketType.id, tt.id));
    expect(k!.n).toBe(10);
    expect(type!.taken).toBe(10);
    expect(results.filter((r) => r.outcome === 'waitlisted').length).toBe(12 - results.filter((r) => r.outcome === 'ticket').length);
  });
});

describe('changing one’s details on the ticket page', () => {
  it('corrects the name and answers, gives or withdraws optional consents, keeps the terms and the email', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'change-me', capacity: 5, terms: true });
    const diet = await createQuestion(t.db, ctx, e.id, { kind: 'single', label: { en: 'Food' }, options: [{ id: 'veg', label: { en: 'Vegetarian' } }, { id: 'any', label: { en: 'Anything' } }], required: true });
    const hear = await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Tell me about the next one' } });
    const [terms] = await t.db.select().from(registrationQuestion).where(and(eq(registrationQuestion.eventId, e.id), eq(registrationQuestion.consentPurpose, 'terms')));
    const b = browser();
    const res = await post(b, '/e/change-me', { language: 'en', ticketTypeId: tt.id, name: 'Noa Levy', email: 'noa@example.org', [`q_${terms!.id}`]: 'yes', [`q_${diet.id}`]: 'any' });
    expect(res.status).toBe(303);
    const ticketPage = res.headers.get('location')!.split('?')[0]!;
    const [before] = await t.db.select().from(registration).where(eq(registration.email, 'noa@example.org'));

    const html = await (await b.get(`${ticketPage}?lang=en`)).text();
    expect(html).toContain('Change your details');
    expect(html).toContain('value="Noa Levy"');
    // the current answer is chosen; the terms are not asked again
    expect(html).toMatch(new RegExp(`name="q_${diet.id}" value="any" checked`));
    expect(html).not.toContain(`name="q_${terms!.id}"`);
    await valid('ticket-with-change', html);

    // a required answer removed: the page again with the error, nothing written
    const bad = await post(b, `${ticketPage}/change`, { language: 'en', name: 'Noa Levi' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('Please fill this in.');
    expect(badHtml).toContain('<details class="card no-print change" open>');
    await valid('ticket-change-errors', badHtml);
    const [unchanged] = await t.db.select().from(registration).where(eq(registration.id, before!.id));
    expect(unchanged!.name).toBe('Noa Levy');

    const ok = await post(b, `${ticketPage}/change`, { language: 'he', name: 'Noa Levi', [`q_${diet.id}`]: 'veg', [`q_${hear.id}`]: 'yes' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`${ticketPage}?lang=he&done=ticket.changed`);
    const [after] = await t.db.select().from(registration).where(eq(registration.id, before!.id));
    expect(after).toMatchObject({ name: 'Noa Levi', email: 'noa@example.org', answers: { [diet.id]: 'veg' } });
    expect(after!.consents.terms).toBe(before!.consents.terms);
    expect(after!.consents.hear_again).toBeTruthy();
    expect(await (await b.get(ok.headers.get('location')!)).text()).toContain('הפרטים שלכם נשמרו.');

    // withdrawn again
    await post(b, `${ticketPage}/change`, { language: 'en', name: 'Noa Levi', [`q_${diet.id}`]: 'veg' });
    const [withdrawn] = await t.db.select().from(registration).where(eq(registration.id, before!.id));
    expect(withdrawn!.consents.hear_again).toBeUndefined();
    const [audited] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.registration.change'));
    expect(audited!.n).toBe(2);

    // an unknown token: not found; a form from another site: refused
    expect((await post(browser(), `/e/change-me/t/${'x'.repeat(43)}/change`, { language: 'en', name: 'Someone' })).status).toBe(404);
    const foreign = await b.request(`${ticketPage}/change`, { method: 'POST', body: form({ name: 'Evil' }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const [still] = await t.db.select().from(registration).where(eq(registration.id, before!.id));
    expect(still!.name).toBe('Noa Levi');
  });
});
