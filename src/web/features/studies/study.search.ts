// A study page's address parameters (?tab=…). Routes-free: the route validates with it, the page reads it, and
// neither imports the other.

export const STUDY_TABS = ['overview', 'import', 'analysis', 'export'] as const;
export type StudyTab = (typeof STUDY_TABS)[number];
export type StudySearch = { tab?: StudyTab };

export const studySearch = (s: Record<string, unknown>): StudySearch => ({
  tab: (STUDY_TABS as readonly unknown[]).includes(s.tab) ? (s.tab as StudyTab) : undefined,
});
