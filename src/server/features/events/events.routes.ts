import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  ChangeTicketTypeSchema,
  CohostSchema,
  CreateEventSchema,
  CreateQuestionSchema,
  CreateReferralLinkSchema,
  CreateTicketTypeSchema,
  EventListQuerySchema,
  EventPageSchema,
  EventSchema,
  EventTotalsSchema,
  PutCohostSchema,
  QuestionSchema,
  ReferralLinkListSchema,
  ReferralLinkSchema,
  RegistrationListQuerySchema,
  RegistrationPageSchema,
  TicketTypeChangedSchema,
  TicketTypeSchema,
  UpdateEventSchema,
  UpdateQuestionSchema,
  UpdateTicketTypeSchema,
} from './events.contract.ts';
import * as events from './events.service.ts';
import { changeTicketType } from './ticket-change.service.ts';
import type { WaitlistJobs } from './waitlist.service.ts';

const param = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const TypeParams = z.object({ id: param('id'), typeId: param('typeId') });
const TicketParams = z.object({ id: param('id'), ticketId: param('ticketId') });
const CohostParams = z.object({ id: param('id'), organisationId: param('organisationId') });
const LinkParams = z.object({ id: param('id'), linkId: param('linkId') });
const QuestionParams = z.object({ id: param('id'), questionId: param('questionId') });

/** Events, staff side: the event, its ticket types, co-hosts, referral links, questions and totals. */
export function eventsRoutes(deps: FeatureDeps & WaitlistJobs) {
  const { db, publicUrl } = deps;
  const r = newRouter();
  const tags = ['Events'];

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listEvents',
      path: '/events',
      tags,
      summary: 'Events, latest start first, with capacity, tickets and people waiting (everyone signed in)',
      request: { query: EventListQuerySchema },
      responses: { 200: json(EventPageSchema, 'Events'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await events.listEvents(db, c.get('ctx'), c.req.valid('query')), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createEvent',
      path: '/events',
      tags,
      summary: 'Create an event (with its ticket types); it gets its own Ed25519 key pair for ticket codes (staff and admins)',
      request: { body: jsonBody(CreateEventSchema) },
      responses: { 201: json(EventSchema, 'The event'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => c.json(await events.createEvent(db, c.get('ctx'), c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getEvent',
      path: '/events/{id}',
      tags,
      summary: 'One event with its ticket types, co-hosts and questions',
      request: { params: IdParamSchema },
      responses: { 200: json(EventSchema, 'The event'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await events.getEvent(db, c.get('ctx'), c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateEvent',
      path: '/events/{id}',
      tags,
      summary: 'Change an event (staff and admins)',
      request: { params: IdParamSchema, body: jsonBody(UpdateEventSchema) },
      responses: { 200: json(EventSchema, 'The event'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await events.updateEvent(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteEvent',
      path: '/events/{id}',
      tags,
      summary: 'Delete an event nobody registered for; 409 event_has_registrations otherwise (close it instead)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await events.deleteEvent(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getEventTotals',
      path: '/events/{id}/totals',
      tags,
      summary: 'Registrations, tickets, cancellations and waitlist by ticket type and by referring co-host: figures only',
      request: { params: IdParamSchema },
      responses: { 200: json(EventTotalsSchema, 'Totals'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await events.eventTotals(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listEventRegistrations',
      path: '/events/{id}/registrations',
      tags,
      summary: 'Who registered, newest first, with contacts, consents, tickets and waitlist (staff and admins; viewers see totals only)',
      request: { params: IdParamSchema, query: RegistrationListQuerySchema },
      responses: { 200: json(RegistrationPageSchema, 'Registrations'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await events.listRegistrations(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('query')), 200),
  );

  // ---------- ticket types ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createTicketType',
      path: '/events/{id}/ticket-types',
      tags,
      summary: 'Add a ticket type: capacity, sales window, per-person limit (free only: price 0)',
      request: { params: IdParamSchema, body: jsonBody(CreateTicketTypeSchema) },
      responses: { 201: json(TicketTypeSchema, 'The ticket type'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await events.createTicketType(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateTicketType',
      path: '/events/{id}/ticket-types/{typeId}',
      tags,
      summary: 'Change a ticket type; a raised capacity offers the new places to its waitlist; 409 capacity_below_taken',
      request: { params: TypeParams, body: jsonBody(UpdateTicketTypeSchema) },
      responses: { 200: json(TicketTypeSchema, 'The ticket type'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await events.updateTicketType(db, c.get('ctx'), deps, p.id, p.typeId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteTicketType',
      path: '/events/{id}/ticket-types/{typeId}',
      tags,
      summary: 'Delete a ticket type no ticket or waitlist place uses; 409 ticket_type_in_use otherwise',
      request: { params: TypeParams },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await events.deleteTicketType(db, c.get('ctx'), p.id, p.typeId);
      return c.body(null, 204);
    },
  );

  // ---------- co-hosts ----------
  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'putEventCohost',
      path: '/events/{id}/cohosts/{organisationId}',
      tags,
      summary: 'Make a Network organisation a co-host (or change its role and data-sharing mode)',
      request: { params: CohostParams, body: jsonBody(PutCohostSchema) },
      responses: { 200: json(CohostSchema, 'The co-host'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await events.putCohost(db, c.get('ctx'), p.id, p.organisationId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteEventCohost',
      path: '/events/{id}/cohosts/{organisationId}',
      tags,
      summary: 'Remove a co-host (with its links); 409 cohost_has_registrations when people came through them',
      request: { params: CohostParams },
      responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await events.deleteCohost(db, c.get('ctx'), p.id, p.organisationId);
      return c.body(null, 204);
    },
  );

  // ---------- referral links ----------
  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listReferralLinks',
      path: '/events/{id}/referral-links',
      tags,
      summary: "The co-hosts' referral links with how many registered through each",
      request: { params: IdParamSchema },
      responses: { 200: json(ReferralLinkListSchema, 'Referral links'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await events.listReferralLinks(db, c.get('ctx'), publicUrl, c.req.valid('param').id), 200),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createReferralLink',
      path: '/events/{id}/referral-links',
      tags,
      summary: 'A new unguessable referral link for a co-host (one per campaign channel if it wants)',
      request: { params: IdParamSchema, body: jsonBody(CreateReferralLinkSchema) },
      responses: { 201: json(ReferralLinkSchema, 'The link'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await events.createReferralLink(db, c.get('ctx'), publicUrl, c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'revokeReferralLink',
      path: '/events/{id}/referral-links/{linkId}/revoke',
      tags,
      summary: 'Revoke a referral link: it still opens the page, without attribution (idempotent)',
      request: { params: LinkParams },
      responses: { 200: json(ReferralLinkSchema, 'The link'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await events.revokeReferralLink(db, c.get('ctx'), publicUrl, p.id, p.linkId), 200);
    },
  );

  // ---------- questions ----------
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createRegistrationQuestion',
      path: '/events/{id}/questions',
      tags,
      summary: 'Add a registration question: text, single/multiple choice, yes/no, or a consent (terms, sharing with the referring co-host, hearing again)',
      request: { params: IdParamSchema, body: jsonBody(CreateQuestionSchema) },
      responses: { 201: json(QuestionSchema, 'The question'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await events.createQuestion(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );
  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateRegistrationQuestion',
      path: '/events/{id}/questions/{questionId}',
      tags,
      summary: 'Change a registration question (its kind stays)',
      request: { params: QuestionParams, body: jsonBody(UpdateQuestionSchema) },
      responses: { 200: json(QuestionSchema, 'The question'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await events.updateQuestion(db, c.get('ctx'), p.id, p.questionId, c.req.valid('json')), 200);
    },
  );
  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteRegistrationQuestion',
      path: '/events/{id}/questions/{questionId}',
      tags,
      summary: 'Remove a registration question (answers given stay with the registrations until retention)',
      request: { params: QuestionParams },
      responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await events.deleteQuestion(db, c.get('ctx'), p.id, p.questionId);
      return c.body(null, 204);
    },
  );
  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'changeTicketType',
      path: '/events/{id}/tickets/{ticketId}/type',
      tags,
      summary: "Change a valid ticket's type (staff and admins): a place in the new type (409 ticket_type_full, per_person_limit_reached), the old one freed and offered to its waitlist; the code stays",
      request: { params: TicketParams, body: jsonBody(ChangeTicketTypeSchema) },
      responses: { 200: json(TicketTypeChangedSchema, 'The ticket, with its new and previous type'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await changeTicketType(db, c.get('ctx'), deps, p.id, p.ticketId, c.req.valid('json')), 200);
    },
  );
  return r;
}
