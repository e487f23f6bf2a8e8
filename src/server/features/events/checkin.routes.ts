import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv, FeatureDeps } from '../../http/context.ts';
import { tooManyRequests } from '../../http/security.ts';
import type { Limit, RateLimits } from '../../runtime/rate-limits.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CheckinTotalsSchema,
  CreateDeviceSchema,
  DeviceListSchema,
  DevicePairingSchema,
  DeviceSchema,
  MAX_SCANS_PER_BATCH,
  PairedSchema,
  PairSchema,
  ResolveConflictSchema,
  ResolvedConflictSchema,
  ScanBatchSchema,
  ScanResultsSchema,
  TicketListQuerySchema,
  TicketListSchema,
  WhoAmISchema,
} from './checkin.contract.ts';
import * as checkin from './checkin.service.ts';
import { AppError } from '../../core/errors.ts';

const param = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const DeviceParams = z.object({ id: param('id'), deviceId: param('deviceId') });
const ConflictParams = z.object({ id: param('id'), scanId: param('scanId') });
const device: { [k: string]: string[] }[] = [{ checkinDevice: [] }];
const anyone: { [k: string]: string[] }[] = [];

/**
 * Failed pairing attempts per client address, counted in the database as sign-in's are (runtime/rate-limits.ts):
 * a venue's volunteers may share one address, so typing mistakes have room; guessing a 60-bit code does not.
 */
export const PAIR_FAILURES: Limit = { name: 'checkin.pair.address', max: 20, windowMs: 15 * 60_000 };

/**
 * Check-in: staff pair phones to an event's gates and watch the door (/api/events/{id}/checkin…); a paired phone
 * (Authorization: Bearer <device token>) posts scans and reads the ticket list (/api/checkin/…).
 */
export function checkinRoutes(deps: FeatureDeps & { limits: RateLimits }) {
  const { db, publicUrl, limits } = deps;
  const r = newRouter();
  const staffTags = ['Events'];
  const tags = ['Check-in'];
  r.openAPIRegistry.registerComponent('securitySchemes', 'checkinDevice', {
    type: 'http',
    scheme: 'bearer',
    description: 'The device token a phone got from POST /api/checkin/pair; it grants check-in for one event only',
  });
  const deviceOf = (c: Context<AppEnv>) => checkin.deviceFromAuthorization(db, c.req.header('authorization'));

  // ---------- staff ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCheckinDevice',
      path: '/events/{id}/checkin-devices',
      tags: staffTags,
      summary: `Pair a phone to a gate: a one-time pairing code (shown once, valid 30 minutes) and the address its QR code carries (staff and admins)`,
      request: { params: IdParamSchema, body: jsonBody(CreateDeviceSchema) },
      responses: { 201: json(DevicePairingSchema, 'The device waiting to be paired, and its code'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await checkin.createDevice(db, c.get('ctx'), publicUrl, c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listCheckinDevices',
      path: '/events/{id}/checkin-devices',
      tags: staffTags,
      summary: 'The phones paired (or waiting to be) to the event, by gate, with their scans',
      request: { params: IdParamSchema },
      responses: { 200: json(DeviceListSchema, 'Devices'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await checkin.listDevices(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'revokeCheckinDevice',
      path: '/events/{id}/checkin-devices/{deviceId}/revoke',
      tags: staffTags,
      summary: 'Revoke a phone’s pairing (idempotent): its next request is refused; its scans stay (staff and admins)',
      request: { params: DeviceParams },
      responses: { 200: json(DeviceSchema, 'The device'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { id, deviceId } = c.req.valid('param');
      return c.json(await checkin.revokeDevice(db, c.get('ctx'), id, deviceId), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCheckinTotals',
      path: '/events/{id}/checkin',
      tags: staffTags,
      summary: 'The door, live: admitted and refused by gate, admitted by ticket type and by referring co-host, and the conflicts (names for staff and admins only)',
      request: { params: IdParamSchema },
      responses: { 200: json(CheckinTotalsSchema, 'Totals and conflicts'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await checkin.checkinTotals(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'resolveCheckinConflict',
      path: '/events/{id}/checkin-conflicts/{scanId}/resolve',
      tags: staffTags,
      summary: 'Resolve a door conflict (a ticket admitted online by one phone and offline by another): the same person twice, or two people on one ticket, with a note; again to change it (staff and admins; audited)',
      request: { params: ConflictParams, body: jsonBody(ResolveConflictSchema) },
      responses: { 200: json(ResolvedConflictSchema, 'The conflict, resolved'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, scanId } = c.req.valid('param');
      return c.json(await checkin.resolveConflict(db, c.get('ctx'), id, scanId, c.req.valid('json')), 200);
    },
  );

  // ---------- the phone ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'pairCheckinDevice',
      path: '/checkin/pair',
      tags,
      security: anyone,
      summary: `Exchange a pairing code (once) for the device token, with the event and its public key (${PAIR_FAILURES.max} failed attempts per address in 15 minutes, then 429)`,
      request: { body: jsonBody(PairSchema) },
      responses: { 200: json(PairedSchema, 'Paired'), ...problems(400, 404, 429) },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const address = limits.key(`checkin-pair:${ctx.ip}`);
      const wait = await limits.check(PAIR_FAILURES, address);
      if (wait) return tooManyRequests(wait) as never;
      try {
        return c.json(await checkin.pair(db, ctx, c.req.valid('json').code), 200);
      } catch (err) {
        if (err instanceof AppError && err.code === 'pairing_code_unknown') await limits.hit(PAIR_FAILURES, address);
        throw err;
      }
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCheckinDevice',
      path: '/checkin/device',
      tags,
      security: device,
      summary: 'The paired phone itself: its gate and label, the event and its public key (401 device_revoked once revoked)',
      responses: { 200: json(WhoAmISchema, 'The device'), ...problems(401) },
    }),
    async (c) => c.json(await checkin.device(db, await deviceOf(c)), 200),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCheckinTickets',
      path: '/checkin/tickets',
      tags,
      security: device,
      summary: 'Every ticket of the event (id, code version, status, type, name and its folded form for search, admitted or not) for checking offline; with ?since=<cursor>, only those changed since that list',
      request: { query: TicketListQuerySchema },
      responses: { 200: json(TicketListSchema, 'The ticket list, or its changes'), ...problems(400, 401) },
    }),
    async (c) => c.json(await checkin.ticketList(db, await deviceOf(c), new Date(), c.req.valid('query').since), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'postCheckinScans',
      path: '/checkin/scans',
      tags,
      security: device,
      summary: `Record scans (1 to ${MAX_SCANS_PER_BATCH} a batch; a larger body is 413 or 400): one result per scan, each nonce recorded once (a retried batch answers the same and writes nothing)`,
      description:
        'Results: admitted (the first valid scan), already_admitted (with when, at which gate, by which phone), invalid (forged, altered, unknown or an old version of the code), wrong_event, cancelled, conflict (an offline admission of a ticket another phone admitted first: listed for staff). A manual admission sends ticketId instead of code.',
      request: { body: jsonBody(ScanBatchSchema) },
      responses: { 200: json(ScanResultsSchema, 'One result per scan, in order'), ...problems(400, 401, 422) },
    }),
    async (c) => {
      const d = await deviceOf(c);
      return c.json(await checkin.recordScans(db, d, c.req.valid('json').scans), 200);
    },
  );
  return r;
}
