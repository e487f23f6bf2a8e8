// A dialogue page's address parameters (?tab=…&statement=…). Routes-free: the route validates with it, the page
// reads it, and neither imports the other.

export const DIALOGUE_TABS = ['setup', 'moderation', 'statements', 'analysis', 'summaries', 'export'] as const;
export type DialogueTab = (typeof DIALOGUE_TABS)[number];
export type DialogueSearch = { tab?: DialogueTab; statement?: string };

export const dialogueSearch = (s: Record<string, unknown>): DialogueSearch => ({
  tab: (DIALOGUE_TABS as readonly unknown[]).includes(s.tab) ? (s.tab as DialogueTab) : undefined,
  statement: typeof s.statement === 'string' && /^[0-9a-f-]{36}$/i.test(s.statement) ? s.statement : undefined,
});
