import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CreateOrganisationLinkSchema,
  CreateOrganisationSchema,
  NewOrganisationNameSchema,
  OrganisationDetailSchema,
  OrganisationLinkSchema,
  OrganisationListQuerySchema,
  OrganisationPageSchema,
  OrganisationSchema,
  SetOrganisationStatusSchema,
  UpdateOrganisationSchema,
} from './organisations.contract.ts';
import * as organisations from './organisations.service.ts';

const tags = ['Organisations'];

const NameParamsSchema = IdParamSchema.extend({
  nameId: z.string().min(1).max(100).openapi({ param: { name: 'nameId', in: 'path' } }),
});

/** Organisations: names in three scripts, membership history, links. */
export function organisationsRoutes({ db }: FeatureDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listOrganisations',
      path: '/organisations',
      tags,
      summary: "Organisations in the reader's order of the names shown to them (lang), filtered; with the total over all pages",
      request: { query: OrganisationListQuerySchema },
      responses: { 200: json(OrganisationPageSchema, 'A page of organisations'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await organisations.listOrganisations(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createOrganisation',
      path: '/organisations',
      tags,
      summary: 'Record an organisation with its names (any script); a member may get a status, recorded in its history',
      request: { body: jsonBody(CreateOrganisationSchema) },
      responses: { 201: json(OrganisationSchema, 'The organisation'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await organisations.createOrganisation(db, c.get('ctx'), c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getOrganisation',
      path: '/organisations/{id}',
      tags,
      summary: 'An organisation with its names, status history, links (both ways) and the people affiliated today',
      request: { params: IdParamSchema },
      responses: { 200: json(OrganisationDetailSchema, 'The organisation'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await organisations.getOrganisation(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateOrganisation',
      path: '/organisations/{id}',
      tags,
      summary: 'Change an organisation (null clears a field); a new status is appended to its history',
      request: { params: IdParamSchema, body: jsonBody(UpdateOrganisationSchema) },
      responses: { 200: json(OrganisationSchema, 'The organisation'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await organisations.updateOrganisation(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteOrganisation',
      path: '/organisations/{id}',
      tags,
      summary: 'Delete an organisation with its names, status history and links; 409 organisation_has_history when meetings, attendees, shared items, follow-ups or affiliations refer to it (merge it instead)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await organisations.deleteOrganisation(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addOrganisationName',
      path: '/organisations/{id}/names',
      tags,
      summary: 'Add a name or a variant (another script, a short form, a transliteration, a former name)',
      request: { params: IdParamSchema, body: jsonBody(NewOrganisationNameSchema) },
      responses: { 201: json(OrganisationSchema, 'The organisation'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await organisations.addOrganisationName(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'removeOrganisationName',
      path: '/organisations/{id}/names/{nameId}',
      tags,
      summary: 'Remove a name (not the last one); removing the display name shows another',
      request: { params: NameParamsSchema },
      responses: { 200: json(OrganisationSchema, 'The organisation'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, nameId } = c.req.valid('param');
      return c.json(await organisations.removeOrganisationName(db, c.get('ctx'), id, nameId), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'recordOrganisationStatus',
      path: '/organisations/{id}/status',
      tags,
      summary: "Record a change of a member's status (since: today when not given); the latest in effect is current",
      request: { params: IdParamSchema, body: jsonBody(SetOrganisationStatusSchema) },
      responses: { 201: json(OrganisationSchema, 'The organisation'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await organisations.setOrganisationStatus(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createOrganisationLink',
      path: '/organisations/{id}/links',
      tags,
      summary: 'Link this organisation to another: "this <kind> other" (co-organiser of, funded by, partner of …)',
      request: { params: IdParamSchema, body: jsonBody(CreateOrganisationLinkSchema) },
      responses: { 201: json(OrganisationLinkSchema, 'The link, seen from this organisation'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await organisations.createOrganisationLink(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteOrganisationLink',
      path: '/organisation-links/{id}',
      tags,
      summary: 'Remove a link between two organisations',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      await organisations.deleteOrganisationLink(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return r;
}
