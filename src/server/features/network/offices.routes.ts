import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import { AssignOfficeSchema, CreateOfficeSchema, OfficeSchema, StaffMemberSchema, StaffQuerySchema, UpdateOfficeSchema } from './offices.contract.ts';
import * as offices from './offices.service.ts';

const tags = ['Offices and staff'];

const UserIdParamSchema = z.object({ userId: z.string().min(1).max(100).openapi({ param: { name: 'userId', in: 'path' } }) });

/** Offices and which office each staff member belongs to. */
export function officesRoutes({ db }: FeatureDeps) {
  const r = newRouter();

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listOffices',
      path: '/offices',
      tags,
      summary: "The offices, in the order of your language, with how many accounts each has",
      responses: { 200: json(z.object({ items: z.array(OfficeSchema) }), 'Offices'), ...problems(401, 403) },
    }),
    async (c) => c.json({ items: await offices.listOffices(db, c.get('ctx')) }, 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createOffice',
      path: '/offices',
      tags,
      summary: 'Create an office (admins)',
      request: { body: jsonBody(CreateOfficeSchema) },
      responses: { 201: json(OfficeSchema, 'The office'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => c.json(await offices.createOffice(db, c.get('ctx'), c.req.valid('json')), 201),
  );

  r.openapi(
    createRoute({
      method: 'patch',
      operationId: 'updateOffice',
      path: '/offices/{id}',
      tags,
      summary: "Change an office's name, city or time zone (admins)",
      request: { params: IdParamSchema, body: jsonBody(UpdateOfficeSchema) },
      responses: { 200: json(OfficeSchema, 'The office'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await offices.updateOffice(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'listStaff',
      path: '/staff',
      tags,
      summary: 'Accounts with their role and office, by name (disabled ones only when asked)',
      request: { query: StaffQuerySchema },
      responses: { 200: json(z.object({ items: z.array(StaffMemberSchema) }), 'Staff'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json({ items: await offices.listStaff(db, c.get('ctx'), c.req.valid('query')) }, 200),
  );

  r.openapi(
    createRoute({
      method: 'put',
      operationId: 'setStaffOffice',
      path: '/staff/{userId}/office',
      tags,
      summary: "Set an account's office, or take it out of any office with null (admins)",
      request: { params: UserIdParamSchema, body: jsonBody(AssignOfficeSchema) },
      responses: { 200: json(StaffMemberSchema, 'The account with its office'), ...problems(400, 401, 403, 404, 422) },
    }),
    async (c) => c.json(await offices.assignOffice(db, c.get('ctx'), c.req.valid('param').userId, c.req.valid('json').officeId), 200),
  );

  return r;
}
