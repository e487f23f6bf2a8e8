import { eq } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import type { RequestContext } from '../../src/server/core/context.ts';
import type { CreateEventInput } from '../../src/server/features/events/events.contract.ts';
import { createEvent, createQuestion, putCohost } from '../../src/server/features/events/events.service.ts';
import { event, ticketType } from '../../src/server/features/events/events.schema.ts';
import type { Actor } from '../../src/server/access/roles.ts';

/** The body of POST /api/events: "Time is Now" in three languages with two ticket types, changed by `over`. */
export function eventInput(over: Partial<Record<keyof CreateEventInput, unknown>> = {}): Record<string, unknown> {
  return {
    slug: 'time-is-now',
    title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
    description: { en: 'Israelis and Palestinians together for peace.', he: 'ישראלים ופלסטינים יחד למען שלום.', ar: 'إسرائيليون وفلسطينيون معًا من أجل السلام.' },
    practicalInfo: { en: 'Doors open at 17:00. Bring an ID.' },
    accessibility: { en: 'Step-free access at the North gate.' },
    venueName: 'Arena',
    venueAddress: 'Rokach Blvd 101, Tel Aviv',
    startsAt: '2026-06-04T18:00:00+03:00',
    endsAt: '2026-06-04T23:00:00+03:00',
    timeZone: 'Asia/Jerusalem',
    languages: ['he', 'ar', 'en'],
    gates: ['North', 'South', 'VIP'],
    ticketTypes: [
      { name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: 5500 },
      { name: { en: 'Youth', he: 'נוער', ar: 'شباب' }, capacity: 500 },
    ],
    ...over,
  };
}

/** A staff actor for calling services directly (no HTTP). */
export function staffContext(actor: Partial<Actor> & { id: string }): RequestContext {
  return {
    actor: { email: 'staff@example.org', name: 'Staff', role: 'staff', locale: 'en', timeZone: 'Asia/Jerusalem', twoFactorEnabled: false, sessionId: 's', createdAt: new Date().toISOString(), ...actor },
    ip: '127.0.0.1',
    userAgent: 'test',
  };
}

/**
 * A published event open for registration now (sales windows open), with one ticket type of `capacity` and, when
 * asked, a terms consent question and co-hosts. Returns the event's row and its ticket type's.
 */
export async function buildOpenEvent(
  db: Db,
  ctx: RequestContext,
  opts: { slug?: string; capacity?: number; terms?: boolean; cohosts?: { organisationId: string; sharingMode?: 'aggregate' | 'contacts' }[]; offerHours?: number } = {},
) {
  const starts = new Date(Date.now() + 30 * 86_400_000);
  const dto = await createEvent(db, ctx, {
    slug: opts.slug ?? `event-${Math.random().toString(36).slice(2, 10)}`,
    title: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' },
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 5 * 3_600_000).toISOString(),
    timeZone: 'Asia/Jerusalem',
    status: 'published',
    gates: ['North', 'South'],
    waitlistOfferHours: opts.offerHours ?? 24,
    ticketTypes: [{ name: { en: 'General', he: 'כללי', ar: 'عام' }, capacity: opts.capacity ?? 5 }],
  });
  if (opts.terms) await createQuestion(db, ctx, dto.id, { kind: 'consent', consentPurpose: 'terms', label: { en: 'I accept the terms', he: 'מסכימים לתנאים', ar: 'أوافق على الشروط' } });
  for (const c of opts.cohosts ?? []) await putCohost(db, ctx, dto.id, c.organisationId, { role: 'cohost', sharingMode: c.sharingMode ?? 'aggregate' });
  const [row] = await db.select().from(event).where(eq(event.id, dto.id));
  const [type] = await db.select().from(ticketType).where(eq(ticketType.eventId, dto.id));
  return { event: row!, ticketType: type! };
}
