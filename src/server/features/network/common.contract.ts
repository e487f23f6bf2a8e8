import { z } from '@hono/zod-openapi';

// Field schemas shared by the Network pillar's contracts (organisations, people, meetings, imports).

export const UuidSchema = z.string().uuid('Not a valid id');

/** A calendar day without time: YYYY-MM-DD */
export const DateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Not a real date')
  .openapi({ example: '2024-07-09' });

/** An instant with its offset: 2024-07-09T08:30:00Z or 2024-07-09T11:30:00+03:00 */
export const InstantSchema = z.iso.datetime({ offset: true, message: 'Use ISO 8601 with an offset, e.g. 2024-07-09T08:30:00Z' });

export const TagSchema = z.string().trim().min(1, 'Required').max(60, 'At most 60 characters');
export const TagsSchema = z.array(TagSchema).max(50, 'At most 50 tags');

export const ScriptSchema = z.enum(['latin', 'hebrew', 'arabic', 'other']);

/** ISO 3166-1 alpha-2, upper case */
export const CountrySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use a two-letter country code (IL, PS, DE …)');

/** BCP 47 language codes: en, he, ar, fr … */
export const LanguageCodesSchema = z.array(z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language code such as en, he, ar')).max(20);

export const ShortTextSchema = z.string().trim().min(1, 'Required').max(300, 'At most 300 characters');
export const LongTextSchema = z.string().max(20_000, 'At most 20,000 characters');
