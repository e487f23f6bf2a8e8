import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createMailer } from '../../mail.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { ticket } from './events.schema.ts';
import { startSmtpServer } from '../../../../tests/setup/smtp.ts';
import { createTestApp, ORIGIN } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// With SMTP configured, a registration's confirmation, waitlist and offer emails leave by jobs (running here), in
// the registrant's language, each with the ticket link.
const smtp = await startSmtpServer();
const t = await createTestApp({ config: { trustProxy: true }, mailer: createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Convene <c@example.org>' }) });
const staff = await t.signedIn('staff');
const ctx = staffContext({ id: staff.user.id });
let n = 0;
const browser = () => t.client({ 'x-forwarded-for': `198.18.0.${++n}` });
const post = (c: ReturnType<typeof browser>, path: string, fields: Record<string, string>) =>
  c.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('registration emails', () => {
  it('confirms in the registrant’s language with the ticket link; the same address again gets the same link, never on screen', async () => {
    const { ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'mail-confirm', capacity: 5 });
    const res = await post(browser(), '/e/mail-confirm', { language: 'he', ticketTypeId: tt.id, name: 'נועה', email: 'noa@example.org' });
    expect(res.status).toBe(303);
    const link = `${ORIGIN}${res.headers.get('location')!.split('?')[0]}`;
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(['noa@example.org']);
    expect(mail!.subject).toBe(translate('he', 'events.email.confirmation.subject', { event: 'הזמן הוא עכשיו' }));
    expect(mail!.text).toContain(link);
    expect(mail!.text).toContain('נועה');

    const again = await post(browser(), '/e/mail-confirm', { language: 'en', ticketTypeId: tt.id, name: 'Someone', email: 'NOA@example.org' });
    expect(again.status).toBe(200);
    const page = await again.text();
    expect(page).toContain('We have sent your ticket link to it again.');
    expect(page).not.toContain(link.split('/t/')[1]);
    const second = (await smtp.waitFor(2))[1]!;
    expect(second.to).toEqual(['noa@example.org']);
    expect(second.text).toContain(link);
  });

  it('tells a waiting person they wait, and offers them a freed place by email when someone cancels', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'mail-offer', capacity: 1 });
    const before = smtp.messages.length;
    const first = browser();
    const a = await post(first, '/e/mail-offer', { language: 'en', ticketTypeId: tt.id, name: 'Amal', email: 'amal@example.org' });
    await post(browser(), '/e/mail-offer', { language: 'ar', ticketTypeId: tt.id, name: 'سلمى', email: 'salma@example.org' });
    const waiting = (await smtp.waitFor(before + 2)).slice(before).find((m) => m.to[0] === 'salma@example.org')!;
    expect(waiting.subject).toBe(translate('ar', 'events.email.waitlisted.subject', { event: 'الوقت الآن' }));

    const [tk] = await t.db.select().from(ticket).where(eq(ticket.eventId, e.id));
    await post(first, `${a.headers.get('location')!.split('?')[0]}/cancel`, { ticketId: tk!.id, language: 'en' });
    // the offer job runs, holds the place and asks for the email
    const offer = (await smtp.waitFor(before + 3)).slice(before + 2)[0]!;
    expect(offer.to).toEqual(['salma@example.org']);
    expect(offer.subject).toBe(translate('ar', 'events.email.offer.subject', { event: 'الوقت الآن' }));
    expect(offer.text).toMatch(/\/e\/mail-offer\/t\/[A-Za-z0-9_-]{43}/);
  });
});
