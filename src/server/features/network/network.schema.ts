import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';

// Organisations, people and offices: the coalition's address book. Names live in their own tables so that
// an organisation or a person can carry a name per script (Latin, Hebrew, Arabic) and the transliterations
// staff have recorded; `norm` is the name folded for search (see network/names.ts).

export const office = pgTable('office', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  city: text('city').notNull(),
  /** IANA time zone of the office, e.g. Europe/Berlin */
  timeZone: text('time_zone').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Which office each staff account belongs to (one row per user). */
export const staffOffice = pgTable('staff_office', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  officeId: uuid('office_id')
    .notNull()
    .references(() => office.id),
});

export const organisation = pgTable(
  'organisation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** member | partner | funder | mission | media | other */
    kind: text('kind').notNull(),
    /** membership: prospective | active | suspended | former; null for organisations that are not members */
    status: text('status'),
    /** the name shown in lists (also one of organisation_name) */
    name: text('name').notNull(),
    /** ISO 3166-1 alpha-2 where there is one (IL, PS, DE, US …) */
    country: text('country'),
    /** the area within or across countries: West Bank, Gaza, East Jerusalem, Galilee, Negev … */
    area: text('area'),
    city: text('city'),
    website: text('website'),
    /** BCP 47 language codes the organisation works in */
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    description: text('description'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** the staff member who holds the relationship */
    ownerId: text('owner_id').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organisation_kind_status_idx').on(t.kind, t.status),
    index('organisation_owner_idx').on(t.ownerId),
    index('organisation_tags_idx').using('gin', t.tags),
    index('organisation_name_idx').on(t.name),
    // the list's order (migration 0009)
    index('organisation_lower_name_idx').on(sql`lower(${t.name})`, t.id),
  ],
);

export const organisationName = pgTable(
  'organisation_name',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** latin | hebrew | arabic | other (detected from the text) */
    script: text('script').notNull(),
    /** official | short | transliteration | former */
    kind: text('kind').notNull().default('official'),
    norm: text('norm').notNull(),
  },
  (t) => [
    index('organisation_name_org_idx').on(t.organisationId),
    index('organisation_name_norm_trgm_idx').using('gin', sql`${t.norm} gin_trgm_ops`),
  ],
);

/** Dated history of membership status: one row per change. */
export const organisationStatusChange = pgTable(
  'organisation_status_change',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    /** the day the status took effect */
    since: date('since', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedBy: text('recorded_by').references(() => user.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisation_status_change_org_idx').on(t.organisationId, t.since)],
);

/** A typed, dated link from one organisation to another ("co-organiser of", "funded by", …). */
export const organisationLink = pgTable(
  'organisation_link',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromId: uuid('from_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    toId: uuid('to_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    /** co_organiser_of | funded_by | partner_of | member_of | coalition_with | other */
    kind: text('kind').notNull(),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('organisation_link_from_idx').on(t.fromId), index('organisation_link_to_idx').on(t.toId)],
);

export const person = pgTable(
  'person',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the name shown in lists: the primary name, or the pseudonym when the identity is restricted */
    displayName: text('display_name').notNull(),
    /** "Official A, ministry of foreign affairs": shown instead of the real identity to those without access */
    pseudonym: text('pseudonym'),
    /** the real identity (names, contacts, affiliations) is need-to-know; the pseudonym is visible */
    identityRestricted: boolean('identity_restricted').notNull().default(false),
    /** the whole record is need-to-know */
    restricted: boolean('restricted').notNull().default(false),
    /** they agreed to be named publicly (news posts: Updates' safety check flags everyone else it finds) */
    namedPublicly: boolean('named_publicly').notNull().default(false),
    /** en | he | ar | … */
    preferredLanguage: text('preferred_language'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('person_display_name_idx').on(t.displayName), index('person_tags_idx').using('gin', t.tags), index('person_created_at_idx').on(t.createdAt)],
);

export const personName = pgTable(
  'person_name',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    script: text('script').notNull(),
    /** primary | alternate | transliteration */
    kind: text('kind').notNull().default('primary'),
    norm: text('norm').notNull(),
  },
  (t) => [index('person_name_person_idx').on(t.personId), index('person_name_norm_trgm_idx').using('gin', sql`${t.norm} gin_trgm_ops`)],
);

export const personContact = pgTable(
  'person_contact',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    /** email | phone */
    kind: text('kind').notNull(),
    /** emails lower-cased; phones as typed (E.164 when known) */
    value: text('value').notNull(),
    label: text('label'),
  },
  (t) => [index('person_contact_person_idx').on(t.personId), index('person_contact_value_idx').on(t.kind, t.value)],
);

export const affiliation = pgTable(
  'affiliation',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => person.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    title: text('title'),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
  },
  (t) => [index('affiliation_person_idx').on(t.personId), index('affiliation_org_idx').on(t.organisationId)],
);
