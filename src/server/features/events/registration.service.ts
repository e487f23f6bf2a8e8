import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { AppError, isUuid, notFound, type FieldError } from '../../core/errors.ts';
import type { RequestContext } from '../../core/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { ConsentPurpose } from './events.contract.ts';
import { event, eventSigningKey, referralLink, registration, registrationQuestion, ticket, ticketType, waitlistEntry, type Answers, type Consents } from './events.schema.ts';
import type { Mailer } from '../../mail.ts';
import { enqueueRegistrationEmail } from './registration.notify.ts';
import { manageToken, tokenHash } from './registration.token.ts';

export { manageToken, tokenHash };
import { signTicketCode } from './ticket-code.ts';
import { offerFreedPlaces, queuePosition, type WaitlistJobs } from './waitlist.service.ts';
import { textArray } from '../../db/array-literal.ts';

// Registering for an event from its public page (/e/{slug}), with no account: the person's registration, their
// ticket or their place on a waitlist, and what their ticket link lets them do (see, cancel, accept an offer).
//
// Capacity: a ticket is made only by a conditional UPDATE of its type's `taken` count (taken < capacity) in the
// ticket's own transaction, so that concurrent registrations never sell more places than there are (and the
// table's CHECK would refuse it anyway). One registration per normalised email and event (a unique index): the same
// email registering again gets the registration it has, never a second ticket.

export type EventsDeps = WaitlistJobs & {
  /** the install's secret: ticket links' tokens are derived from it (so that a link can be sent again) */
  secret: string;
  /** emails are enqueued only when it is configured */
  mailer?: Pick<Mailer, 'configured'>;
};

export type EventRow = typeof event.$inferSelect;
export type TicketTypeRow = typeof ticketType.$inferSelect;
export type QuestionRow = typeof registrationQuestion.$inferSelect;
export type RegistrationRow = typeof registration.$inferSelect;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A published (or closed) event by its address; drafts are not found. */
export async function publicEvent(db: Db, slug: string): Promise<EventRow> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw notFound('event');
  const [e] = await db.select().from(event).where(eq(event.slug, slug));
  if (!e || e.status === 'draft') throw notFound('event');
  return e;
}

/** Whether a ticket type takes registrations now: 'open', or why not. */
export function salesState(e: EventRow, t: Pick<TicketTypeRow, 'salesStartAt' | 'salesEndAt'>, now = new Date()): 'open' | 'not_yet' | 'over' | 'closed' {
  if (e.status !== 'published') return 'closed';
  if (t.salesStartAt && now < t.salesStartAt) return 'not_yet';
  if (now >= (t.salesEndAt ?? e.startsAt) || now >= e.endsAt) return 'over';
  return 'open';
}

/** The referral link a code names, when it exists for this event and is not revoked. */
export async function activeReferral(db: Db, eventId: string, code: string | undefined | null) {
  if (!code || !REF_CODE.test(code)) return null;
  const [l] = await db
    .select()
    .from(referralLink)
    .where(and(eq(referralLink.code, code), eq(referralLink.eventId, eventId), isNull(referralLink.revokedAt)));
  return l ?? null;
}

export type RegisterInput = {
  email: string;
  name: string;
  language: 'en' | 'he' | 'ar';
  ticketTypeId: string;
  /** by question id: text, a choice id, choice ids, or 'yes' / 'no'; consent questions: 'yes' when given */
  answers: Record<string, string | string[]>;
  ref?: string | null;
  /** tickets asked for (1 to the type's per-person limit; default 1): as many as are free are given, none → the waitlist */
  quantity?: number;
};

export type RegisterResult = {
  outcome: 'ticket' | 'waitlisted' | 'existing';
  registrationId: string;
  token: string;
  ticketId: string | null;
  waitlistEntryId: string | null;
};

/** The answers checked against the event's questions: the stored answers and consents, or field errors. */
export function checkAnswers(questions: QuestionRow[], given: Record<string, string | string[]>, now: Date): { answers: Answers; consents: Consents; errors: FieldError[] } {
  const answers: Answers = {};
  const consents: Consents = {};
  const errors: FieldError[] = [];
  for (const q of questions) {
    const raw = given[q.id];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => v.trim()).filter((v) => v.length > 0);
    const field = `answers.${q.id}`;
    if (!values.length) {
      if (q.required) errors.push({ field, detail: q.kind === 'consent' ? 'consent_required' : 'required' });
      continue;
    }
    switch (q.kind) {
      case 'text':
        if (values[0]!.length > 2000) errors.push({ field, detail: 'too_long' });
        else answers[q.id] = values[0]!;
        break;
      case 'single':
        if (values.length !== 1 || !q.options.some((o) => o.id === values[0])) errors.push({ field, detail: 'unknown_option' });
        else answers[q.id] = values[0]!;
        break;
      case 'multiple': {
        const ids = [...new Set(values)];
        if (ids.some((v) => !q.options.some((o) => o.id === v))) errors.push({ field, detail: 'unknown_option' });
        else answers[q.id] = ids;
        break;
      }
      case 'yes_no':
        if (values[0] !== 'yes' && values[0] !== 'no') errors.push({ field, detail: 'unknown_option' });
        else answers[q.id] = values[0] === 'yes';
        break;
      case 'consent':
        if (values[0] !== 'yes') {
          if (q.required) errors.push({ field, detail: 'consent_required' });
        } else consents[q.consentPurpose as ConsentPurpose] = now.toISOString();
        break;
    }
  }
  return { answers, consents, errors };
}

/**
 * Registers a person for one ticket of a type: a ticket when a place is free, else a place on the type's waitlist;
 * the registration the email already has otherwise. Throws 400 (answers), 404 (event, ticket type), 409 (sales not
 * open). Audited without the person's details, in the same statement as the write.
 *
 * Two statements (the burst of issue 12: thousands at once into one ticket type): one read (the ticket type, the
 * email's registration if any, the questions, the referral link, the signing key), then one write that inserts the
 * registration, takes places, makes the tickets (their codes signed beforehand) or the waitlist place, and the audit
 * entry. A single statement is a transaction of its own, and the ticket type's row is locked only from its UPDATE
 * to the statement's end, so concurrent registrations wait on each other for as little as possible. When email is
 * configured, the write and the email's job share a transaction.
 */
export async function register(db: Db, ctx: RequestContext, deps: EventsDeps, slugOrEvent: string | EventRow, input: RegisterInput, now = new Date()): Promise<RegisterResult> {
  const e = typeof slugOrEvent === 'string' ? await publicEvent(db, slugOrEvent) : slugOrEvent;
  if (!isUuid(input.ticketTypeId)) throw invalidField('ticketTypeId', 'unknown_ticket_type');
  const email = normaliseEmail(input.email);
  const refCode = input.ref && REF_CODE.test(input.ref) ? input.ref : null;
  const [t] = await rows<{
    per_person_limit: number;
    sales_start_at: Date | string | null;
    sales_end_at: Date | string | null;
    existing_id: string | null;
    questions: QuestionRow[] | string;
    ref: { id: string; organisationId: string } | string | null;
    private_key: string | null;
  }>(
    db,
    sql`SELECT tt.per_person_limit, tt.sales_start_at, tt.sales_end_at,
          (SELECT r.id FROM registration r WHERE r.event_id = ${e.id} AND r.email = ${email}) AS existing_id,
          (SELECT coalesce(json_agg(json_build_object('id', q.id, 'kind', q.kind, 'required', q.required, 'options', q.options, 'consentPurpose', q.consent_purpose) ORDER BY q.position), '[]'::json)
             FROM registration_question q WHERE q.event_id = ${e.id}) AS questions,
          (SELECT json_build_object('id', l.id, 'organisationId', l.organisation_id) FROM referral_link l
             WHERE l.code = ${refCode} AND l.event_id = ${e.id} AND l.revoked_at IS NULL) AS ref,
          (SELECT k.private_key FROM event_signing_key k WHERE k.event_id = ${e.id}) AS private_key
        FROM ticket_type tt WHERE tt.id = ${input.ticketTypeId} AND tt.event_id = ${e.id}`,
  );
  if (!t) throw invalidField('ticketTypeId', 'unknown_ticket_type');
  const quantity = input.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > t.per_person_limit) throw invalidField('quantity', 'over_limit');

  // the same email again: the registration (and ticket) it has
  if (t.existing_id) return existingResult(db, deps, t.existing_id);

  const state = salesState(e, { salesStartAt: dateOrNull(t.sales_start_at), salesEndAt: dateOrNull(t.sales_end_at) }, now);
  if (state === 'not_yet') throw new AppError('conflict', 'sales_not_yet', 'Registration for this ticket type has not opened yet.', [{ field: 'ticketTypeId', detail: 'sales_not_yet' }]);
  if (state === 'over') throw new AppError('conflict', 'sales_over', 'Registration for this ticket type is over.', [{ field: 'ticketTypeId', detail: 'sales_over' }]);
  if (state === 'closed') throw new AppError('conflict', 'registration_closed', 'Registration for this event is closed.', [{ field: 'ticketTypeId', detail: 'registration_closed' }]);
  const questions = (typeof t.questions === 'string' ? JSON.parse(t.questions) : t.questions) as QuestionRow[];
  const checked = checkAnswers(questions, input.answers, now);
  if (checked.errors.length) throw new AppError('invalid', 'invalid_registration', 'Some answers are missing or not valid.', checked.errors);
  const ref = (typeof t.ref === 'string' ? JSON.parse(t.ref) : t.ref) as { id: string; organisationId: string } | null;
  if (!t.private_key) throw new Error(`event ${e.id} has no signing key`);

  const id = randomUUID();
  const token = manageToken(deps.secret, id);
  // the tickets' codes signed before the write (a signature needs only the ticket's id): those not granted are dropped
  const ticketIds = Array.from({ length: quantity }, () => randomUUID());
  const codes = ticketIds.map((ticketId) => signTicketCode(t.private_key!, { eventId: e.id, ticketId, version: 1 }));
  const detail = { registrationId: id, ticketTypeId: input.ticketTypeId, referralLinkId: ref?.id ?? null };
  const write = sql`
    WITH reg AS (
      INSERT INTO registration (id, event_id, email, name, language, answers, consents, referral_link_id, referrer_organisation_id, manage_token_hash)
      VALUES (${id}, ${e.id}, ${email}, ${input.name.trim()}, ${input.language}, ${JSON.stringify(checked.answers)}::jsonb, ${JSON.stringify(checked.consents)}::jsonb,
              ${ref?.id ?? null}, ${ref?.organisationId ?? null}, ${tokenHash(token)})
      ON CONFLICT (event_id, email) DO NOTHING
      RETURNING id
    ),
    -- places, if any is free and no one is waiting for this type (those waiting come first): as many as asked for
    -- and free (the row locked, its taken read and raised in one statement; the CHECK backs it)
    upd AS (
      UPDATE ticket_type tt SET taken = LEAST(tt.capacity, tt.taken + ${quantity}), updated_at = ${now.toISOString()}::timestamptz
      FROM (SELECT id, taken AS before FROM ticket_type WHERE id = ${input.ticketTypeId} FOR UPDATE) o
      WHERE tt.id = o.id AND tt.taken < tt.capacity AND EXISTS (SELECT 1 FROM reg)
        AND NOT EXISTS (SELECT 1 FROM waitlist_entry w WHERE w.ticket_type_id = ${input.ticketTypeId} AND w.status = 'waiting')
      RETURNING tt.taken - o.before AS granted
    ),
    tk AS (
      INSERT INTO ticket (id, event_id, registration_id, ticket_type_id, code, version)
      SELECT x.id, ${e.id}, ${id}, ${input.ticketTypeId}, x.code, 1
      FROM unnest(${textArray(ticketIds)}::uuid[], ${textArray(codes)}::text[]) WITH ORDINALITY AS x(id, code, n), upd
      WHERE x.n <= upd.granted
      RETURNING id
    ),
    wl AS (
      INSERT INTO waitlist_entry (event_id, ticket_type_id, registration_id)
      SELECT ${e.id}, ${input.ticketTypeId}, reg.id FROM reg WHERE NOT EXISTS (SELECT 1 FROM upd)
      RETURNING id
    ),
    au AS (
      INSERT INTO audit_entry (actor_id, actor_email, action, entity_type, entity_id, ip, user_agent, detail)
      SELECT NULL, NULL, CASE WHEN EXISTS (SELECT 1 FROM upd) THEN 'event.registration.ticket' ELSE 'event.registration.waitlist' END,
             'event', ${e.id}, ${ctx.ip}, ${ctx.userAgent.slice(0, 500)},
             ${JSON.stringify(detail)}::jsonb || CASE WHEN ${quantity}::int > 1
               THEN jsonb_build_object('asked', ${quantity}::int, 'tickets', coalesce((SELECT granted FROM upd), 0)) ELSE '{}'::jsonb END
      FROM reg
    )
    SELECT (SELECT count(*) FROM reg)::int AS inserted, coalesce((SELECT granted FROM upd), 0)::int AS granted, (SELECT id FROM wl) AS waitlist_id`;
  const run = async (q: Db) => {
    const [r] = await rows<{ inserted: number; granted: number; waitlist_id: string | null }>(q, write);
    if (r && Number(r.inserted) > 0 && deps.mailer?.configured) await enqueueRegistrationEmail(q, deps, id, Number(r.granted) > 0 ? 'confirmation' : 'waitlisted');
    return r;
  };
  const r = deps.mailer?.configured ? await db.transaction((tx) => run(tx)) : await run(db);
  if (!r || Number(r.inserted) === 0) {
    // registered a moment ago by a concurrent request (a double submit): that registration
    const [other] = await db
      .select({ id: registration.id })
      .from(registration)
      .where(and(eq(registration.eventId, e.id), eq(registration.email, email)));
    if (!other) throw new AppError('unavailable', 'try_again', 'Please try again.', undefined, { 'Retry-After': '1' });
    return existingResult(db, deps, other.id);
  }
  const granted = Number(r.granted);
  return { outcome: granted > 0 ? 'ticket' : 'waitlisted', registrationId: id, token, ticketId: granted > 0 ? ticketIds[0]! : null, waitlistEntryId: r.waitlist_id };
}

const REF_CODE = /^[A-Za-z0-9_-]{10,64}$/;

function dateOrNull(v: Date | string | null): Date | null {
  return v === null ? null : v instanceof Date ? v : new Date(v);
}

function invalidField(field: string, detail: string): AppError {
  return new AppError('invalid', 'invalid_registration', 'Some answers are missing or not valid.', [{ field, detail }]);
}

async function existingResult(db: Db, deps: EventsDeps, registrationId: string): Promise<RegisterResult> {
  const r = { id: registrationId };
  const [tk] = await db
    .select({ id: ticket.id })
    .from(ticket)
    .where(and(eq(ticket.registrationId, r.id), eq(ticket.status, 'valid')))
    .orderBy(asc(ticket.createdAt))
    .limit(1);
  const [w] = await db
    .select({ id: waitlistEntry.id })
    .from(waitlistEntry)
    .where(and(eq(waitlistEntry.registrationId, r.id), inArray(waitlistEntry.status, ['waiting', 'offered'])))
    .limit(1);
  return { outcome: 'existing', registrationId: r.id, token: manageToken(deps.secret, r.id), ticketId: tk?.id ?? null, waitlistEntryId: w?.id ?? null };
}

/** A ticket with its signed code (the caller has counted its place in `taken`). */
export async function issueTicket(tx: Db, eventId: string, registrationId: string, ticketTypeId: string): Promise<string> {
  const [key] = await tx.select({ privateKey: eventSigningKey.privateKey }).from(eventSigningKey).where(eq(eventSigningKey.eventId, eventId));
  if (!key) throw new Error(`event ${eventId} has no signing key`);
  const id = randomUUID();
  const code = signTicketCode(key.privateKey, { eventId, ticketId: id, version: 1 });
  await tx.insert(ticket).values({ id, eventId, registrationId, ticketTypeId, code, version: 1 });
  return id;
}

// ---------- the ticket link ----------

export type Holder = {
  event: EventRow;
  registration: RegistrationRow;
  tickets: (typeof ticket.$inferSelect)[];
  waitlist: ((typeof waitlistEntry.$inferSelect) & { queuePosition: number | null })[];
  ticketTypes: TicketTypeRow[];
};

/** What a ticket link shows: the registration, its tickets and waitlist places. 404 for an unknown token. */
export async function holderByToken(db: Db, slug: string, token: string): Promise<Holder> {
  const e = await publicEvent(db, slug);
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('registration');
  const [r] = await db
    .select()
    .from(registration)
    .where(and(eq(registration.eventId, e.id), eq(registration.manageTokenHash, tokenHash(token))));
  if (!r || r.erasedAt) throw notFound('registration');
  const tickets = await db.select().from(ticket).where(eq(ticket.registrationId, r.id)).orderBy(asc(ticket.createdAt));
  const entries = await db.select().from(waitlistEntry).where(eq(waitlistEntry.registrationId, r.id)).orderBy(asc(waitlistEntry.createdAt));
  const waitlist = [];
  for (const w of entries) waitlist.push({ ...w, queuePosition: await queuePosition(db, w.id) });
  const ticketTypes = await db.select().from(ticketType).where(eq(ticketType.eventId, e.id)).orderBy(asc(ticketType.position));
  return { event: e, registration: r, tickets, waitlist, ticketTypes };
}

/** Cancels a valid ticket of the holder: its place is freed and offered to the waitlist (a job). */
export async function cancelTicket(db: Db, ctx: RequestContext, deps: EventsDeps, slug: string, token: string, ticketId: string): Promise<void> {
  const h = await holderByToken(db, slug, token);
  const mine = h.tickets.find((t) => t.id === ticketId);
  if (!mine) throw notFound('ticket');
  await db.transaction(async (tx) => {
    await tx.select({ id: ticketType.id }).from(ticketType).where(eq(ticketType.id, mine.ticketTypeId)).for('update');
    const [done] = await tx
      .update(ticket)
      .set({ status: 'cancelled', cancelledAt: new Date() })
      .where(and(eq(ticket.id, mine.id), eq(ticket.status, 'valid')))
      .returning({ id: ticket.id });
    if (!done) return; // cancelled already: nothing more to do
    await tx
      .update(ticketType)
      .set({ taken: sql`${ticketType.taken} - 1`, updatedAt: new Date() })
      .where(eq(ticketType.id, mine.ticketTypeId));
    await offerFreedPlaces(tx, deps, mine.ticketTypeId);
    await recordAudit(tx, ctx, { action: 'event.ticket.cancel', entityType: 'event', entityId: h.event.id, actorId: null, actorEmail: null, detail: { ticketId: mine.id, by: 'holder' } });
  });
}

/** Takes an open offer: the held place becomes a ticket. 410 when the offer ran out. */
export async function acceptOffer(db: Db, ctx: RequestContext, deps: EventsDeps, slug: string, token: string, entryId: string, now = new Date()): Promise<string> {
  const h = await holderByToken(db, slug, token);
  const mine = h.waitlist.find((w) => w.id === entryId);
  if (!mine) throw notFound('waitlist_entry');
  return db.transaction(async (tx) => {
    await tx.select({ id: ticketType.id }).from(ticketType).where(eq(ticketType.id, mine.ticketTypeId)).for('update');
    const [w] = await tx.select().from(waitlistEntry).where(eq(waitlistEntry.id, mine.id)).for('update');
    if (w?.status === 'accepted' && w.ticketId) return w.ticketId;
    if (!w || w.status !== 'offered' || !w.offerExpiresAt || w.offerExpiresAt <= now) {
      throw new AppError('gone', 'offer_expired', 'This offer is no longer open.');
    }
    // the place was held (counted in `taken`) since the offer: it becomes the ticket
    const ticketId = await issueTicket(tx, h.event.id, h.registration.id, w.ticketTypeId);
    await tx.update(waitlistEntry).set({ status: 'accepted', ticketId, updatedAt: now }).where(eq(waitlistEntry.id, w.id));
    await recordAudit(tx, ctx, { action: 'event.waitlist.accept', entityType: 'event', entityId: h.event.id, actorId: null, actorEmail: null, detail: { waitlistEntryId: w.id, ticketId } });
    return ticketId;
  });
}

/** Leaves the waitlist (or declines an offer, whose place goes to the next person). */
export async function leaveWaitlist(db: Db, ctx: RequestContext, deps: EventsDeps, slug: string, token: string, entryId: string): Promise<void> {
  const h = await holderByToken(db, slug, token);
  const mine = h.waitlist.find((w) => w.id === entryId);
  if (!mine) throw notFound('waitlist_entry');
  await db.transaction(async (tx) => {
    await tx.select({ id: ticketType.id }).from(ticketType).where(eq(ticketType.id, mine.ticketTypeId)).for('update');
    const [w] = await tx.select().from(waitlistEntry).where(eq(waitlistEntry.id, mine.id)).for('update');
    if (!w || (w.status !== 'waiting' && w.status !== 'offered')) return;
    await tx.update(waitlistEntry).set({ status: 'left', updatedAt: new Date() }).where(eq(waitlistEntry.id, w.id));
    if (w.status === 'offered') {
      await tx
        .update(ticketType)
        .set({ taken: sql`${ticketType.taken} - 1`, updatedAt: new Date() })
        .where(eq(ticketType.id, w.ticketTypeId));
      await offerFreedPlaces(tx, deps, w.ticketTypeId);
    }
    await recordAudit(tx, ctx, { action: 'event.waitlist.leave', entityType: 'event', entityId: h.event.id, actorId: null, actorEmail: null, detail: { waitlistEntryId: w.id, declinedOffer: w.status === 'offered' } });
  });
}
