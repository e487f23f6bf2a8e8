import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CreateAccessRuleSchema,
  CreateExtraSchema,
  CreateFixedItemSchema,
  CreateOverrideSchema,
  CreatePermitSchema,
  CreatePlaceSchema,
  CreateRequestSchema,
  CreateTravellerSchema,
  CreateTripSchema,
  CreateRequestGrantSchema,
  RequestGrantListSchema,
  RequestGrantSchema,
  TravellerSchema,
  UpdateRequestSchema,
  UpdateTravellerSchema,
  UpdatePlaceSchema,
  UpdateFixedItemSchema,
  UpdateExtraSchema,
  UpdateOverrideSchema,
  UpdateAccessRuleSchema,
  UpdatePermitSchema,
  OverrideSchema,
  AccessRuleSchema,
  PermitSchema,
  FixedItemSchema,
  ExtraSchema,
  PlaceSchema,
  MakeMeetingsResultSchema,
  PinResultSchema,
  PinSchema,
  PlanSchema,
  RequestSchema,
  TripDetailSchema,
  TripListSchema,
  UpdateTripSchema,
} from './trips.contract.ts';
import * as trips from './trips.service.ts';
import * as plans from './trips.plan.service.ts';
import { makeMeetings } from './trips.meetings.service.ts';

const pathParam = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const RecordParamsSchema = z.object({ id: pathParam('id'), kind: z.enum(trips.REMOVABLE).openapi({ param: { name: 'kind', in: 'path' } }), itemId: pathParam('itemId') });
const RuleParamsSchema = z.object({ id: pathParam('id'), ruleId: pathParam('ruleId') });
const RequestParamsSchema = z.object({ id: pathParam('id'), requestId: pathParam('requestId') });
const TravellerParamsSchema = z.object({ id: pathParam('id'), travellerId: pathParam('travellerId') });
const PlaceParamsSchema = z.object({ id: pathParam('id'), placeId: pathParam('placeId') });
const FixedItemParamsSchema = z.object({ id: pathParam('id'), fixedItemId: pathParam('fixedItemId') });
const ExtraParamsSchema = z.object({ id: pathParam('id'), extraId: pathParam('extraId') });
const OverrideParamsSchema = z.object({ id: pathParam('id'), overrideId: pathParam('overrideId') });
const PermitParamsSchema = z.object({ id: pathParam('id'), permitId: pathParam('permitId') });
const GrantParamsSchema = z.object({ id: pathParam('id'), requestId: pathParam('requestId'), userId: pathParam('userId') });
const CreatedSchema = z.object({ id: z.string() }).openapi('Created');
const ics = (description: string) => ({ description, content: { 'text/calendar': { schema: { type: 'string' as const } } } });

/** Trips (issue 14): the records, the plan, pins, itineraries and .ics (docs/trips.md). */
export function tripsRoutes(deps: FeatureDeps) {
  const { db, publicUrl } = deps;
  const r = newRouter();
  const tags = ['Trips'];

  r.openapi(
    createRoute({ method: 'get', operationId: 'listTrips', path: '/trips', tags, summary: 'Trips, latest first', responses: { 200: json(TripListSchema, 'Trips'), ...problems(401, 403) } }),
    async (c) => c.json(await trips.listTrips(db, c.get('ctx')), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createTrip',
      path: '/trips',
      tags,
      summary: 'Start a trip: its days and time zone',
      request: { body: jsonBody(CreateTripSchema) },
      responses: { 201: json(TripDetailSchema, 'The trip'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await trips.createTrip(db, c.get('ctx'), c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getTrip',
      path: '/trips/{id}',
      tags,
      summary: 'One trip with its places, travellers, travel times, fixed items, rules and the requests you may see',
      request: { params: IdParamSchema },
      responses: { 200: json(TripDetailSchema, 'The trip'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await trips.getTrip(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTrip',
      path: '/trips/{id}',
      tags,
      summary: "Change a trip's name, days, zone, status or travel settings",
      request: { params: IdParamSchema, body: jsonBody(UpdateTripSchema) },
      responses: { 200: json(TripDetailSchema, 'The trip'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await trips.updateTrip(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteTrip',
      path: '/trips/{id}',
      tags,
      summary: 'Delete a trip and everything in it (a trip holding requests you may not see: admins only)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await trips.deleteTrip(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  const add = <S extends z.ZodTypeAny>(operationId: string, path: string, summary: string, schema: S, fn: (ctx: never, id: string, body: z.infer<S>) => Promise<{ id: string }>) =>
    r.openapi(
      createRoute({
        method: 'post',
        operationId,
        path: `/trips/{id}/${path}`,
        tags,
        summary,
        request: { params: IdParamSchema, body: jsonBody(schema) },
        responses: { 201: json(CreatedSchema, 'Created'), ...problems(400, 401, 403, 404, 409, 422) },
      }),
      async (c) => {
        // the generic route loses the validated types; the schemas above did the validating
        const valid = c.req.valid.bind(c.req) as unknown as (target: 'param' | 'json') => unknown;
        return c.json(await fn(c.get('ctx') as never, (valid('param') as { id: string }).id, valid('json') as z.infer<S>), 201);
      },
    );
  add('addTripPlace', 'places', 'Add a place: a venue with coordinates and an area, our office, or online', CreatePlaceSchema, (ctx, id, b) => trips.addPlace(db, ctx, id, b));
  add('addTripTraveller', 'travellers', 'Add a traveller: a staff account, working hours, weekend, holidays kept, bases per night', CreateTravellerSchema, (ctx, id, b) => trips.addTraveller(db, ctx, id, b));
  add('setTripTravelOverride', 'travel-overrides', 'Set the travel time between two places by car or on foot', CreateOverrideSchema, (ctx, id, b) => trips.addOverride(db, ctx, id, b));
  add('addTripTravelExtra', 'travel-extras', 'Add minutes to journeys between two areas, all day or at given hours (a checkpoint)', CreateExtraSchema, (ctx, id, b) => trips.addExtra(db, ctx, id, b));
  add('addTripFixedItem', 'fixed-items', 'Add a fixed item (a flight, the evening event) to travellers', CreateFixedItemSchema, (ctx, id, b) => trips.addFixedItem(db, ctx, id, b));
  add('addTripAccessRule', 'access-rules', 'Add an area a traveller or a Network person may not enter, with permits lifting it', CreateAccessRuleSchema, (ctx, id, b) => trips.addAccessRule(db, ctx, id, b));

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addTripPermit',
      path: '/trips/{id}/access-rules/{ruleId}/permits',
      tags,
      summary: 'Add a dated permit lifting an access rule',
      request: { params: RuleParamsSchema, body: jsonBody(CreatePermitSchema) },
      responses: { 201: json(CreatedSchema, 'Created'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.addPermit(db, c.get('ctx'), p.id, p.ruleId, c.req.valid('json')), 201);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addTripRequest',
      path: '/trips/{id}/requests',
      tags,
      summary: 'Add a meeting request: with whom, how long, priority, travellers, venues, availability',
      request: { params: IdParamSchema, body: jsonBody(CreateRequestSchema) },
      responses: { 201: json(RequestSchema, 'The request'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await trips.addRequest(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripRequest',
      path: '/trips/{id}/requests/{requestId}',
      tags,
      summary: 'Change a meeting request (the fields sent replace the stored ones; lists whole)',
      request: { params: RequestParamsSchema, body: jsonBody(UpdateRequestSchema) },
      responses: { 200: json(RequestSchema, 'The request'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateRequest(db, c.get('ctx'), p.id, p.requestId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripTraveller',
      path: '/trips/{id}/travellers/{travellerId}',
      tags,
      summary: "Change a traveller's working hours, weekend, holidays, base, or bases per night (nights replaces them all)",
      request: { params: TravellerParamsSchema, body: jsonBody(UpdateTravellerSchema) },
      responses: { 200: json(TravellerSchema, 'The traveller'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateTraveller(db, c.get('ctx'), p.id, p.travellerId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripPlace',
      path: '/trips/{id}/places/{placeId}',
      tags,
      summary: "Change a place's name, kind, coordinates or area",
      request: { params: PlaceParamsSchema, body: jsonBody(UpdatePlaceSchema) },
      responses: { 200: json(PlaceSchema, 'The place'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updatePlace(db, c.get('ctx'), p.id, p.placeId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripFixedItem',
      path: '/trips/{id}/fixed-items/{fixedItemId}',
      tags,
      summary: "Change a fixed item's title, place, times or travellers (the fields sent replace the stored ones)",
      request: { params: FixedItemParamsSchema, body: jsonBody(UpdateFixedItemSchema) },
      responses: { 200: json(FixedItemSchema, 'The fixed item'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateFixedItem(db, c.get('ctx'), p.id, p.fixedItemId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripTravelExtra',
      path: '/trips/{id}/travel-extras/{extraId}',
      tags,
      summary: "Change a travel extra's label, areas, minutes or hours (the fields sent replace the stored ones)",
      request: { params: ExtraParamsSchema, body: jsonBody(UpdateExtraSchema) },
      responses: { 200: json(ExtraSchema, 'The travel extra'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateExtra(db, c.get('ctx'), p.id, p.extraId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripTravelOverride',
      path: '/trips/{id}/travel-overrides/{overrideId}',
      tags,
      summary: 'Change a travel time set by hand: its minutes, or whether it holds both ways',
      request: { params: OverrideParamsSchema, body: jsonBody(UpdateOverrideSchema) },
      responses: { 200: json(OverrideSchema, 'The travel time'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateOverride(db, c.get('ctx'), p.id, p.overrideId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripAccessRule',
      path: '/trips/{id}/access-rules/{ruleId}',
      tags,
      summary: "Change an access rule's area or note",
      request: { params: RuleParamsSchema, body: jsonBody(UpdateAccessRuleSchema) },
      responses: { 200: json(AccessRuleSchema, 'The access rule'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updateAccessRule(db, c.get('ctx'), p.id, p.ruleId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTripPermit',
      path: '/trips/{id}/permits/{permitId}',
      tags,
      summary: "Change a permit's first or last day",
      request: { params: PermitParamsSchema, body: jsonBody(UpdatePermitSchema) },
      responses: { 200: json(PermitSchema, 'The permit'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.updatePermit(db, c.get('ctx'), p.id, p.permitId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listTripRequestGrants',
      path: '/trips/{id}/requests/{requestId}/grants',
      tags,
      summary: 'Who was granted a (restricted) meeting request',
      request: { params: RequestParamsSchema },
      responses: { 200: json(RequestGrantListSchema, 'Grants'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await trips.listRequestGrants(db, c.get('ctx'), p.id, p.requestId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'grantTripRequest',
      path: '/trips/{id}/requests/{requestId}/grants',
      tags,
      summary: 'Share a meeting request with a user (need-to-know grant; whoever sees it and writes trips)',
      request: { params: RequestParamsSchema, body: jsonBody(CreateRequestGrantSchema) },
      responses: { 201: json(RequestGrantSchema, 'Granted'), 200: json(RequestGrantSchema, 'Already granted'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const res = await trips.grantRequest(db, c.get('ctx'), p.id, p.requestId, c.req.valid('json').userId);
      return res.created ? c.json(res.grant, 201) : c.json(res.grant, 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokeTripRequestGrant',
      path: '/trips/{id}/requests/{requestId}/grants/{userId}',
      tags,
      summary: "Take a user's grant of a meeting request away",
      request: { params: GrantParamsSchema },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await trips.revokeRequestGrant(db, c.get('ctx'), p.id, p.requestId, p.userId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'removeTripRecord',
      path: '/trips/{id}/{kind}/{itemId}',
      tags,
      summary: 'Remove a place, traveller, travel time, extra, fixed item, access rule, permit or request',
      request: { params: RecordParamsSchema },
      responses: { 204: { description: 'Removed' }, ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await trips.removeRecord(db, c.get('ctx'), p.id, p.kind, p.itemId);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'planTrip',
      path: '/trips/{id}/plan',
      tags,
      summary: 'Plan or re-plan the trip: pinned items stay, the rest changes as little as it can',
      request: { params: IdParamSchema },
      responses: { 200: json(PlanSchema, 'The plan as you may see it'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => c.json(await plans.replan(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getTripPlan',
      path: '/trips/{id}/plan',
      tags,
      summary: 'The stored plan: items, travel legs, what was left out and why, holidays per day',
      request: { params: IdParamSchema },
      responses: { 200: json(PlanSchema, 'The plan as you may see it'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await plans.getPlan(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getTravellerItinerary',
      path: '/trips/{id}/travellers/{travellerId}/itinerary',
      tags,
      summary: "One traveller's itinerary ('confidential meeting' for what you may not see)",
      request: { params: TravellerParamsSchema },
      responses: { 200: json(PlanSchema, 'The itinerary'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await plans.getPlan(db, c.get('ctx'), p.id, p.travellerId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getTravellerIcs',
      path: '/trips/{id}/travellers/{travellerId}/itinerary.ics',
      tags,
      summary: "One traveller's itinerary as an .ics file",
      request: { params: TravellerParamsSchema },
      responses: { 200: ics('iCalendar'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      const body = await plans.travellerIcs(db, c.get('ctx'), p.id, p.travellerId, new URL(publicUrl).host);
      return new Response(body, { status: 200, headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="itinerary.ics"`, 'cache-control': 'no-store' } }) as never;
    },
  );
  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'pinTripRequest',
      path: '/trips/{id}/requests/{requestId}/pin',
      tags,
      summary: 'Pin a request at a place, time and travellers; says what it breaks',
      request: { params: RequestParamsSchema, body: jsonBody(PinSchema) },
      responses: { 200: json(PinResultSchema, 'The pin and what it breaks'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await plans.pinRequest(db, c.get('ctx'), p.id, p.requestId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'unpinTripRequest',
      path: '/trips/{id}/requests/{requestId}/pin',
      tags,
      summary: 'Unpin a request (the next plan may move it)',
      request: { params: RequestParamsSchema },
      responses: { 204: { description: 'Unpinned' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await plans.unpinRequest(db, c.get('ctx'), p.id, p.requestId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'makeTripMeetings',
      path: '/trips/{id}/make-meetings',
      tags,
      summary: 'Planned items you may see become Network meetings with attendees, place and zone (once each)',
      request: { params: IdParamSchema },
      responses: { 200: json(MakeMeetingsResultSchema, 'The meetings made'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await makeMeetings(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  return r;
}
