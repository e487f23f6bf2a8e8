import { z } from '@hono/zod-openapi';
import { linkTokenParam } from '../../public/contract.ts';
import { LanguageSchema } from './dialogues.contract.ts';

// Taking part in a dialogue: the public JSON API (no account; the participant cookie identifies).

// case spelled out in the classes, not with a flag: the pattern goes into the OpenAPI document as written
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const Id = (what: string) => z.string().regex(UUID, `Not a valid ${what} id`);

export const InviteParamSchema = z.object({
  inviteToken: linkTokenParam('inviteToken', 'the random part of the invite link /p/{inviteToken}'),
});

export const PollParamSchema = InviteParamSchema.extend({
  questionId: Id('question').openapi({ param: { name: 'questionId', in: 'path' } }),
});

export const LanguageQuerySchema = z.object({
  language: LanguageSchema.optional().openapi({ description: 'the reader language; defaults to the one chosen on joining' }),
});

export const JoinSchema = z
  .strictObject({
    language: LanguageSchema.openapi({ description: 'one of the dialogue languages' }),
    segmentId: Id('segment').nullable().optional().openapi({ description: 'required when the invite is for no segment and the dialogue has segments' }),
  })
  .openapi('JoinDialogue');
export type JoinInput = z.infer<typeof JoinSchema>;

export const JoinedSchema = z
  .object({
    resumeCode: z.string().openapi({ description: 'shown once: the only way to continue on another device', example: 'K7QM-2XPA' }),
    language: LanguageSchema,
    segmentId: z.string().nullable(),
  })
  .openapi('JoinedDialogue');

export const ResumeSchema = z.strictObject({ code: z.string().trim().min(1, 'Required').max(20, 'At most 20 characters') }).openapi('ResumeDialogue');
export const ResumedSchema = z.object({ language: LanguageSchema, segmentId: z.string().nullable() }).openapi('ResumedDialogue');

export const SegmentChoiceSchema = z.object({ id: z.string(), name: z.string() });

export const EntrySchema = z
  .object({
    title: z.string(),
    intro: z.string().nullable().openapi({ description: 'in the requested language, or the first one written' }),
    languages: z.array(LanguageSchema),
    /** the invite's segment, or null when participants choose */
    segmentId: z.string().nullable(),
    /** segments to choose from (empty when the invite has one) */
    segments: z.array(SegmentChoiceSchema),
    open: z.boolean().openapi({ description: 'a session is open for this invite now' }),
    resultsVisible: z.boolean(),
    pairwise: z.boolean(),
    joined: z.boolean().openapi({ description: 'the cookie sent belongs to a participant of this dialogue' }),
  })
  .openapi('DialogueEntry');

export const StatementViewSchema = z
  .object({
    id: z.string(),
    questionId: z.string(),
    original: z.object({ body: z.string(), language: z.string() }),
    /** in the reader language, when a translation exists and the original is in another language */
    translation: z.object({ body: z.string(), language: z.string(), source: z.enum(['ai', 'human']) }).nullable(),
  })
  .openapi('StatementView');
export type StatementView = z.infer<typeof StatementViewSchema>;

export const PollViewSchema = z
  .object({
    id: z.string(),
    prompt: z.string(),
    mode: z.enum(['single', 'multiple', 'scale']),
    options: z.array(z.object({ id: z.string(), label: z.string() })),
    scaleMin: z.number().int().nullable(),
    scaleMax: z.number().int().nullable(),
  })
  .openapi('PollView');
export type PollView = z.infer<typeof PollViewSchema>;

export const NextItemSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('statement'), prompt: z.string(), statement: StatementViewSchema }),
    z.object({ kind: z.literal('poll'), poll: PollViewSchema }),
    z.object({ kind: z.literal('pairwise'), questionId: z.string(), prompt: z.string(), a: StatementViewSchema, b: StatementViewSchema }),
    z.object({ kind: z.literal('done') }),
  ])
  .openapi('NextItem');
export type NextItem = z.infer<typeof NextItemSchema>;

export const ProgressSchema = z.object({ done: z.number().int(), total: z.number().int() }).openapi('ParticipationProgress');

export const NextSchema = z
  .object({
    item: NextItemSchema,
    progress: ProgressSchema,
    /** open questions the participant may answer with a statement of their own */
    writable: z.array(z.object({ id: z.string(), prompt: z.string() })),
    moderation: z.enum(['pre', 'post']),
  })
  .openapi('NextInDialogue');
export type Next = z.infer<typeof NextSchema>;

export const VoteSchema = z
  .strictObject({
    statementId: Id('statement'),
    value: z.union([z.literal(1), z.literal(-1), z.literal(0)]).openapi({ description: '1 agree, -1 disagree, 0 pass' }),
  })
  .openapi('CastVote');
export type VoteInput = z.infer<typeof VoteSchema>;
export const VotedSchema = z.object({ statementId: z.string(), value: z.number().int() }).openapi('VoteCast');

export const WriteStatementSchema = z
  .strictObject({
    questionId: Id('question'),
    body: z.string().trim().min(1, 'Required').max(1000, 'At most 1000 characters'),
  })
  .openapi('WriteStatement');
export type WriteStatementInput = z.infer<typeof WriteStatementSchema>;
export const WrittenSchema = z
  .object({
    id: z.string(),
    status: z.literal('pending'),
    language: z.string(),
    /** false in pre-moderation: it appears to others after review */
    shownNow: z.boolean(),
  })
  .openapi('StatementWritten');

export const PollAnswerSchema = z
  .strictObject({
    choices: z.array(z.string().min(1).max(100)).max(20).optional().openapi({ description: 'option ids (single: exactly one; multiple: one or more)' }),
    scale: z.number().int().optional().openapi({ description: 'a point on the scale' }),
  })
  .openapi('PollAnswer');
export type PollAnswerInput = z.infer<typeof PollAnswerSchema>;

export const PairwiseSchema = z
  .strictObject({ questionId: Id('question'), winnerId: Id('statement'), loserId: Id('statement') })
  .refine((p) => p.winnerId !== p.loserId, { path: ['loserId'], message: 'Must differ from winnerId' })
  .openapi('PairwiseChoice');
export type PairwiseInput = z.infer<typeof PairwiseSchema>;

export const OkSchema = z.object({ ok: z.literal(true) }).openapi('Ok');

export const ResultsSchema = z
  .object({
    segments: z.array(SegmentChoiceSchema),
    statements: z.array(
      z.object({
        statement: StatementViewSchema,
        votes: z.number().int(),
        agree: z.number().int(),
        /** per segment of the voters (segmentId null: voters without a segment) */
        bySegment: z.array(z.object({ segmentId: z.string().nullable(), votes: z.number().int(), agree: z.number().int(), disagree: z.number().int(), agreeRate: z.number() })),
      }),
    ),
  })
  .openapi('DialogueResults');
export type Results = z.infer<typeof ResultsSchema>;
