import { OrderCursorSchema, OrderLanguageSchema } from './list-order.ts';
import { z } from '@hono/zod-openapi';
import { PageQuerySchema } from '../../http/pagination.ts';
import { DateOnlySchema, LongTextSchema, ScriptSchema, TagSchema, TagsSchema, UuidSchema } from './common.contract.ts';

// People: names in several scripts (and the transliterations staff recorded), emails and phones,
// affiliations to organisations, and need-to-know (restricted records, pseudonyms).

export const PersonNameKindSchema = z.enum(['primary', 'alternate', 'transliteration']).openapi({
  description: 'primary: the name shown (the first primary is the display name); alternate: the name in another script; transliteration: a recorded spelling (Mohammed / Muhammad / Muhammed)',
});
export const ContactKindSchema = z.enum(['email', 'phone']);

const PersonNameTextSchema = z.string().trim().min(1, 'Required').max(200, 'At most 200 characters');
const LanguageSchema = z
  .string()
  .trim()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as en, he, ar')
  .max(35)
  .openapi({ example: 'ar' });

export const PersonNameInputSchema = z
  .strictObject({
    name: PersonNameTextSchema,
    kind: PersonNameKindSchema.default('primary'),
  })
  .openapi('PersonNameInput');

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^[0-9 +\-()]+$/;

export const ContactInputSchema = z
  .strictObject({
    kind: ContactKindSchema,
    /** emails are lower-cased; phones may hold digits, spaces, +, - and parentheses */
    value: z.string().trim().min(1, 'Required').max(254, 'At most 254 characters'),
    label: z.string().trim().max(60, 'At most 60 characters').optional().openapi({ example: 'work' }),
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'email' && !EMAIL_RE.test(c.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Not an email address' });
    if (c.kind === 'phone' && (!PHONE_RE.test(c.value) || !/\d{3,}/.test(c.value.replace(/\D/g, '')))) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'A phone number holds digits, spaces, +, - and ( ) only' });
    }
  })
  .transform((c) => (c.kind === 'email' ? { ...c, value: c.value.toLowerCase() } : c))
  .openapi('ContactInput');

const AffiliationFields = {
  title: z.string().trim().max(200, 'At most 200 characters').nullable().optional().openapi({ example: 'Deputy head of mission' }),
  startDate: DateOnlySchema.nullable().optional(),
  endDate: DateOnlySchema.nullable().optional(),
};

function endAfterStart(a: { startDate?: string | null; endDate?: string | null }, ctx: z.RefinementCtx) {
  if (a.startDate && a.endDate && a.endDate < a.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'Ends before it starts' });
}

export const AffiliationInputSchema = z
  .strictObject({ organisationId: UuidSchema, ...AffiliationFields })
  .superRefine(endAfterStart)
  .openapi('AffiliationInput');

export const UpdateAffiliationSchema = z.strictObject(AffiliationFields).openapi('UpdateAffiliation');

export const CreatePersonSchema = z
  .strictObject({
    names: z.array(PersonNameInputSchema).min(1, 'At least one name').max(30, 'At most 30 names'),
    /** "Official A, ministry of foreign affairs": required when identityRestricted */
    pseudonym: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters').nullable().optional(),
    /** the real identity (names, contacts, affiliations) is need-to-know; others see the pseudonym */
    identityRestricted: z.boolean().default(false),
    /** the whole record is need-to-know: invisible to those not granted */
    restricted: z.boolean().default(false),
    /** they agreed to be named publicly (in news posts) */
    namedPublicly: z.boolean().default(false),
    contacts: z.array(ContactInputSchema).max(30, 'At most 30 contacts').default([]),
    affiliations: z.array(AffiliationInputSchema).max(30, 'At most 30 affiliations').default([]),
    preferredLanguage: LanguageSchema.nullable().optional(),
    tags: TagsSchema.default([]),
    notes: LongTextSchema.nullable().optional(),
  })
  .openapi('CreatePerson');

/** Names, contacts and affiliations are changed through their own routes. */
export const UpdatePersonSchema = z
  .strictObject({
    pseudonym: z.string().trim().min(1, 'Required').max(200, 'At most 200 characters').nullable().optional(),
    identityRestricted: z.boolean().optional(),
    restricted: z.boolean().optional(),
    namedPublicly: z.boolean().optional(),
    preferredLanguage: LanguageSchema.nullable().optional(),
    tags: TagsSchema.optional(),
    notes: LongTextSchema.nullable().optional(),
  })
  .openapi('UpdatePerson');

export const PersonNameSchema = z
  .object({ id: z.string(), name: z.string(), script: ScriptSchema, kind: PersonNameKindSchema })
  .openapi('PersonName');

export const ContactSchema = z
  .object({ id: z.string(), kind: ContactKindSchema, value: z.string(), label: z.string().nullable() })
  .openapi('Contact');

export const AffiliationSchema = z
  .object({
    id: z.string(),
    organisationId: z.string(),
    organisationName: z.string(),
    /** the organisation's names in every script (the app shows the one in the reader's) */
    organisationNames: z.array(z.object({ name: z.string(), script: ScriptSchema, kind: z.string() })),
    /** the organisation's kind: a person affiliated with a 'mission' is a diplomat */
    organisationKind: z.string(),
    title: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    /** no end date, or one that has not passed */
    current: z.boolean(),
  })
  .openapi('Affiliation');

export const PersonSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    pseudonym: z.string().nullable(),
    identityRestricted: z.boolean(),
    restricted: z.boolean(),
    /** true when the caller sees only the pseudonym: names, contacts and affiliations are then empty */
    identityHidden: z.boolean(),
    /** they agreed to be named publicly (false when the caller sees only the pseudonym) */
    namedPublicly: z.boolean(),
    names: z.array(PersonNameSchema),
    contacts: z.array(ContactSchema),
    affiliations: z.array(AffiliationSchema),
    preferredLanguage: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Person');

export const PersonListQuerySchema = PageQuerySchema.extend({
  /** people currently affiliated with this organisation */
  organisationId: UuidSchema.optional(),
  tag: TagSchema.optional(),
  /** part of any visible name or the pseudonym, in any script */
  q: z.string().trim().max(200).optional(),
  lang: OrderLanguageSchema,
  cursor: OrderCursorSchema,
});

export const PersonPageSchema = z
  .object({
    items: z.array(PersonSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null on the last' }),
    total: z.number().int().openapi({ description: 'People matching the filters that you may see' }),
  })
  .openapi('PersonPage');

export const PersonGrantSchema = z
  .object({ userId: z.string(), name: z.string(), email: z.string(), grantedBy: z.string().nullable(), grantedAt: z.string() })
  .openapi('PersonGrant');

export const CreatePersonGrantSchema = z.strictObject({ userId: z.string().trim().min(1, 'Required').max(100) }).openapi('CreatePersonGrant');

export type CreatePersonInput = z.input<typeof CreatePersonSchema>;
export type UpdatePersonInput = z.infer<typeof UpdatePersonSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type PersonNameInput = z.input<typeof PersonNameInputSchema>;
export type ContactInput = z.input<typeof ContactInputSchema>;
export type AffiliationInput = z.input<typeof AffiliationInputSchema>;
