// The meetings list's address parameters (?view=list|week&week=YYYY-MM-DD). Routes-free: the route validates with
// it, the page reads it, and neither imports the other.

export type MeetingsSearch = { view?: 'list' | 'week'; week?: string };

export const meetingsSearch = (s: Record<string, unknown>): MeetingsSearch => ({
  view: s.view === 'week' || s.view === 'list' ? s.view : undefined,
  week: typeof s.week === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.week) ? s.week : undefined,
});
