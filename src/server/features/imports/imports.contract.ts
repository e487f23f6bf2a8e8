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

/**
 * What a row error is, as a stable code a client translates (the web app's catalogs have import.rowErrors.<code>),
 * with the params its message interpolates. `detail` says the same in English.
 */
export const IMPORT_ERROR_CODES = {
  required: 'the field is empty and needed',
  required_for_new_person: 'the row creates a person, so it needs a name',
  too_long: 'more characters than { max }',
  too_short: 'fewer characters than { min }',
  too_many: 'more values than { max }',
  row_too_long: 'the row has { cells } cells; the header has { columns } columns',
  no_letters: 'a name needs at least one letter or digit',
  unknown_kind: 'not an organisation kind (member, partner, funder, mission, media, other, or a Hebrew or Arabic word for one)',
  unknown_status: 'not a membership status (prospective, active, suspended, former, or a Hebrew or Arabic word for one)',
  status_for_non_member: 'a membership status on a row whose kind is not member',
  status_for_existing_non_member: 'a membership status for an existing organisation of { kind } (not member)',
  not_a_country: 'not a two-letter country code',
  not_a_url: 'not a web address',
  not_a_language: '{ value } is not a language code such as en, he, ar',
  too_many_languages: 'more languages than { max }',
  tag_too_long: 'a tag has more characters than { max }',
  too_many_tags: 'more tags than { max }',
  no_such_user: 'no user has this email',
  duplicate_of_row: 'the same organisation or person as an earlier { row } of the file',
  matches_several_organisations: 'the names match { count } different organisations',
  matches_several_people: 'the row matches { count } different people',
  not_an_email: '{ value } is not an email address',
  not_a_phone: '{ value } is not a phone number',
  too_many_contacts: 'more emails and phones than { max }',
  title_needs_organisation: 'a title or role without an organisation',
  no_such_organisation: 'no organisation has this name',
  several_organisations: '{ count } organisations have this name',
  invalid: 'any other problem: detail says what',
} as const;

export type ImportErrorCode = keyof typeof IMPORT_ERROR_CODES;
export type ImportErrorParams = Record<string, string | number>;

export const ImportErrorSchema = z
  .object({
    /** spreadsheet row number: the header is row 1, the first data row is row 2 */
    row: z.number().int(),
    /** the field (as mapped) that is wrong, e.g. kind or email */
    field: z.string(),
    /** the column header the value came from, when there is one */
    column: z.string().nullable(),
    value: z.string().nullable(),
    detail: z.string().openapi({ description: 'What is wrong, in English', example: 'At most 200 characters' }),
    code: z.string().openapi({
      description: `What is wrong, as a stable code to translate (new codes may be added; show detail for an unknown one): ${Object.entries(
        IMPORT_ERROR_CODES,
      )
        .map(([code, what]) => `${code} (${what})`)
        .join('; ')}`,
      example: 'too_long',
    }),
    params: z.record(z.string(), z.union([z.string(), z.number()])).openapi({
      description: 'The values the message interpolates, named as in the code list: max, min, row, count, cells, columns (numbers); value, kind (text). Empty when there are none.',
      example: { max: 200 },
    }),
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

export const ImportRunSchema = z
  .object({
    id: z.string().openapi({ description: 'The run, and its background job (GET /api/jobs/{id} for admins)' }),
    /** network: a CSV of organisations or people; polis: a Pol.is export; study: a panel vendor's CSV */
    kind: z.enum(['network', 'polis', 'study']),
    /** network: organisations or people; polis: the new dialogue's id; study: the study's id */
    target: z.string(),
    state: z.enum(['queued', 'running', 'undoing', 'done', 'failed']).openapi({
      description: 'queued → running → done; failed when the data changed under it (see error); undoing while a failed run removes what it wrote',
    }),
    /** units to write (rows; for Pol.is participants, statements and votes) and written so far */
    total: z.number().int(),
    done: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    startedAt: z.string().nullable().openapi({ format: 'date-time' }),
    finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
    /** the summary when done (a Network import: ImportResult, with each row's record) */
    result: z.record(z.string(), z.unknown()).nullable(),
    /**
     * why it failed: code, message; rowErrors when rows no longer validate; row when one row's record went away;
     * undone when what it wrote was removed
     */
    error: z.record(z.string(), z.unknown()).nullable(),
    /** a Network import that failed: the rows written before it stopped (they stay), with their records */
    written: z.array(z.object({ row: z.number().int(), id: z.string(), action: z.enum(['create', 'update']) })).nullable(),
  })
  .openapi('ImportRun');

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
export type ImportRunDto = z.infer<typeof ImportRunSchema>;
