import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { createMailer } from '../../mail.ts';
import { translate } from '../../../i18n/catalogs.ts';
import { auditEntry } from '../audit/audit.schema.ts';
import { person } from '../network/network.schema.ts';
import { eventReminder } from './after.schema.ts';
import { event, registration } from './events.schema.ts';
import { createQuestion, updateEvent } from './events.service.ts';
import { register, type EventsDeps } from './registration.service.ts';
import { sendDueReminders } from './reminders.service.ts';
import { buildReport, loadEventById } from './reports.service.ts';
import { eraseDueEvents } from './retention.service.ts';
import { startSmtpServer } from '../../../../tests/setup/smtp.ts';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { buildOpenEvent, staffContext } from '../../../../tests/setup/event-factories.ts';

// After registration: reminders the day before and on the day (SMTP, in the registrant's language, once each),
// retention (personal data erased retention_days after the event, those who agreed to hear again kept, and turned
// into Network people by staff), and the sweeps' schedules. The sweeps' functions run here with their own clock.
const smtp = await startSmtpServer();
const mailer = createMailer({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'Convene <c@example.org>' });
const t = await createTestApp({ mailer });
const staff = await t.signedIn('staff');
const admin = await t.signedIn('admin');
const viewer = await t.signedIn('viewer');
const ctx = staffContext({ id: staff.user.id });
const deps: EventsDeps = { jobs: t.jobs, secret: 'test secret of this file', mailer };
let n = 0;
const anyone = () => ({ actor: null, ip: `198.51.100.${++n}`, userAgent: '' });
const DAY = 86_400_000;
/** a day 30 days from now, at midnight UTC */
const day = new Date(Math.floor((Date.now() + 30 * DAY) / DAY) * DAY);
const at = (offsetDays: number, hour: number, minute = 0) => new Date(day.getTime() + offsetDays * DAY + hour * 3_600_000 + minute * 60_000);

async function json(res: Response, status = 200) {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return JSON.parse(body);
}

describe('the sweeps', () => {
  it('are scheduled (pg-boss cron, once across all servers) and named on the jobs page', async () => {
    const found = await rows<{ name: string; cron: string }>(t.db, sql`SELECT name, cron FROM pgboss.schedule WHERE name LIKE 'events.%' ORDER BY name`);
    expect(found).toEqual([
      { name: 'events.expire-offers', cron: '*/5 * * * *' },
      { name: 'events.reminders', cron: '*/10 * * * *' },
      { name: 'events.retention', cron: '17 * * * *' },
    ]);
    const list = await json(await admin.get('/api/jobs'));
    expect(list.names).toEqual(expect.arrayContaining(['events.reminders', 'events.expire-offers', 'events.retention']));
  });
});

describe('reminders', () => {
  it('the day before from 10:00 and on the day from 08:00 (venue’s zone), to valid tickets only, once each, in the registrant’s language', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'remind-me', capacity: 2 });
    await updateEvent(t.db, ctx, e.id, { timeZone: 'UTC', startsAt: at(0, 18).toISOString(), endsAt: at(0, 22).toISOString() });
    const before = smtp.messages.length;
    const people = [
      { email: 'amal@example.org', name: 'Amal', language: 'en' as const },
      { email: 'noa@example.org', name: 'נועה', language: 'he' as const },
      { email: 'salma@example.org', name: 'سلمى', language: 'ar' as const },
    ];
    const outcomes = [];
    for (const p of people) outcomes.push((await register(t.db, anyone(), deps, 'remind-me', { ...p, ticketTypeId: tt.id, answers: {} })).outcome);
    expect(outcomes).toEqual(['ticket', 'ticket', 'waitlisted']);
    await smtp.waitFor(before + 3); // the confirmations and the waitlist notice

    // without SMTP nothing is claimed
    expect(await sendDueReminders(t.db, { jobs: t.jobs, mailer: { configured: false } }, at(-1, 11))).toEqual({ day_before: 0, day_of: 0 });
    // not yet: 09:59 the day before
    expect(await sendDueReminders(t.db, deps, at(-1, 9, 59))).toEqual({ day_before: 0, day_of: 0 });
    expect(await sendDueReminders(t.db, deps, at(-1, 10, 5))).toEqual({ day_before: 2, day_of: 0 });
    // a second sweep (or a second server) sends nothing more
    expect(await sendDueReminders(t.db, deps, at(-1, 10, 15))).toEqual({ day_before: 0, day_of: 0 });
    const dayBefore = (await smtp.waitFor(before + 5)).slice(before + 3);
    expect(dayBefore.map((m) => m.to[0]).sort()).toEqual(['amal@example.org', 'noa@example.org']);
    const he = dayBefore.find((m) => m.to[0] === 'noa@example.org')!;
    expect(he.subject).toBe(translate('he', 'events.email.reminder_day_before.subject', { event: 'הזמן הוא עכשיו' }));
    expect(he.text).toMatch(/\/e\/remind-me\/t\/[A-Za-z0-9_-]{43}/);

    expect(await sendDueReminders(t.db, deps, at(0, 8, 5))).toEqual({ day_before: 0, day_of: 2 });
    const dayOf = (await smtp.waitFor(before + 7)).slice(before + 5);
    expect(dayOf.find((m) => m.to[0] === 'amal@example.org')!.subject).toBe(translate('en', 'events.email.reminder_day_of.subject', { event: 'Time is Now' }));
    // once the event has started: nothing
    expect(await sendDueReminders(t.db, deps, at(0, 18, 1))).toEqual({ day_before: 0, day_of: 0 });
    const [claimed] = await t.db.select({ n: count() }).from(eventReminder);
    expect(claimed!.n).toBe(4);
  });

  it('someone who registers after a reminder was due gets none of it (the confirmation just came)', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'late-comer', capacity: 5 });
    await updateEvent(t.db, ctx, e.id, { timeZone: 'UTC', startsAt: at(0, 9).toISOString(), endsAt: at(0, 12).toISOString() });
    await register(t.db, anyone(), deps, 'late-comer', { email: 'late@example.org', name: 'Late', language: 'en', ticketTypeId: tt.id, answers: {} });
    // the registration was made now, long before the reminders are due: the day-of reminder of an early event is
    // three hours before its start (06:00 here, not 08:00)
    expect(await sendDueReminders(t.db, deps, at(0, 5, 59))).toMatchObject({ day_of: 0 });
    expect(await sendDueReminders(t.db, deps, at(0, 6, 1))).toMatchObject({ day_of: 1 });
    // moved into the past relative to a due instant: a registration newer than the instant is skipped
    const [late] = await t.db.update(registration).set({ createdAt: at(-1, 11) }).where(eq(registration.email, 'late@example.org')).returning();
    await t.db.delete(eventReminder).where(eq(eventReminder.registrationId, late!.id));
    expect(await sendDueReminders(t.db, deps, at(-1, 10, 30))).toMatchObject({ day_before: 0 });
  });
});

describe('retention', () => {
  it('erases registrants’ personal data retention_days after the event, keeps those who agreed to hear again, keeps the counts', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'keep-a-while', capacity: 2 });
    const hear = await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Tell me about the next one' } });
    const text = await createQuestion(t.db, ctx, e.id, { kind: 'text', label: { en: 'Anything we should know?' } });
    const reg = (email: string, name: string, answers: Record<string, string>) => register(t.db, anyone(), deps, 'keep-a-while', { email, name, language: 'en', ticketTypeId: tt.id, answers });
    const kept = await reg('kept@example.org', 'Kept Person', { [hear.id]: 'yes', [text.id]: 'wheelchair' });
    const gone = await reg('gone@example.org', 'Gone Person', { [text.id]: 'allergies' });
    const waiting = await reg('waits@example.org', 'Waiting Person', {});
    expect(waiting.outcome).toBe('waitlisted');
    await updateEvent(t.db, ctx, e.id, { retentionDays: 30 });
    const [row] = await t.db.select().from(event).where(eq(event.id, e.id));
    const due = new Date(row!.endsAt.getTime() + 30 * DAY);

    expect(await eraseDueEvents(t.db, new Date(due.getTime() - 60_000))).toEqual({ events: 0, erased: 0, keptEvents: 0, keptErased: 0 });
    expect(await eraseDueEvents(t.db, due)).toEqual({ events: 1, erased: 2, keptEvents: 0, keptErased: 0 });
    const after = await t.db.select().from(registration).where(eq(registration.eventId, e.id));
    const byId = new Map(after.map((r) => [r.id, r]));
    expect(byId.get(kept.registrationId)).toMatchObject({ name: 'Kept Person', email: 'kept@example.org', erasedAt: null });
    for (const id of [gone.registrationId, waiting.registrationId]) {
      const r = byId.get(id)!;
      expect(r.name).toBe('');
      expect(r.email).toBe(`erased:${id}`);
      expect(r.answers).toEqual({});
      expect(r.erasedAt).not.toBeNull();
    }
    const dump = JSON.stringify(after);
    expect(dump).not.toContain('gone@example.org');
    expect(dump).not.toContain('allergies');
    expect(dump).not.toContain('Waiting Person');
    const [marked] = await t.db.select().from(event).where(eq(event.id, e.id));
    expect(marked!.personalDataErasedAt).not.toBeNull();
    // done once
    expect(await eraseDueEvents(t.db, new Date(due.getTime() + DAY))).toEqual({ events: 0, erased: 0, keptEvents: 0, keptErased: 0 });
    const [audited] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'event.retention.erase'));
    expect(audited).toMatchObject({ actorId: null, entityId: e.id, detail: { erased: 2, kept: 1 } });
    // the figures stay
    const report = await buildReport(t.db, await loadEventById(t.db, e.id), null);
    expect(report.totals).toMatchObject({ registrations: 3, tickets: 2, waitlistJoined: 1 });
    // staff no longer see the erased ones
    const list = await json(await staff.get(`/api/events/${e.id}/registrations`));
    expect(list.items.map((r: { email: string }) => r.email)).toEqual(['kept@example.org']);

    // the one who agreed to hear again becomes a Network person, once, by staff
    expect((await viewer.post(`/api/events/${e.id}/registrations/${kept.registrationId}/to-network`)).status).toBe(403);
    expect((await staff.post(`/api/events/${e.id}/registrations/${gone.registrationId}/to-network`)).status).toBe(404);
    expect((await staff.post(`/api/events/${e.id}/registrations/not-a-uuid/to-network`)).status).toBe(404);
    const made = await json(await staff.post(`/api/events/${e.id}/registrations/${kept.registrationId}/to-network`), 201);
    const [p] = await t.db.select().from(person).where(eq(person.id, made.personId));
    expect(p!.displayName).toBe('Kept Person');
    const personView = await json(await staff.get(`/api/people/${made.personId}`));
    expect(JSON.stringify(personView.contacts)).toContain('kept@example.org');
    const again = await staff.post(`/api/events/${e.id}/registrations/${kept.registrationId}/to-network`);
    expect(again.status).toBe(409);
    expect((await again.json()).code).toBe('already_in_network');
    const [toNetwork] = await t.db.select({ n: count() }).from(auditEntry).where(eq(auditEntry.action, 'event.registration.to_network'));
    expect(toNetwork!.n).toBe(1);
  });

  it('a registrant who did not agree to hear again is not turned into a Network person', async () => {
    const { ticketType: tt, event: e } = await buildOpenEvent(t.db, ctx, { slug: 'no-consent', capacity: 2 });
    const r = await register(t.db, anyone(), deps, 'no-consent', { email: 'quiet@example.org', name: 'Quiet', language: 'en', ticketTypeId: tt.id, answers: {} });
    const [people] = await t.db.select({ n: count() }).from(person);
    const res = await staff.post(`/api/events/${e.id}/registrations/${r.registrationId}/to-network`);
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe('no_hear_again_consent');
    // another event's id with this registration: not found
    const other = await buildOpenEvent(t.db, ctx, { slug: 'no-consent-2', capacity: 2 });
    expect((await staff.post(`/api/events/${other.event.id}/registrations/${r.registrationId}/to-network`)).status).toBe(404);
    const [still] = await t.db.select({ n: count() }).from(person);
    expect(still!.n).toBe(people!.n);
  });

  it('keeps those who agreed to hear again until a second deadline (kept_retention_days), then erases them too; the Network person stays', async () => {
    const { event: e, ticketType: tt } = await buildOpenEvent(t.db, ctx, { slug: 'second-deadline', capacity: 5 });
    const hear = await createQuestion(t.db, ctx, e.id, { kind: 'consent', consentPurpose: 'hear_again', label: { en: 'Tell me about the next one' } });
    const reg = (email: string, name: string, answers: Record<string, string>) => register(t.db, anyone(), deps, 'second-deadline', { email, name, language: 'en', ticketTypeId: tt.id, answers });
    const keptA = await reg('kept-a@example.org', 'Kept A', { [hear.id]: 'yes' });
    const keptB = await reg('kept-b@example.org', 'Kept B', { [hear.id]: 'yes' });
    await reg('plain@example.org', 'Plain', {});

    // who may not, and what is not allowed: nothing changes
    expect((await viewer.patch(`/api/events/${e.id}`, { keptRetentionDays: 400 })).status).toBe(403);
    const below = await staff.patch(`/api/events/${e.id}`, { retentionDays: 30, keptRetentionDays: 20 });
    expect(below.status).toBe(400);
    expect((await below.json()).errors).toEqual([{ field: 'body.keptRetentionDays', detail: "At least the days registrants' data is kept (30)" }]);
    expect((await staff.patch(`/api/events/${e.id}`, { keptRetentionDays: 3651 })).status).toBe(400);
    expect((await json(await staff.get(`/api/events/${e.id}`))).keptRetentionDays).toBe(730);

    const set = await json(await staff.patch(`/api/events/${e.id}`, { retentionDays: 30, keptRetentionDays: 400 }));
    expect(set).toMatchObject({ retentionDays: 30, keptRetentionDays: 400 });
    const made = await json(await staff.post(`/api/events/${e.id}/registrations/${keptA.registrationId}/to-network`), 201);
    const [row] = await t.db.select().from(event).where(eq(event.id, e.id));
    const first = new Date(row!.endsAt.getTime() + 30 * DAY);
    const second = new Date(row!.endsAt.getTime() + 400 * DAY);

    expect(await eraseDueEvents(t.db, first)).toMatchObject({ erased: 1, keptEvents: 0, keptErased: 0 });
    expect(await eraseDueEvents(t.db, new Date(second.getTime() - 60_000))).toMatchObject({ keptEvents: 0, keptErased: 0 });
    expect(await eraseDueEvents(t.db, second)).toMatchObject({ keptEvents: 1, keptErased: 2 });
    const after = await t.db.select().from(registration).where(eq(registration.eventId, e.id));
    expect(after.every((r) => r.erasedAt !== null && r.name === '' && r.email === `erased:${r.id}`)).toBe(true);
    expect(JSON.stringify(after)).not.toContain('kept-b@example.org');
    const [marked] = await t.db.select().from(event).where(eq(event.id, e.id));
    expect(marked!.keptDataErasedAt).not.toBeNull();
    const [audited] = await t.db.select().from(auditEntry).where(eq(auditEntry.action, 'event.retention.erase_kept'));
    expect(audited).toMatchObject({ actorId: null, entityId: e.id, detail: { erased: 2, inNetwork: 1 } });
    // done once; the Network person made from one of them stays; the figures stay
    expect(await eraseDueEvents(t.db, new Date(second.getTime() + DAY))).toMatchObject({ keptEvents: 0, keptErased: 0 });
    expect((await t.db.select().from(person).where(eq(person.id, made.personId)))[0]!.displayName).toBe('Kept A');
    expect((await buildReport(t.db, await loadEventById(t.db, e.id), null)).totals).toMatchObject({ registrations: 3, tickets: 3 });
    // erased, they can no longer be turned into Network people
    expect((await staff.post(`/api/events/${e.id}/registrations/${keptB.registrationId}/to-network`)).status).toBe(404);
  });

  it('an event kept longer than two years keeps its hear-again registrants at least as long (the second deadline follows the first)', async () => {
    const { event: e } = await buildOpenEvent(t.db, ctx, { slug: 'long-kept', capacity: 1 });
    expect((await json(await staff.patch(`/api/events/${e.id}`, { retentionDays: 1000 }))).keptRetentionDays).toBe(1000);
    expect((await json(await staff.patch(`/api/events/${e.id}`, { retentionDays: 10 }))).keptRetentionDays).toBe(1000);
  });
});
