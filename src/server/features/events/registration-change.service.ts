import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { registration, registrationQuestion, type Answers, type Consents } from './events.schema.ts';
import { checkAnswers, holderByToken, type QuestionRow, type RegistrationRow } from './registration.service.ts';

// "Change" on the ticket page (item 7): the holder of a ticket link corrects their name and answers, and gives or
// withdraws the optional consents (sharing with the co-host, hearing again). The terms consent stays as given; the
// email stays (it is the registration's key: a new address is a new registration). A consent still given keeps the
// time it was first given. Audited without the person's details.

/** The form's values for a registration's current answers (q_<id> → value(s)), as the registration form names them. */
export function answerValues(r: RegistrationRow, questions: QuestionRow[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { name: r.name };
  for (const q of questions) {
    const a = (r.answers as Answers)[q.id];
    if (q.kind === 'consent') {
      if ((r.consents as Consents)[q.consentPurpose as keyof Consents]) out[`q_${q.id}`] = 'yes';
    } else if (typeof a === 'boolean') out[`q_${q.id}`] = a ? 'yes' : 'no';
    else if (a !== undefined) out[`q_${q.id}`] = a;
  }
  return out;
}

/** The questions the change form asks: all but the terms consent. */
export function changeableQuestions(questions: QuestionRow[]): QuestionRow[] {
  return questions.filter((q) => q.consentPurpose !== 'terms');
}

export async function eventQuestions(db: Db, eventId: string): Promise<QuestionRow[]> {
  return db.select().from(registrationQuestion).where(eq(registrationQuestion.eventId, eventId)).orderBy(asc(registrationQuestion.position), asc(registrationQuestion.createdAt));
}

export async function changeRegistration(db: Db, ctx: RequestContext, slug: string, token: string, input: { name: string; answers: Record<string, string | string[]> }, now = new Date()): Promise<void> {
  const h = await holderByToken(db, slug, token);
  const name = input.name.trim();
  const questions = await eventQuestions(db, h.event.id);
  const given = { ...input.answers };
  // the terms were agreed to at registration; they are not asked again
  for (const q of questions) if (q.consentPurpose === 'terms' && h.registration.consents.terms) given[q.id] = 'yes';
  const checked = checkAnswers(questions, given, now);
  const errors = [...checked.errors];
  if (!name || name.length > 120) errors.push({ field: 'name', detail: 'name' });
  if (errors.length) throw new AppError('invalid', 'invalid_registration', 'Some answers are missing or not valid.', errors);
  const before = h.registration.consents as Consents;
  const consents: Consents = {};
  for (const [purpose, at] of Object.entries(checked.consents) as [keyof Consents, string][]) consents[purpose] = before[purpose] ?? at;
  if (before.terms) consents.terms = before.terms;
  await db.transaction(async (tx) => {
    await tx.update(registration).set({ name, answers: checked.answers, consents, updatedAt: now }).where(eq(registration.id, h.registration.id));
    await recordAudit(tx, ctx, {
      action: 'event.registration.change',
      entityType: 'event',
      entityId: h.event.id,
      actorId: null,
      actorEmail: null,
      detail: { registrationId: h.registration.id, consents: Object.keys(consents).sort() },
    });
  });
}
