import { createRoute, z } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, jsonBody, newRouter, problems } from '../../http/openapi.ts';
import {
  CreateFollowUpSchema,
  CreateMeetingGrantSchema,
  CreateMeetingSchema,
  CreateTopicSchema,
  FollowUpListQuerySchema,
  FollowUpPageSchema,
  FollowUpSchema,
  MeetingGrantListSchema,
  MeetingGrantSchema,
  MeetingListQuerySchema,
  MeetingPageSchema,
  MeetingSchema,
  SharedItemInputSchema,
  SharedItemListQuerySchema,
  SharedItemPageSchema,
  SharedItemSchema,
  TopicListQuerySchema,
  TopicListSchema,
  TopicSchema,
  UpdateFollowUpSchema,
  UpdateMeetingSchema,
  UpdateSharedItemSchema,
  UpdateTopicSchema,
} from './meetings.contract.ts';
import * as followUps from './follow-ups.service.ts';
import * as meetings from './meetings.service.ts';
import * as sharedItems from './shared-items.service.ts';
import * as topics from './topics.service.ts';

const GrantParamsSchema = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
  userId: z.string().min(1).max(100).openapi({ param: { name: 'userId', in: 'path' } }),
});

/** Meetings, topics, what members shared, follow-ups, need-to-know grants. */
export function meetingsRoutes(deps: FeatureDeps) {
  const { db } = deps;
  const r = newRouter();

  // ---------- topics ----------
  {
    const tags = ['Topics'];
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'listTopics',
        path: '/topics',
        tags,
        summary: 'The managed list of topics (archived ones with includeArchived=true)',
        request: { query: TopicListQuerySchema },
        responses: { 200: json(TopicListSchema, 'Topics'), ...problems(400, 401, 403) },
      }),
      async (c) => c.json(await topics.listTopics(db, c.get('ctx'), c.req.valid('query')), 200),
    );
    r.openapi(
      createRoute({
        method: 'post',
        operationId: 'createTopic',
        path: '/topics',
        tags,
        summary: 'Add a topic, named in English, Hebrew and Arabic (staff and admins)',
        request: { body: jsonBody(CreateTopicSchema) },
        responses: { 201: json(TopicSchema, 'The topic'), ...problems(400, 401, 403, 409) },
      }),
      async (c) => c.json(await topics.createTopic(db, c.get('ctx'), c.req.valid('json')), 201),
    );
    r.openapi(
      createRoute({
        method: 'patch',
        operationId: 'updateTopic',
        path: '/topics/{id}',
        tags,
        summary: 'Rename or archive a topic (staff and admins)',
        request: { params: IdParamSchema, body: jsonBody(UpdateTopicSchema) },
        responses: { 200: json(TopicSchema, 'The topic'), ...problems(400, 401, 403, 404, 409) },
      }),
      async (c) => c.json(await topics.updateTopic(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
  }

  // ---------- meetings ----------
  {
    const tags = ['Meetings'];
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'listMeetings',
        path: '/meetings',
        tags,
        summary: 'Meetings you may see: newest first, or overlapping from..to oldest first (the week calendar)',
        request: { query: MeetingListQuerySchema },
        responses: { 200: json(MeetingPageSchema, 'Meetings'), ...problems(400, 401, 403) },
      }),
      async (c) => c.json(await meetings.listMeetings(db, c.get('ctx'), c.req.valid('query')), 200),
    );
    r.openapi(
      createRoute({
        method: 'post',
        operationId: 'createMeeting',
        path: '/meetings',
        tags,
        summary: 'Record a meeting with who was there, what was shared and the follow-ups, all at once',
        request: { body: jsonBody(CreateMeetingSchema) },
        responses: { 201: json(MeetingSchema, 'The meeting'), ...problems(400, 401, 403, 422) },
      }),
      async (c) => c.json(await meetings.createMeeting(db, c.get('ctx'), c.req.valid('json')), 201),
    );
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'getMeeting',
        path: '/meetings/{id}',
        tags,
        summary: 'One meeting (reads of restricted meetings and notes are audited)',
        request: { params: IdParamSchema },
        responses: { 200: json(MeetingSchema, 'The meeting'), ...problems(401, 403, 404) },
      }),
      async (c) => c.json(await meetings.getMeeting(db, c.get('ctx'), c.req.valid('param').id), 200),
    );
    r.openapi(
      createRoute({
        method: 'patch',
        operationId: 'updateMeeting',
        path: '/meetings/{id}',
        tags,
        summary: 'Change a meeting; lists given (organisations, people, staffIds, topicIds) replace the current ones',
        request: { params: IdParamSchema, body: jsonBody(UpdateMeetingSchema) },
        responses: { 200: json(MeetingSchema, 'The meeting'), ...problems(400, 401, 403, 404, 422) },
      }),
      async (c) => c.json(await meetings.updateMeeting(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
    r.openapi(
      createRoute({
        method: 'delete',
        operationId: 'deleteMeeting',
        path: '/meetings/{id}',
        tags,
        summary: 'Delete a meeting with what was shared in it and its follow-ups; 409 meeting_has_protected_records when part of it is hidden from the caller (an admin may delete it)',
        request: { params: IdParamSchema },
        responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404, 409) },
      }),
      async (c) => {
        await meetings.deleteMeeting(db, c.get('ctx'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'listMeetingGrants',
        path: '/meetings/{id}/grants',
        tags,
        summary: 'Who was granted the meeting, and its staff (who see it by default)',
        request: { params: IdParamSchema },
        responses: { 200: json(MeetingGrantListSchema, 'Grants'), ...problems(401, 403, 404) },
      }),
      async (c) => c.json(await meetings.listMeetingGrants(db, c.get('ctx'), c.req.valid('param').id), 200),
    );
    r.openapi(
      createRoute({
        method: 'post',
        operationId: 'grantMeeting',
        path: '/meetings/{id}/grants',
        tags,
        summary: "Grant a user the meeting (admins, the meeting's staff and users granted it)",
        request: { params: IdParamSchema, body: jsonBody(CreateMeetingGrantSchema) },
        responses: { 201: json(MeetingGrantSchema, 'Granted'), 200: json(MeetingGrantSchema, 'Already granted'), ...problems(400, 401, 403, 404, 422) },
      }),
      async (c) => {
        const res = await meetings.grantMeeting(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json').userId);
        return res.created ? c.json(res.grant, 201) : c.json(res.grant, 200);
      },
    );
    r.openapi(
      createRoute({
        method: 'delete',
        operationId: 'revokeMeetingGrant',
        path: '/meetings/{id}/grants/{userId}',
        tags,
        summary: "Take a user's grant of the meeting away",
        request: { params: GrantParamsSchema },
        responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) },
      }),
      async (c) => {
        const { id, userId } = c.req.valid('param');
        await meetings.revokeMeetingGrant(db, c.get('ctx'), id, userId);
        return c.body(null, 204);
      },
    );
  }

  // ---------- shared items ----------
  {
    const tags = ['Shared items'];
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'listSharedItems',
        path: '/shared-items',
        tags,
        summary: 'What members shared (concerns, updates, requests, opportunities) that you may see, latest meetings first',
        request: { query: SharedItemListQuerySchema },
        responses: { 200: json(SharedItemPageSchema, 'Shared items'), ...problems(400, 401, 403) },
      }),
      async (c) => c.json(await sharedItems.listSharedItems(db, c.get('ctx'), c.req.valid('query')), 200),
    );
    r.openapi(
      createRoute({
        method: 'post',
        operationId: 'createSharedItem',
        path: '/meetings/{id}/shared-items',
        tags,
        summary: 'Record what an organisation shared in a meeting',
        request: { params: IdParamSchema, body: jsonBody(SharedItemInputSchema) },
        responses: { 201: json(SharedItemSchema, 'The shared item'), ...problems(400, 401, 403, 404, 422) },
      }),
      async (c) => c.json(await sharedItems.createSharedItem(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 201),
    );
    r.openapi(
      createRoute({
        method: 'patch',
        operationId: 'updateSharedItem',
        path: '/shared-items/{id}',
        tags,
        summary: 'Change a shared item (e.g. mark a concern addressed)',
        request: { params: IdParamSchema, body: jsonBody(UpdateSharedItemSchema) },
        responses: { 200: json(SharedItemSchema, 'The shared item'), ...problems(400, 401, 403, 404, 422) },
      }),
      async (c) => c.json(await sharedItems.updateSharedItem(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
    r.openapi(
      createRoute({
        method: 'delete',
        operationId: 'deleteSharedItem',
        path: '/shared-items/{id}',
        tags,
        summary: 'Delete a shared item',
        request: { params: IdParamSchema },
        responses: { 204: { description: 'Deleted' }, ...problems(401, 403, 404) },
      }),
      async (c) => {
        await sharedItems.deleteSharedItem(db, c.get('ctx'), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
  }

  // ---------- follow-ups ----------
  {
    const tags = ['Follow-ups'];
    r.openapi(
      createRoute({
        method: 'get',
        operationId: 'listFollowUps',
        path: '/follow-ups',
        tags,
        summary: 'Follow-ups you may see (mine=true: yours), open first, overdue first, then by due date',
        request: { query: FollowUpListQuerySchema },
        responses: { 200: json(FollowUpPageSchema, 'Follow-ups'), ...problems(400, 401, 403) },
      }),
      async (c) => c.json(await followUps.listFollowUps(db, c.get('ctx'), c.req.valid('query')), 200),
    );
    r.openapi(
      createRoute({
        method: 'post',
        operationId: 'createFollowUp',
        path: '/follow-ups',
        tags,
        summary: 'Add a follow-up, on its own or straight from a meeting (meetingId)',
        request: { body: jsonBody(CreateFollowUpSchema) },
        responses: { 201: json(FollowUpSchema, 'The follow-up'), ...problems(400, 401, 403, 422) },
      }),
      async (c) => c.json(await followUps.createFollowUp(db, c.get('ctx'), c.req.valid('json')), 201),
    );
    r.openapi(
      createRoute({
        method: 'patch',
        operationId: 'updateFollowUp',
        path: '/follow-ups/{id}',
        tags,
        summary: 'Change a follow-up: mark it done, reassign it, move its due date',
        request: { params: IdParamSchema, body: jsonBody(UpdateFollowUpSchema) },
        responses: { 200: json(FollowUpSchema, 'The follow-up'), ...problems(400, 401, 403, 404, 422) },
      }),
      async (c) => c.json(await followUps.updateFollowUp(db, c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
  }

  return r;
}
