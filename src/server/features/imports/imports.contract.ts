import { z } from '@hono/zod-openapi';
import { UuidSchema } from '../network/common.contract.ts';

// CSV import (column mapping, preview, all-or-nothing commit), merging duplicates, CSV export.

export const ORGANISATION_FIELDS = [
  'name',
  'name_he',
  'name_ar',
  'name_en',
  'kind',
  'status',
  'country',
  'area',
  'city',
  'website',
  'languages',
  'description',
  'tags',
  'owner_email',
] as const;

export const PERSON_FIELDS = [
  'name',
  'name_he',
  'name_ar',
  'transliterations',
  'email',
  'phone',
  'preferred_language',
  'organisation',
  'title',
  'tags',
  'notes',
] as const;

export type OrganisationField = (typeof ORGANISATION_FIELDS)[number];
export type PersonField = (typeof PERSON_FIELDS)[number];
export type ImportField = OrganisationField | PersonField;

export const ImportListSchema = z.enum(['organisations', 'people']).openapi({ description: 'What the rows are' });

export const MAX_CSV_BYTES = 10 * 1024 * 1024;

export const ImportRequestSchema = z
  .strictObject({
    list: ImportListSchema,
    /** the file's text: UTF-8, with or without a byte-order mark; comma or semicolon separated (detected) */
    csv: z.string().min(1, 'Required').max(MAX_CSV_BYTES, 'At most 10 MB'),
    /**
     * column header -> field. Organisations: name, name_he, name_ar, name_en, kind, status, country, area, city,
     * website, languages, description, tags, owner_email. People: name, name_he, name_ar, transliterations, email,
     * phone, preferred_language, organisation, title, tags, notes. Columns left out are ignored. Without a mapping,
     * one is suggested from the headers (and used).
     */
    mapping: z.record(z.string().max(200), z.string().max(40)).optional().openapi({ example: { 'Organisation name': 'name', 'שם': 'name_he' } }),
    /** spreadsheet row numbers (the header is row 1) to leave out */
    skipRows: z.array(z.number().int().min(2).max(10_000_000)).max(100_000).default([]),
  })
  .openapi('ImportRequest');

export const ImportErrorSchema = z
  .object({
    /** spreadsheet row number: the header is row 1, the first data row is row 2 */
    row: z.number().int(),
    /** the field (as mapped) that is wrong, e.g. kind or email */
    field: z.string(),
    /** the column header the value came from, when there is one */
    column: z.string().nullable(),
    value: z.string().nullable(),
    detail: z.string(),
  })
  .openapi('ImportRowError');

export const ImportSampleRowSchema = z
  .object({
    row: z.number().int(),
    action: z.enum(['create', 'update']),
    /** the existing record the row updates; null when it creates one */
    id: z.string().nullable(),
    /** the values as they would be written (lists split, codes normalised, references resolved) */
    values: z.record(z.string(), z.unknown()),
  })
  .openapi('ImportSampleRow');

export const ImportPreviewSchema = z
  .object({
    list: ImportListSchema,
    delimiter: z.enum([',', ';']),
    columns: z.array(z.string()),
    mapping: z.record(z.string(), z.string()),
    /** data rows in the file (empty lines and skipped rows not counted) */
    rows: z.number().int(),
    skipped: z.number().int(),
    valid: z.number().int(),
    errors: z.array(ImportErrorSchema),
    actions: z.object({ create: z.number().int(), update: z.number().int() }),
    /** the first 20 valid rows as they would be written */
    sample: z.array(ImportSampleRowSchema),
  })
  .openapi('ImportPreview');

export const ImportResultSchema = z
  .object({
    list: ImportListSchema,
    rows: z.number().int(),
    skipped: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    /** record ids by spreadsheet row */
    ids: z.array(z.object({ row: z.number().int(), id: z.string(), action: z.enum(['create', 'update']) })),
  })
  .openapi('ImportResult');

export const MergeRequestSchema = z
  .strictObject({
    /** the record that stays */
    keepId: UuidSchema,
    /** the duplicate: its links move to keepId, then it is deleted */
    mergeId: UuidSchema,
  })
  .openapi('MergeRequest');

export const MergeResultSchema = z
  .object({
    keptId: z.string(),
    mergedId: z.string(),
    /** how many rows of each kind moved to the kept record */
    moved: z.record(z.string(), z.number().int()),
  })
  .openapi('MergeResult');

export type ImportRequest = z.infer<typeof ImportRequestSchema>;
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;
export type ImportRowError = z.infer<typeof ImportErrorSchema>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
