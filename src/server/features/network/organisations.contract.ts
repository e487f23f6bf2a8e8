import { OrderCursorSchema, OrderLanguageSchema } from './list-order.ts';
import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../http/pagination.ts';
import {
  CountrySchema,
  DateOnlySchema,
  LanguageCodesSchema,
  LongTextSchema,
  ScriptSchema,
  ShortTextSchema,
  TagsSchema,
  UuidSchema,
} from './common.contract.ts';
import { normalizeName } from './names.ts';

export const ORGANISATION_KINDS = ['member', 'partner', 'funder', 'mission', 'media', 'other'] as const;
export const MEMBERSHIP_STATUSES = ['prospective', 'active', 'suspended', 'former'] as const;
export const ORGANISATION_NAME_KINDS = ['official', 'short', 'transliteration', 'former'] as const;
export const ORGANISATION_LINK_KINDS = ['co_organiser_of', 'funded_by', 'partner_of', 'member_of', 'coalition_with', 'other'] as const;

export const OrganisationKindSchema = z
  .enum(ORGANISATION_KINDS)
  .openapi({ description: 'member | partner (e.g. a foundation) | funder | mission (government or diplomatic) | media | other' });
export const MembershipStatusSchema = z
  .enum(MEMBERSHIP_STATUSES)
  .openapi({ description: 'Membership status; only member organisations have one' });
export const OrganisationNameKindSchema = z.enum(ORGANISATION_NAME_KINDS);
export const OrganisationLinkKindSchema = z
  .enum(ORGANISATION_LINK_KINDS)
  .openapi({ description: 'Read from the organisation that holds the link: A co_organiser_of B, A funded_by B …' });

/** An organisation's name or a variant of it; at most 300 characters, with at least one letter or digit. */
export const OrganisationNameTextSchema = ShortTextSchema.refine((s) => normalizeName(s) !== '', 'Needs at least one letter or digit');

function isWebAddress(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}
const WebsiteSchema = z
  .string()
  .trim()
  .max(500, 'At most 500 characters')
  .refine(isWebAddress, 'Not a web address (use http:// or https://)')
  .openapi({ format: 'uri', example: 'https://www.example.org' });
const PlaceSchema = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');
const UserIdSchema = z.string().min(1).max(100);

export const OrganisationNameSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** detected from the text */
    script: ScriptSchema,
    kind: OrganisationNameKindSchema,
  })
  .openapi('OrganisationName');

export const OrganisationSchema = z
  .object({
    id: z.string(),
    kind: OrganisationKindSchema,
    /** null for organisations that are not members */
    status: MembershipStatusSchema.nullable(),
    /** the name shown in lists (one of names) */
    name: z.string(),
    names: z.array(OrganisationNameSchema),
    country: z.string().nullable(),
    area: z.string().nullable(),
    city: z.string().nullable(),
    website: z.string().nullable(),
    languages: z.array(z.string()),
    description: z.string().nullable(),
    tags: z.array(z.string()),
    /** the staff member who holds the relationship */
    ownerId: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Organisation');

export const OrganisationStatusChangeSchema = z
  .object({
    id: z.string(),
    status: MembershipStatusSchema,
    /** the day the status took effect (YYYY-MM-DD) */
    since: z.string(),
    note: z.string().nullable(),
    recordedBy: z.string().nullable(),
    recordedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OrganisationStatusChange');

export const OrganisationLinkSchema = z
  .object({
    id: z.string(),
    kind: OrganisationLinkKindSchema,
    fromId: z.string(),
    toId: z.string(),
    /** outgoing: this organisation is `from` (this org <kind> other); incoming: the other organisation is `from` */
    direction: z.enum(['outgoing', 'incoming']),
    /** the organisation at the other end */
    otherId: z.string(),
    otherName: z.string(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    note: z.string().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('OrganisationLink');

export const OrganisationPersonSchema = z
  .object({
    affiliationId: z.string(),
    personId: z.string(),
    displayName: z.string(),
    title: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
  })
  .openapi('OrganisationPerson');

export const OrganisationDetailSchema = OrganisationSchema.extend({
  /** newest first */
  statusHistory: z.array(OrganisationStatusChangeSchema),
  /** both directions */
  links: z.array(OrganisationLinkSchema),
  /** people currently affiliated (end date empty or not passed) whom the caller may see by their real identity */
  people: z.array(OrganisationPersonSchema),
}).openapi('OrganisationDetail');

export const OrganisationPageSchema = z
  .object({
    items: z.array(OrganisationSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null on the last' }),
    /** how many organisations match the filters, over all pages */
    total: z.number().int(),
  })
  .openapi('OrganisationPage');

export const NewOrganisationNameSchema = z
  .strictObject({
    name: OrganisationNameTextSchema,
    kind: OrganisationNameKindSchema.default('official'),
  })
  .openapi('NewOrganisationName');

export const CreateOrganisationSchema = z
  .strictObject({
    kind: OrganisationKindSchema,
    status: MembershipStatusSchema.optional().openapi({ description: 'Only for kind member; recorded in the status history' }),
    /** the day the status took effect; today when not given */
    statusSince: DateOnlySchema.optional(),
    statusNote: z.string().trim().max(2000, 'At most 2,000 characters').optional(),
    /** the display name; the first of names when not given (added to names if not among them) */
    name: OrganisationNameTextSchema.optional(),
    names: z.array(NewOrganisationNameSchema).min(1, 'At least one name').max(30, 'At most 30 names'),
    country: CountrySchema.optional(),
    area: PlaceSchema.optional(),
    city: PlaceSchema.optional(),
    website: WebsiteSchema.optional(),
    languages: LanguageCodesSchema.optional(),
    description: LongTextSchema.optional(),
    tags: TagsSchema.optional(),
    ownerId: UserIdSchema.optional().openapi({ description: 'A user id: the staff member who holds the relationship' }),
  })
  .openapi('CreateOrganisation');

/** The same fields as create (null clears); names change through their own endpoints. */
export const UpdateOrganisationSchema = z
  .strictObject({
    kind: OrganisationKindSchema.optional(),
    status: MembershipStatusSchema.nullable().optional(),
    statusSince: DateOnlySchema.optional(),
    statusNote: z.string().trim().max(2000, 'At most 2,000 characters').optional(),
    /** the display name: one of its names, or a new one (added as an official name) */
    name: OrganisationNameTextSchema.optional(),
    country: CountrySchema.nullable().optional(),
    area: PlaceSchema.nullable().optional(),
    city: PlaceSchema.nullable().optional(),
    website: WebsiteSchema.nullable().optional(),
    languages: LanguageCodesSchema.optional(),
    description: LongTextSchema.nullable().optional(),
    tags: TagsSchema.optional(),
    ownerId: UserIdSchema.nullable().optional(),
  })
  .openapi('UpdateOrganisation');

export const SetOrganisationStatusSchema = z
  .strictObject({
    status: MembershipStatusSchema,
    /** the day it took effect; today when not given */
    since: DateOnlySchema.optional(),
    note: z.string().trim().max(2000, 'At most 2,000 characters').optional(),
  })
  .openapi('SetOrganisationStatus');

export const CreateOrganisationLinkSchema = z
  .strictObject({
    toId: UuidSchema,
    kind: OrganisationLinkKindSchema,
    startDate: DateOnlySchema.optional(),
    endDate: DateOnlySchema.optional(),
    note: z.string().trim().max(2000, 'At most 2,000 characters').optional(),
  })
  .refine((v) => !v.startDate || !v.endDate || v.endDate >= v.startDate, { message: 'Ends before it starts', path: ['endDate'] })
  .openapi('CreateOrganisationLink');

export const OrganisationListQuerySchema = PageQuerySchema.extend({
  kind: OrganisationKindSchema.optional(),
  status: MembershipStatusSchema.optional(),
  country: CountrySchema.optional(),
  area: z.string().trim().max(120).optional().openapi({ description: 'Exact area, case-insensitive' }),
  city: z.string().trim().max(120).optional().openapi({ description: 'Exact city, case-insensitive' }),
  tag: z.string().trim().max(60).optional().openapi({ description: 'Has this tag (case-insensitive)' }),
  ownerId: z.string().max(100).optional(),
  q: z.string().max(300).optional().openapi({ description: 'Any of its names contains this (any script; case, accents and points ignored)' }),
  lang: OrderLanguageSchema,
  cursor: OrderCursorSchema,
});

export type OrganisationDto = z.infer<typeof OrganisationSchema>;
export type OrganisationDetailDto = z.infer<typeof OrganisationDetailSchema>;
export type OrganisationLinkDto = z.infer<typeof OrganisationLinkSchema>;
export type CreateOrganisationInput = z.input<typeof CreateOrganisationSchema>;
export type UpdateOrganisationInput = z.input<typeof UpdateOrganisationSchema>;
export type OrganisationListQuery = z.input<typeof OrganisationListQuerySchema>;
