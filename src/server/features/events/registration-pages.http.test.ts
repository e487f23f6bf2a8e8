import { HtmlValidate, type ConfigData } from 'html-validate';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { waitlistEntry } from './events.schema.ts';
import { createQuestion } from './events.service.ts';
import { makeOffers } from './waitlist.service.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// The event pages' HTML, as a browser with JavaScript off meets it, checked by the validator tests/http uses (same
// rules), in each language: the form with every kind of question, the form sent back with its errors, a ticket, a
// waitlist place and an offer, and the notices.
const VALIDATOR: ConfigData = {
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: { 'require-sri': 'off', 'valid-id': ['error', { relaxed: false }], 'no-dup-id': 'error', 'no-redundant-for': 'error', 'wcag/h32': 'error', 'wcag/h37': 'error', 'wcag/h63': 'error' },
};
const validator = new HtmlValidate(VALIDATOR);
const t = await createTestApp({ config: { trustProxy: true }, jobs: { work: false } });
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
const deps = { jobs: t.jobs, secret: 'x' };
let n = 0;
const browser = () => t.client({ 'x-forwarded-for': `198.19.0.${++n}` });
const post = (c: ReturnType<typeof browser>, path: string, fields: Record<string, string>) =>
  c.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

async function valid(where: string, html: string) {
  const report = await validator.validateString(html, where);
  expect(report.results.flatMap((r) => r.messages.map((m) => `${where}:${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
}

const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'valid-pages', capacity: 1, terms: true });
await createQuestion(t.db, ctx, e.id, { kind: 'text', label: { en: 'Why do you come?', he: 'למה אתם באים?', ar: 'لماذا تأتي؟' } });
await createQuestion(t.db, ctx, e.id, { kind: 'single', required: true, label: { en: 'Region' }, options: [{ id: 'north', label: { en: 'North' } }, { id: 'south', label: { en: 'South', ar: 'الجنوب' } }] });
await createQuestion(t.db, ctx, e.id, { kind: 'multiple', label: { en: 'Needs' }, options: [{ id: 'wheelchair', label: { en: 'Wheelchair access' } }, { id: 'hearing', label: { en: 'Hearing loop' } }] });
await createQuestion(t.db, ctx, e.id, { kind: 'yes_no', label: { en: 'First time?' } });
await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Keep me informed' } });

describe('the event pages are valid HTML in every language', () => {
  for (const lang of ['en', 'he', 'ar'] as const) {
    it(`in ${lang}`, async () => {
      await valid(`form ${lang}`, await (await browser().get(`/e/valid-pages?lang=${lang}&ref=unknowncode123`)).text());
      const errors = await post(browser(), '/e/valid-pages', { language: lang, ticketTypeId: tt.id, name: 'Name', email: `${lang}-err@example.org` });
      expect(errors.status).toBe(400);
      await valid(`errors ${lang}`, await errors.text());
      const notFound = await browser().get(`/e/valid-pages/t/${'x'.repeat(43)}?lang=${lang}`);
      expect(notFound.status).toBe(404);
      await valid(`not found ${lang}`, await notFound.text());
    });
  }

  it('the ticket, waitlist and offer pages', async () => {
    const questions = (await (await browser().get('/e/valid-pages')).text()).match(/name="q_[0-9a-f-]+"/g)!.map((s) => s.slice(6, -1));
    const answers = (email: string) => {
      const f: Record<string, string> = { language: 'he', ticketTypeId: tt.id, name: 'נועה', email };
      for (const q of new Set(questions)) f[q] = 'yes';
      return f;
    };
    const html = await (await browser().get('/e/valid-pages')).text();
    const region = html.match(/name="(q_[0-9a-f-]+)" value="north"/)![1]!;
    const needs = html.match(/name="(q_[0-9a-f-]+)" value="wheelchair"/)![1]!;
    const why = html.match(/<textarea id="(q_[0-9a-f-]+)"/)![1]!;
    const a = browser();
    const first = await post(a, '/e/valid-pages', { ...answers('a@example.org'), [region]: 'north', [needs]: 'wheelchair', [why]: 'Peace' });
    expect(first.status).toBe(303);
    await valid('ticket', await (await a.get(first.headers.get('location')!)).text());
    const b = browser();
    const second = await post(b, '/e/valid-pages', { ...answers('b@example.org'), [region]: 'south', [needs]: 'hearing', [why]: 'Hope' });
    await valid('waitlist', await (await b.get(second.headers.get('location')!)).text());
    await t.db.execute(`UPDATE ticket SET status = 'cancelled' WHERE event_id = '${e.id}'`);
    await t.db.execute(`UPDATE ticket_type SET taken = 0 WHERE id = '${tt.id}'`);
    expect(await makeOffers(t.db, deps, tt.id)).toHaveLength(1);
    const [w] = await t.db.select().from(waitlistEntry).where(eq(waitlistEntry.eventId, e.id));
    expect(w!.status).toBe('offered');
    await valid('offer', await (await b.get(`${second.headers.get('location')!.split('?')[0]}?lang=ar`)).text());
    await valid('cancelled ticket', await (await a.get(`${first.headers.get('location')!.split('?')[0]}?lang=en`)).text());
  });
});
