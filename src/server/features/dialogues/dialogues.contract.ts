import { z } from '@hono/zod-openapi';

/** Languages a dialogue can run in (participants choose one; statements are translated between them). */
export const DIALOGUE_LANGUAGES = ['he', 'ar', 'en'] as const;
export type DialogueLanguage = (typeof DIALOGUE_LANGUAGES)[number];
export const LanguageSchema = z.enum(DIALOGUE_LANGUAGES);

const Iso = z.string().openapi({ format: 'date-time' });

/** Text in one or more of the dialogue's languages. */
export const LocalizedTextSchema = z
  .strictObject({
    en: z.string().trim().min(1).max(2000).optional(),
    he: z.string().trim().min(1).max(2000).optional(),
    ar: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((v) => Object.values(v).some((s) => !!s), 'Give the text in at least one language')
  .openapi('LocalizedText', { example: { en: 'What would make you feel safe?', he: 'מה יגרום לך להרגיש בטוח?' } });

const LocalizedOut = z.record(z.string(), z.string()).openapi('LocalizedTextOut');

/** A dialogue's title: per language like its introduction, or one string (stored under the language it is written in). */
export const DialogueTitleSchema = z
  .union([
    z.string().trim().min(1, 'Required').max(200, 'At most 200 characters'),
    z
      .strictObject({
        en: z.string().trim().max(200, 'At most 200 characters').optional(),
        he: z.string().trim().max(200, 'At most 200 characters').optional(),
        ar: z.string().trim().max(200, 'At most 200 characters').optional(),
      })
      .refine((v) => Object.values(v).some((s) => !!s), 'Give the title in at least one language'),
  ])
  .openapi('DialogueTitle', {
    description: "One string (stored under the language its letters are in: Hebrew, Arabic, else English) or the title per language; participants see it in their language, else in the dialogue's first language that has it",
    example: { en: 'Safety in our cities', he: 'ביטחון בערים שלנו', ar: 'الأمان في مدننا' },
  });

// ------------------------------------------------------------------------------------------------ dialogues

export const MODERATION_MODES = ['pre', 'post'] as const;

export const CreateDialogueSchema = z
  .strictObject({
    title: DialogueTitleSchema,
    description: z.string().trim().max(5000).nullable().optional(),
    intro: LocalizedTextSchema.optional(),
    languages: z.array(LanguageSchema).min(1, 'At least one language').max(3).refine((l) => new Set(l).size === l.length, 'No language twice'),
    moderation: z.enum(MODERATION_MODES).default('post').openapi({ description: 'pre: statements wait for a moderator; post: shown at once, can be rejected later' }),
    resultsVisible: z.boolean().default(false),
    pairwise: z.boolean().default(false),
    /** segments created with the dialogue */
    segments: z
      .array(z.strictObject({ key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Lowercase letters, digits and dashes'), name: LocalizedTextSchema }))
      .max(12)
      .default([]),
  })
  .openapi('CreateDialogue');
export type CreateDialogueInput = z.infer<typeof CreateDialogueSchema>;

export const UpdateDialogueSchema = z
  .strictObject({
    title: DialogueTitleSchema.optional(),
    description: z.string().trim().max(5000).nullable().optional(),
    intro: LocalizedTextSchema.optional(),
    languages: z.array(LanguageSchema).min(1).max(3).refine((l) => new Set(l).size === l.length, 'No language twice').optional(),
    moderation: z.enum(MODERATION_MODES).optional(),
    resultsVisible: z.boolean().optional(),
    pairwise: z.boolean().optional(),
  })
  .openapi('UpdateDialogue');
export type UpdateDialogueInput = z.infer<typeof UpdateDialogueSchema>;

export const SegmentSchema = z.object({ id: z.string(), key: z.string(), name: LocalizedOut, position: z.number().int() }).openapi('DialogueSegment');

export const CreateSegmentSchema = z
  .strictObject({ key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'Lowercase letters, digits and dashes'), name: LocalizedTextSchema })
  .openapi('CreateDialogueSegment');
export const UpdateSegmentSchema = z.strictObject({ name: LocalizedTextSchema }).openapi('UpdateDialogueSegment');

export const SESSION_STATUSES = ['draft', 'scheduled', 'open', 'closed'] as const;

export const CreateSessionSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Required').max(200),
    /** null: joint (all segments) */
    segmentId: z.string().max(100).nullable().default(null),
    status: z.enum(SESSION_STATUSES).default('draft'),
    opensAt: Iso.nullable().optional(),
    closesAt: Iso.nullable().optional(),
  })
  .openapi('CreateDialogueSession');
export type CreateSessionInput = z.infer<typeof CreateSessionSchema>;

export const UpdateSessionSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    status: z.enum(SESSION_STATUSES).optional().openapi({ description: 'open or close by hand; scheduled = open between opensAt and closesAt' }),
    opensAt: Iso.nullable().optional(),
    closesAt: Iso.nullable().optional(),
  })
  .openapi('UpdateDialogueSession');
export type UpdateSessionInput = z.infer<typeof UpdateSessionSchema>;

export const QUESTION_KINDS = ['open', 'poll'] as const;
export const POLL_MODES = ['single', 'multiple', 'scale'] as const;

export const CreateQuestionSchema = z
  .strictObject({
    kind: z.enum(QUESTION_KINDS),
    prompt: LocalizedTextSchema,
    pollMode: z.enum(POLL_MODES).optional(),
    options: z.array(z.strictObject({ label: LocalizedTextSchema })).max(20).optional(),
    scaleMax: z.union([z.literal(5), z.literal(7)]).optional().openapi({ description: 'a 1–5 or 1–7 scale' }),
    /** seed statements written by staff (open questions) */
    seeds: z.array(z.strictObject({ body: z.string().trim().min(1).max(1000), language: LanguageSchema })).max(200).default([]),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'poll') {
      if (!q.pollMode) ctx.addIssue({ code: 'custom', path: ['pollMode'], message: 'Required for a poll' });
      if ((q.pollMode === 'single' || q.pollMode === 'multiple') && (q.options?.length ?? 0) < 2)
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'A choice poll needs at least two options' });
      if (q.pollMode === 'scale' && !q.scaleMax) ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'Required for a scale (5 or 7)' });
      if (q.seeds.length) ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'Only an open question has statements' });
    } else if (q.pollMode || q.options?.length || q.scaleMax) {
      ctx.addIssue({ code: 'custom', path: ['pollMode'], message: 'Only a poll has a mode, options or a scale' });
    }
  })
  .openapi('CreateDialogueQuestion');
export type CreateQuestionInput = z.infer<typeof CreateQuestionSchema>;

export const UpdateQuestionSchema = z.strictObject({ prompt: LocalizedTextSchema.optional(), position: z.number().int().min(0).max(1000).optional() }).openapi('UpdateDialogueQuestion');

export const QuestionSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    kind: z.enum(QUESTION_KINDS),
    prompt: LocalizedOut,
    pollMode: z.enum(POLL_MODES).nullable(),
    options: z.array(z.object({ id: z.string(), label: LocalizedOut })),
    scaleMin: z.number().int().nullable(),
    scaleMax: z.number().int().nullable(),
    summaryId: z.string().nullable(),
    position: z.number().int(),
    statements: z.object({ accepted: z.number().int(), pending: z.number().int(), rejected: z.number().int() }),
  })
  .openapi('DialogueQuestion');

export const SessionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    segmentId: z.string().nullable(),
    status: z.enum(SESSION_STATUSES),
    opensAt: Iso.nullable(),
    closesAt: Iso.nullable(),
    /** open now (by hand, or scheduled and within its times) */
    isOpen: z.boolean(),
    position: z.number().int(),
    questions: z.array(QuestionSchema),
  })
  .openapi('DialogueSession');

export const InviteSchema = z
  .object({
    id: z.string(),
    segmentId: z.string().nullable().openapi({ description: 'null: participants choose their segment on entry' }),
    label: z.string().nullable(),
    url: z.string(),
    revoked: z.boolean(),
    participants: z.number().int(),
    createdAt: Iso,
  })
  .openapi('DialogueInvite');

export const CreateInviteSchema = z
  .strictObject({ segmentId: z.string().max(100).nullable().default(null), label: z.string().trim().max(200).nullable().optional() })
  .openapi('CreateDialogueInvite');

export const DialogueSummarySchema = z
  .object({
    id: z.string(),
    title: z.string().openapi({ description: "in your language, else the dialogue's first language that has it" }),
    titles: LocalizedOut.openapi({ description: 'the title per language' }),
    description: z.string().nullable(),
    languages: z.array(LanguageSchema),
    participants: z.number().int(),
    statements: z.number().int(),
    votes: z.number().int(),
    openSessions: z.number().int(),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .openapi('DialogueListItem');

export const DialogueSchema = z
  .object({
    id: z.string(),
    title: z.string().openapi({ description: "in your language, else the dialogue's first language that has it" }),
    titles: LocalizedOut.openapi({ description: 'the title per language' }),
    description: z.string().nullable(),
    intro: LocalizedOut,
    languages: z.array(LanguageSchema),
    moderation: z.enum(MODERATION_MODES),
    resultsVisible: z.boolean(),
    pairwise: z.boolean(),
    segments: z.array(SegmentSchema),
    sessions: z.array(SessionSchema),
    invites: z.array(InviteSchema),
    participants: z.number().int(),
    votes: z.number().int(),
    createdAt: Iso,
    updatedAt: Iso,
  })
  .openapi('Dialogue');
export type Dialogue = z.infer<typeof DialogueSchema>;

// ------------------------------------------------------------------------------------------------ statements

export const STATEMENT_STATUSES = ['pending', 'accepted', 'rejected'] as const;

export const StatementSchema = z
  .object({
    id: z.string(),
    questionId: z.string(),
    /** the author's segment (null for a seed or an author without one); staff never see more of the author */
    segmentId: z.string().nullable(),
    seed: z.boolean(),
    body: z.string(),
    language: z.string(),
    status: z.enum(STATEMENT_STATUSES),
    rejectReason: z.string().nullable(),
    translations: z.array(z.object({ language: z.string(), body: z.string(), source: z.enum(['ai', 'human']), model: z.string().nullable() })),
    sourceId: z.string().nullable().openapi({ description: 'the comment id of an imported Pol.is conversation' }),
    agree: z.number().int(),
    disagree: z.number().int(),
    pass: z.number().int(),
    createdAt: Iso,
  })
  .openapi('DialogueStatement');
export type Statement = z.infer<typeof StatementSchema>;

export const StatementQuerySchema = z.object({
  questionId: z.string().max(100).optional(),
  status: z.enum(STATEMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const CreateSeedSchema = z
  .strictObject({ body: z.string().trim().min(1, 'Required').max(1000, 'At most 1000 characters'), language: LanguageSchema })
  .openapi('CreateSeedStatement');

export const ModerateSchema = z
  .strictObject({
    decision: z.enum(['accept', 'reject']),
    reason: z.string().trim().min(1).max(500).optional().openapi({ description: 'Required when rejecting; participants never see rejected statements' }),
  })
  .refine((m) => m.decision === 'accept' || !!m.reason, { path: ['reason'], message: 'Give a reason for rejecting' })
  .openapi('ModerateStatement');

export const TranslationInputSchema = z.strictObject({ body: z.string().trim().min(1, 'Required').max(2000) }).openapi('HumanTranslation');
