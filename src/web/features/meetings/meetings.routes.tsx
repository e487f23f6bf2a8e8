import { createRoute, lazyRouteComponent, type AnyRoute } from '@tanstack/react-router';
import { meetingsSearch } from './meetings.search.ts';

/** Meetings, follow-ups, the dashboard and calendar feeds, under /network. Every page is its own chunk. */
export function meetingsRoutes(appRoute: AnyRoute): AnyRoute[] {
  const page = (path: string, load: () => Promise<Record<string, unknown>>, name: string, extra: Record<string, unknown> = {}) =>
    createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load as never, name as never), ...extra }) as unknown as AnyRoute;
  return [
    page('/network/meetings', () => import('./meetings-list.page.tsx'), 'MeetingsPage', { validateSearch: meetingsSearch }),
    page('/network/meetings/new', () => import('./meeting-form.page.tsx'), 'NewMeetingPage'),
    page('/network/meetings/$id', () => import('./meeting.page.tsx'), 'MeetingPage'),
    page('/network/meetings/$id/edit', () => import('./meeting-form.page.tsx'), 'EditMeetingPage'),
    page('/network/follow-ups', () => import('./follow-ups.page.tsx'), 'FollowUpsPage'),
    page('/network/dashboard', () => import('./dashboard.page.tsx'), 'DashboardPage'),
    page('/network/calendar', () => import('./calendar-feeds.page.tsx'), 'CalendarFeedsPage'),
  ];
}
