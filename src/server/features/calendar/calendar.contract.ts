import { z } from '@hono/zod-openapi';

export const CalendarFeedSchema = z
  .object({
    id: z.string().uuid(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CalendarFeed');

export const CreatedCalendarFeedSchema = CalendarFeedSchema.extend({
  /** the private subscription address; shown this once (only a hash of its token is kept) */
  url: z.string().openapi({ example: 'https://convene.example.org/api/calendar/feed/3q2…Xk.ics' }),
}).openapi('CreatedCalendarFeed');

export const CalendarFeedListSchema = z.object({ items: z.array(CalendarFeedSchema) }).openapi('CalendarFeedList');

/** The token is 43 base64url characters; the path ends in .ics so calendar apps recognise it. */
export const FeedFileParamSchema = z.object({
  file: z
    .string()
    .max(120)
    .openapi({ param: { name: 'file', in: 'path' }, description: 'The feed token followed by .ics', example: '3q2…Xk.ics' }),
});

