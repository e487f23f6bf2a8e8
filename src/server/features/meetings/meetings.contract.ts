import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../http/pagination.ts';
import { TimeZoneSchema } from '../accounts/accounts.contract.ts';
import { DateOnlySchema, InstantSchema, ShortTextSchema, UuidSchema } from '../network/common.contract.ts';
import { OrganisationNameSchema } from '../network/organisations.contract.ts';

// Meetings, what members shared in them, follow-ups and need-to-know grants: the requests and answers of
// /api/topics, /api/meetings, /api/shared-items and /api/follow-ups.

export const MEETING_KINDS = ['group', 'one_on_one', 'diplomatic', 'call', 'site_visit'] as const;
export const ORGANISATION_ROLES = ['host', 'participant', 'observer', 'subject'] as const;
export const SHARED_ITEM_KINDS = ['concern', 'update', 'request', 'opportunity'] as const;
export const SHARED_ITEM_STATUSES = ['open', 'addressed', 'closed'] as const;
export const FOLLOW_UP_STATUSES = ['open', 'done', 'cancelled'] as const;
/** A meeting lasts at most this long (a site visit over several days included). */
export const MAX_MEETING_DAYS = 14;
/** GET /api/meetings?from&to spans at most this many days (a month view with its edges). */
export const MAX_RANGE_DAYS = 62;

export const MeetingKindSchema = z.enum(MEETING_KINDS).openapi({ description: 'group | one_on_one | diplomatic | call | site_visit' });
export const OrganisationRoleSchema = z.enum(ORGANISATION_ROLES).openapi({ description: 'host | participant | observer | subject' });
export const SharedItemKindSchema = z.enum(SHARED_ITEM_KINDS).openapi({ description: 'concern | update | request | opportunity' });
export const SharedItemStatusSchema = z.enum(SHARED_ITEM_STATUSES).openapi({ description: 'open | addressed | closed' });
export const FollowUpStatusSchema = z.enum(FOLLOW_UP_STATUSES).openapi({ description: 'open | done | cancelled' });

const NotesSchema = z.string().max(20_000, 'At most 20,000 characters');
const BodySchema = z.string().trim().min(1, 'Required').max(10_000, 'At most 10,000 characters');
const OptionalText = (max: number) => z.string().trim().max(max, `At most ${max} characters`).nullable().optional();
/** 'true' / 'false' in a query string */
const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

// ---------- topics ----------

export const TopicSchema = z
  .object({
    id: z.string(),
    /** stable key, e.g. ceasefire-hostages */
    key: z.string(),
    nameEn: z.string(),
    nameHe: z.string(),
    nameAr: z.string(),
    /** archived topics stay on old records but are not offered for new ones */
    archived: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Topic');

const TopicKeySchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(60, 'At most 60 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. ceasefire-hostages');
const TopicNameSchema = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');

export const CreateTopicSchema = z
  .strictObject({ key: TopicKeySchema, nameEn: TopicNameSchema, nameHe: TopicNameSchema, nameAr: TopicNameSchema, archived: z.boolean().optional() })
  .openapi('CreateTopic');
export const UpdateTopicSchema = z
  .strictObject({
    key: TopicKeySchema.optional(),
    nameEn: TopicNameSchema.optional(),
    nameHe: TopicNameSchema.optional(),
    nameAr: TopicNameSchema.optional(),
    archived: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateTopic');
export const TopicListQuerySchema = z.object({
  includeArchived: QueryBool.optional().openapi({ description: 'true to list archived topics too' }),
});
export const TopicListSchema = z.object({ items: z.array(TopicSchema) }).openapi('TopicList');

// ---------- shared items ----------

export const SharedItemSchema = z
  .object({
    id: z.string(),
    meetingId: z.string(),
    meetingTitle: z.string(),
    meetingStartsAt: z.string().openapi({ format: 'date-time' }),
    /** the organisation that raised it */
    organisationId: z.string(),
    organisationName: z.string(),
    topicId: z.string().nullable(),
    topic: TopicSchema.nullable(),
    kind: SharedItemKindSchema,
    body: z.string(),
    status: SharedItemStatusSchema,
    restricted: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('SharedItem');

export const SharedItemInputSchema = z
  .strictObject({
    /** the organisation that raised it (any existing organisation) */
    organisationId: UuidSchema,
    topicId: UuidSchema.nullable().optional(),
    kind: SharedItemKindSchema,
    body: BodySchema,
    status: SharedItemStatusSchema.optional(),
    /** need-to-know: only admins, the meeting's staff and granted users see it */
    restricted: z.boolean().optional(),
  })
  .openapi('SharedItemInput');

export const UpdateSharedItemSchema = z
  .strictObject({
    organisationId: UuidSchema.optional(),
    topicId: UuidSchema.nullable().optional(),
    kind: SharedItemKindSchema.optional(),
    body: BodySchema.optional(),
    status: SharedItemStatusSchema.optional(),
    restricted: z.boolean().optional(),
  })
  .openapi('UpdateSharedItem');

export const SharedItemListQuerySchema = PageQuerySchema.extend({
  kind: SharedItemKindSchema.optional(),
  status: SharedItemStatusSchema.optional(),
  topicId: UuidSchema.optional(),
  organisationId: UuidSchema.optional(),
  meetingId: UuidSchema.optional(),
});
export const SharedItemPageSchema = z
  .object({
    items: z.array(SharedItemSchema),
    nextCursor: z.string().nullable(),
    /** how many items match the filter (visible ones only) */
    total: z.number().int(),
  })
  .openapi('SharedItemPage');

// ---------- follow-ups ----------

export const FollowUpSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    ownerId: z.string(),
    ownerName: z.string(),
    /** YYYY-MM-DD */
    dueDate: z.string().nullable(),
    status: FollowUpStatusSchema,
    /** open and due before today in the caller's time zone */
    overdue: z.boolean(),
    meetingId: z.string().nullable(),
    meetingTitle: z.string().nullable(),
    organisationId: z.string().nullable(),
    organisationName: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    completedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('FollowUp');

const followUpFields = {
  title: ShortTextSchema,
  /** an existing user */
  ownerId: z.string().min(1).max(100),
  dueDate: DateOnlySchema.nullable().optional(),
  organisationId: UuidSchema.nullable().optional(),
};

/** A follow-up recorded with its meeting (POST /api/meetings). */
export const MeetingFollowUpInputSchema = z.strictObject(followUpFields).openapi('MeetingFollowUpInput');

/** One closed object (not an extension of the one above, which the document would show as an allOf no body satisfies). */
export const CreateFollowUpSchema = z
  .strictObject({
    ...followUpFields,
    /** created straight from a meeting */
    meetingId: UuidSchema.nullable().optional(),
    status: FollowUpStatusSchema.optional(),
  })
  .openapi('CreateFollowUp');

export const UpdateFollowUpSchema = z
  .strictObject({
    title: ShortTextSchema.optional(),
    ownerId: z.string().min(1).max(100).optional(),
    dueDate: DateOnlySchema.nullable().optional(),
    status: FollowUpStatusSchema.optional(),
    organisationId: UuidSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateFollowUp');

export const FollowUpListQuerySchema = PageQuerySchema.extend({
  mine: QueryBool.optional().openapi({ description: "true: the caller's follow-ups" }),
  ownerId: z.string().max(100).optional(),
  status: FollowUpStatusSchema.optional(),
  overdue: QueryBool.optional().openapi({ description: 'true: only open ones due before today (caller\'s time zone); false: only the others' }),
  meetingId: UuidSchema.optional(),
  organisationId: UuidSchema.optional(),
});
export const FollowUpPageSchema = z
  .object({
    /** open first, overdue first, then by due date (none last) */
    items: z.array(FollowUpSchema),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
  })
  .openapi('FollowUpPage');

// ---------- meetings ----------

export const MeetingOrganisationInputSchema = z.strictObject({
  organisationId: UuidSchema,
  role: OrganisationRoleSchema.default('participant'),
});
export const MeetingPersonInputSchema = z.strictObject({
  personId: UuidSchema,
  /** the organisation the person came for */
  organisationId: UuidSchema.nullable().optional(),
  /** speaker, participant, ambassador, note-taker … */
  role: z.string().trim().min(1).max(60, 'At most 60 characters').default('participant'),
});

const meetingFields = {
  kind: MeetingKindSchema,
  title: ShortTextSchema,
  /** ISO 8601 with an offset; stored in UTC */
  startsAt: InstantSchema,
  endsAt: InstantSchema,
  /** IANA zone of the place, e.g. Asia/Hebron */
  timeZone: TimeZoneSchema,
  city: OptionalText(120),
  venue: OptionalText(300),
  online: z.boolean().optional(),
  /** markdown */
  notes: NotesSchema.nullable().optional(),
  notesRestricted: z.boolean().optional(),
  restricted: z.boolean().optional(),
  organisations: z.array(MeetingOrganisationInputSchema).max(500),
  people: z.array(MeetingPersonInputSchema).max(500),
  /** user ids of the staff present */
  staffIds: z.array(z.string().min(1).max(100)).max(100),
  topicIds: z.array(UuidSchema).max(50),
};

type Span = { startsAt?: string; endsAt?: string };
type Lists = { organisations?: { organisationId: string }[]; people?: { personId: string }[] };

function checkSpan(v: Span, ctx: z.RefinementCtx) {
  if (!v.startsAt || !v.endsAt) return;
  const start = Date.parse(v.startsAt);
  const end = Date.parse(v.endsAt);
  if (end <= start) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'Must be after the start' });
  else if (end - start > MAX_MEETING_DAYS * 86_400_000) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: `At most ${MAX_MEETING_DAYS} days after the start` });
}

function checkDuplicates(v: Lists, ctx: z.RefinementCtx) {
  const dup = (list: Record<string, unknown>[] | undefined, key: string, name: string) => {
    const seen = new Set<unknown>();
    list?.forEach((item, i) => {
      if (seen.has(item[key])) ctx.addIssue({ code: 'custom', path: [name, i, key], message: 'Listed twice' });
      seen.add(item[key]);
    });
  };
  dup(v.organisations, 'organisationId', 'organisations');
  dup(v.people, 'personId', 'people');
}

export const CreateMeetingSchema = z
  .strictObject({
    ...meetingFields,
    online: z.boolean().default(false),
    organisations: meetingFields.organisations.default([]),
    people: meetingFields.people.default([]),
    staffIds: meetingFields.staffIds.default([]),
    topicIds: meetingFields.topicIds.default([]),
    /** what members shared, recorded with the meeting */
    sharedItems: z.array(SharedItemInputSchema).max(200).default([]),
    followUps: z.array(MeetingFollowUpInputSchema).max(100).default([]),
  })
  .superRefine((v, ctx) => {
    checkSpan(v, ctx);
    checkDuplicates(v, ctx);
  })
  .openapi('CreateMeeting');

/** Lists given replace the meeting's lists; fields left out stay as they are. */
export const UpdateMeetingSchema = z
  .strictObject({
    kind: meetingFields.kind.optional(),
    title: meetingFields.title.optional(),
    startsAt: meetingFields.startsAt.optional(),
    endsAt: meetingFields.endsAt.optional(),
    timeZone: meetingFields.timeZone.optional(),
    city: meetingFields.city,
    venue: meetingFields.venue,
    online: meetingFields.online,
    notes: meetingFields.notes,
    notesRestricted: meetingFields.notesRestricted,
    restricted: meetingFields.restricted,
    organisations: meetingFields.organisations.optional(),
    people: meetingFields.people.optional(),
    staffIds: meetingFields.staffIds.optional(),
    topicIds: meetingFields.topicIds.optional(),
  })
  .superRefine((v, ctx) => {
    checkSpan(v, ctx);
    checkDuplicates(v, ctx);
  })
  .openapi('UpdateMeeting');

const MeetingOrganisationSchema = z.object({
  organisationId: z.string(),
  /** the organisation's display name */
  name: z.string(),
  /** every recorded name (as on the organisation): a reader is shown the one in the script of their language */
  names: z.array(OrganisationNameSchema),
  role: OrganisationRoleSchema,
});
const MeetingPersonSchema = z.object({
  personId: z.string(),
  /** the pseudonym when the caller may not see the real identity */
  displayName: z.string(),
  organisationId: z.string().nullable(),
  role: z.string(),
});
const MeetingStaffSchema = z.object({ userId: z.string(), name: z.string() });
const MeetingTopicSchema = TopicSchema.pick({ id: true, key: true, nameEn: true, nameHe: true, nameAr: true });

const meetingBase = {
  id: z.string(),
  kind: MeetingKindSchema,
  title: z.string(),
  /** UTC instant */
  startsAt: z.string().openapi({ format: 'date-time' }),
  endsAt: z.string().openapi({ format: 'date-time' }),
  /** IANA zone of the place: show local time with it */
  timeZone: z.string(),
  city: z.string().nullable(),
  venue: z.string().nullable(),
  online: z.boolean(),
  notesRestricted: z.boolean(),
  restricted: z.boolean(),
  organisations: z.array(MeetingOrganisationSchema),
  staff: z.array(MeetingStaffSchema),
  topics: z.array(MeetingTopicSchema),
  createdBy: z.string().nullable(),
  createdAt: z.string().openapi({ format: 'date-time' }),
  updatedAt: z.string().openapi({ format: 'date-time' }),
};

/** A meeting as lists and the week calendar show it. */
export const MeetingSummarySchema = z
  .object({
    ...meetingBase,
    /** visible shared items and follow-ups */
    sharedItemCount: z.number().int(),
    followUpCount: z.number().int(),
  })
  .openapi('MeetingSummary');

export const MeetingSchema = z
  .object({
    ...meetingBase,
    /** markdown; null with notesHidden when the caller may not see restricted notes */
    notes: z.string().nullable(),
    notesHidden: z.boolean(),
    /** the caller may change the staff list (admins and the meeting's staff, who see all that is restricted to it) */
    mayChangeStaff: z.boolean(),
    people: z.array(MeetingPersonSchema),
    /** the shared items the caller may see */
    sharedItems: z.array(SharedItemSchema),
    followUps: z.array(FollowUpSchema),
  })
  .openapi('Meeting');

export const MeetingListQuerySchema = PageQuerySchema.extend({
  from: InstantSchema.optional().openapi({ description: 'Meetings ending after this instant (overlap); sorts oldest first' }),
  to: InstantSchema.optional().openapi({ description: `Meetings starting before this instant; from..to spans at most ${MAX_RANGE_DAYS} days` }),
  kind: MeetingKindSchema.optional(),
  city: z.string().trim().max(120).optional(),
  topicId: UuidSchema.optional(),
  organisationId: UuidSchema.optional(),
  personId: UuidSchema.optional(),
  staffId: z.string().max(100).optional(),
  q: z.string().trim().max(200).optional().openapi({ description: 'Title contains (any script, accents and diacritics ignored)' }),
});
export const MeetingPageSchema = z
  .object({
    items: z.array(MeetingSummarySchema),
    nextCursor: z.string().nullable(),
    /** how many meetings match the filter (visible ones only) */
    total: z.number().int(),
  })
  .openapi('MeetingPage');

// ---------- grants ----------

export const MeetingGrantSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    grantedBy: z.string().nullable(),
    grantedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('MeetingGrant');
export const MeetingGrantListSchema = z
  .object({
    /** users granted explicitly */
    items: z.array(MeetingGrantSchema),
    /** the meeting's staff, who see it by default */
    staff: z.array(MeetingStaffSchema),
  })
  .openapi('MeetingGrantList');
export const CreateMeetingGrantSchema = z.strictObject({ userId: z.string().min(1).max(100) }).openapi('CreateMeetingGrant');

export type Topic = z.infer<typeof TopicSchema>;
export type CreateTopicInput = z.infer<typeof CreateTopicSchema>;
export type UpdateTopicInput = z.infer<typeof UpdateTopicSchema>;
export type SharedItem = z.infer<typeof SharedItemSchema>;
export type SharedItemInput = z.infer<typeof SharedItemInputSchema>;
export type UpdateSharedItemInput = z.infer<typeof UpdateSharedItemSchema>;
export type SharedItemListQuery = z.infer<typeof SharedItemListQuerySchema>;
export type FollowUp = z.infer<typeof FollowUpSchema>;
export type CreateFollowUpInput = z.infer<typeof CreateFollowUpSchema>;
export type UpdateFollowUpInput = z.infer<typeof UpdateFollowUpSchema>;
export type FollowUpListQuery = z.infer<typeof FollowUpListQuerySchema>;
export type Meeting = z.infer<typeof MeetingSchema>;
export type MeetingSummary = z.infer<typeof MeetingSummarySchema>;
export type CreateMeetingInput = z.input<typeof CreateMeetingSchema>;
export type UpdateMeetingInput = z.infer<typeof UpdateMeetingSchema>;
export type MeetingListQuery = z.infer<typeof MeetingListQuerySchema>;
export type MeetingGrant = z.infer<typeof MeetingGrantSchema>;
