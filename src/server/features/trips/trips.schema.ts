import { sql } from 'drizzle-orm';
import { boolean, check, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from '../accounts/accounts.schema.ts';
import { campaignTarget } from '../campaigns/campaigns.schema.ts';
import { meeting } from '../meetings/meetings.schema.ts';
import { organisation, person } from '../network/network.schema.ts';

// Trips (issue 14, docs/trips.md "## The records"): a week of meetings for travelling staff. The records below are
// what staff enter; trips.builder.ts turns them into the solver's PlanningProblem (solver/model.ts), and the plan
// that comes back is stored in trip_plan. Times of day are minutes after local midnight in the trip's IANA zone;
// instants (fixed items, availability windows, pins) are timestamptz.

export const TRIP_STATUSES = ['draft', 'planning', 'final', 'cancelled'] as const;
/** A person's weekend: Friday/Saturday in the region, Saturday/Sunday abroad, or none. */
export const WEEKENDS = ['fri_sat', 'sat_sun', 'none'] as const;
/** The holiday calendars a person keeps (not available on those days). */
export const HOLIDAY_CALENDARS = ['jewish', 'muslim', 'christian_western', 'christian_orthodox'] as const;
export const REQUEST_FORMATS = ['one_on_one', 'group'] as const;
export const PLACE_KINDS = ['venue', 'ours', 'online'] as const;

export const trip = pgTable(
  'trip',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** IANA zone in which the days, working hours and the plan are read */
    timeZone: text('time_zone').notNull(),
    /** draft | planning | final | cancelled */
    status: text('status').notNull().default('draft'),
    /** travel speed from coordinates (straight line × detour factor), km/h */
    carKmh: doublePrecision('car_kmh').notNull().default(40),
    footKmh: doublePrecision('foot_kmh').notNull().default(4.5),
    /** minutes kept free between two items, besides the travel */
    bufferMinutes: integer('buffer_minutes').notNull().default(15),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('trip_period', sql`${t.endsOn} >= ${t.startsOn}`), index('trip_starts_on_idx').on(t.startsOn)],
);

/** A venue of the trip: a hotel, an office (ours or theirs), a café, or "online". */
export const tripPlace = pgTable(
  'trip_place',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** venue | ours (one of our offices) | online */
    kind: text('kind').notNull().default('venue'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    /** free text naming an area access rules speak of: "Jerusalem", "Tel Aviv", "Ramallah – Area A" */
    area: text('area'),
    /** the Network organisation whose office this is ("their office") */
    organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('trip_place_trip_idx').on(t.tripId),
    index('trip_place_org_idx').on(t.organisationId),
    check('trip_place_coords', sql`(${t.lat} IS NULL) = (${t.lon} IS NULL)`),
  ],
);

/** A staff member travelling, with working hours and where they sleep. */
export const tripTraveller = pgTable(
  'trip_traveller',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** working hours, minutes after local midnight */
    workFrom: integer('work_from').notNull().default(540),
    workTo: integer('work_to').notNull().default(1140),
    weekend: text('weekend').notNull().default('fri_sat'),
    holidays: jsonb('holidays').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** the base (hotel or office) for nights without an entry in trip_traveller_night */
    basePlaceId: uuid('base_place_id').references(() => tripPlace.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('trip_traveller_unique').on(t.tripId, t.userId),
    index('trip_traveller_user_idx').on(t.userId),
    index('trip_traveller_base_idx').on(t.basePlaceId),
    check('trip_traveller_hours', sql`${t.workFrom} >= 0 AND ${t.workTo} <= 1440 AND ${t.workTo} > ${t.workFrom}`),
  ],
);

/** Where a traveller sleeps on one night (the day starts and ends there). */
export const tripTravellerNight = pgTable(
  'trip_traveller_night',
  {
    travellerId: uuid('traveller_id')
      .notNull()
      .references(() => tripTraveller.id, { onDelete: 'cascade' }),
    night: date('night', { mode: 'string' }).notNull(),
    placeId: uuid('place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.travellerId, t.night] }), index('trip_traveller_night_place_idx').on(t.placeId)],
);

/** Travel time between two places set by hand (per mode), replacing the one computed from coordinates. */
export const tripTravelOverride = pgTable(
  'trip_travel_override',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    fromPlaceId: uuid('from_place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
    toPlaceId: uuid('to_place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
    /** car | foot */
    mode: text('mode').notNull().default('car'),
    minutes: integer('minutes').notNull(),
    /** applies both ways */
    symmetric: boolean('symmetric').notNull().default(true),
  },
  (t) => [
    uniqueIndex('trip_travel_override_unique').on(t.tripId, t.fromPlaceId, t.toPlaceId, t.mode),
    index('trip_travel_override_from_idx').on(t.fromPlaceId),
    index('trip_travel_override_to_idx').on(t.toPlaceId),
  ],
);

/**
 * Minutes added to a journey between two areas (either way), e.g. a checkpoint crossing: +30 at any time, +90
 * at 7–9 and 16–19 as two more rows with those hours. When several rows apply, the largest counts.
 */
export const tripTravelExtra = pgTable(
  'trip_travel_extra',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    areaA: text('area_a').notNull(),
    areaB: text('area_b').notNull(),
    extraMinutes: integer('extra_minutes').notNull(),
    /** the time of day of departure it applies to (minutes after local midnight); both null: all day */
    fromMinute: integer('from_minute'),
    toMinute: integer('to_minute'),
  },
  (t) => [index('trip_travel_extra_trip_idx').on(t.tripId)],
);

/** Something already in travellers' diaries: a flight, the evening event. */
export const tripFixedItem = pgTable(
  'trip_fixed_item',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    placeId: uuid('place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    travellerIds: jsonb('traveller_ids').$type<string[]>().notNull(),
  },
  (t) => [index('trip_fixed_item_trip_idx').on(t.tripId), index('trip_fixed_item_place_idx').on(t.placeId), check('trip_fixed_item_period', sql`${t.endsAt} > ${t.startsAt}`)],
);

/** A meeting the trip should hold if it can. */
export const tripRequest = pgTable(
  'trip_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    /** 1 (nice to have) … 10 (must happen) */
    priority: integer('priority').notNull().default(3),
    /** one_on_one | group */
    format: text('format').notNull().default('group'),
    /** venues allowed besides the named places (trip_request_place) */
    allowTheirOffice: boolean('allow_their_office').notNull().default(false),
    allowOurs: boolean('allow_ours').notNull().default(false),
    allowOnline: boolean('allow_online').notNull().default(false),
    /** the counterparts' weekend (days they are not available), on top of their windows */
    counterpartWeekend: text('counterpart_weekend').notNull().default('none'),
    campaignTargetId: uuid('campaign_target_id').references(() => campaignTarget.id, { onDelete: 'set null' }),
    /** need-to-know: seen by admins, its creator, the travellers on it and users granted it (record_type 'trip_request') */
    restricted: boolean('restricted').notNull().default(false),
    /** the Network meeting "make meetings" made of its planned item (once) */
    meetingId: uuid('meeting_id').references(() => meeting.id, { onDelete: 'set null' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('trip_request_trip_idx').on(t.tripId),
    index('trip_request_meeting_idx').on(t.meetingId),
    index('trip_request_target_idx').on(t.campaignTargetId),
    check('trip_request_duration', sql`${t.durationMinutes} > 0 AND ${t.durationMinutes} <= 1440`),
    check('trip_request_priority', sql`${t.priority} BETWEEN 1 AND 10`),
  ],
);

/** With whom: a Network organisation or a Network person (exactly one). */
export const tripRequestParty = pgTable(
  'trip_request_party',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => tripRequest.id, { onDelete: 'cascade' }),
    organisationId: uuid('organisation_id').references(() => organisation.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => person.id, { onDelete: 'cascade' }),
  },
  (t) => [
    check('trip_request_party_one', sql`(${t.organisationId} IS NULL) <> (${t.personId} IS NULL)`),
    index('trip_request_party_request_idx').on(t.requestId),
    index('trip_request_party_org_idx').on(t.organisationId),
    index('trip_request_party_person_idx').on(t.personId),
  ],
);

/** Which travellers must or may attend. */
export const tripRequestTraveller = pgTable(
  'trip_request_traveller',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => tripRequest.id, { onDelete: 'cascade' }),
    travellerId: uuid('traveller_id')
      .notNull()
      .references(() => tripTraveller.id, { onDelete: 'cascade' }),
    must: boolean('must').notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.travellerId] }), index('trip_request_traveller_traveller_idx').on(t.travellerId)],
);

/** A named place allowed for the request. */
export const tripRequestPlace = pgTable(
  'trip_request_place',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => tripRequest.id, { onDelete: 'cascade' }),
    placeId: uuid('place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.placeId] }), index('trip_request_place_place_idx').on(t.placeId)],
);

/** When the counterpart is available. A request without windows: whenever the travellers work. */
export const tripRequestWindow = pgTable(
  'trip_request_window',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => tripRequest.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('trip_request_window_request_idx').on(t.requestId), check('trip_request_window_period', sql`${t.endsAt} > ${t.startsAt}`)],
);

/** An area a person (a traveller or a Network person) may not enter; exactly one of the two. */
export const tripAccessRule = pgTable(
  'trip_access_rule',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tripId: uuid('trip_id')
      .notNull()
      .references(() => trip.id, { onDelete: 'cascade' }),
    travellerId: uuid('traveller_id').references(() => tripTraveller.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => person.id, { onDelete: 'cascade' }),
    area: text('area').notNull(),
    note: text('note'),
  },
  (t) => [
    check('trip_access_rule_one', sql`(${t.travellerId} IS NULL) <> (${t.personId} IS NULL)`),
    index('trip_access_rule_trip_idx').on(t.tripId),
    index('trip_access_rule_traveller_idx').on(t.travellerId),
    index('trip_access_rule_person_idx').on(t.personId),
  ],
);

/** A dated permit lifting a rule on the days from validFrom to validTo (inclusive, local days). */
export const tripPermit = pgTable(
  'trip_permit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => tripAccessRule.id, { onDelete: 'cascade' }),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
  },
  (t) => [index('trip_permit_rule_idx').on(t.ruleId), check('trip_permit_period', sql`${t.validTo} >= ${t.validFrom}`)],
);

/** A request held at a time and place by given travellers, fixed by staff: every re-plan keeps it. */
export const tripPin = pgTable(
  'trip_pin',
  {
    requestId: uuid('request_id')
      .primaryKey()
      .references(() => tripRequest.id, { onDelete: 'cascade' }),
    placeId: uuid('place_id')
      .notNull()
      .references(() => tripPlace.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    travellerIds: jsonb('traveller_ids').$type<string[]>().notNull(),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('trip_pin_place_idx').on(t.placeId)],
);

/** The stored plan: items and legs as instants and record ids, with the reasons for what was left out. */
export type StoredPlan = {
  items: Array<{ requestId: string; travellerIds: string[]; placeId: string; startsAt: string; endsAt: string; pinned: boolean }>;
  legs: Array<{ travellerId: string; fromPlaceId: string; toPlaceId: string; departAt: string; arriveAt: string }>;
  unplanned: Array<{ requestId: string; reasons: Array<Record<string, unknown>> }>;
  objective: { priorityHeld: number; travelMinutes: number; idleMinutes: number; changedFromPrevious: number };
  status: 'optimal' | 'heuristic';
  solver: string;
  seconds: number;
};

export const tripPlan = pgTable('trip_plan', {
  tripId: uuid('trip_id')
    .primaryKey()
    .references(() => trip.id, { onDelete: 'cascade' }),
  plan: jsonb('plan').$type<StoredPlan>().notNull(),
  plannedBy: text('planned_by').references(() => user.id, { onDelete: 'set null' }),
  plannedAt: timestamp('planned_at', { withTimezone: true }).notNull().defaultNow(),
});
