import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { meeting } from '../meetings/meetings.schema.ts';
import { organisation, person } from '../network/network.schema.ts';
import { bytea } from '../updates/updates.schema.ts';

// Campaigns (docs/campaigns.md): asks, targets, each target's stance on each ask over time with its evidence,
// reference documents with quotable passages, and Network meetings tagged with a campaign. Who may read what is
// decided in src/server/access/campaigns.ts; a stance is never updated nor deleted by the application: a change
// is a new row, and the current stance is the latest one the reader may see.

/** Text in the three languages; at least one is set (the service checks). */
export type Localized = { en?: string; he?: string; ar?: string };

export const campaign = pgTable(
  'campaign',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: jsonb('name').$type<Localized>().notNull(),
    goal: jsonb('goal').$type<Localized>().notNull().default(sql`'{}'::jsonb`),
    /** the staff member who leads it; always sees it */
    ownerId: text('owner_id').references(() => user.id, { onDelete: 'set null' }),
    startsOn: date('starts_on', { mode: 'string' }),
    endsOn: date('ends_on', { mode: 'string' }),
    /** need-to-know by default: admins, the owner and the users granted it (access_grant 'campaign') */
    restricted: boolean('restricted').notNull().default(true),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_owner_idx').on(t.ownerId), check('campaign_period', sql`${t.endsOn} IS NULL OR ${t.startsOn} IS NULL OR ${t.endsOn} >= ${t.startsOn}`)],
);

/** What the campaign asks for, in each language, in the campaign's order. */
export const campaignAsk = pgTable(
  'campaign_ask',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id, { onDelete: 'cascade' }),
    text: jsonb('text').$type<Localized>().notNull(),
    position: integer('position').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_ask_campaign_idx').on(t.campaignId, t.position)],
);

/**
 * Whom the campaign tries to move: a Network organisation of the mission kind (a government or a diplomatic
 * mission), or a Network person as an official. Exactly one of the two.
 */
export const campaignTarget = pgTable(
  'campaign_target',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => person.id, { onDelete: 'cascade' }),
    /** "G7", "EU", "Arab states" … */
    groupLabel: text('group_label'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('campaign_target_one', sql`(${t.organisationId} IS NULL) <> (${t.personId} IS NULL)`),
    uniqueIndex('campaign_target_org_unique').on(t.campaignId, t.organisationId),
    uniqueIndex('campaign_target_person_unique').on(t.campaignId, t.personId),
    index('campaign_target_org_idx').on(t.organisationId),
    index('campaign_target_person_idx').on(t.personId),
  ],
);

/** A reference document: a link or an uploaded file (its bytes in campaign_document_file). */
export const campaignDocument = pgTable(
  'campaign_document',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    /** link | file */
    kind: text('kind').notNull(),
    url: text('url'),
    fileName: text('file_name'),
    mediaType: text('media_type'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_document_campaign_idx').on(t.campaignId), check('campaign_document_kind', sql`${t.kind} IN ('link', 'file')`)],
);

/**
 * The bytes of an uploaded reference document, in the database as Updates keeps its photos' files (bytea): backed up
 * and restored with everything else, and read only through the campaign's need-to-know rule. Apart from the
 * document's row so that lists never read the bytes.
 */
export const campaignDocumentFile = pgTable('campaign_document_file', {
  documentId: uuid('document_id')
    .primaryKey()
    .references(() => campaignDocument.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
  byteSize: integer('byte_size').notNull(),
  /** hex SHA-256 of the bytes */
  sha256: text('sha256').notNull(),
});

/** A quoted passage of a document (e.g. the communiqué's paragraph on civil society) that stances can cite. */
export const campaignDocumentPassage = pgTable(
  'campaign_document_passage',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id')
      .notNull()
      .references(() => campaignDocument.id, { onDelete: 'cascade' }),
    quote: text('quote').notNull(),
    /** where in the document: "§ 14", "p. 3" */
    locator: text('locator'),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('campaign_document_passage_document_idx').on(t.documentId, t.position)],
);

export const STANCE_VALUES = ['unknown', 'opposed', 'sceptical', 'neutral', 'supportive', 'champion'] as const;
export const EVIDENCE_KINDS = ['meeting', 'statement', 'document_passage', 'judgement'] as const;

/**
 * One recorded stance of a target on an ask, as of a day, with its evidence: append-only history. The current
 * stance for a reader is the latest (as_of, recorded_at, id) whose evidence that reader may see.
 */
export const campaignStance = pgTable(
  'campaign_stance',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id, { onDelete: 'cascade' }),
    targetId: uuid('target_id')
      .notNull()
      .references(() => campaignTarget.id, { onDelete: 'cascade' }),
    askId: uuid('ask_id')
      .notNull()
      .references(() => campaignAsk.id, { onDelete: 'cascade' }),
    /** unknown | opposed | sceptical | neutral | supportive | champion */
    value: text('value').notNull(),
    /** the day the target held this stance (not in the future) */
    asOf: date('as_of', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').references(() => user.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    /** meeting | statement | document_passage | judgement */
    evidenceKind: text('evidence_kind').notNull(),
    /** a meeting cited as evidence cannot be deleted while the stance exists (docs/campaigns.md) */
    meetingId: uuid('meeting_id').references(() => meeting.id, { onDelete: 'restrict' }),
    statementUrl: text('statement_url'),
    statementQuote: text('statement_quote'),
    passageId: uuid('passage_id').references(() => campaignDocumentPassage.id, { onDelete: 'restrict' }),
    /** judgement: why we think so */
    reason: text('reason'),
    note: text('note'),
  },
  (t) => [
    // the history of a cell, newest first; the grid's current stance per cell
    index('campaign_stance_cell_idx').on(t.targetId, t.askId, t.asOf.desc(), t.recordedAt.desc(), t.id.desc()),
    index('campaign_stance_campaign_idx').on(t.campaignId, t.asOf),
    index('campaign_stance_meeting_idx').on(t.meetingId),
    index('campaign_stance_passage_idx').on(t.passageId),
    check('campaign_stance_value', sql`${t.value} IN ('unknown', 'opposed', 'sceptical', 'neutral', 'supportive', 'champion')`),
    check(
      'campaign_stance_evidence',
      sql`(${t.evidenceKind} = 'meeting' AND ${t.meetingId} IS NOT NULL)
        OR (${t.evidenceKind} = 'statement' AND ${t.statementUrl} IS NOT NULL AND ${t.statementQuote} IS NOT NULL)
        OR (${t.evidenceKind} = 'document_passage' AND ${t.passageId} IS NOT NULL)
        OR (${t.evidenceKind} = 'judgement' AND ${t.reason} IS NOT NULL)`,
    ),
  ],
);

/** A Network meeting tagged with a campaign; the targets met and the asks discussed hang off it. */
export const campaignMeeting = pgTable(
  'campaign_meeting',
  {
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaign.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meeting.id, { onDelete: 'cascade' }),
    taggedBy: text('tagged_by').references(() => user.id, { onDelete: 'set null' }),
    taggedAt: timestamp('tagged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.meetingId] }), index('campaign_meeting_meeting_idx').on(t.meetingId)],
);

export const campaignMeetingTarget = pgTable(
  'campaign_meeting_target',
  {
    campaignId: uuid('campaign_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    targetId: uuid('target_id')
      .notNull()
      .references(() => campaignTarget.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.meetingId, t.targetId] }),
    foreignKey({ columns: [t.campaignId, t.meetingId], foreignColumns: [campaignMeeting.campaignId, campaignMeeting.meetingId] }).onDelete('cascade'), index('campaign_meeting_target_target_idx').on(t.targetId)],
);

export const campaignMeetingAsk = pgTable(
  'campaign_meeting_ask',
  {
    campaignId: uuid('campaign_id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    askId: uuid('ask_id')
      .notNull()
      .references(() => campaignAsk.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.meetingId, t.askId] }),
    foreignKey({ columns: [t.campaignId, t.meetingId], foreignColumns: [campaignMeeting.campaignId, campaignMeeting.meetingId] }).onDelete('cascade'), index('campaign_meeting_ask_ask_idx').on(t.askId)],
);
