import { z } from '@hono/zod-openapi';

// Requests and responses of the staff API of message tests (/api/studies…). Field rules that need the whole
// study (every text in every language its readers use, exactly one control, one primary outcome) are checked in
// studies.service.ts, which names the exact field.

export const STUDY_LANGUAGES = ['he', 'ar', 'en'] as const;
export type StudyLanguage = (typeof STUDY_LANGUAGES)[number];
export const StudyLanguageSchema = z.enum(STUDY_LANGUAGES);

const Iso = z.string().openapi({ format: 'date-time' });
/** A figure that could not be computed (too few people) is null: JSON has no NaN. */
const Num = z.number().nullable();

/** Text per language; which languages are required depends on who reads it (see the service). */
export const StudyTextSchema = z
  .strictObject({
    he: z.string().trim().max(4000).optional(),
    ar: z.string().trim().max(4000).optional(),
    en: z.string().trim().max(4000).optional(),
  })
  .openapi('StudyText', { example: { en: 'Both peoples have a right to live in safety.', he: 'לשני העמים יש זכות לחיות בביטחון.', ar: 'لكلا الشعبين الحق في العيش بأمان.' } });
export type StudyText = z.infer<typeof StudyTextSchema>;
const TextOut = z.record(z.string(), z.string()).openapi('StudyTextOut');

const KEY = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const Key = z.string().trim().regex(KEY, 'Lowercase letters, digits, _ and -; at most 40 characters');
const Languages = z
  .array(StudyLanguageSchema)
  .min(1, 'At least one language')
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'No language twice');

export const STUDY_STATUSES = ['draft', 'open', 'closed'] as const;
export const RANDOMIZATIONS = ['simple', 'block'] as const;
export const QUESTION_ROLES = ['outcome', 'covariate', 'attention'] as const;
export const QUESTION_KINDS = ['scale', 'yes_no', 'choice'] as const;
export const SE_TYPES = ['HC2', 'CR2', 'HC0', 'HC1', 'HC3'] as const;
export const ADJUSTMENTS = ['none', 'additive', 'lin'] as const;

// ------------------------------------------------------------------------------------------------ inputs

export const PopulationInputSchema = z
  .strictObject({
    key: Key,
    name: StudyTextSchema.openapi({ description: 'in every language the population reads' }),
    languages: Languages.openapi({ description: 'the languages this population is offered (among the study’s)' }),
    targetN: z.number().int().min(1).max(10_000_000).nullable().optional().openapi({ description: 'target sample size (all conditions together)' }),
  })
  .openapi('StudyPopulationInput');
export type PopulationInput = z.infer<typeof PopulationInputSchema>;

export const ArmInputSchema = z
  .strictObject({
    key: Key,
    /** the control condition (exactly one per study) */
    control: z.boolean().default(false),
    text: StudyTextSchema.default({}).openapi({ description: 'what respondents read, in every language of the study (a control may show nothing: {})' }),
  })
  .openapi('StudyArmInput');
export type ArmInput = z.infer<typeof ArmInputSchema>;

const OptionSchema = z.strictObject({
  id: z.string().trim().min(1).max(40),
  label: StudyTextSchema,
});

export const QuestionInputSchema = z
  .strictObject({
    key: Key,
    role: z.enum(QUESTION_ROLES).openapi({ description: 'outcome (asked after the message), covariate (before it), attention (the check, last)' }),
    prompt: StudyTextSchema,
    kind: z.enum(QUESTION_KINDS),
    scaleMin: z.number().int().min(0).max(10).optional(),
    scaleMax: z.number().int().min(0).max(10).optional(),
    scaleLabels: z.strictObject({ min: StudyTextSchema.optional(), max: StudyTextSchema.optional() }).optional(),
    options: z.array(OptionSchema).max(20).optional(),
    /** the attention check's right answer: one of its option ids */
    correctOption: z.string().trim().max(40).optional(),
    /** the outcome the verdicts are given on (default: the first outcome) */
    primary: z.boolean().optional(),
  })
  .openapi('StudyQuestionInput');
export type QuestionInput = z.infer<typeof QuestionInputSchema>;

export const CreateStudySchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
    description: z.string().trim().max(5000).nullable().optional(),
    languages: Languages,
    randomization: z.enum(RANDOMIZATIONS).default('block').openapi({ description: 'simple: each respondent drawn independently; block: permuted blocks per population' }),
    blockRepeats: z.number().int().min(1).max(10).optional().openapi({ description: 'block size = conditions × this (default 2)' }),
    consent: StudyTextSchema.optional(),
    thanks: StudyTextSchema.optional(),
    brief: z.string().trim().max(5000).nullable().optional().openapi({ description: 'what AI-drafted message variants should say' }),
    populations: z.array(PopulationInputSchema).min(1, 'At least one population').max(12),
    arms: z.array(ArmInputSchema).min(2, 'A control and at least one message').max(30),
    questions: z.array(QuestionInputSchema).min(1, 'At least one outcome').max(50),
  })
  .openapi('CreateStudy');
export type CreateStudyInput = z.infer<typeof CreateStudySchema>;

export const UpdateStudySchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Required').max(200).optional(),
    description: z.string().trim().max(5000).nullable().optional(),
    status: z.enum(STUDY_STATUSES).optional().openapi({ description: 'open: the survey links take answers; opening checks every text is in every language' }),
    consent: StudyTextSchema.optional(),
    thanks: StudyTextSchema.optional(),
    brief: z.string().trim().max(5000).nullable().optional(),
    randomization: z.enum(RANDOMIZATIONS).optional(),
    blockRepeats: z.number().int().min(1).max(10).optional(),
  })
  .openapi('UpdateStudy');
export type UpdateStudyInput = z.infer<typeof UpdateStudySchema>;

export const UpdatePopulationSchema = z
  .strictObject({
    name: StudyTextSchema.optional(),
    languages: Languages.optional(),
    targetN: z.number().int().min(1).max(10_000_000).nullable().optional(),
  })
  .openapi('UpdateStudyPopulation');
export type UpdatePopulationInput = z.infer<typeof UpdatePopulationSchema>;

export const UpdateArmSchema = z.strictObject({ key: Key.optional(), text: StudyTextSchema.optional() }).openapi('UpdateStudyArm');
export type UpdateArmInput = z.infer<typeof UpdateArmSchema>;

export const UpdateQuestionSchema = z
  .strictObject({
    key: Key.optional(),
    prompt: StudyTextSchema.optional(),
    kind: z.enum(QUESTION_KINDS).optional(),
    scaleMin: z.number().int().min(0).max(10).optional(),
    scaleMax: z.number().int().min(0).max(10).optional(),
    scaleLabels: z.strictObject({ min: StudyTextSchema.optional(), max: StudyTextSchema.optional() }).optional(),
    options: z.array(OptionSchema).max(20).optional(),
    correctOption: z.string().trim().max(40).optional(),
    primary: z.literal(true).optional().openapi({ description: 'make this outcome the primary one' }),
  })
  .openapi('UpdateStudyQuestion');
export type UpdateQuestionInput = z.infer<typeof UpdateQuestionSchema>;

export const CreateStudyInviteSchema = z
  .strictObject({ populationId: z.string().min(1).max(100), label: z.string().trim().max(200).nullable().optional() })
  .openapi('CreateStudyInvite');

export const FromDialogueSchema = z
  .strictObject({
    dialogueId: z.string().min(1).max(100),
    statementIds: z.array(z.string().min(1).max(100)).min(1, 'At least one statement').max(29).optional().openapi({ description: 'default: the dialogue’s bridging statements' }),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .openapi('StudyFromDialogue');
export type FromDialogueInput = z.infer<typeof FromDialogueSchema>;

export const PowerQuerySchema = z.object({
  sd: z.coerce.number().positive().max(1e6).default(1).openapi({ description: 'the outcome’s standard deviation (default 1: effects in SD units)' }),
  alpha: z.coerce.number().gt(0).lt(0.5).default(0.05),
  power: z.coerce.number().gt(0.05).lt(1).default(0.8),
  nPerArm: z.coerce.number().int().min(2).max(10_000_000).optional().openapi({ description: 'people per condition (default: targetN / conditions)' }),
  mde: z.coerce.number().positive().max(1e6).optional().openapi({ description: 'the effect to detect: answers the people per condition needed' }),
  clusterSize: z.coerce.number().min(1).max(1000).optional().openapi({ description: 'people per cluster (household), for the design effect' }),
  icc: z.coerce.number().min(0).max(1).optional().openapi({ description: 'intra-cluster correlation, for the design effect' }),
});

export const ImportMappingSchema = z
  .strictObject({
    population: z.string().trim().min(1).max(200).optional().openapi({ description: 'the column naming the population (may be left out when the study has one population)' }),
    treatment: z.string().trim().min(1).max(200).openapi({ description: 'the column naming the condition' }),
    cluster: z.string().trim().min(1).max(200).optional().openapi({ description: 'households or other clusters (CR2)' }),
    outcomes: z.record(z.string(), z.string().trim().min(1).max(200)).refine((o) => Object.keys(o).length > 0, 'Map at least one outcome').openapi({ description: 'question key → column' }),
    covariates: z.record(z.string(), z.string().trim().min(1).max(200)).optional().openapi({ description: 'question key → column' }),
    populationValues: z.record(z.string(), z.string()).optional().openapi({ description: 'value in the CSV → population key (default: the value is the key)' }),
    armValues: z.record(z.string(), z.string()).optional().openapi({ description: 'value in the CSV → arm key (default: the value is the key); "0" also matches 0.0' }),
  })
  .openapi('StudyImportMapping');
export type ImportMapping = z.infer<typeof ImportMappingSchema>;

export const ImportSchema = z
  .strictObject({
    csv: z.string().min(1, 'Required').max(100_000_000, 'At most 100 MB').openapi({ description: 'the file’s text (comma or semicolon separated, UTF-8)' }),
    mapping: ImportMappingSchema,
  })
  .openapi('StudyImport');
export type ImportInput = z.infer<typeof ImportSchema>;

/**
 * What a row error of a response import is, as a stable code a client translates (the web app's catalogs have
 * studies.import.rowErrors.<code>), with the params its message interpolates. `detail` says the same in English.
 */
export const STUDY_IMPORT_ERROR_CODES = {
  empty_population: 'the population cell is empty: every row needs a population',
  empty_condition: 'the condition cell is empty: every row needs a condition',
  not_a_number: 'the answer to { question } is not a number, yes/no, true/false, or a missing value (empty, NA, NaN)',
  not_yes_no: 'the answer to the yes/no question { question } is another number than 1 or 0',
} as const;

export type StudyImportErrorCode = keyof typeof STUDY_IMPORT_ERROR_CODES;

export const StudyImportRowErrorSchema = z
  .object({
    /** spreadsheet row number: the header is row 1, the first data row is row 2 */
    row: z.number().int(),
    column: z.string(),
    value: z.string(),
    detail: z.string().openapi({ description: 'What is wrong, in English', example: 'Empty: every row needs a condition' }),
    code: z.string().openapi({
      description: `What is wrong, as a stable code to translate (new codes may be added; show detail for an unknown one): ${Object.entries(
        STUDY_IMPORT_ERROR_CODES,
      )
        .map(([code, what]) => `${code} (${what})`)
        .join('; ')}`,
      example: 'empty_condition',
    }),
    params: z.record(z.string(), z.union([z.string(), z.number()])).openapi({
      description: 'The values the message interpolates, named as in the code list: question (the key of the question the column is mapped to). Empty when there are none (row, column and value are fields of their own).',
      example: { question: 'support' },
    }),
  })
  .openapi('StudyImportRowError');

export const ImportPreviewSchema = z
  .object({
    rows: z.number().int(),
    /** rows that would be imported */
    accepted: z.number().int(),
    /** missing outcome or covariate values (empty, NA, NaN) per question key: imported as missing */
    missing: z.record(z.string(), z.number().int()),
    /** values outside a scale question’s range, per question key (imported as they are; a warning) */
    outOfScale: z.record(z.string(), z.number().int()),
    errors: z.array(StudyImportRowErrorSchema).openapi({ description: 'the first 100; row is the spreadsheet row (header = 1)' }),
    unknownPopulations: z.array(z.string()),
    unknownArms: z.array(z.string()),
    byPopulationArm: z.array(z.object({ populationKey: z.string(), armKey: z.string(), n: z.number().int() })),
  })
  .openapi('StudyImportPreview');
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const AnalysisQuerySchema = z.object({
  outcome: z.string().max(40).optional().openapi({ description: 'an outcome key (default: the primary outcome)' }),
  se: z.enum(SE_TYPES).optional().openapi({ description: 'default HC2, or CR2 when responses carry clusters' }),
  adjust: z.enum(ADJUSTMENTS).optional().openapi({ description: 'covariate adjustment (default lin when the study has covariates)' }),
});

export const DraftVariantsSchema = z.strictObject({ count: z.number().int().min(1).max(6).default(3) }).openapi('DraftStudyVariants');

// ------------------------------------------------------------------------------------------------ outputs

export const StudyListItemSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(STUDY_STATUSES),
    populations: z.number().int(),
    arms: z.number().int(),
    responses: z.number().int(),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .openapi('StudyListItem');

export const StudyQuestionSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    role: z.enum(QUESTION_ROLES),
    prompt: TextOut,
    kind: z.enum(QUESTION_KINDS),
    scaleMin: z.number().int().nullable(),
    scaleMax: z.number().int().nullable(),
    scaleLabels: z.object({ min: TextOut.optional(), max: TextOut.optional() }),
    options: z.array(z.object({ id: z.string(), label: TextOut })),
    correctOption: z.string().nullable(),
    primary: z.boolean(),
    position: z.number().int(),
  })
  .openapi('StudyQuestion');

export const StudySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    status: z.enum(STUDY_STATUSES),
    languages: z.array(StudyLanguageSchema),
    randomization: z.enum(RANDOMIZATIONS),
    blockRepeats: z.number().int(),
    consent: TextOut,
    thanks: TextOut,
    brief: z.string().nullable(),
    dialogueId: z.string().nullable(),
    populations: z.array(
      z.object({
        id: z.string(),
        key: z.string(),
        name: TextOut,
        languages: z.array(StudyLanguageSchema),
        targetN: z.number().int().nullable(),
        /** respondents who consented or were imported */
        responses: z.number().int(),
        completed: z.number().int(),
      }),
    ),
    arms: z.array(z.object({ id: z.string(), key: z.string(), control: z.boolean(), text: TextOut, sourceStatementId: z.string().nullable(), responses: z.number().int() })),
    questions: z.array(StudyQuestionSchema),
    invites: z.array(z.object({ id: z.string(), populationId: z.string(), url: z.string(), label: z.string().nullable(), revoked: z.boolean(), createdAt: Iso })),
    responses: z.object({
      total: z.number().int(),
      complete: z.number().int(),
      imported: z.number().int(),
      byPopulationArm: z.array(z.object({ populationId: z.string(), armId: z.string(), n: z.number().int(), complete: z.number().int() })),
    }),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .openapi('Study');
export type Study = z.infer<typeof StudySchema>;

export const PowerSchema = z
  .object({
    perPopulation: z.array(z.object({ populationId: z.string(), nPerArm: Num, mde: Num })),
    /** a message’s effect in the first two populations, the one minus the other (null with one population) */
    difference: z.object({ nPerArm: Num, mde: Num }).nullable(),
    designEffect: Num.optional(),
  })
  .openapi('StudyPower');

const Interval = { estimate: Num, se: Num, ciLow: Num, ciHigh: Num };

export const AnalysisSchema = z
  .object({
    outcome: z.string().openapi({ description: 'the outcome key' }),
    se: z.enum(SE_TYPES),
    adjustment: z.enum(ADJUSTMENTS),
    covariates: z.array(z.string()).openapi({ description: 'covariate keys adjusted for' }),
    alpha: z.number(),
    populations: z.array(
      z.object({
        populationId: z.string(),
        key: z.string(),
        name: TextOut,
        control: z.object({ n: z.number().int(), mean: Num }),
        /** complete responses left out: no value for the outcome (or, when adjusting, for a covariate) */
        missing: z.number().int(),
        clusters: z.number().int().nullable(),
        arms: z.array(
          z.object({
            armId: z.string(),
            key: z.string(),
            n: z.number().int(),
            mean: Num,
            ...Interval,
            p: Num,
            pHolm: Num,
            pBH: Num,
            df: Num,
            shrunk: z.object(Interval).openapi({ description: 'empirical-Bayes shrunken effect, beside the raw one' }),
          }),
        ),
      }),
    ),
    differences: z.array(z.object({ armId: z.string(), populations: z.tuple([z.string(), z.string()]), ...Interval, p: Num })),
    verdicts: z.array(z.object({ armId: z.string(), verdict: z.enum(['persuades_both', 'persuades_one', 'backfires', 'inconclusive']) })),
    verdictRule: z.string(),
    attention: z.object({ passed: z.number().int(), failed: z.number().int(), excluded: z.boolean().openapi({ description: 'responses that failed the attention check are left out' }) }),
    /** the AI provider’s predicted ranking, never mixed with measured results */
    predictions: z.array(z.object({ armId: z.string(), populationId: z.string().nullable(), score: z.number(), rationale: z.string().nullable(), model: z.string() })),
    /** per population: Spearman correlation of predicted scores and measured estimates (only with ≥ 3 messages having both) */
    predictionAccuracy: z.array(z.object({ populationId: z.string(), spearman: z.number(), messages: z.number().int() })).nullable(),
  })
  .openapi('StudyAnalysis');
export type StudyAnalysisDto = z.infer<typeof AnalysisSchema>;

export const PredictionsSchema = z
  .object({ items: z.array(z.object({ armId: z.string(), populationId: z.string().nullable(), score: z.number(), rationale: z.string().nullable(), model: z.string() })) })
  .openapi('StudyPredictions');

export const DraftVariantsResultSchema = z.object({ variants: z.array(z.object({ text: TextOut })) }).openapi('StudyDraftVariants');
