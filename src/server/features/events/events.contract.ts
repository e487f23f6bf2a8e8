import { z } from '@hono/zod-openapi';
import { pageSchema, PageQuerySchema } from '../../http/pagination.ts';
import { TimeZoneSchema } from '../accounts/accounts.contract.ts';
import { InstantSchema, LanguageCodesSchema, UuidSchema } from '../network/common.contract.ts';

// Events (issue 12), staff side: the requests and answers of /api/events and what hangs off an event (ticket
// types, co-hosts, referral links, registration questions, totals). The public registration pages are in
// registration.pages.ts.

export const EVENT_STATUSES = ['draft', 'published', 'closed'] as const;
export const COHOST_ROLES = ['lead', 'cohost', 'supporter'] as const;
export const SHARING_MODES = ['aggregate', 'contacts'] as const;
export const QUESTION_KINDS = ['text', 'single', 'multiple', 'yes_no', 'consent'] as const;
export const CONSENT_PURPOSES = ['terms', 'share_with_cohost', 'hear_again'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** An event lasts at most this long (a festival of several days included). */
export const MAX_EVENT_DAYS = 31;

const Iso = z.string().openapi({ format: 'date-time' });

/** Text per language, each optional (an empty object: none yet). */
const localized = (max: number) =>
  z.strictObject({
    en: z.string().trim().max(max, `At most ${max} characters`).optional(),
    he: z.string().trim().max(max, `At most ${max} characters`).optional(),
    ar: z.string().trim().max(max, `At most ${max} characters`).optional(),
  });
/** …with at least one language given */
const localizedRequired = (max: number) =>
  localized(max).refine((v) => Object.values(v).some((s) => !!s), 'Give the text in at least one language');

export const EventTextSchema = localized(10_000).openapi('EventText', { description: 'Text per language (en, he, ar), any may be missing' });
export const EventTitleSchema = localizedRequired(200).openapi('EventTitle', { example: { en: 'Time is Now', he: 'הזמן הוא עכשיו', ar: 'الوقت الآن' } });
const NameTextSchema = localizedRequired(200);
const TicketTypeTextSchema = localized(1000);
const LocalizedOut = z.record(z.string(), z.string()).openapi('EventTextOut');

export const SlugSchema = z
  .string()
  .trim()
  .min(3, 'At least 3 characters')
  .max(80, 'At most 80 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. time-is-now')
  .openapi({ example: 'time-is-now' });

const OptionalText = (max: number) => z.string().trim().max(max, `At most ${max} characters`).nullable().optional();
export const MapUrlSchema = z
  .string()
  .trim()
  .max(2000, 'At most 2,000 characters')
  .url('Not a link')
  .refine((s) => /^https?:\/\//i.test(s), 'Use an http:// or https:// link');
const GateSchema = z.string().trim().min(1, 'Required').max(60, 'At most 60 characters');
const GatesSchema = z
  .array(GateSchema)
  .max(50, 'At most 50 gates')
  .refine((g) => new Set(g.map((s) => s.toLowerCase())).size === g.length, 'Each gate once');

export const EventStatusSchema = z.enum(EVENT_STATUSES).openapi({ description: 'draft | published | closed' });
export const CohostRoleSchema = z.enum(COHOST_ROLES).openapi({ description: 'lead | cohost | supporter' });
export const SharingModeSchema = z
  .enum(SHARING_MODES)
  .openapi({ description: 'aggregate: figures only; contacts: also names and contacts of its registrants who agreed to share with it' });
export const QuestionKindSchema = z.enum(QUESTION_KINDS).openapi({ description: 'text | single | multiple | yes_no | consent' });
export const ConsentPurposeSchema = z.enum(CONSENT_PURPOSES).openapi({ description: 'terms | share_with_cohost | hear_again' });

// ---------- ticket types ----------

export const TicketTypeSchema = z
  .object({
    id: z.string(),
    name: LocalizedOut,
    description: LocalizedOut,
    capacity: z.number().int(),
    /** valid tickets and places held for open waitlist offers */
    taken: z.number().int(),
    priceCents: z.number().int(),
    salesStartAt: Iso.nullable(),
    salesEndAt: Iso.nullable(),
    perPersonLimit: z.number().int(),
    position: z.number().int(),
  })
  .openapi('TicketType');

const CapacitySchema = z.number().int('A whole number').min(0, 'At least 0').max(1_000_000, 'At most 1,000,000');
const PriceSchema = z.literal(0, { message: 'Only free tickets for now: the price must be 0' }).openapi({ description: 'Only 0 for now (no payment provider)' });
const PerPersonSchema = z.number().int('A whole number').min(1, 'At least 1').max(20, 'At most 20');
const PositionSchema = z.number().int().min(0).max(10_000);

export const CreateTicketTypeSchema = z
  .strictObject({
    name: NameTextSchema.optional().openapi({ description: 'Omitted: “General”, in English, Hebrew and Arabic (from the catalogs)' }),
    description: TicketTypeTextSchema.optional(),
    capacity: CapacitySchema,
    priceCents: PriceSchema.optional(),
    salesStartAt: InstantSchema.nullable().optional(),
    salesEndAt: InstantSchema.nullable().optional(),
    perPersonLimit: PerPersonSchema.optional(),
    position: PositionSchema.optional(),
  })
  .openapi('CreateTicketType');
export const UpdateTicketTypeSchema = z
  .strictObject({
    name: NameTextSchema.optional(),
    description: TicketTypeTextSchema.optional(),
    /** raising it offers the freed places to the waitlist; lowering it below what is taken is refused (409) */
    capacity: CapacitySchema.optional(),
    priceCents: PriceSchema.optional(),
    salesStartAt: InstantSchema.nullable().optional(),
    salesEndAt: InstantSchema.nullable().optional(),
    perPersonLimit: PerPersonSchema.optional(),
    position: PositionSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateTicketType');

// ---------- co-hosts ----------

export const CohostSchema = z
  .object({
    organisationId: z.string(),
    organisationName: z.string(),
    role: CohostRoleSchema,
    sharingMode: SharingModeSchema,
    createdAt: Iso,
  })
  .openapi('EventCohost');
export const PutCohostSchema = z.strictObject({ role: CohostRoleSchema, sharingMode: SharingModeSchema }).openapi('PutEventCohost');

// ---------- referral links ----------

export const ReferralLinkSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    code: z.string(),
    /** the link to hand out: {PUBLIC_URL}/e/{slug}?ref={code} */
    url: z.string(),
    channel: z.string().nullable(),
    createdAt: Iso,
    revokedAt: Iso.nullable(),
    /** registrations that came through it */
    registrations: z.number().int(),
  })
  .openapi('ReferralLink');
export const CreateReferralLinkSchema = z
  .strictObject({ organisationId: UuidSchema, channel: z.string().trim().min(1, 'Required').max(60, 'At most 60 characters').nullable().optional() })
  .openapi('CreateReferralLink');
export const ReferralLinkListSchema = z.object({ items: z.array(ReferralLinkSchema) }).openapi('ReferralLinkList');

// ---------- questions ----------

const OptionSchema = z.strictObject({
  id: z
    .string()
    .trim()
    .min(1, 'Required')
    .max(40, 'At most 40 characters')
    .regex(/^[a-z0-9_-]+$/, 'Use lower-case letters, digits, _ and -'),
  label: NameTextSchema,
});
const OptionsSchema = z
  .array(OptionSchema)
  .max(50, 'At most 50 options')
  .refine((o) => new Set(o.map((x) => x.id)).size === o.length, 'Each option id once');

export const QuestionSchema = z
  .object({
    id: z.string(),
    kind: QuestionKindSchema,
    consentPurpose: ConsentPurposeSchema.nullable(),
    label: LocalizedOut,
    help: LocalizedOut,
    options: z.array(z.object({ id: z.string(), label: LocalizedOut })),
    required: z.boolean(),
    position: z.number().int(),
  })
  .openapi('RegistrationQuestion');

export const CreateQuestionSchema = z
  .strictObject({
    kind: QuestionKindSchema,
    /** consent questions: what the person agrees to */
    consentPurpose: ConsentPurposeSchema.nullable().optional(),
    label: localizedRequired(2000),
    help: localized(2000).optional(),
    /** single and multiple choice */
    options: OptionsSchema.optional(),
    required: z.boolean().optional(),
    position: PositionSchema.optional(),
  })
  .openapi('CreateRegistrationQuestion');
export const UpdateQuestionSchema = z
  .strictObject({
    consentPurpose: ConsentPurposeSchema.nullable().optional(),
    label: localizedRequired(2000).optional(),
    help: localized(2000).optional(),
    options: OptionsSchema.optional(),
    required: z.boolean().optional(),
    position: PositionSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateRegistrationQuestion');

// ---------- events ----------

export const EventSummarySchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: LocalizedOut,
    startsAt: Iso,
    endsAt: Iso,
    timeZone: z.string(),
    venueName: z.string().nullable(),
    status: EventStatusSchema,
    capacity: z.number().int(),
    /** valid tickets */
    tickets: z.number().int(),
    /** people waiting or offered a place */
    waiting: z.number().int(),
    createdAt: Iso,
  })
  .openapi('EventSummary');

export const EventSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    title: LocalizedOut,
    description: LocalizedOut,
    practicalInfo: LocalizedOut,
    accessibility: LocalizedOut,
    venueName: z.string().nullable(),
    venueAddress: z.string().nullable(),
    mapUrl: z.string().nullable(),
    startsAt: Iso,
    endsAt: Iso,
    timeZone: z.string(),
    languages: z.array(z.string()),
    gates: z.array(z.string()),
    status: EventStatusSchema,
    waitlistOfferHours: z.number().int(),
    retentionDays: z.number().int(),
    /** the second deadline: those who agreed to hear from the alliance again are erased this many days after the event (>= retentionDays) */
    keptRetentionDays: z.number().int(),
    /** the Ed25519 public key door devices verify ticket codes with (raw 32 bytes, base64url) */
    publicKey: z.string(),
    ticketTypes: z.array(TicketTypeSchema),
    cohosts: z.array(CohostSchema),
    questions: z.array(QuestionSchema),
    createdBy: z.string().nullable(),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .openapi('Event');

const OfferHoursSchema = z.number().int('A whole number of hours').min(1, 'At least 1 hour').max(720, 'At most 720 hours (30 days)');
const RetentionSchema = z.number().int('A whole number of days').min(0, 'At least 0').max(3650, 'At most 3,650 days');

const eventFields = {
  slug: SlugSchema,
  title: EventTitleSchema,
  description: EventTextSchema.optional(),
  practicalInfo: EventTextSchema.optional(),
  accessibility: EventTextSchema.optional(),
  venueName: OptionalText(300),
  venueAddress: OptionalText(1000),
  mapUrl: MapUrlSchema.nullable().optional(),
  /** UTC instants (any offset is accepted and stored as the instant it names) */
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  /** the venue's IANA zone (Asia/Jerusalem) */
  timeZone: TimeZoneSchema,
  /** languages spoken at the event */
  languages: LanguageCodesSchema.optional(),
  gates: GatesSchema.optional(),
  status: EventStatusSchema.optional(),
  waitlistOfferHours: OfferHoursSchema.optional(),
  retentionDays: RetentionSchema.optional(),
  /** days after the event those who agreed to hear again are kept (at least retentionDays; default 730, or retentionDays when later) */
  keptRetentionDays: RetentionSchema.optional(),
};

export const CreateEventSchema = z
  .strictObject({
    ...eventFields,
    ticketTypes: z.array(CreateTicketTypeSchema).max(20, 'At most 20 ticket types').optional(),
  })
  .openapi('CreateEvent');

export const UpdateEventSchema = z
  .strictObject({
    slug: SlugSchema.optional(),
    title: EventTitleSchema.optional(),
    description: EventTextSchema.optional(),
    practicalInfo: EventTextSchema.optional(),
    accessibility: EventTextSchema.optional(),
    venueName: OptionalText(300),
    venueAddress: OptionalText(1000),
    mapUrl: MapUrlSchema.nullable().optional(),
    startsAt: InstantSchema.optional(),
    endsAt: InstantSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    languages: LanguageCodesSchema.optional(),
    gates: GatesSchema.optional(),
    status: EventStatusSchema.optional(),
    waitlistOfferHours: OfferHoursSchema.optional(),
    retentionDays: RetentionSchema.optional(),
    keptRetentionDays: RetentionSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateEvent');

export const EventListQuerySchema = PageQuerySchema.extend({
  status: EventStatusSchema.optional().openapi({ description: 'Only events with this status' }),
});
export const EventPageSchema = pageSchema(EventSummarySchema).openapi('EventPage');

// ---------- totals ----------

const CountsSchema = z.object({
  /** valid tickets */
  tickets: z.number().int(),
  cancelled: z.number().int(),
  /** waiting or offered */
  waiting: z.number().int(),
});
export const EventTotalsSchema = z
  .object({
    registrations: z.number().int(),
    capacity: z.number().int(),
    ...CountsSchema.shape,
    byTicketType: z.array(z.object({ ticketTypeId: z.string(), name: LocalizedOut, capacity: z.number().int(), taken: z.number().int(), ...CountsSchema.shape })),
    /** registrations by the co-host whose link brought them (null: none) */
    byCohost: z.array(z.object({ organisationId: z.string().nullable(), organisationName: z.string().nullable(), registrations: z.number().int(), tickets: z.number().int() })),
  })
  .openapi('EventTotals');

// ---------- registrations (staff and admins: names and contacts) ----------

export const RegistrationListQuerySchema = PageQuerySchema;
export const RegistrationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    /** the language the person registered in */
    language: z.string(),
    /** purposes the person consented to: terms | share_with_cohost | hear_again */
    consents: z.array(ConsentPurposeSchema),
    /** the co-host whose link brought the person (null: none) */
    referrerOrganisationId: z.string().nullable(),
    referrerName: z.string().nullable(),
    /** valid tickets the registration holds */
    tickets: z.number().int(),
    /** those tickets, each with its type (staff may change a ticket's type) */
    validTickets: z.array(z.object({ id: z.string(), ticketTypeId: z.string() })),
    /** waiting | offered | accepted | expired | left, when the person joined a waitlist */
    waitlist: z.string().nullable(),
    createdAt: Iso,
  })
  .openapi('EventRegistration');
export const RegistrationPageSchema = pageSchema(RegistrationSchema).openapi('EventRegistrationPage');

export const ChangeTicketTypeSchema = z.strictObject({ ticketTypeId: UuidSchema }).openapi('ChangeTicketType');
export const TicketTypeChangedSchema = z
  .object({ ticketId: z.string(), registrationId: z.string(), ticketTypeId: z.string(), previousTicketTypeId: z.string() })
  .openapi('TicketTypeChanged');
export type ChangeTicketTypeInput = z.infer<typeof ChangeTicketTypeSchema>;
export type TicketTypeChanged = z.infer<typeof TicketTypeChangedSchema>;
export type RegistrationDto = z.infer<typeof RegistrationSchema>;

export type EventDto = z.infer<typeof EventSchema>;
export type EventSummary = z.infer<typeof EventSummarySchema>;
export type TicketTypeDto = z.infer<typeof TicketTypeSchema>;
export type CohostDto = z.infer<typeof CohostSchema>;
export type QuestionDto = z.infer<typeof QuestionSchema>;
export type ReferralLinkDto = z.infer<typeof ReferralLinkSchema>;
export type EventTotals = z.infer<typeof EventTotalsSchema>;
export type CreateEventInput = z.infer<typeof CreateEventSchema>;
export type UpdateEventInput = z.infer<typeof UpdateEventSchema>;
export type CreateTicketTypeInput = z.infer<typeof CreateTicketTypeSchema>;
export type UpdateTicketTypeInput = z.infer<typeof UpdateTicketTypeSchema>;
export type PutCohostInput = z.infer<typeof PutCohostSchema>;
export type CreateReferralLinkInput = z.infer<typeof CreateReferralLinkSchema>;
export type CreateQuestionInput = z.infer<typeof CreateQuestionSchema>;
export type UpdateQuestionInput = z.infer<typeof UpdateQuestionSchema>;
export type EventListQuery = z.infer<typeof EventListQuerySchema>;
