import { z } from '@hono/zod-openapi';
import { CountrySchema, DateOnlySchema, InstantSchema, ScriptSchema, TagSchema } from '../network/common.contract.ts';
import { FollowUpSchema, MeetingSummarySchema } from '../meetings/meetings.contract.ts';

// Search, timelines, member health, saved segments and the dashboard: read-only views over the network,
// every one of them filtered by need-to-know (network/visibility.ts) before anything is counted.

const Iso = z.string().openapi({ format: 'date-time' });

/** An organisation's recorded names, as on the organisation (display name first, then official names, then the rest); script 'other' only for a name in none of the three. */
const OrganisationNamesSchema = z
  .array(z.object({ name: z.string(), script: ScriptSchema, kind: z.string() }))
  .openapi({ description: 'The organisation’s recorded names: display name first, then official names, then the rest' });

// ------------------------------------------------------------------------------------------------ search

export const SEARCH_TYPES = ['organisation', 'person', 'meeting', 'shared_item', 'campaign'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const SearchQuerySchema = z.object({
  q: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters').openapi({ description: 'What to look for: any script, typos tolerated' }),
  types: z
    .string()
    .max(100)
    .optional()
    .refine((s) => !s || s.split(',').every((t) => (SEARCH_TYPES as readonly string[]).includes(t.trim())), `Use a comma-separated subset of ${SEARCH_TYPES.join(', ')}`)
    .openapi({ description: 'Comma-separated: organisation,person,meeting,shared_item,campaign (default all)' }),
  limit: z.coerce.number().int().min(1).max(50).default(20).openapi({ description: 'At most this many results (1–50)' }),
});

export const SearchHitSchema = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: z.string(),
    /** organisation name, person display name (pseudonym when the identity is hidden), meeting title, shared item text */
    title: z.string(),
    /** organisation kind and place, person's organisation, meeting date and city, shared item's organisation and meeting */
    subtitle: z.string().nullable(),
    /** for a shared item: the meeting it was said in */
    meetingId: z.string().optional(),
    /** for a meeting: when it starts (the app lists meetings found in date order, the latest first) */
    at: z.string().optional().openapi({ format: 'date-time' }),
    /** higher is better; exact and prefix matches score above 2, substring matches above 1, fuzzy matches below 1 */
    score: z.number(),
    /** the recorded name (or title, or text) the query matched */
    matched: z.string(),
    /** for an organisation: its recorded names */
    names: OrganisationNamesSchema.optional(),
  })
  .openapi('SearchHit');

export const SearchResultSchema = z.object({ items: z.array(SearchHitSchema) }).openapi('SearchResult');

// ------------------------------------------------------------------------------------------------ timelines

export const TimelineQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(200).openapi({ description: 'At most this many entries (1–500)' }),
  before: InstantSchema.optional().openapi({ description: 'Only entries before this instant: pass the last entry’s `at` for the next page' }),
});

export const TimelineItemSchema = z
  .object({
    type: z.enum(['meeting', 'shared_item', 'follow_up', 'link', 'affiliation', 'status']),
    /** when it happened (UTC); days without time (status since, link and affiliation start, …) at 00:00Z */
    at: Iso,
    id: z.string(),
    /** one line describing the entry: meeting title, shared text, follow-up title, link kind, affiliation title, status */
    title: z.string(),
    /** meeting: kind; shared item: concern | update | request | opportunity; link: its kind; status: the new status */
    kind: z.string().nullable(),
    /** shared item and follow-up: open | addressed | closed | done | cancelled */
    status: z.string().nullable(),
    /** the meeting this entry belongs to, when there is one */
    meetingId: z.string().nullable(),
    meetingTitle: z.string().nullable(),
    /** the other side: the organisation (person timeline, links) or the person (affiliations on an organisation) */
    organisationId: z.string().nullable(),
    organisationName: z.string().nullable(),
    /** that organisation's recorded names, to name it in the reader's script */
    organisationNames: OrganisationNamesSchema.nullable(),
    personId: z.string().nullable(),
    personName: z.string().nullable(),
    /** role in a meeting; link direction (outgoing | incoming) */
    role: z.string().nullable(),
    city: z.string().nullable(),
    topicId: z.string().nullable(),
    /** follow-up due date, status note, link/affiliation start and end, YYYY-MM-DD */
    dueDate: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    note: z.string().nullable(),
    restricted: z.boolean(),
  })
  .openapi('TimelineItem');

export const TimelineSchema = z.object({ items: z.array(TimelineItemSchema) }).openapi('Timeline');

// ------------------------------------------------------------------------------------------------ member health

const OptionalShort = z.string().trim().min(1).max(200).optional();

export const MemberHealthFilterSchema = z.object({
  area: OptionalShort.openapi({ description: 'Exact area, e.g. West Bank' }),
  country: CountrySchema.optional(),
  tag: TagSchema.optional(),
  ownerId: z.string().min(1).max(100).optional().openapi({ description: 'The staff member holding the relationship' }),
  status: z.enum(['prospective', 'active', 'suspended', 'former', 'any']).default('active').openapi({ description: 'Membership status (default active; any = all)' }),
  kind: z.enum(['member', 'partner', 'funder', 'mission', 'media', 'other', 'any']).default('member').openapi({ description: 'Organisation kind (default member)' }),
});

export const MemberHealthQuerySchema = MemberHealthFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100).openapi({ description: 'Items per page (1–500)' }),
  cursor: z.string().max(500).optional().openapi({ description: 'The nextCursor of the previous page' }),
});

export const MemberHealthItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** its recorded names */
    names: OrganisationNamesSchema.optional(),
    kind: z.string(),
    status: z.string().nullable(),
    country: z.string().nullable(),
    area: z.string().nullable(),
    city: z.string().nullable(),
    tags: z.array(z.string()),
    ownerId: z.string().nullable(),
    ownerName: z.string().nullable(),
    /** start of the latest past meeting (visible to you) the organisation attended; null = never */
    lastMeetingAt: Iso.nullable(),
    /** whole days since lastMeetingAt; null = never met */
    daysSinceLastMeeting: z.number().int().nullable(),
    meetingsLast90Days: z.number().int(),
    /** concerns it raised that are still open */
    openConcerns: z.number().int(),
    /** open follow-ups linked to it */
    openFollowUps: z.number().int(),
  })
  .openapi('MemberHealthItem');

export const MemberHealthPageSchema = z
  .object({
    items: z.array(MemberHealthItemSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null on the last' }),
  })
  .openapi('MemberHealthPage');

// ------------------------------------------------------------------------------------------------ segments

export const SEGMENT_LISTS = ['organisations', 'people', 'meetings', 'member_health'] as const;
export type SegmentList = (typeof SEGMENT_LISTS)[number];

/** The filter keys each list understands (the same names as the list's query parameters). */
export const SEGMENT_FILTER_KEYS: Record<SegmentList, readonly string[]> = {
  organisations: ['kind', 'status', 'country', 'area', 'city', 'tag', 'ownerId', 'q'],
  people: ['organisationId', 'tag', 'q'],
  meetings: ['from', 'to', 'kind', 'city', 'topicId', 'organisationId', 'personId', 'staffId'],
  member_health: ['area', 'country', 'tag', 'ownerId', 'status', 'kind'],
};

const FilterValue = z.union([z.string().max(300, 'At most 300 characters'), z.number(), z.boolean(), z.array(z.string().max(300)).max(50)]);
const SegmentFilter = z.record(z.string().max(60), FilterValue).openapi({ description: 'The list’s query parameters, e.g. {"area":"Galilee","tag":"youth"}' });

export const CreateSegmentSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'Required').max(120, 'At most 120 characters'),
    list: z.enum(SEGMENT_LISTS),
    filter: SegmentFilter,
    /** shown to every signed-in user (staff and admins may share) */
    shared: z.boolean().default(false),
  })
  .openapi('CreateSegment');

export const UpdateSegmentSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'Required').max(120, 'At most 120 characters').optional(),
    list: z.enum(SEGMENT_LISTS).optional(),
    filter: SegmentFilter.optional(),
    shared: z.boolean().optional(),
  })
  .openapi('UpdateSegment');

export const SegmentQuerySchema = z.object({
  list: z.enum(SEGMENT_LISTS).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(500).optional(),
});

export const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    list: z.enum(SEGMENT_LISTS),
    filter: z.record(z.string(), z.unknown()),
    shared: z.boolean(),
    ownerId: z.string(),
    ownerName: z.string().nullable(),
    /** whether you may change or delete it (its owner, or an admin) */
    editable: z.boolean(),
    createdAt: Iso,
  })
  .openapi('Segment');

export const SegmentPageSchema = z
  .object({ items: z.array(SegmentSchema), nextCursor: z.string().nullable() })
  .openapi('SegmentPage');

// ------------------------------------------------------------------------------------------------ dashboard

export const DashboardQuerySchema = z.object({
  from: DateOnlySchema.optional().openapi({ description: 'First day (YYYY-MM-DD, your time zone); default 29 days before `to`' }),
  to: DateOnlySchema.optional().openapi({ description: 'Last day, inclusive (YYYY-MM-DD); default today' }),
  city: z
    .union([z.string().trim().min(1).max(100), z.array(z.string().trim().min(1).max(100)).max(20)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .openapi({ description: 'Only meetings in these cities, as recorded (repeat the parameter: city=Jerusalem&city=Ramallah)' }),
});

const TopicRef = { topicId: z.string().nullable(), key: z.string().nullable(), nameEn: z.string().nullable(), nameHe: z.string().nullable(), nameAr: z.string().nullable() };

export const DashboardSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    /** the time zone the days are counted in (yours) */
    timeZone: z.string(),
    /** the cities asked for (absent: every city) */
    cities: z.array(z.string()).optional(),
    meetings: z.object({
      total: z.number().int(),
      byKind: z.array(z.object({ kind: z.string(), count: z.number().int() })),
      /** city null: online or not recorded */
      byCity: z.array(z.object({ city: z.string().nullable(), count: z.number().int() })),
      byTopic: z.array(z.object({ ...TopicRef, count: z.number().int() })),
    }),
    /** distinct member organisations in the period's meetings ("we met 64 member organisations this month") */
    memberOrganisationsMet: z.number().int(),
    /** distinct organisations of any kind met */
    organisationsMet: z.number().int(),
    /** open concerns raised in the period, by ISO week of their meeting and topic */
    openConcernsByWeek: z.array(z.object({ week: z.string().openapi({ example: '2024-W28' }), weekStart: z.string(), ...TopicRef, count: z.number().int() })),
    overdueFollowUps: z.object({
      count: z.number().int(),
      /** the ten most overdue */
      items: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          ownerId: z.string(),
          ownerName: z.string().nullable(),
          dueDate: z.string(),
          daysOverdue: z.number().int(),
          meetingId: z.string().nullable(),
          organisationId: z.string().nullable(),
          organisationName: z.string().nullable(),
        }),
      ),
    }),
  })
  .openapi('Dashboard');

// ------------------------------------------------------------------------------------------------ my work

/** A meeting recorded or changed by someone else since the reader's last visit. */
const ChangedMeetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: Iso,
  endsAt: Iso,
  timeZone: z.string(),
  restricted: z.boolean(),
  /** new: recorded since; updated: recorded before, changed since */
  change: z.enum(['new', 'updated']),
  /** the latest such change */
  changedAt: Iso,
});

export const MyWorkSchema = z
  .object({
    /** the reader's time zone, in which "overdue" and "today" are counted */
    timeZone: z.string(),
    /** meetings the reader is one of the staff of, from now on (ongoing ones included), soonest first */
    upcomingMeetings: z.object({ total: z.number().int(), items: z.array(MeetingSummarySchema) }),
    /** the reader's open follow-ups due before today, most overdue first */
    overdueFollowUps: z.object({ total: z.number().int(), items: z.array(FollowUpSchema) }),
    /** dialogue sessions taking part now (by hand or by their schedule) */
    openSessions: z.array(
      z.object({
        sessionId: z.string(),
        sessionTitle: z.string(),
        dialogueId: z.string(),
        dialogueTitle: z.string(),
        /** null: open until closed by hand */
        closesAt: Iso.nullable(),
        /** participants of the dialogue so far */
        participants: z.number().int(),
      }),
    ),
    /** message tests whose survey takes answers */
    openStudies: z.array(z.object({ id: z.string(), title: z.string(), completedResponses: z.number().int() })),
    /** what others recorded since the reader's previous visit (first visit: the last seven days) */
    changes: z.object({
      since: Iso,
      /** lastVisit: since the end of the previous visit (a pause of 30 minutes ends a visit); week: first visit */
      basis: z.enum(['lastVisit', 'week']),
      meetings: z.object({ total: z.number().int(), items: z.array(ChangedMeetingSchema) }),
      /** follow-ups someone else gave the reader */
      followUpsForYou: z.object({ total: z.number().int(), items: z.array(FollowUpSchema) }),
      organisations: z.object({
        total: z.number().int(),
        items: z.array(z.object({ id: z.string(), name: z.string(), names: OrganisationNamesSchema, createdAt: Iso })),
      }),
      /** people added (that the reader may see) */
      people: z.number().int(),
      /** what members shared, in meetings the reader may see */
      sharedItems: z.number().int(),
      /** statements participants wrote in dialogues */
      statements: z.number().int(),
      /** survey responses completed */
      responses: z.number().int(),
    }),
    /** administrators only: whether anyone else is here yet (the home page offers to invite them when not) */
    team: z.object({ otherAccounts: z.number().int(), pendingInvitations: z.number().int() }).nullable(),
  })
  .openapi('MyWork');
export type MyWork = z.infer<typeof MyWorkSchema>;
