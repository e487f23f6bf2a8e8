import { z } from '@hono/zod-openapi';
import { TimeZoneSchema } from '../accounts/accounts.contract.ts';
import { DateOnlySchema, InstantSchema, UuidSchema } from '../network/common.contract.ts';
import { HOLIDAY_CALENDARS, PLACE_KINDS, REQUEST_FORMATS, TRIP_STATUSES, WEEKENDS } from './trips.schema.ts';

// Trips (issue 14): the requests and answers of /api/trips (docs/trips.md "## The records").

const Name = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');
const Area = z.string().trim().min(1, 'Required').max(100, 'At most 100 characters');
const MinuteOfDay = z.number().int('Whole minutes').min(0, 'From 0 (midnight)').max(1440, 'At most 1440 (midnight)');
const Weekend = z.enum(WEEKENDS).openapi({ description: 'fri_sat (the region) | sat_sun (abroad) | none' });
const Ids = z.array(UuidSchema).max(50, 'At most 50');

// ---------- trips ----------

export const CreateTripSchema = z
  .strictObject({
    name: Name,
    startsOn: DateOnlySchema,
    endsOn: DateOnlySchema,
    timeZone: TimeZoneSchema,
    status: z.enum(TRIP_STATUSES).optional(),
    carKmh: z.number().min(1).max(200).optional(),
    footKmh: z.number().min(1).max(10).optional(),
    bufferMinutes: z.number().int().min(0).max(180).optional(),
  })
  .openapi('CreateTrip');
export const UpdateTripSchema = CreateTripSchema.partial().openapi('UpdateTrip');

export const TripSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    startsOn: z.string(),
    endsOn: z.string(),
    timeZone: z.string(),
    status: z.string(),
    carKmh: z.number(),
    footKmh: z.number(),
    bufferMinutes: z.number().int(),
    travellerCount: z.number().int(),
    /** requests the reader may see */
    requestCount: z.number().int(),
    plannedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Trip');
export const TripListSchema = z.object({ items: z.array(TripSchema), total: z.number().int() }).openapi('TripList');

// ---------- places ----------

export const CreatePlaceSchema = z
  .strictObject({
    name: Name,
    kind: z.enum(PLACE_KINDS).default('venue').openapi({ description: 'venue | ours (our office) | online' }),
    lat: z.number().min(-90, 'From -90').max(90, 'At most 90').nullable().optional(),
    lon: z.number().min(-180, 'From -180').max(180, 'At most 180').nullable().optional(),
    area: Area.nullable().optional(),
    organisationId: UuidSchema.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.lat == null) !== (v.lon == null)) ctx.addIssue({ code: 'custom', path: [v.lat == null ? 'lat' : 'lon'], message: 'Give both coordinates or neither' });
  })
  .openapi('CreateTripPlace');
/** A change to a place: the fields sent replace the stored ones (coordinates: both or neither, as stored after the change). */
export const UpdatePlaceSchema = z
  .strictObject({
    name: Name.optional(),
    kind: z.enum(PLACE_KINDS).optional(),
    lat: z.number().min(-90, 'From -90').max(90, 'At most 90').nullable().optional(),
    lon: z.number().min(-180, 'From -180').max(180, 'At most 180').nullable().optional(),
    area: Area.nullable().optional(),
  })
  .openapi('UpdateTripPlace');
export const PlaceSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.string(), lat: z.number().nullable(), lon: z.number().nullable(), area: z.string().nullable(), organisationId: z.string().nullable(), organisationName: z.string().nullable() })
  .openapi('TripPlace');

// ---------- travellers ----------

export const CreateTravellerSchema = z
  .strictObject({
    userId: z.string().min(1).max(100),
    workFrom: MinuteOfDay.default(540),
    workTo: MinuteOfDay.default(1140),
    weekend: Weekend.default('fri_sat'),
    holidays: z.array(z.enum(HOLIDAY_CALENDARS)).max(4).default([]),
    basePlaceId: UuidSchema.nullable().optional(),
    nights: z.array(z.strictObject({ night: DateOnlySchema, placeId: UuidSchema })).max(62).default([]),
  })
  .superRefine((v, ctx) => {
    if (v.workTo <= v.workFrom) ctx.addIssue({ code: 'custom', path: ['workTo'], message: 'Working hours end after they start' });
  })
  .openapi('CreateTripTraveller');
export const TravellerSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    workFrom: z.number().int(),
    workTo: z.number().int(),
    weekend: z.string(),
    holidays: z.array(z.string()),
    basePlaceId: z.string().nullable(),
    nights: z.array(z.object({ night: z.string(), placeId: z.string() })),
  })
  .openapi('TripTraveller');

// ---------- travel ----------

export const CreateOverrideSchema = z
  .strictObject({
    fromPlaceId: UuidSchema,
    toPlaceId: UuidSchema,
    mode: z.enum(['car', 'foot']).default('car'),
    minutes: z.number().int('Whole minutes').min(0).max(1440),
    symmetric: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.fromPlaceId === v.toPlaceId) ctx.addIssue({ code: 'custom', path: ['toPlaceId'], message: 'Two different places' });
  })
  .openapi('CreateTravelOverride');
/** A change to a travel time set by hand: its minutes, or whether it holds both ways (the pair and mode stay). */
export const UpdateOverrideSchema = z.strictObject({ minutes: z.number().int('Whole minutes').min(0).max(1440).optional(), symmetric: z.boolean().optional() }).openapi('UpdateTravelOverride');
export const OverrideSchema = z.object({ id: z.string(), fromPlaceId: z.string(), toPlaceId: z.string(), mode: z.string(), minutes: z.number().int(), symmetric: z.boolean() }).openapi('TravelOverride');

export const CreateExtraSchema = z
  .strictObject({
    label: Name,
    areaA: Area,
    areaB: Area,
    extraMinutes: z.number().int().min(0).max(600),
    fromMinute: MinuteOfDay.nullable().optional(),
    toMinute: MinuteOfDay.nullable().optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.fromMinute == null) !== (v.toMinute == null)) ctx.addIssue({ code: 'custom', path: [v.fromMinute == null ? 'fromMinute' : 'toMinute'], message: 'Give both hours or neither (all day)' });
    else if (v.fromMinute != null && v.toMinute! <= v.fromMinute) ctx.addIssue({ code: 'custom', path: ['toMinute'], message: 'Ends after it starts' });
  })
  .openapi('CreateTravelExtra');
/** A change to a travel extra: the fields sent replace the stored ones (hours: both or neither, as stored after). */
export const UpdateExtraSchema = z
  .strictObject({
    label: Name.optional(),
    areaA: Area.optional(),
    areaB: Area.optional(),
    extraMinutes: z.number().int().min(0).max(600).optional(),
    fromMinute: MinuteOfDay.nullable().optional(),
    toMinute: MinuteOfDay.nullable().optional(),
  })
  .openapi('UpdateTravelExtra');
export const ExtraSchema = z
  .object({ id: z.string(), label: z.string(), areaA: z.string(), areaB: z.string(), extraMinutes: z.number().int(), fromMinute: z.number().int().nullable(), toMinute: z.number().int().nullable() })
  .openapi('TravelExtra');

// ---------- fixed items ----------

export const CreateFixedItemSchema = z
  .strictObject({ title: Name, placeId: UuidSchema, startsAt: InstantSchema, endsAt: InstantSchema, travellerIds: Ids.min(1, 'At least one traveller') })
  .superRefine((v, ctx) => {
    if (Date.parse(v.endsAt) <= Date.parse(v.startsAt)) ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'Ends after it starts' });
  })
  .openapi('CreateFixedItem');
/** A change to a fixed item: the fields sent replace the stored ones (it still ends after it starts, as stored after). */
export const UpdateFixedItemSchema = z
  .strictObject({ title: Name.optional(), placeId: UuidSchema.optional(), startsAt: InstantSchema.optional(), endsAt: InstantSchema.optional(), travellerIds: Ids.min(1, 'At least one traveller').optional() })
  .openapi('UpdateFixedItem');
export const FixedItemSchema = z.object({ id: z.string(), title: z.string(), placeId: z.string(), startsAt: z.string(), endsAt: z.string(), travellerIds: z.array(z.string()) }).openapi('FixedItem');

// ---------- access rules and permits ----------

const PermitFields = z
  .strictObject({ validFrom: DateOnlySchema, validTo: DateOnlySchema })
  .superRefine((v, ctx) => {
    if (v.validTo < v.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'A permit ends on or after the day it starts' });
  });
export const CreatePermitSchema = PermitFields.openapi('CreatePermit');
export const CreateAccessRuleSchema = z
  .strictObject({
    travellerId: UuidSchema.optional(),
    personId: UuidSchema.optional(),
    area: Area,
    note: z.string().max(500).nullable().optional(),
    permits: z.array(PermitFields).max(50).default([]),
  })
  .superRefine((v, ctx) => {
    if (!!v.travellerId === !!v.personId) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'Either a traveller or a Network person' });
  })
  .openapi('CreateAccessRule');
/** A change to an access rule: its area or note (whom it binds stays: remove it and add another for someone else). */
export const UpdateAccessRuleSchema = z.strictObject({ area: Area.optional(), note: z.string().max(500).nullable().optional() }).openapi('UpdateAccessRule');
/** A change to a permit: its first or last day (it still ends on or after the day it starts, as stored after). */
export const UpdatePermitSchema = z.strictObject({ validFrom: DateOnlySchema.optional(), validTo: DateOnlySchema.optional() }).openapi('UpdatePermit');
export const PermitSchema = z.object({ id: z.string(), validFrom: z.string(), validTo: z.string() }).openapi('Permit');
export const AccessRuleSchema = z
  .object({ id: z.string(), travellerId: z.string().nullable(), personId: z.string().nullable(), personName: z.string().nullable(), area: z.string(), note: z.string().nullable(), permits: z.array(PermitSchema) })
  .openapi('AccessRule');

// ---------- requests ----------

const RequestField = {
  title: Name,
  durationMinutes: z.number().int('Whole minutes').min(5, 'At least 5 minutes').max(720, 'At most 12 hours'),
  priority: z.number().int().min(1).max(10),
  format: z.enum(REQUEST_FORMATS),
  organisationIds: Ids,
  personIds: Ids,
  travellers: z.array(z.strictObject({ travellerId: UuidSchema, must: z.boolean().default(false) })).max(20),
  placeIds: Ids,
  allowTheirOffice: z.boolean(),
  allowOurs: z.boolean(),
  allowOnline: z.boolean(),
  counterpartWeekend: Weekend,
  windows: z.array(z.strictObject({ startsAt: InstantSchema, endsAt: InstantSchema })).max(50),
  campaignTargetId: UuidSchema.nullable(),
  restricted: z.boolean(),
};
export const CreateRequestSchema = z
  .strictObject({
    title: RequestField.title,
    durationMinutes: RequestField.durationMinutes,
    priority: RequestField.priority.default(3),
    format: RequestField.format.default('group'),
    organisationIds: RequestField.organisationIds.default([]),
    personIds: RequestField.personIds.default([]),
    travellers: RequestField.travellers.default([]),
    placeIds: RequestField.placeIds.default([]),
    allowTheirOffice: RequestField.allowTheirOffice.default(false),
    allowOurs: RequestField.allowOurs.default(false),
    allowOnline: RequestField.allowOnline.default(false),
    counterpartWeekend: RequestField.counterpartWeekend.default('none'),
    windows: RequestField.windows.default([]),
    campaignTargetId: RequestField.campaignTargetId.optional(),
    restricted: RequestField.restricted.default(false),
  })
  .superRefine((v, ctx) => {
    if (!v.travellers.length) ctx.addIssue({ code: 'custom', path: ['travellers'], message: 'At least one traveller must or may attend' });
    if (v.format === 'one_on_one' && v.travellers.filter((t) => t.must).length > 1) ctx.addIssue({ code: 'custom', path: ['travellers'], message: 'A one-on-one has at most one traveller who must attend' });
    if (new Set(v.travellers.map((t) => t.travellerId)).size !== v.travellers.length) ctx.addIssue({ code: 'custom', path: ['travellers'], message: 'Each traveller once' });
    if (!v.placeIds.length && !v.allowTheirOffice && !v.allowOurs && !v.allowOnline) ctx.addIssue({ code: 'custom', path: ['placeIds'], message: 'Allow at least one venue: a place, their office, ours or online' });
    let bad = false;
    v.windows.forEach((w, i) => {
      if (Date.parse(w.endsAt) <= Date.parse(w.startsAt)) {
        ctx.addIssue({ code: 'custom', path: ['windows', i, 'endsAt'], message: 'A window ends after it starts' });
        bad = true;
      }
    });
    if (!bad && v.windows.length && !v.windows.some((w) => (Date.parse(w.endsAt) - Date.parse(w.startsAt)) / 60_000 >= v.durationMinutes))
      ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'Longer than every availability window' });
  })
  .openapi('CreateTripRequest');
/** A change to a request: the fields sent replace the stored ones (lists whole); the result is checked as a new request would be. */
export const UpdateRequestSchema = z
  .strictObject({
    title: RequestField.title.optional(),
    durationMinutes: RequestField.durationMinutes.optional(),
    priority: RequestField.priority.optional(),
    format: RequestField.format.optional(),
    organisationIds: RequestField.organisationIds.optional(),
    personIds: RequestField.personIds.optional(),
    travellers: RequestField.travellers.optional(),
    placeIds: RequestField.placeIds.optional(),
    allowTheirOffice: RequestField.allowTheirOffice.optional(),
    allowOurs: RequestField.allowOurs.optional(),
    allowOnline: RequestField.allowOnline.optional(),
    counterpartWeekend: RequestField.counterpartWeekend.optional(),
    windows: RequestField.windows.optional(),
    campaignTargetId: RequestField.campaignTargetId.optional(),
    restricted: RequestField.restricted.optional(),
  })
  .openapi('UpdateTripRequest');

/** A change to a traveller: the fields sent replace the stored ones; `nights` replaces every base per night. */
export const UpdateTravellerSchema = z
  .strictObject({
    workFrom: MinuteOfDay.optional(),
    workTo: MinuteOfDay.optional(),
    weekend: Weekend.optional(),
    holidays: z.array(z.enum(HOLIDAY_CALENDARS)).max(4).optional(),
    basePlaceId: UuidSchema.nullable().optional(),
    nights: z.array(z.strictObject({ night: DateOnlySchema, placeId: UuidSchema })).max(62).optional(),
  })
  .openapi('UpdateTripTraveller');

export const CreateRequestGrantSchema = z.strictObject({ userId: z.string().min(1).max(100) }).openapi('CreateTripRequestGrant');
export const RequestGrantSchema = z.object({ userId: z.string(), name: z.string(), grantedBy: z.string().nullable(), grantedAt: z.string() }).openapi('TripRequestGrant');
export const RequestGrantListSchema = z.object({ items: z.array(RequestGrantSchema) }).openapi('TripRequestGrantList');

export const RequestSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    durationMinutes: z.number().int(),
    priority: z.number().int(),
    format: z.string(),
    organisations: z.array(z.object({ id: z.string(), name: z.string() })),
    people: z.array(z.object({ id: z.string(), name: z.string() })),
    travellers: z.array(z.object({ travellerId: z.string(), must: z.boolean() })),
    placeIds: z.array(z.string()),
    allowTheirOffice: z.boolean(),
    allowOurs: z.boolean(),
    allowOnline: z.boolean(),
    counterpartWeekend: z.string(),
    windows: z.array(z.object({ startsAt: z.string(), endsAt: z.string() })),
    campaignTargetId: z.string().nullable(),
    restricted: z.boolean(),
    pin: z.object({ placeId: z.string(), startsAt: z.string(), travellerIds: z.array(z.string()) }).nullable(),
  })
  .openapi('TripRequest');

export const TripDetailSchema = TripSchema.extend({
  places: z.array(PlaceSchema),
  travellers: z.array(TravellerSchema),
  overrides: z.array(OverrideSchema),
  extras: z.array(ExtraSchema),
  fixedItems: z.array(FixedItemSchema),
  rules: z.array(AccessRuleSchema),
  requests: z.array(RequestSchema),
}).openapi('TripDetail');

// ---------- the plan ----------

export const PinSchema = z.strictObject({ placeId: UuidSchema, startsAt: InstantSchema, travellerIds: Ids.min(1, 'At least one traveller') }).openapi('PinRequest');

const ReasonSchema = z.object({ kind: z.string() }).catchall(z.unknown()).openapi('UnplannedReason');
export const PlanItemSchema = z
  .object({
    /** null for a confidential meeting the reader may not see */
    requestId: z.string().nullable(),
    title: z.string().nullable(),
    confidential: z.boolean(),
    travellerIds: z.array(z.string()),
    placeId: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string(),
    pinned: z.boolean(),
  })
  .openapi('PlanItem');
export const PlanSchema = z
  .object({
    tripId: z.string(),
    plannedAt: z.string().nullable(),
    solver: z.string().nullable(),
    status: z.string().nullable(),
    items: z.array(PlanItemSchema),
    legs: z.array(z.object({ travellerId: z.string(), fromPlaceId: z.string().nullable(), toPlaceId: z.string().nullable(), departAt: z.string(), arriveAt: z.string() })),
    fixedItems: z.array(FixedItemSchema),
    unplanned: z.array(z.object({ requestId: z.string(), title: z.string(), reasons: z.array(ReasonSchema) })),
    objective: z.object({ priorityHeld: z.number(), travelMinutes: z.number(), idleMinutes: z.number(), changedFromPrevious: z.number() }).nullable(),
    days: z.array(z.object({ date: z.string(), holidays: z.array(z.object({ calendar: z.string(), key: z.string(), dayOff: z.boolean(), names: z.object({ en: z.string(), he: z.string() }).optional() })) })),
    seconds: z.number().nullable(),
  })
  .openapi('TripPlan');

export const PinResultSchema = z
  .object({
    requestId: z.string(),
    /** what the pin breaks: each a rule the placement does not keep (the pin stands; re-plan moves the rest) */
    breaks: z.array(z.object({ kind: z.string(), detail: z.string() }).catchall(z.unknown())),
  })
  .openapi('PinResult');

export const MakeMeetingsResultSchema = z.object({ created: z.array(z.object({ requestId: z.string(), meetingId: z.string() })) }).openapi('MakeMeetingsResult');

export type CreateTripInput = z.infer<typeof CreateTripSchema>;
export type UpdateTripInput = z.infer<typeof UpdateTripSchema>;
export type CreatePlaceInput = z.infer<typeof CreatePlaceSchema>;
export type CreateTravellerInput = z.infer<typeof CreateTravellerSchema>;
export type CreateOverrideInput = z.infer<typeof CreateOverrideSchema>;
export type CreateExtraInput = z.infer<typeof CreateExtraSchema>;
export type CreateFixedItemInput = z.infer<typeof CreateFixedItemSchema>;
export type CreateAccessRuleInput = z.infer<typeof CreateAccessRuleSchema>;
export type CreatePermitInput = z.infer<typeof CreatePermitSchema>;
export type CreateRequestInput = z.infer<typeof CreateRequestSchema>;
export type UpdateRequestInput = z.infer<typeof UpdateRequestSchema>;
export type UpdateTravellerInput = z.infer<typeof UpdateTravellerSchema>;
export type UpdatePlaceInput = z.infer<typeof UpdatePlaceSchema>;
export type UpdateFixedItemInput = z.infer<typeof UpdateFixedItemSchema>;
export type UpdateExtraInput = z.infer<typeof UpdateExtraSchema>;
export type UpdateOverrideInput = z.infer<typeof UpdateOverrideSchema>;
export type UpdateAccessRuleInput = z.infer<typeof UpdateAccessRuleSchema>;
export type UpdatePermitInput = z.infer<typeof UpdatePermitSchema>;
export type PinInput = z.infer<typeof PinSchema>;
export type Trip = z.infer<typeof TripSchema>;
export type TripDetail = z.infer<typeof TripDetailSchema>;
export type TripPlanView = z.infer<typeof PlanSchema>;
