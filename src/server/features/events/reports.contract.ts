import { z } from '@hono/zod-openapi';

// Reports (issue 12, item 14): figures of an event, for staff (every co-host) and for one co-host (its own), and a
// co-host's registrants who agreed to share with it. Figures never name anyone; viewers read them.

const Int = z.number().int();
const LocalizedOut = z.record(z.string(), z.string());

export const ReportFiguresSchema = z
  .object({
    /** registrations (a person, whatever became of their ticket) */
    registrations: Int,
    /** valid tickets */
    tickets: Int,
    cancelled: Int,
    /** valid tickets admitted at a gate (one admitted scan each) */
    attended: Int,
    /** valid tickets not admitted, once the event has started (null before) */
    noShows: Int.nullable(),
    /** attended / valid tickets, 0–1, once the event has started (null before, or with no ticket) */
    attendanceRate: z.number().nullable(),
    /** waitlist places ever taken, and what became of them */
    waitlistJoined: Int,
    waitlistWaiting: Int,
    waitlistAccepted: Int,
    waitlistExpired: Int,
    waitlistLeft: Int,
    /** accepted / joined, 0–1 (null when nobody joined) */
    waitlistConversion: z.number().nullable(),
  })
  .openapi('EventReportFigures');

export const EventReportSchema = z
  .object({
    eventId: z.string(),
    /** the venue's IANA zone: days are counted in it */
    timeZone: z.string(),
    /** whether the event has started (no-shows are counted from then) */
    started: z.boolean(),
    totals: ReportFiguresSchema,
    byTicketType: z.array(ReportFiguresSchema.extend({ ticketTypeId: z.string(), name: LocalizedOut })),
    /** by the co-host whose link brought people (null: none) */
    byCohost: z.array(ReportFiguresSchema.extend({ organisationId: z.string().nullable(), organisationName: z.string().nullable() })),
    /** registrations per day (in the venue's zone), by co-host and by ticket type (null: none / not yet known) */
    overTime: z.array(z.object({ day: z.string(), organisationId: z.string().nullable(), ticketTypeId: z.string().nullable(), registrations: Int })),
  })
  .openapi('EventReport');

export const CohostRegistrantSchema = z
  .object({
    name: z.string(),
    email: z.string(),
    language: z.string(),
    /** the referral link's channel (e.g. newsletter) */
    channel: z.string().nullable(),
    ticketTypeId: z.string().nullable(),
    /** ticket | cancelled | waiting | offered | expired | left | accepted */
    state: z.string(),
    registeredAt: z.string(),
  })
  .openapi('CohostRegistrant');

export const CohostViewSchema = z
  .object({
    organisationId: z.string(),
    organisationName: z.string(),
    role: z.enum(['lead', 'cohost', 'supporter']),
    sharingMode: z.enum(['aggregate', 'contacts']),
    report: EventReportSchema,
    /** the co-host's registrants who consented to share with it: only in "contacts" mode and for staff who may see contacts (null otherwise) */
    registrants: z.array(CohostRegistrantSchema).nullable(),
  })
  .openapi('CohostView');

export const CohostViewLinkSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    /** the secret address the co-host opens (no account needed) */
    url: z.string(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    /** from then on the link answers 404 by itself */
    expiresAt: z.string(),
  })
  .openapi('CohostViewLink');

export const CreateCohostViewLinkSchema = z
  .strictObject({
    /** days the link works, from now (default: until 30 days after the event ends, at least a day) */
    validDays: z.number().int('A whole number of days').min(1, 'At least 1 day').max(730, 'At most 730 days').optional(),
  })
  .openapi('CreateCohostViewLink');
export type CreateCohostViewLinkInput = z.infer<typeof CreateCohostViewLinkSchema>;
export const CohostViewLinkListSchema = z.object({ items: z.array(CohostViewLinkSchema) }).openapi('CohostViewLinkList');

export const BomQuerySchema = z.object({
  bom: z
    .enum(['0', '1', 'true', 'false'])
    .optional()
    .transform((v) => v === '1' || v === 'true')
    .openapi({ description: '1: start with a UTF-8 byte-order mark, so that Excel shows Hebrew and Arabic' }),
});

export type ReportFigures = z.infer<typeof ReportFiguresSchema>;
export type EventReport = z.infer<typeof EventReportSchema>;
export type CohostRegistrant = z.infer<typeof CohostRegistrantSchema>;
export type CohostView = z.infer<typeof CohostViewSchema>;
export type CohostViewLinkDto = z.infer<typeof CohostViewLinkSchema>;
