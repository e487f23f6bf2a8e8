import { createRoute } from '@hono/zod-openapi';
import type { FeatureDeps } from '../../http/context.ts';
import { IdParamSchema, json, newRouter, problems } from '../../http/openapi.ts';
import { CalendarFeedListSchema, CreatedCalendarFeedSchema, FeedFileParamSchema } from './calendar.contract.ts';
import * as calendar from './calendar.service.ts';

const tags = ['Calendar'];

const ics = (description: string) => ({ description, content: { 'text/calendar': { schema: { type: 'string' as const } } } });

function calendarResponse(body: string, filename: string, disposition: 'inline' | 'attachment') {
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `${disposition}; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
}

/** iCalendar feeds and .ics downloads. */
export function calendarRoutes(deps: FeatureDeps) {
  const { db, publicUrl } = deps;
  const r = newRouter();

  r.openapi(
    createRoute({ method: 'get', operationId: 'listCalendarFeeds', path: '/calendar/feeds', tags, summary: 'Your active calendar feeds (their addresses are shown only when made)', responses: { 200: json(CalendarFeedListSchema, 'Feeds'), ...problems(401, 403) } }),
    async (c) => c.json({ items: await calendar.listMyFeeds(db, c.get('ctx')) }, 200),
  );

  r.openapi(
    createRoute({
      method: 'post',
      operationId: 'createCalendarFeed',
      path: '/calendar/feeds',
      tags,
      summary: 'Make a private iCalendar feed of your meetings; the returned url is shown this once',
      description:
        'Subscribe to the url in a calendar app. The feed holds the meetings you attended as staff from 90 days back, filtered by your need-to-know each time it is fetched; it carries no people or emails. Anyone with the url can read it: revoke it if it leaks.',
      responses: { 201: json(CreatedCalendarFeedSchema, 'The feed and its url'), ...problems(401, 403, 409) },
    }),
    async (c) => c.json(await calendar.createFeed(db, c.get('ctx'), { publicUrl }), 201),
  );

  r.openapi(
    createRoute({ method: 'delete', operationId: 'revokeCalendarFeed', path: '/calendar/feeds/{id}', tags, summary: 'Revoke one of your feeds: its url answers 404 from now on', request: { params: IdParamSchema }, responses: { 204: { description: 'Revoked' }, ...problems(401, 403, 404) } }),
    async (c) => {
      await calendar.revokeFeed(db, c.get('ctx'), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  r.openapi(
    createRoute({
      method: 'get',
      operationId: 'getCalendarFeed',
      path: '/calendar/feed/{file}',
      tags,
      summary: 'A calendar feed (RFC 5545), by its token alone: no session needed',
      security: [],
      request: { params: FeedFileParamSchema },
      responses: { 200: ics('The VCALENDAR'), ...problems(404) },
    }),
    async (c) => calendarResponse(await calendar.renderFeed(db, c.get('ctx'), c.req.valid('param').file, { publicUrl }), 'convene.ics', 'inline') as never,
  );

  r.openapi(
    createRoute({ method: 'get', operationId: 'getMeetingIcs', path: '/meetings/{id}/ics', tags, summary: 'One meeting as an .ics file', request: { params: IdParamSchema }, responses: { 200: ics('The VCALENDAR with one event'), ...problems(401, 403, 404) } }),
    async (c) => {
      const { ics: body, filename } = await calendar.renderMeetingIcs(db, c.get('ctx'), c.req.valid('param').id, { publicUrl });
      return calendarResponse(body, filename, 'attachment') as never;
    },
  );

  return r;
}
