import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import type { LocalizedText } from '../dialogues/dialogues.schema.ts';
import { organisation } from '../network/network.schema.ts';

// Events (issue 12): an event with its ticket types, co-hosts from Network, referral links and registration
// questions; registrations, tickets and waitlists from the public page /e/{slug}; and the door: paired devices and
// every scan they made. Designed for the whole issue; what is built on it so far is in docs/events.md.

export type { LocalizedText };

/** A registrant's consents, by purpose: when each was given (ISO instant), absent when not given. */
export type Consents = Partial<Record<'terms' | 'share_with_cohost' | 'hear_again', string>>;
/** A registrant's answers by question id: text, a choice id, choice ids, or yes/no. */
export type Answers = Record<string, string | string[] | boolean>;

export const event = pgTable(
  'event',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the public address: /e/{slug} (lower-case letters, digits, hyphens) */
    slug: text('slug').notNull().unique(),
    /** per language { en?, he?, ar? }: any may be missing; the page picks the reader's, then another */
    title: jsonb('title').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull().default({}),
    /** how to get there, what to bring, security checks … */
    practicalInfo: jsonb('practical_info').$type<LocalizedText>().notNull().default({}),
    accessibility: jsonb('accessibility').$type<LocalizedText>().notNull().default({}),
    venueName: text('venue_name'),
    venueAddress: text('venue_address'),
    /** a plain link to a map (no embedded third-party map); http(s) only */
    mapUrl: text('map_url'),
    /** UTC instants; the venue's IANA zone says how to show them */
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    timeZone: text('time_zone').notNull(),
    /** BCP 47 codes of the languages spoken at the event */
    languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
    /** the doors, e.g. North, South, VIP; a device is paired to one */
    gates: text('gates').array().notNull().default(sql`'{}'::text[]`),
    /** draft (staff only) | published (registration open within each ticket type's window) | closed */
    status: text('status').notNull().default('draft'),
    /** how long a waitlist offer holds a place */
    waitlistOfferHours: integer('waitlist_offer_hours').notNull().default(24),
    /** registrants' personal data is erased this many days after the event ends (those who agreed to hear again excepted) */
    retentionDays: integer('retention_days').notNull().default(90),
    /** when the retention job erased the registrants' personal data (null: not yet) */
    personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
    /** the second deadline: those who agreed to hear from the alliance again are erased this many days after the event ends */
    keptRetentionDays: integer('kept_retention_days').notNull().default(730),
    /** when the retention job erased the kept registrants too (null: not yet) */
    keptDataErasedAt: timestamp('kept_data_erased_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('event_starts_at_idx').on(t.startsAt),
    check('event_status_check', sql`${t.status} IN ('draft', 'published', 'closed')`),
    check('event_times_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('event_offer_hours_check', sql`${t.waitlistOfferHours} BETWEEN 1 AND 720`),
    check('event_retention_check', sql`${t.retentionDays} BETWEEN 0 AND 3650`),
    check('event_kept_retention_check', sql`${t.keptRetentionDays} BETWEEN 0 AND 3650`),
  ],
);

/**
 * The event's Ed25519 key pair, one per event: tickets' codes are signed with the private key (never leaves the
 * server); door devices hold only the public key and verify codes offline. Kept apart from `event` so that no
 * ordinary read of an event ever loads the private key.
 */
export const eventSigningKey = pgTable('event_signing_key', {
  eventId: uuid('event_id')
    .primaryKey()
    .references(() => event.id, { onDelete: 'cascade' }),
  /** the raw 32-byte public key, base64url */
  publicKey: text('public_key').notNull(),
  /** PKCS#8 DER, base64url */
  privateKey: text('private_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * General, youth, press, accessible seating … `taken` counts the valid tickets and the places held for open
 * waitlist offers, changed in the same transaction as the ticket or offer; the CHECK makes overselling impossible
 * whatever the code does.
 */
export const ticketType = pgTable(
  'ticket_type',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    name: jsonb('name').$type<LocalizedText>().notNull(),
    description: jsonb('description').$type<LocalizedText>().notNull().default({}),
    capacity: integer('capacity').notNull(),
    taken: integer('taken').notNull().default(0),
    /** in the smallest unit of the currency; free events only for now (0) */
    priceCents: integer('price_cents').notNull().default(0),
    /** registration for this type opens and closes (null: with the event's publication / at the event's start) */
    salesStartAt: timestamp('sales_start_at', { withTimezone: true }),
    salesEndAt: timestamp('sales_end_at', { withTimezone: true }),
    /** tickets one registration may hold of this type */
    perPersonLimit: integer('per_person_limit').notNull().default(1),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('ticket_type_event_idx').on(t.eventId, t.position),
    check('ticket_type_capacity_check', sql`${t.capacity} >= 0 AND ${t.taken} >= 0 AND ${t.taken} <= ${t.capacity}`),
    check('ticket_type_price_check', sql`${t.priceCents} = 0`),
    check('ticket_type_limit_check', sql`${t.perPersonLimit} BETWEEN 1 AND 20`),
  ],
);

/** An organisation from Network co-hosting the event. */
export const eventCohost = pgTable(
  'event_cohost',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id, { onDelete: 'cascade' }),
    /** lead | cohost | supporter */
    role: text('role').notNull().default('cohost'),
    /** aggregate: figures only; contacts: also names and contacts of its registrants who agreed to share with it */
    sharingMode: text('sharing_mode').notNull().default('aggregate'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.organisationId] }),
    index('event_cohost_org_idx').on(t.organisationId),
    check('event_cohost_role_check', sql`${t.role} IN ('lead', 'cohost', 'supporter')`),
    check('event_cohost_sharing_check', sql`${t.sharingMode} IN ('aggregate', 'contacts')`),
  ],
);

/** A co-host's link to the registration page (/e/{slug}?ref={code}), one per campaign channel if it wants. */
export const referralLink = pgTable(
  'referral_link',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id').notNull(),
    organisationId: uuid('organisation_id').notNull(),
    /** unguessable (128 random bits, base64url) */
    code: text('code').notNull().unique(),
    /** e.g. newsletter, whatsapp, instagram */
    channel: text('channel'),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** a revoked link still opens the page, without attribution */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    foreignKey({ columns: [t.eventId, t.organisationId], foreignColumns: [eventCohost.eventId, eventCohost.organisationId], name: 'referral_link_cohost_fk' }).onDelete('cascade'),
    index('referral_link_cohost_idx').on(t.eventId, t.organisationId),
  ],
);

/** What the registration form asks besides name, email and language. */
export const registrationQuestion = pgTable(
  'registration_question',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    /** text | single | multiple | yes_no | consent */
    kind: text('kind').notNull(),
    /** consent questions only: terms | share_with_cohost | hear_again */
    consentPurpose: text('consent_purpose'),
    label: jsonb('label').$type<LocalizedText>().notNull(),
    help: jsonb('help').$type<LocalizedText>().notNull().default({}),
    /** single and multiple: [{ id, label }] */
    options: jsonb('options').$type<{ id: string; label: LocalizedText }[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('registration_question_event_idx').on(t.eventId, t.position),
    check('registration_question_kind_check', sql`${t.kind} IN ('text', 'single', 'multiple', 'yes_no', 'consent')`),
    check(
      'registration_question_consent_check',
      sql`(${t.kind} = 'consent') = (${t.consentPurpose} IS NOT NULL) AND (${t.consentPurpose} IS NULL OR ${t.consentPurpose} IN ('terms', 'share_with_cohost', 'hear_again'))`,
    ),
  ],
);

/** One person's registration for an event: one per normalised email and event. */
export const registration = pgTable(
  'registration',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    /** trimmed and lower-cased */
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** the language the person registered in (en | he | ar): emails and pages in it */
    language: text('language').notNull(),
    answers: jsonb('answers').$type<Answers>().notNull().default({}),
    consents: jsonb('consents').$type<Consents>().notNull().default({}),
    /** the referral link the person came through (null: none, unknown or revoked) */
    referralLinkId: uuid('referral_link_id').references(() => referralLink.id, { onDelete: 'set null' }),
    /** the co-host that link belongs to, kept when the link goes (reports by co-host) */
    referrerOrganisationId: uuid('referrer_organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
    /** SHA-256 of the token in the person's ticket link (/e/{slug}/t/{token}) */
    manageTokenHash: text('manage_token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** the retention job replaced name, email and answers (only counts remain) */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('registration_event_email_idx').on(t.eventId, t.email),
    index('registration_event_created_idx').on(t.eventId, t.createdAt),
    index('registration_referrer_idx').on(t.eventId, t.referrerOrganisationId),
    index('registration_referral_link_idx').on(t.referralLinkId),
    index('registration_referrer_org_idx').on(t.referrerOrganisationId),
  ],
);

/** A place at the event. The QR code carries `code`: a payload signed with the event's private key. */
export const ticket = pgTable(
  'ticket',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registration.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketType.id, { onDelete: 'restrict' }),
    /** valid | cancelled */
    status: text('status').notNull().default('valid'),
    /** the code's version: a reissued ticket gets a new one and the old code no longer admits */
    version: integer('version').notNull().default(1),
    /** base64url(payload) + '.' + base64url(Ed25519 signature) */
    code: text('code').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    index('ticket_event_idx').on(t.eventId, t.status),
    index('ticket_registration_idx').on(t.registrationId),
    index('ticket_type_idx').on(t.ticketTypeId, t.status),
    check('ticket_status_check', sql`${t.status} IN ('valid', 'cancelled')`),
  ],
);

/**
 * A person waiting for a place of a full ticket type, in `position` order. An offer holds a place (counted in
 * the type's `taken`) until `offerExpiresAt`; accepting it makes the ticket.
 */
export const waitlistEntry = pgTable(
  'waitlist_entry',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    ticketTypeId: uuid('ticket_type_id')
      .notNull()
      .references(() => ticketType.id, { onDelete: 'cascade' }),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registration.id, { onDelete: 'cascade' }),
    /** the order people joined in (a sequence: increasing, gaps allowed) */
    position: bigserial('position', { mode: 'number' }).notNull(),
    /** waiting | offered | accepted | expired | left */
    status: text('status').notNull().default('waiting'),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    /** the ticket an accepted offer became */
    ticketId: uuid('ticket_id').references(() => ticket.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('waitlist_entry_registration_idx').on(t.ticketTypeId, t.registrationId),
    index('waitlist_entry_queue_idx').on(t.ticketTypeId, t.status, t.position),
    index('waitlist_entry_event_idx').on(t.eventId),
    index('waitlist_entry_reg_idx').on(t.registrationId),
    check('waitlist_entry_status_check', sql`${t.status} IN ('waiting', 'offered', 'accepted', 'expired', 'left')`),
    check('waitlist_entry_offer_check', sql`${t.status} <> 'offered' OR ${t.offerExpiresAt} IS NOT NULL`),
  ],
);

/**
 * A volunteer's phone paired to one event and gate. Pairing shows a one-time code (stored hashed); the device then
 * holds a token (stored hashed) that grants check-in for this event and nothing else, until revoked.
 */
export const checkinDevice = pgTable(
  'checkin_device',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    /** one of the event's gates */
    gate: text('gate').notNull(),
    /** e.g. "phone 3", shown on an "already admitted" screen */
    label: text('label').notNull(),
    /** SHA-256 of the one-time pairing code shown as a QR code; cleared once paired */
    pairingCodeHash: text('pairing_code_hash').unique(),
    pairingExpiresAt: timestamp('pairing_expires_at', { withTimezone: true }),
    /** SHA-256 of the device's token, set when paired */
    tokenHash: text('token_hash').unique(),
    pairedAt: timestamp('paired_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('checkin_device_event_idx').on(t.eventId)],
);

/**
 * Every scan a device made, online or uploaded later, recorded exactly once per client-made nonce. At most one
 * `admitted` scan per ticket (the partial unique index); an offline admission of a ticket already admitted is kept
 * as `conflict` for staff to see.
 */
export const checkinScan = pgTable(
  'checkin_scan',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** made by the device; a retried upload carries the same nonce and changes nothing */
    nonce: text('nonce').notNull().unique(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => event.id, { onDelete: 'cascade' }),
    /** null when the code named no ticket of this event (forged, altered, another event's) */
    ticketId: uuid('ticket_id').references(() => ticket.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id').references(() => checkinDevice.id, { onDelete: 'set null' }),
    gate: text('gate').notNull(),
    /** when the device scanned (its clock); receivedAt is the server's */
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    offline: boolean('offline').notNull().default(false),
    /** manual admission (search by name) rather than a code */
    manual: boolean('manual').notNull().default(false),
    /** admitted | already_admitted | invalid | wrong_event | cancelled | conflict */
    result: text('result').notNull(),
  },
  (t) => [
    uniqueIndex('checkin_scan_one_admission_idx').on(t.ticketId).where(sql`${t.result} = 'admitted'`),
    index('checkin_scan_ticket_idx').on(t.ticketId, t.scannedAt),
    index('checkin_scan_event_idx').on(t.eventId, t.gate, t.result),
    index('checkin_scan_device_idx').on(t.deviceId),
    check('checkin_scan_result_check', sql`${t.result} IN ('admitted', 'already_admitted', 'invalid', 'wrong_event', 'cancelled', 'conflict')`),
  ],
);
