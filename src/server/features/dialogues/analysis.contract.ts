import { z } from '@hono/zod-openapi';
import { LanguageSchema } from './dialogues.contract.ts';

const Iso = z.string().openapi({ format: 'date-time' });

/** Votes on one statement by one set of participants, with 95% Wilson intervals on the rates. */
export const TallySchema = z
  .object({
    agree: z.number().int(),
    disagree: z.number().int(),
    pass: z.number().int(),
    /** agree + disagree + pass */
    votes: z.number().int(),
    agreeRate: z.number().nullable().openapi({ description: 'agree / votes; null without votes' }),
    agreeLow: z.number().nullable(),
    agreeHigh: z.number().nullable(),
    disagreeRate: z.number().nullable(),
    disagreeLow: z.number().nullable(),
    disagreeHigh: z.number().nullable(),
    passRate: z.number().nullable(),
  })
  .openapi('VoteTally');
export type Tally = z.infer<typeof TallySchema>;

export const AnalysisQuerySchema = z.object({
  questionId: z.string().max(100).optional().openapi({ description: 'One open question (default: every open question of the dialogue)' }),
});

export const StatementAnalysisSchema = z
  .object({
    id: z.string(),
    questionId: z.string(),
    sourceId: z.string().nullable(),
    body: z.string(),
    language: z.string(),
    translations: z.record(z.string(), z.string()),
    seed: z.boolean(),
    /** the author's segment */
    segmentId: z.string().nullable(),
    status: z.enum(['pending', 'accepted']),
    overall: TallySchema,
    bySegment: z.array(TallySchema.extend({ segmentId: z.string() })),
    byGroup: z.array(TallySchema.extend({ groupId: z.number().int() })),
    /** Pol.is group-informed consensus: product over groups of (agree + 1) / (votes + 2) */
    groupConsensus: z.number().nullable(),
    /** the same product over self-identified segments */
    segmentConsensus: z.number().nullable(),
    bridging: z.boolean().openapi({ description: 'agreed in every opinion group and every segment (see bridgingRule)' }),
    divisive: z.boolean().openapi({ description: 'opinion groups or segments disagree (see divisiveRule)' }),
    /** the largest difference in agree rate between two groups or two segments */
    divisiveness: z.number().nullable(),
  })
  .openapi('StatementAnalysis');
export type StatementAnalysis = z.infer<typeof StatementAnalysisSchema>;

export const OpinionGroupSchema = z
  .object({
    id: z.number().int(),
    participants: z.number().int(),
    /** how many of the group's participants come from each segment */
    bySegment: z.array(z.object({ segmentId: z.string().nullable(), participants: z.number().int() })),
    centroid: z.tuple([z.number(), z.number()]),
    /** statements that set this group apart (Pol.is representativeness) */
    representative: z.array(
      z.object({
        statementId: z.string(),
        direction: z.enum(['agree', 'disagree']),
        /** this group's rate / everyone else's */
        ratio: z.number(),
        /** the group's rate of that vote */
        rate: z.number(),
        z: z.number(),
      }),
    ),
  })
  .openapi('OpinionGroup');

const PolisComparisonSchema = z
  .object({
    polisGroups: z.array(z.object({ id: z.number().int(), participants: z.number().int() })).openapi({ description: "Pol.is's groups (participants-votes.csv's group-id) and their sizes" }),
    polisClustered: z.number().int().openapi({ description: 'participants Pol.is grouped' }),
    ari: z.number().openapi({ description: 'adjusted Rand index between the two groupings, over every participant Pol.is grouped (those Convene leaves out count as one group of their own)' }),
    crossTab: z.array(
      z.object({
        polisGroup: z.number().int(),
        byGroup: z.array(z.object({ groupId: z.number().int(), participants: z.number().int() })),
        leftOut: z.number().int().openapi({ description: 'members Convene did not group' }),
      }),
    ),
    counterparts: z.array(z.object({ groupId: z.number().int(), polisGroup: z.number().int().nullable() })).openapi({ description: 'the Pol.is group each of these groups shares most members with (paired one to one)' }),
    moved: z
      .array(z.object({ sourceId: z.string(), polisGroup: z.number().int().nullable(), groupId: z.number().int().nullable() }))
      .openapi({ description: "participants (by Pol.is id) not in their Pol.is group's counterpart: another group, or grouped by one side only; at most 1,000 listed" }),
    movedCount: z.number().int(),
  })
  .openapi('PolisComparison');

export const DialogueAnalysisSchema = z
  .object({
    dialogueId: z.string(),
    questionId: z.string().nullable(),
    computedAt: Iso,
    /** participants who voted at least once */
    voters: z.number().int(),
    /** participants the opinion groups are computed from (Pol.is's inclusion rule) */
    clustered: z.number().int(),
    votes: z.number().int(),
    segments: z.array(z.object({ id: z.string(), key: z.string(), name: z.record(z.string(), z.string()), voters: z.number().int() })),
    statements: z.array(StatementAnalysisSchema),
    groups: z.array(OpinionGroupSchema),
    groupsHeldBack: z
      .enum(['fewParticipants', 'smallGroup'])
      .nullable()
      .openapi({ description: 'why no opinion group is shown yet: too few participants clustered, or a group too small to mean anything (see groupsShownFrom); null when they are shown' }),
    groupsShownFrom: z.object({ minClustered: z.number().int(), minGroupSize: z.number().int() }).openapi({ description: 'groups are shown once this many participants are clustered and every group has at least minGroupSize' }),
    /** the opinion map: one point per clustered participant (at most 3,000, sampled evenly), with their group and segment */
    map: z.array(z.object({ x: z.number(), y: z.number(), groupId: z.number().int().openapi({ description: '-1 while groups are held back' }), segmentId: z.string().nullable() })),
    /** silhouette of each number of groups tried; the best was chosen */
    silhouette: z.array(z.object({ k: z.number().int(), value: z.number() })),
    bridging: z.array(z.string()).openapi({ description: 'statement ids, most bridging first' }),
    divisive: z.array(z.string()).openapi({ description: 'statement ids, most divisive first' }),
    bridgingRule: z.string(),
    divisiveRule: z.string(),
    polis: PolisComparisonSchema.nullable().openapi({ description: "an imported Pol.is conversation: Pol.is's own groups beside these; null otherwise, or while groups are held back" }),
  })
  .openapi('DialogueAnalysis');
export type DialogueAnalysis = z.infer<typeof DialogueAnalysisSchema>;

export const PollResultSchema = z
  .object({
    questionId: z.string(),
    pollMode: z.enum(['single', 'multiple', 'scale']),
    /** everyone, then each segment */
    groups: z.array(
      z.object({
        segmentId: z.string().nullable().openapi({ description: 'null: everyone' }),
        respondents: z.number().int(),
        options: z.array(z.object({ id: z.string(), count: z.number().int(), rate: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() })),
        /** scale polls: the mean and its 95% interval */
        mean: z.number().nullable(),
        meanLow: z.number().nullable(),
        meanHigh: z.number().nullable(),
      }),
    ),
  })
  .openapi('PollResult');

export const ThemeSchema = z.object({ title: z.string(), summary: z.string(), statementIds: z.array(z.string()) });

export const SummarySchema = z
  .object({
    id: z.string(),
    questionId: z.string(),
    segmentId: z.string().nullable(),
    method: z.enum(['ai', 'keywords']),
    language: z.string(),
    model: z.string().nullable(),
    themes: z.array(ThemeSchema),
    /** the validation poll asking participants whether this summary reflects their view, when one was made */
    validationQuestionId: z.string().nullable(),
    createdAt: Iso,
  })
  .openapi('DialogueSummary');

export const CreateSummarySchema = z
  .strictObject({
    segmentId: z.string().max(100).nullable().default(null).openapi({ description: 'Summarise one segment’s statements (null: everyone’s)' }),
    language: LanguageSchema.default('en'),
    maxThemes: z.number().int().min(1).max(12).default(6),
  })
  .openapi('CreateDialogueSummary');

export const CreateValidationPollSchema = z
  .strictObject({ sessionId: z.string().max(100).openapi({ description: 'The session whose participants are asked' }) })
  .openapi('CreateValidationPoll');

export const PolisImportSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    languages: z.array(LanguageSchema).min(1).max(3).default(['en']),
    /** the files' text, as Pol.is exports them */
    comments: z.string().min(1).max(50_000_000),
    votes: z.string().min(1).max(500_000_000).optional().openapi({ description: 'votes.csv; without it, participants-votes.csv holds the final votes' }),
    participantsVotes: z.string().max(500_000_000).optional(),
    summary: z.string().max(100_000).optional().openapi({ description: 'summary.csv: kept for comparison; never an input to the clustering' }),
    inclusion: z
      .enum(['votes', 'history'])
      .optional()
      .openapi({
        description:
          "Who is clustered: 'votes' (min(7, comments) final votes, or the 15 most active), 'history' (also those Pol.is kept from earlier, replayed from votes.csv's times). Detected from the export when left out",
      }),
    missingVotes: z
      .enum(['mean', 'zero'])
      .optional()
      .openapi({
        description:
          "What the Pol.is math the export shows counted a missing vote as: 'mean' (Pol.is since October 2017), 'zero' (before). Detected from the export when left out: 'zero' for history whose last vote is before 2017-10-22",
      }),
  })
  .refine((b) => b.votes !== undefined || b.participantsVotes !== undefined, { path: ['votes'], message: 'Give votes.csv or participants-votes.csv' })
  .openapi('PolisImport');
