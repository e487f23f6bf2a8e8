import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  AffiliationInputSchema,
  ContactInputSchema,
  CreatePersonGrantSchema,
  CreatePersonSchema,
  PersonGrantSchema,
  PersonListQuerySchema,
  PersonNameInputSchema,
  PersonPageSchema,
  PersonSchema,
  UpdateAffiliationSchema,
  UpdatePersonSchema,
} from './people.contract.ts';
import * as people from './people.service.ts';

const tags = ['People'];

const param = (name: string) => z.string().min(1).max(100).openapi({ param: { name, in: 'path' } });
const NameParams = z.object({ id: param('id'), nameId: param('nameId') });
const ContactParams = z.object({ id: param('id'), contactId: param('contactId') });
const GrantParams = z.object({ id: param('id'), userId: param('userId') });

/** People: names and transliterations, contacts, affiliations, pseudonyms. */
export function peopleRoutes({ db }: FeatureDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listPeople',
      path: '/people',
      tags,
      summary: "People you may see, in the reader's order of the names shown to them (lang); restricted people you were not granted are left out (and out of total)",
      request: { query: PersonListQuerySchema },
      responses: { 200: json(PersonPageSchema, 'People'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await people.listPeople(db, c.get('ctx'), c.req.valid('query')), 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createPerson',
      path: '/people',
      tags,
      summary: 'Record a person with names, contacts and affiliations (restricted ones are granted to you)',
      request: { body: jsonBody(CreatePersonSchema) },
      responses: { 201: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await people.createPerson(db, c.get('ctx'), c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getPerson',
      path: '/people/{id}',
      tags,
      summary: 'A person; with identityHidden true only the pseudonym is shown. Reads of restricted people are audited',
      request: { params: IdParamSchema },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await people.getPerson(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updatePerson',
      path: '/people/{id}',
      tags,
      summary: 'Change pseudonym, protection, language, tags or notes',
      request: { params: IdParamSchema, body: jsonBody(UpdatePersonSchema) },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await people.updatePerson(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deletePerson',
      path: '/people/{id}',
      tags,
      summary: 'Delete a person with their names, contacts and affiliations; 409 person_has_history when they attended a recorded meeting (merge them instead)',
      request: { params: IdParamSchema },
      responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await people.deletePerson(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addPersonName',
      path: '/people/{id}/names',
      tags,
      summary: 'Add a name in another script or a recorded transliteration',
      request: { params: IdParamSchema, body: jsonBody(PersonNameInputSchema) },
      responses: { 201: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await people.addPersonName(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'removePersonName',
      path: '/people/{id}/names/{nameId}',
      tags,
      summary: 'Remove a name (a person keeps at least one)',
      request: { params: NameParams },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await people.removePersonName(db, c.get('ctx'), p.id, p.nameId), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'addPersonContact',
      path: '/people/{id}/contacts',
      tags,
      summary: 'Add an email or a phone',
      request: { params: IdParamSchema, body: jsonBody(ContactInputSchema) },
      responses: { 201: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await people.addPersonContact(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'removePersonContact',
      path: '/people/{id}/contacts/{contactId}',
      tags,
      summary: 'Remove an email or a phone',
      request: { params: ContactParams },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await people.removePersonContact(db, c.get('ctx'), p.id, p.contactId), 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createAffiliation',
      path: '/people/{id}/affiliations',
      tags,
      summary: 'Affiliate the person with an organisation (a mission makes them a diplomat)',
      request: { params: IdParamSchema, body: jsonBody(AffiliationInputSchema) },
      responses: { 201: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => c.json(await people.addAffiliation(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateAffiliation',
      path: '/affiliations/{id}',
      tags,
      summary: "Change an affiliation's title or dates (set endDate when someone leaves)",
      request: { params: IdParamSchema, body: jsonBody(UpdateAffiliationSchema) },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await people.updateAffiliation(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'deleteAffiliation',
      path: '/affiliations/{id}',
      tags,
      summary: 'Remove an affiliation recorded by mistake',
      request: { params: IdParamSchema },
      responses: { 200: json(PersonSchema, 'The person'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await people.removeAffiliation(db, c.get('ctx'), c.req.valid('param').id), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listPersonGrants',
      path: '/people/{id}/grants',
      tags,
      summary: 'Who is granted this person (admins and those granted)',
      request: { params: IdParamSchema },
      responses: { 200: json(z.object({ items: z.array(PersonGrantSchema) }), 'Grants'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json({ items: await people.listPersonGrants(db, c.get('ctx'), c.req.valid('param').id) }, 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'grantPerson',
      path: '/people/{id}/grants',
      tags,
      summary: 'Grant a user sight of this person (admins and those granted)',
      request: { params: IdParamSchema, body: jsonBody(CreatePersonGrantSchema) },
      responses: {
        201: json(PersonGrantSchema, 'Granted'),
        200: json(PersonGrantSchema, 'Was already granted'),
        ...problems(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { grant, created } = await people.grantPerson(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json').userId);
      return created ? c.json(grant, 201) : c.json(grant, 200);
    },
  );

  r.openapi(
    createRoute({
      method: 'delete',
      operationId: 'revokePersonGrant',
      path: '/people/{id}/grants/{userId}',
      tags,
      summary: "Withdraw a user's grant",
      request: { params: GrantParams },
      responses: { 204: { description: 'Withdrawn' }, ...problems(401, 403, 404) },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await people.revokePersonGrant(db, c.get('ctx'), p.id, p.userId);
      return c.body(null, 204);
    },
  );

  return r;
}
