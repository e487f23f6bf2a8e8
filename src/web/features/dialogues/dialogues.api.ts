import type { z } from 'zod';
import type {
  DialogueAnalysis,
  PollResultSchema,
  StatementAnalysis,
  SummarySchema,
  Tally,
} from '../../../server/features/dialogues/analysis.contract.ts';
import type {
  CreateDialogueSchema,
  CreateQuestionSchema,
  CreateSessionSchema,
  Dialogue,
  DialogueLanguage,
  DialogueSummarySchema,
  Statement,
  UpdateDialogueSchema,
  UpdateSessionSchema,
} from '../../../server/features/dialogues/dialogues.contract.ts';
import { query, request, type Page } from '../../api.ts';
import { followImportRun, isImportRun, type ImportRun } from '../../import-runs.ts';

// Types only come from the server's contracts: the zod schemas stay out of the bundle.
export type { Dialogue, DialogueAnalysis, DialogueLanguage, Statement, StatementAnalysis, Tally };
export type DialogueListItem = z.infer<typeof DialogueSummarySchema>;
export type Segment = Dialogue['segments'][number];
export type DialogueSession = Dialogue['sessions'][number];
export type Question = DialogueSession['questions'][number];
export type Invite = Dialogue['invites'][number];
export type PollResult = z.infer<typeof PollResultSchema>;
export type Summary = z.infer<typeof SummarySchema>;
export type StatementStatus = Statement['status'];
export type LocalizedText = Partial<Record<DialogueLanguage, string>>;
export type CreateDialogueBody = z.input<typeof CreateDialogueSchema>;
export type UpdateDialogueBody = z.input<typeof UpdateDialogueSchema>;
export type CreateSessionBody = z.input<typeof CreateSessionSchema>;
export type UpdateSessionBody = z.input<typeof UpdateSessionSchema>;
export type CreateQuestionBody = z.input<typeof CreateQuestionSchema>;
export type PolisImportBody = { title: string; languages: DialogueLanguage[]; comments: string; votes?: string; participantsVotes?: string; summary?: string; inclusion?: 'votes' | 'history'; missingVotes?: 'mean' | 'zero' };

// Checked against the contract's union, so a language the server does not know fails to compile.
export const DIALOGUE_LANGUAGES: DialogueLanguage[] = ['he', 'ar', 'en'];

const enc = encodeURIComponent;

export const dialoguesApi = {
  list: (cursor?: string) => request<Page<DialogueListItem>>('GET', `/dialogues${query({ limit: 50, cursor })}`),
  create: (body: CreateDialogueBody) => request<Dialogue>('POST', '/dialogues', body),
  get: (id: string) => request<Dialogue>('GET', `/dialogues/${enc(id)}`),
  update: (id: string, body: UpdateDialogueBody) => request<Dialogue>('PATCH', `/dialogues/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `/dialogues/${enc(id)}`),

  addSegment: (id: string, body: { key: string; name: LocalizedText }) => request<Dialogue>('POST', `/dialogues/${enc(id)}/segments`, body),
  renameSegment: (segmentId: string, name: LocalizedText) => request<Segment>('PATCH', `/dialogue-segments/${enc(segmentId)}`, { name }),
  removeSegment: (segmentId: string) => request<void>('DELETE', `/dialogue-segments/${enc(segmentId)}`),

  addSession: (id: string, body: CreateSessionBody) => request<Dialogue>('POST', `/dialogues/${enc(id)}/sessions`, body),
  updateSession: (sessionId: string, body: UpdateSessionBody) => request<Dialogue>('PATCH', `/dialogue-sessions/${enc(sessionId)}`, body),
  removeSession: (sessionId: string) => request<void>('DELETE', `/dialogue-sessions/${enc(sessionId)}`),

  addQuestion: (sessionId: string, body: CreateQuestionBody) => request<Dialogue>('POST', `/dialogue-sessions/${enc(sessionId)}/questions`, body),
  removeQuestion: (questionId: string) => request<void>('DELETE', `/dialogue-questions/${enc(questionId)}`),

  addInvite: (id: string, body: { segmentId: string | null; label?: string | null }) => request<Dialogue>('POST', `/dialogues/${enc(id)}/invites`, body),
  revokeInvite: (inviteId: string) => request<void>('DELETE', `/dialogue-invites/${enc(inviteId)}`),

  statements: (id: string, filter: { status?: StatementStatus; questionId?: string }, cursor?: string, limit = 100) =>
    request<Page<Statement>>('GET', `/dialogues/${enc(id)}/statements${query({ ...filter, cursor, limit })}`),
  addSeed: (questionId: string, body: { body: string; language: DialogueLanguage }) => request<Statement>('POST', `/dialogue-questions/${enc(questionId)}/statements`, body),
  moderate: (statementId: string, body: { decision: 'accept' | 'reject'; reason?: string }) =>
    request<Statement>('POST', `/dialogue-statements/${enc(statementId)}/moderation`, body),
  translate: (statementId: string, language: DialogueLanguage, body: string) =>
    request<Statement>('PUT', `/dialogue-statements/${enc(statementId)}/translations/${enc(language)}`, { body }),
  translateMissing: (id: string) => request<{ translated: number }>('POST', `/dialogues/${enc(id)}/translate`),

  analysis: (id: string, questionId?: string) => request<DialogueAnalysis>('GET', `/dialogues/${enc(id)}/analysis${query({ questionId })}`),
  pollResults: (questionId: string) => request<PollResult>('GET', `/dialogue-questions/${enc(questionId)}/poll-results`),
  summaries: async (questionId: string) => {
    const r = await request<Summary[] | { items: Summary[] }>('GET', `/dialogue-questions/${enc(questionId)}/summaries`);
    return Array.isArray(r) ? r : r.items;
  },
  summarise: (questionId: string, body: { segmentId: string | null; language: DialogueLanguage; maxThemes?: number }) =>
    request<Summary>('POST', `/dialogue-questions/${enc(questionId)}/summaries`, body),
  validationPoll: (summaryId: string, sessionId: string) => request<Dialogue>('POST', `/dialogue-summaries/${enc(summaryId)}/validation-poll`, { sessionId }),
  /** a large export is written by a background job (202): followed until the dialogue is complete */
  importPolis: async (body: PolisImportBody) => {
    const out = await request<{ id: string } | ImportRun>('POST', '/dialogues/import/polis', body);
    return isImportRun(out) ? ((await followImportRun(out)) as { id: string }) : out;
  },
};

/** Downloads and the printable report: plain links (the session cookie goes with them). */
export const exportHref = {
  polisComments: (id: string) => `/api/dialogues/${enc(id)}/export/polis/comments.csv`,
  polisVotes: (id: string) => `/api/dialogues/${enc(id)}/export/polis/votes.csv`,
  polisParticipantsVotes: (id: string) => `/api/dialogues/${enc(id)}/export/polis/participants-votes.csv`,
  statements: (id: string) => `/api/dialogues/${enc(id)}/export/statements.csv`,
  report: (id: string) => `/api/dialogues/${enc(id)}/report`,
};

export const dialogueKeys = {
  all: ['dialogues'] as const,
  list: () => ['dialogues', 'list'] as const,
  one: (id: string) => ['dialogues', id] as const,
  statements: (id: string, filter: object) => ['dialogues', id, 'statements', filter] as const,
  analysis: (id: string, questionId?: string) => ['dialogues', id, 'analysis', questionId ?? null] as const,
  poll: (id: string, questionId: string) => ['dialogues', id, 'poll', questionId] as const,
  summaries: (id: string, questionId: string) => ['dialogues', id, 'summaries', questionId] as const,
};
