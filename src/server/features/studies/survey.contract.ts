import { z } from '@hono/zod-openapi';
import { linkTokenParam } from '../../public/contract.ts';
import { LanguageSchema } from '../dialogues/dialogues.contract.ts';

// The public survey's JSON API (no account; the respondent cookie set on consenting identifies).

export const SURVEY_STEPS = ['consent', 'covariates', 'outcomes', 'attention', 'complete'] as const;
export type SurveyStep = (typeof SURVEY_STEPS)[number];

export const SurveyTokenParamSchema = z.object({
  token: linkTokenParam('token', 'the random part of the survey link /s/{token}'),
});

export const SurveyLanguageQuerySchema = z.object({
  language: LanguageSchema.optional().openapi({ description: 'the reader language; defaults to the one chosen on consenting' }),
});

export const StartSurveySchema = z
  .strictObject({ language: LanguageSchema.openapi({ description: 'one of the languages of the link’s population' }) })
  .openapi('StartSurvey');
export type StartSurveyInput = z.infer<typeof StartSurveySchema>;

export const SurveyAnswerSchema = z
  .strictObject({
    questionKey: z.string().min(1).max(40),
    value: z.union([z.number(), z.boolean()]).optional().openapi({ description: 'scale: a whole number within the scale; yes_no: 1/0 or true/false' }),
    choice: z.string().max(100).optional().openapi({ description: 'choice and attention questions: an option id; yes_no also takes "yes"/"no"' }),
  })
  .openapi('SurveyAnswer');
export type SurveyAnswerInput = z.infer<typeof SurveyAnswerSchema>;

export const SurveyAnswersSchema = z
  .strictObject({
    answers: z.array(SurveyAnswerSchema).min(1, 'At least one answer').max(100),
  })
  .openapi('SurveyAnswers');

const QuestionSchema = z
  .object({
    key: z.string(),
    role: z.enum(['covariate', 'outcome', 'attention']),
    kind: z.enum(['scale', 'yes_no', 'choice']),
    prompt: z.string(),
    scaleMin: z.number().int().nullable(),
    scaleMax: z.number().int().nullable(),
    scaleLabels: z.object({ min: z.string().nullable(), max: z.string().nullable() }),
    options: z.array(z.object({ id: z.string(), label: z.string() })),
  })
  .openapi('SurveyQuestion');
export type SurveyQuestionView = z.infer<typeof QuestionSchema>;

export const SurveyStateSchema = z
  .object({
    step: z.enum(SURVEY_STEPS).openapi({ description: 'consent (not started) → covariates → outcomes → attention → complete; steps without questions are skipped' }),
    language: LanguageSchema,
    languages: z.array(LanguageSchema).openapi({ description: 'the languages this link’s population reads' }),
    open: z.boolean().openapi({ description: 'the study takes answers now' }),
    consent: z.string().nullable().openapi({ description: 'the consent text (step consent)' }),
    message: z
      .object({ text: z.string().nullable().openapi({ description: 'what to read before the outcome questions; null when the assigned condition shows nothing' }) })
      .nullable()
      .openapi({ description: 'the assigned message, at step outcomes (which condition it is is never said)' }),
    questions: z.array(QuestionSchema).openapi({ description: 'the questions of the current step, in order; all must be answered together' }),
    thanks: z.string().nullable().openapi({ description: 'the thank-you text (step complete)' }),
  })
  .openapi('SurveyState');
export type SurveyState = z.infer<typeof SurveyStateSchema>;
