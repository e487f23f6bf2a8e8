import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { organisation, person } from '../network/network.schema.ts';

/** The managed list of topics meetings and shared items are filed under, named in three languages. */
export const topic = pgTable('topic', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** stable key, e.g. ceasefire-hostages */
  key: text('key').notNull().unique(),
  nameEn: text('name_en').notNull(),
  nameHe: text('name_he').notNull(),
  nameAr: text('name_ar').notNull(),
  archived: boolean('archived').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const meeting = pgTable(
  'meeting',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** group | one_on_one | diplomatic | call | site_visit */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** UTC instants; the zone of the place says how to show them locally */
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** IANA zone of the place (Asia/Jerusalem, Asia/Hebron, Europe/Berlin …) */
    timeZone: text('time_zone').notNull(),
    city: text('city'),
    venue: text('venue'),
    online: boolean('online').notNull().default(false),
    /** markdown */
    notes: text('notes'),
    /** the notes are need-to-know even where the meeting is not */
    notesRestricted: boolean('notes_restricted').notNull().default(false),
    /** the whole meeting (who met whom) is need-to-know */
    restricted: boolean('restricted').notNull().default(false),
    titleNorm: text('title_norm').notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_starts_at_idx').on(t.startsAt),
    index('meeting_kind_idx').on(t.kind, t.startsAt),
    // the home page's "recorded since you last came" (migration 0015)
    index('meeting_created_at_idx').on(t.createdAt),
    index('meeting_title_norm_trgm_idx').using('gin', sql`${t.titleNorm} gin_trgm_ops`),
  ],
);

export const meetingOrganisation = pgTable(
  'meeting_organisation',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    /** host | participant | observer | subject */
    role: text('role').notNull().default('participant'),
    /**
     * The meeting's start, copied here by a database trigger (migration 0003) so that "when did we last meet
     * this organisation" is one index probe per organisation. Never written by the application.
     */
    startsAt: timestamp('starts_at', { withTimezone: true }),
    /** the meeting's `restricted`, mirrored the same way, so that counts skip the meeting lookup when it is false */
    meetingRestricted: boolean('meeting_restricted').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.organisationId] }),
    index('meeting_organisation_org_idx').on(t.organisationId, t.meetingId),
    index('meeting_organisation_org_starts_idx').on(t.organisationId, t.startsAt.desc()),
    // a reader's restricted attendance of one organisation (migration 0009)
    index('meeting_organisation_org_restricted_idx').on(t.organisationId).where(sql`${t.meetingRestricted}`),
  ],
);

export const meetingPerson = pgTable(
  'meeting_person',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    /** the organisation the person came for, if any */
    organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
    /** e.g. speaker, participant, ambassador, note-taker */
    role: text('role').notNull().default('participant'),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.personId] }), index('meeting_person_person_idx').on(t.personId, t.meetingId)],
);

/** Staff present. They are granted the meeting by default when it is restricted. */
export const meetingStaff = pgTable(
  'meeting_staff',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('meeting_staff_user_idx').on(t.userId, t.meetingId)],
);

export const meetingTopic = pgTable(
  'meeting_topic',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topic.id),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.topicId] }), index('meeting_topic_topic_idx').on(t.topicId)],
);

/** What a member shared in a meeting: a concern, an update, a request or an opportunity. */
export const sharedItem = pgTable(
  'shared_item',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    topicId: uuid('topic_id').references(() => topic.id),
    /** concern | update | request | opportunity */
    kind: text('kind').notNull(),
    body: text('body').notNull(),
    bodyNorm: text('body_norm').notNull(),
    /** open | addressed | closed */
    status: text('status').notNull().default('open'),
    restricted: boolean('restricted').notNull().default(false),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('shared_item_meeting_idx').on(t.meetingId),
    index('shared_item_org_idx').on(t.organisationId),
    index('shared_item_topic_idx').on(t.topicId, t.kind, t.status),
    index('shared_item_body_norm_trgm_idx').using('gin', sql`${t.bodyNorm} gin_trgm_ops`),
    index('shared_item_created_at_idx').on(t.createdAt),
  ],
);

export const followUp = pgTable(
  'follow_up',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id),
    dueDate: date('due_date', { mode: 'string' }),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    meetingId: uuid('meeting_id').references(() => meeting.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [index('follow_up_owner_idx').on(t.ownerId, t.status, t.dueDate), index('follow_up_meeting_idx').on(t.meetingId), index('follow_up_org_idx').on(t.organisationId)],
);
