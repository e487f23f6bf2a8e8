import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../http/pagination.ts';

// Erasure on request (docs/erasure.md): the request and response schemas of its routes.

export const ERASABLE = ['person', 'organisation'] as const;
export const ErasableSchema = z.enum(ERASABLE);
export type Erasable = z.infer<typeof ErasableSchema>;

/**
 * The places of free text outside the erased record that may name it. The record's own texts (its names, notes,
 * description, status notes, links' notes) are erased whatever is chosen; these are other records' texts.
 */
export const PLACE_KINDS = [
  'meeting_title',
  'meeting_venue',
  'meeting_notes',
  'shared_item',
  'follow_up',
  'person_notes',
  'person_pseudonym',
  'affiliation_title',
  'organisation_description',
  'status_note',
  'link_note',
  'segment',
  'campaign_stance',
  'campaign_document',
  'campaign_passage',
] as const;
export const PlaceKindSchema = z.enum(PLACE_KINDS).openapi({
  description:
    "Which text: a meeting's title, venue or notes; what a member shared; a follow-up's title; another person's notes or pseudonym; an affiliation's title; another organisation's description, status note or link note; a saved segment's name and filter; a campaign stance's quote, reason or note; a campaign document's title or file name; a quoted passage and its locator",
});
export type PlaceKind = z.infer<typeof PlaceKindSchema>;

export const PlaceSchema = z.strictObject({ kind: PlaceKindSchema, id: z.string().min(1).max(100) }).openapi('ErasurePlace');

const LinkSchema = z
  .object({ type: z.enum(['meeting', 'person', 'organisation', 'campaign']), id: z.string() })
  .nullable()
  .openapi({ description: 'The page that shows the place (null for a saved segment)' });

export const MentionSchema = z
  .object({
    kind: PlaceKindSchema,
    id: z.string(),
    link: LinkSchema,
    redacted: z.boolean().openapi({ description: "true: the record's names were replaced by the tombstone there; false: to review by hand" }),
  })
  .openapi('ErasureMention');

export const MentionPreviewSchema = z
  .object({
    kind: PlaceKindSchema,
    id: z.string(),
    link: LinkSchema,
    /** the text around the first mention (administrators only, before the erasure) */
    snippet: z.string(),
  })
  .openapi('ErasureMentionPreview');

const UserRefSchema = z.object({ id: z.string(), name: z.string() }).nullable();

export const ErasureSchema = z
  .object({
    id: z.string(),
    recordType: ErasableSchema,
    recordId: z.string(),
    reference: z.string().openapi({ example: '7F3K' }),
    tombstone: z.string().openapi({ example: 'Erased person · 7F3K' }),
    status: z.enum(['pending', 'done', 'cancelled', 'expired']),
    /** the record's name now: its display name while pending, the tombstone once erased */
    recordName: z.string().nullable(),
    reason: z.string().nullable(),
    redact: z.array(PlaceSchema),
    requestedBy: UserRefSchema,
    requestedAt: z.string(),
    expiresAt: z.string().nullable(),
    erasedBy: UserRefSchema,
    erasedAt: z.string().nullable(),
    cancelledBy: UserRefSchema,
    cancelledAt: z.string().nullable(),
    /** once erased: the places of free text that named the record, redacted or to review */
    mentions: z.array(MentionSchema).nullable(),
  })
  .openapi('Erasure');
export type ErasureDto = z.infer<typeof ErasureSchema>;

export const RecordErasureStateSchema = z
  .object({
    recordType: ErasableSchema,
    recordId: z.string(),
    state: z.enum(['none', 'pending', 'erased']).openapi({ description: 'pending is shown to administrators only' }),
    reference: z.string().nullable(),
    erasedAt: z.string().nullable(),
    /** administrators: the pending request or the erasure carried out */
    erasure: ErasureSchema.nullable(),
    /** administrators: whether erasing needs a second administrator's confirmation */
    secondAdminRequired: z.boolean(),
  })
  .openapi('RecordErasureState');

export const ErasurePreviewSchema = z
  .object({
    recordType: ErasableSchema,
    recordId: z.string(),
    displayName: z.string(),
    /** what the erasure replaces or removes from the record itself */
    erases: z.object({
      names: z.number().int(),
      contacts: z.number().int(),
      affiliations: z.number().int(),
      tags: z.number().int(),
      notes: z.boolean().openapi({ description: 'person notes, or an organisation description' }),
      pseudonym: z.boolean(),
      website: z.boolean(),
      statusNotes: z.number().int(),
      linkNotes: z.number().int(),
      registrations: z.number().int().openapi({ description: 'event registrations the person was made from (Events): their name, email and answers' }),
      posts: z.number().int().openapi({ description: 'news posts (Updates) naming the record in a text, revision, photo text or draft figure: the names are replaced by the tombstone' }),
      auditEntries: z.number().int().openapi({ description: 'entries of the audit log whose detail is rewritten to the tombstone' }),
    }),
    /** what stays */
    keeps: z.object({
      meetings: z.number().int(),
      sharedItems: z.number().int(),
      followUps: z.number().int(),
    }),
    /** places of free text elsewhere that name the record (at most 1000 listed) */
    mentions: z.array(MentionPreviewSchema),
    mentionsTotal: z.number().int(),
  })
  .openapi('ErasurePreview');
export type ErasurePreview = z.infer<typeof ErasurePreviewSchema>;

const ConfirmNameSchema = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(300, 'At most 300 characters')
  .openapi({ description: "The record's display name, typed again (case and accents do not matter)" });

export const RequestErasureSchema = z
  .strictObject({
    confirmName: ConfirmNameSchema,
    reason: z
      .string()
      .trim()
      .max(500, 'At most 500 characters')
      .optional()
      .openapi({ description: "Why (e.g. 'request by email of 3 March, ticket 12'); must not name the record: it is kept after the erasure" }),
    redact: z.array(PlaceSchema).max(1000, 'At most 1000 places (the preview lists at most 1000)').default([]).openapi({ description: "Places of free text (from the preview) where the record's names are to be replaced by the tombstone" }),
  })
  .openapi('RequestErasure');
export type RequestErasureInput = z.input<typeof RequestErasureSchema>;

export const ConfirmErasureSchema = z.strictObject({ confirmName: ConfirmNameSchema }).openapi('ConfirmErasure');

export const ErasureListQuerySchema = PageQuerySchema.extend({
  status: z.enum(['pending', 'done', 'cancelled', 'expired', 'all']).default('pending'),
});

export const ErasureSettingsSchema = z
  .object({ secondAdmin: z.boolean().openapi({ description: 'Erasing needs a second administrator to confirm the request' }) })
  .openapi('ErasureSettings');
export const UpdateErasureSettingsSchema = z.strictObject({ secondAdmin: z.boolean() }).openapi('UpdateErasureSettings');
export type ErasureSettings = z.infer<typeof ErasureSettingsSchema>;
