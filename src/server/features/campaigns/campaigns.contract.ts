import { z } from '@hono/zod-openapi';
import { DateOnlySchema, UuidSchema } from '../network/common.contract.ts';
import { EVIDENCE_KINDS, STANCE_VALUES } from './campaigns.schema.ts';

// Campaigns: the requests and answers of /api/campaigns (docs/campaigns.md).

const localized = (max: number) => {
  const one = z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`).optional();
  return z
    .strictObject({ en: one, he: one, ar: one })
    .refine((v) => !!(v.en || v.he || v.ar), { message: 'Give the text in at least one language (en, he or ar)' });
};
const LocalizedOut = z.object({ en: z.string().optional(), he: z.string().optional(), ar: z.string().optional() }).openapi('LocalizedText');

export const CampaignNameSchema = localized(200).openapi({ example: { en: 'G7: civil society in the day-after' } });
export const CampaignGoalSchema = localized(2000);
export const AskTextSchema = localized(500).openapi({ example: { en: 'A role for civil society in the day-after framework' } });
export const StanceValueSchema = z.enum(STANCE_VALUES).openapi({ description: 'unknown | opposed | sceptical | neutral | supportive | champion' });
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS).openapi({ description: 'meeting | statement | document_passage | judgement' });
const GroupLabelSchema = z.string().trim().min(1, 'Required').max(60, 'At most 60 characters');
const UserIdSchema = z.string().min(1).max(100);
const Quote = z.string().trim().min(1, 'Required').max(5000, 'At most 5,000 characters');

// ---------- campaigns ----------

export const CampaignAskSchema = z.object({ id: z.string(), text: LocalizedOut, position: z.number().int() }).openapi('CampaignAsk');

export const CampaignTargetSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['organisation', 'person']).openapi({ description: 'organisation: a government or mission; person: an official' }),
    organisationId: z.string().nullable(),
    personId: z.string().nullable(),
    /** the organisation's name, or the person's display name (a pseudonym for a pseudonymous person) */
    name: z.string(),
    groupLabel: z.string().nullable(),
  })
  .openapi('CampaignTarget');

export const CampaignSchema = z
  .object({
    id: z.string(),
    name: LocalizedOut,
    goal: LocalizedOut,
    ownerId: z.string().nullable(),
    ownerName: z.string().nullable(),
    startsOn: z.string().nullable(),
    endsOn: z.string().nullable(),
    restricted: z.boolean(),
    /** counted as the reader sees them (targets they may not see are not counted) */
    askCount: z.number().int(),
    targetCount: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Campaign');

export const CampaignDetailSchema = CampaignSchema.extend({
  asks: z.array(CampaignAskSchema),
  targets: z.array(CampaignTargetSchema),
}).openapi('CampaignDetail');

export const CampaignListSchema = z.object({ items: z.array(CampaignSchema), total: z.number().int() }).openapi('CampaignList');

export const CreateCampaignSchema = z
  .strictObject({
    name: CampaignNameSchema,
    goal: CampaignGoalSchema.optional(),
    /** default: the creator */
    ownerId: UserIdSchema.optional(),
    startsOn: DateOnlySchema.nullable().optional(),
    endsOn: DateOnlySchema.nullable().optional(),
    /** default true: diplomats often speak on condition of discretion */
    restricted: z.boolean().optional(),
    asks: z.array(AskTextSchema).max(50, 'At most 50 asks').optional(),
  })
  .refine((v) => !v.startsOn || !v.endsOn || v.endsOn >= v.startsOn, { message: 'Ends before it starts', path: ['endsOn'] })
  .openapi('CreateCampaign');

export const UpdateCampaignSchema = z
  .strictObject({
    name: CampaignNameSchema.optional(),
    /** null clears it in every language */
    goal: CampaignGoalSchema.nullable().optional(),
    ownerId: UserIdSchema.optional(),
    startsOn: DateOnlySchema.nullable().optional(),
    endsOn: DateOnlySchema.nullable().optional(),
    restricted: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateCampaign');

export const CreateAskSchema = z.strictObject({ text: AskTextSchema, position: z.number().int().min(0).max(1000).optional() }).openapi('CreateCampaignAsk');
export const UpdateAskSchema = z
  .strictObject({ text: AskTextSchema.optional(), position: z.number().int().min(0).max(1000).optional() })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateCampaignAsk');

export const ReorderAsksSchema = z
  .strictObject({
    /** every ask of the campaign, each once, in the new order */
    askIds: z.array(UuidSchema).min(1).max(1000),
  })
  .openapi('ReorderCampaignAsks');
export const CampaignAskListSchema = z.object({ items: z.array(CampaignAskSchema) }).openapi('CampaignAskList');

export const CreateTargetSchema = z
  .strictObject({
    /** a Network organisation of the mission kind (a government or a diplomatic mission) */
    organisationId: UuidSchema.optional(),
    /** a Network person, as an official */
    personId: UuidSchema.optional(),
    groupLabel: GroupLabelSchema.nullable().optional(),
  })
  .refine((v) => !!v.organisationId !== !!v.personId, { message: 'Give either organisationId or personId', path: ['organisationId'] })
  .openapi('CreateCampaignTarget');

export const CampaignGrantSchema = z
  .object({ userId: z.string(), name: z.string(), grantedBy: z.string().nullable(), grantedAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('CampaignGrant');
export const CampaignGrantListSchema = z
  .object({ items: z.array(CampaignGrantSchema), mayRevoke: z.boolean().openapi({ description: "whether the caller may take grants away (the campaign's owner or an administrator)" }) })
  .openapi('CampaignGrantList');
export const CampaignGrantParamsSchema = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
  userId: z.string().min(1).max(100).openapi({ param: { name: 'userId', in: 'path' } }),
});
export const CreateCampaignGrantSchema = z.strictObject({ userId: UserIdSchema }).openapi('CreateCampaignGrant');

// ---------- stances ----------

export const EvidenceInputSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('meeting'), meetingId: UuidSchema }),
    z.strictObject({ kind: z.literal('statement'), url: z.url({ protocol: /^https?$/, message: 'Use an http(s) link' }).max(2000), quote: Quote }),
    z.strictObject({ kind: z.literal('document_passage'), passageId: UuidSchema }),
    z.strictObject({ kind: z.literal('judgement'), reason: z.string().trim().min(1, 'Required').max(5000, 'At most 5,000 characters') }),
  ])
  .openapi('StanceEvidenceInput');

export const CreateStanceSchema = z
  .strictObject({
    targetId: UuidSchema,
    askId: UuidSchema,
    value: StanceValueSchema,
    /** the day the target held this stance; not after today where the recorder is */
    asOf: DateOnlySchema,
    evidence: EvidenceInputSchema,
    note: z.string().trim().max(2000, 'At most 2,000 characters').nullable().optional(),
  })
  .openapi('CreateStance');

export const StanceSchema = z
  .object({
    id: z.string(),
    targetId: z.string(),
    askId: z.string(),
    value: StanceValueSchema,
    asOf: z.string(),
    recordedBy: z.string().nullable(),
    recordedByName: z.string().nullable(),
    recordedAt: z.string().openapi({ format: 'date-time' }),
    evidence: z.object({
      kind: EvidenceKindSchema,
      meetingId: z.string().nullable(),
      meetingTitle: z.string().nullable(),
      url: z.string().nullable(),
      quote: z.string().nullable(),
      passageId: z.string().nullable(),
      reason: z.string().nullable(),
    }),
    note: z.string().nullable(),
  })
  .openapi('Stance');

export const StanceHistorySchema = z.object({ items: z.array(StanceSchema) }).openapi('StanceHistory');

/**
 * A cell of the grid: what the grid shows of its current stance (as the reader sees it), not its evidence: the cell's
 * history route (GET …/targets/{targetId}/asks/{askId}/stances) gives every stance with its evidence.
 */
export const GridCellSchema = z
  .object({
    targetId: z.string(),
    askId: z.string(),
    value: StanceValueSchema,
    asOf: z.string().openapi({ description: 'the day the current stance held (YYYY-MM-DD)' }),
    /** what kind of evidence the current stance has (every stance has some) */
    evidenceKind: EvidenceKindSchema,
    /** how many stances the reader sees in the cell's history */
    stances: z.number().int(),
  })
  .openapi('CampaignGridCell');

export const GridSchema = z
  .object({
    asks: z.array(CampaignAskSchema),
    targets: z.array(CampaignTargetSchema),
    /** the current stance of each cell the reader may see one in; a cell not listed is unknown to the reader */
    cells: z.array(GridCellSchema),
    /** per ask, how many targets (that the reader sees) stand where (unknown: no stance the reader may see) */
    counts: z.array(z.object({ askId: z.string(), value: StanceValueSchema, targets: z.number().int() })),
    /** with ?since=: the cells whose stance (as the reader sees it) moved since that day, and how many */
    movement: z
      .object({
        since: z.string(),
        moves: z.number().int(),
        cells: z.array(z.object({ targetId: z.string(), askId: z.string(), from: StanceValueSchema, to: StanceValueSchema })),
      })
      .nullable(),
  })
  .openapi('CampaignGrid');
export const GridQuerySchema = z.object({
  since: DateOnlySchema.optional().openapi({ description: 'show which cells moved since this day (YYYY-MM-DD)' }),
});

export const CellParamsSchema = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }),
  targetId: z.string().min(1).max(100).openapi({ param: { name: 'targetId', in: 'path' } }),
  askId: z.string().min(1).max(100).openapi({ param: { name: 'askId', in: 'path' } }),
});
// ---------- documents ----------

export const PassageSchema = z.object({ id: z.string(), quote: z.string(), locator: z.string().nullable(), position: z.number().int() }).openapi('CampaignPassage');
export const CampaignDocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(['link', 'file']),
    url: z.string().nullable(),
    /** an uploaded file: its name, its media type as the server recognised it, its size in bytes */
    fileName: z.string().nullable(),
    mediaType: z.string().nullable(),
    byteSize: z.number().int().nullable(),
    passages: z.array(PassageSchema),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('CampaignDocument');
export const CampaignDocumentListSchema = z.object({ items: z.array(CampaignDocumentSchema) }).openapi('CampaignDocumentList');
export const CreateDocumentSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Required').max(300, 'At most 300 characters'),
    url: z.url({ protocol: /^https?$/, message: 'Use an http(s) link' }).max(2000, 'At most 2,000 characters'),
    passages: z
      .array(z.strictObject({ quote: Quote, locator: z.string().trim().min(1, 'Required').max(60, 'At most 60 characters').nullable().optional() }))
      .max(50, 'At most 50 passages')
      .optional(),
  })
  .openapi('CreateCampaignDocument');

const PassageInputSchema = z.strictObject({
  quote: Quote,
  locator: z.string().trim().min(1, 'Required').max(60, 'At most 60 characters').nullable().optional(),
});
export const UpdateDocumentSchema = z
  .strictObject({
    title: z.string().trim().min(1, 'Required').max(300, 'At most 300 characters').optional(),
    /** a link document only */
    url: z.url({ protocol: /^https?$/, message: 'Use an http(s) link' }).max(2000, 'At most 2,000 characters').optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateCampaignDocument');
export const CreatePassageSchema = PassageInputSchema.extend({ position: z.number().int().min(0).max(1000).optional() }).openapi('CreateCampaignPassage');
export const UpdatePassageSchema = z
  .strictObject({
    /** refused (409 passage_is_evidence) while a stance cites the passage */
    quote: Quote.optional(),
    locator: z.string().trim().min(1, 'Required').max(60, 'At most 60 characters').nullable().optional(),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change: send at least one field' })
  .openapi('UpdateCampaignPassage');

/** Uploaded reference documents: at most this many bytes. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const DocumentUploadSchema = z
  .object({
    file: z.any().openapi({ type: 'string', format: 'binary', description: 'PDF, Word/Excel/PowerPoint (OOXML), OpenDocument, PNG, JPEG or plain text; at most 20 MiB' }),
    title: z.string().trim().min(1, 'Required').max(300, 'At most 300 characters').optional(),
  })
  .openapi('CampaignDocumentUpload');

// ---------- targets: edit and bulk ----------

export const UpdateTargetSchema = z.strictObject({ groupLabel: GroupLabelSchema.nullable() }).openapi('UpdateCampaignTarget');
export const CreateTargetsSchema = z
  .strictObject({ targets: z.array(CreateTargetSchema).min(1, 'At least one target').max(300, 'At most 300 targets') })
  .openapi('CreateCampaignTargets');
export const CampaignTargetListSchema = z.object({ items: z.array(CampaignTargetSchema) }).openapi('CampaignTargetList');

// ---------- meetings tagged ----------

export const TagMeetingSchema = z
  .strictObject({
    meetingId: UuidSchema,
    /** the campaign's targets met */
    targetIds: z.array(UuidSchema).max(300, 'At most 300 targets').optional(),
    /** the campaign's asks discussed */
    askIds: z.array(UuidSchema).max(50, 'At most 50 asks').optional(),
  })
  .openapi('TagCampaignMeeting');
export const CampaignMeetingSchema = z
  .object({
    meetingId: z.string(),
    title: z.string(),
    startsAt: z.string().openapi({ format: 'date-time' }),
    restricted: z.boolean(),
    targetIds: z.array(z.string()),
    askIds: z.array(z.string()),
  })
  .openapi('CampaignMeeting');
export const MeetingCampaignListSchema = z
  .object({ items: z.array(CampaignMeetingSchema.extend({ campaignId: z.string(), campaignName: LocalizedOut })) })
  .openapi('MeetingCampaignList');
export const CampaignMeetingListSchema = z.object({ items: z.array(CampaignMeetingSchema), total: z.number().int() }).openapi('CampaignMeetingList');

// ---------- coverage and movement ----------

export const CoverageQuerySchema = z.object({
  days: z.coerce.number().int('A whole number of days').min(1, 'At least 1 day').max(3650, 'At most 3,650 days').optional().openapi({ description: 'not met in this many days (default 30)' }),
  from: DateOnlySchema.optional().openapi({ description: 'the period counted as met (default: the first day of this month)' }),
  to: DateOnlySchema.optional().openapi({ description: 'the last day of the period (default: today)' }),
});
export const CoverageFollowUpSchema = z
  .object({ id: z.string(), title: z.string(), dueDate: z.string().nullable(), ownerId: z.string(), ownerName: z.string().nullable(), meetingId: z.string().nullable() })
  .openapi('CampaignFollowUp');
export const CoverageSchema = z
  .object({
    days: z.number().int(),
    from: z.string(),
    to: z.string(),
    /** per target the reader sees: the last meeting with them the reader may see, whether one fell in the period, open follow-ups */
    targets: z.array(
      z.object({
        targetId: z.string(),
        lastMetAt: z.string().nullable(),
        lastMeetingId: z.string().nullable(),
        metInPeriod: z.boolean(),
        /** not met (in a meeting the reader sees) in the last `days` days */
        notMetInDays: z.boolean(),
        openFollowUps: z.array(CoverageFollowUpSchema),
      }),
    ),
    /** per group label: how many targets, how many met in the period ("we met 5 of 7 G7 missions") */
    groups: z.array(z.object({ groupLabel: z.string().nullable(), targets: z.number().int(), met: z.number().int() })),
  })
  .openapi('CampaignCoverage');

export const MovementQuerySchema = z.object({
  askId: z.string().max(100).optional().openapi({ description: 'one ask (default: every ask, each target × ask a cell)' }),
});
const StanceCounts = z.object({
  unknown: z.number().int(),
  opposed: z.number().int(),
  sceptical: z.number().int(),
  neutral: z.number().int(),
  supportive: z.number().int(),
  champion: z.number().int(),
});
export const MovementChartSchema = z
  .object({
    askId: z.string().nullable(),
    /** month by month (YYYY-MM), how many cells stood where at the month's end, from the stances the reader may see */
    months: z.array(z.object({ month: z.string(), counts: StanceCounts })),
  })
  .openapi('CampaignMovementChart');

export type Coverage = z.infer<typeof CoverageSchema>;
export type MovementChart = z.infer<typeof MovementChartSchema>;

export type Campaign = z.infer<typeof CampaignSchema>;
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;
export type CampaignTarget = z.infer<typeof CampaignTargetSchema>;
export type CampaignAsk = z.infer<typeof CampaignAskSchema>;
export type CreateCampaignInput = z.infer<typeof CreateCampaignSchema>;
export type UpdateCampaignInput = z.infer<typeof UpdateCampaignSchema>;
export type CreateAskInput = z.infer<typeof CreateAskSchema>;
export type UpdateAskInput = z.infer<typeof UpdateAskSchema>;
export type ReorderAsksInput = z.infer<typeof ReorderAsksSchema>;
export type CreateTargetInput = z.infer<typeof CreateTargetSchema>;
export type CreateStanceInput = z.infer<typeof CreateStanceSchema>;
export type Stance = z.infer<typeof StanceSchema>;
export type Grid = z.infer<typeof GridSchema>;
export type GridCell = z.infer<typeof GridCellSchema>;
export type CampaignDocument = z.infer<typeof CampaignDocumentSchema>;
export type CreateDocumentInput = z.infer<typeof CreateDocumentSchema>;
export type TagMeetingInput = z.infer<typeof TagMeetingSchema>;
export type CampaignMeeting = z.infer<typeof CampaignMeetingSchema>;
export type UpdateDocumentInput = z.infer<typeof UpdateDocumentSchema>;
export type CreatePassageInput = z.infer<typeof CreatePassageSchema>;
export type UpdatePassageInput = z.infer<typeof UpdatePassageSchema>;
export type UpdateTargetInput = z.infer<typeof UpdateTargetSchema>;
export type CreateTargetsInput = z.infer<typeof CreateTargetsSchema>;
export type Passage = z.infer<typeof PassageSchema>;
