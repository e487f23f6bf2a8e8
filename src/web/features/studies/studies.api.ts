import { query, request, type Page } from '../../api.ts';
import { followImportRun, isImportRun, type ImportRun } from '../../import-runs.ts';
import type { z } from 'zod';
import type {
  AnalysisSchema,
  ArmInputSchema,
  CreateStudySchema,
  ImportMappingSchema,
  ImportPreviewSchema,
  PopulationInputSchema,
  PowerSchema,
  QuestionInputSchema,
  StudyLanguage,
  StudyListItemSchema,
  StudySchema,
  StudyText,
  UpdateStudySchema,
} from '../../../server/features/studies/studies.contract.ts';

// Types only come from the server's contract: the zod schemas stay out of the bundle.
export type { StudyLanguage };
export type LocalizedText = StudyText;
export type Study = z.infer<typeof StudySchema>;
export type StudyListItem = z.infer<typeof StudyListItemSchema>;
export type StudyStatus = Study['status'];
export type Randomization = Study['randomization'];
export type Population = Study['populations'][number];
export type Arm = Study['arms'][number];
export type Question = Study['questions'][number];
export type StudyInvite = Study['invites'][number];
export type QuestionKind = Question['kind'];
export type QuestionRole = Question['role'];
export type CreateStudyBody = z.input<typeof CreateStudySchema>;
export type UpdateStudyBody = z.input<typeof UpdateStudySchema>;
export type PopulationInput = z.input<typeof PopulationInputSchema>;
export type ArmInput = z.input<typeof ArmInputSchema>;
export type QuestionInput = z.input<typeof QuestionInputSchema>;
export type PowerResult = z.infer<typeof PowerSchema>;
export type ImportMapping = z.input<typeof ImportMappingSchema>;
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
export type Analysis = z.infer<typeof AnalysisSchema>;
export type PopulationEffects = Analysis['populations'][number];
export type ArmEffect = PopulationEffects['arms'][number];
export type SeType = Analysis['se'];
export type Adjustment = Analysis['adjustment'];
export type Verdict = Analysis['verdicts'][number]['verdict'];

// Checked against the contract's unions, so a value the server does not know fails to compile.
export const STUDY_LANGUAGES: StudyLanguage[] = ['he', 'ar', 'en'];
export const VERDICTS: Verdict[] = ['persuades_both', 'persuades_one', 'backfires', 'inconclusive'];

export type DialogueOption = { id: string; title: string };

const enc = encodeURIComponent;

export const studiesApi = {
  list: (cursor?: string) => request<Page<StudyListItem>>('GET', `/studies${query({ limit: 50, cursor })}`),
  create: (body: CreateStudyBody) => request<Study>('POST', '/studies', body),
  fromDialogue: (body: { dialogueId: string; statementIds?: string[]; title?: string }) => request<Study>('POST', '/studies/from-dialogue', body),
  get: (id: string) => request<Study>('GET', `/studies/${enc(id)}`),
  update: (id: string, body: UpdateStudyBody) => request<Study>('PATCH', `/studies/${enc(id)}`, body),
  remove: (id: string) => request<void>('DELETE', `/studies/${enc(id)}`),

  addInvite: (id: string, body: { populationId: string; label?: string }) => request<Study>('POST', `/studies/${enc(id)}/invites`, body),
  revokeInvite: (inviteId: string) => request<void>('DELETE', `/study-invites/${enc(inviteId)}`),
  addArm: (id: string, body: ArmInput) => request<unknown>('POST', `/studies/${enc(id)}/arms`, body),

  power: (id: string, p: { sd: number; alpha: number; power: number; nPerArm?: number; mde?: number; clusterSize?: number; icc?: number }) =>
    request<PowerResult>('GET', `/studies/${enc(id)}/power${query(p)}`),

  previewImport: (id: string, body: { csv: string; mapping: ImportMapping }) => request<ImportPreview>('POST', `/studies/${enc(id)}/imports/preview`, body),
  /** a large file is written by a background job (202): followed until it has written every row */
  commitImport: async (id: string, body: { csv: string; mapping: ImportMapping }) => {
    const out = await request<{ importId: string; imported: number } | ImportRun>('POST', `/studies/${enc(id)}/imports`, body);
    return isImportRun(out) ? ((await followImportRun(out)) as { importId: string; imported: number }) : out;
  },

  analysis: (id: string, p: { outcome?: string; se?: SeType; adjust?: Adjustment }) => request<Analysis>('GET', `/studies/${enc(id)}/analysis${query(p)}`),
  draftVariants: (id: string, count: number) => request<{ variants: { text: LocalizedText }[] }>('POST', `/studies/${enc(id)}/draft-variants`, { count }),
  predict: (id: string) => request<{ items: Analysis['predictions'] }>('POST', `/studies/${enc(id)}/predictions`),

  dialogues: () => request<Page<DialogueOption>>('GET', `/dialogues${query({ limit: 100 })}`),
};

/** Downloads and the printable report: plain links (the session cookie goes with them). */
export const studyHref = {
  estimates: (id: string) => `/api/studies/${enc(id)}/export/estimates.csv`,
  report: (id: string, lang: string) => `/api/studies/${enc(id)}/report${query({ lang })}`,
};

export const studyKeys = {
  all: ['studies'] as const,
  list: () => ['studies', 'list'] as const,
  one: (id: string) => ['studies', id] as const,
  power: (id: string, p: object) => ['studies', id, 'power', p] as const,
  analysis: (id: string, p: object) => ['studies', id, 'analysis', p] as const,
};
