import type { z } from '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { giveWayEvery } from '../../core/give-way.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { CountrySchema, LongTextSchema } from '../network/common.contract.ts';
import { normalizeName } from '../network/names.ts';
import { affiliation, organisation, organisationName, person, personContact, personName } from '../network/network.schema.ts';
import { personIdentityVisible, writer } from '../../access/need-to-know.ts';
import { parseCsv, type ParsedCsv } from './csv.ts';
import {
  MAX_CSV_BYTES,
  type ImportErrorCode,
  type ImportErrorParams,
  type ImportField,
  type ImportPreview,
  type ImportRequest,
  type ImportResult,
  type ImportRowError,
} from './imports.contract.ts';
import { checkMapping, suggestMapping } from './mapping.ts';
import {
  createOrganisationRows,
  createPersonRows,
  organisationCreateInput,
  personCreateInput,
  updateOrganisationRow,
  updatePersonRow,
} from './import.writers.ts';
import { CreateOrganisationSchema } from '../network/organisations.contract.ts';
import { CreatePersonSchema } from '../network/people.contract.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import { importRun, importRunItem } from './imports.schema.ts';
import { ImportStopped, startRun, type Importer, type RunRow, type RunSummary } from './runs.ts';
import type { OrganisationValues, PersonValues, RowPlan } from './import.types.ts';

// CSV import: the file is parsed, mapped, validated and matched against existing records without writing
// anything (preview); commit runs the same plan and writes nothing when any row is wrong. A small file is then
// written in one transaction; a large one by a background job, a short transaction per chunk (networkImporter
// below, runs.ts; docs/network.md, "Long imports"). Rows are numbered as a spreadsheet shows them (the header is row 1).

type Plan =
  | { list: 'organisations'; rows: RowPlan<OrganisationValues>[] }
  | { list: 'people'; rows: RowPlan<PersonValues>[] };

type Planned = {
  parsed: ParsedCsv;
  mapping: Record<string, ImportField>;
  total: number;
  skipped: number;
  errors: ImportRowError[];
  plan: Plan;
};

const CHUNK = 1000;
const LANG_RE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_RE = /^[0-9 +\-()]+$/;

/** A list cell: values separated by ; or | */
function splitList(s: string): string[] {
  return [...new Set(s.split(/[;|]/).map((x) => x.trim()).filter(Boolean))];
}

const KIND_WORDS: Record<string, string[]> = {
  member: ['member', 'members', 'member organisation', 'member organization', 'חבר', 'ארגון חבר', 'חברה', 'عضو', 'منظمة عضو'],
  partner: ['partner', 'partner foundation', 'foundation', 'שותף', 'קרן', 'شريك', 'مؤسسة شريكة'],
  funder: ['funder', 'donor', 'תורם', 'מממן', 'מממנת', 'مانح', 'ممول'],
  mission: ['mission', 'government', 'diplomatic mission', 'embassy', 'consulate', 'government or diplomatic mission', 'נציגות', 'שגרירות', 'ממשלה', 'קונסוליה', 'بعثة', 'سفارة', 'حكومة', 'قنصلية'],
  media: ['media', 'press', 'תקשורת', 'עיתונות', 'إعلام', 'اعلام', 'صحافة'],
  other: ['other', 'אחר', 'אחרת', 'أخرى', 'اخرى', 'آخر'],
};
const STATUS_WORDS: Record<string, string[]> = {
  prospective: ['prospective', 'prospect', 'candidate', 'מועמד', 'מועמדת', 'مرشح', 'محتمل'],
  active: ['active', 'פעיל', 'פעילה', 'نشط', 'فعال'],
  suspended: ['suspended', 'מושעה', 'מושעית', 'معلق', 'معلقة'],
  former: ['former', 'past', 'לשעבר', 'עבר', 'سابق', 'سابقة'],
};

function lookupWord(table: Record<string, string[]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [value, words] of Object.entries(table)) {
    m.set(normalizeName(value), value);
    for (const w of words) m.set(normalizeName(w), value);
  }
  return m;
}
const KINDS = lookupWord(KIND_WORDS);
const STATUSES = lookupWord(STATUS_WORDS);

/** Parses, maps and checks the request; throws 400 for a file or mapping that cannot be used at all. */
async function prepare(req: ImportRequest) {
  if (Buffer.byteLength(req.csv, 'utf8') > MAX_CSV_BYTES) {
    throw new AppError('invalid', 'csv_too_large', 'The CSV is larger than 10 MB.', [{ field: 'body.csv', detail: 'At most 10 MB' }]);
  }
  const parsed = await parseCsv(req.csv);
  const mapping = checkMapping(req.list, parsed.columns, req.mapping ?? suggestMapping(req.list, parsed.columns));
  const skip = new Set(req.skipRows);
  const rows = parsed.rows.filter((r) => !skip.has(r.row));
  return { parsed, mapping, rows, skipped: parsed.rows.length - rows.length };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

/** A row error: `code` and `params` for a translated message, `detail` the same in English. */
type Cells = {
  row: number;
  get(field: ImportField): string | undefined;
  err(field: ImportField | 'row', code: ImportErrorCode, detail: string, params?: ImportErrorParams, value?: string): void;
};

function rowReader(parsed: ParsedCsv, mapping: Record<string, ImportField>, errors: ImportRowError[]) {
  const index = new Map<ImportField, number>();
  const columnOf = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    index.set(field, parsed.columns.indexOf(column));
    columnOf.set(field, column);
  }
  return (r: { row: number; cells: string[] }): Cells => {
    const get = (field: ImportField) => {
      const i = index.get(field);
      if (i === undefined) return undefined;
      const v = (r.cells[i] ?? '').trim();
      return v === '' ? undefined : v;
    };
    const err: Cells['err'] = (field, code, detail, params = {}, value) =>
      errors.push({
        row: r.row,
        field,
        column: columnOf.get(field) ?? null,
        value: value ?? (field === 'row' ? null : (get(field as ImportField) ?? null)),
        detail,
        code,
        params,
      });
    if (r.cells.length > parsed.columns.length && r.cells.slice(parsed.columns.length).some((c) => c.trim() !== '')) {
      const cells = r.cells.length;
      const columns = parsed.columns.length;
      err('row', 'row_too_long', `The row has ${cells} cells; the header has ${columns} columns`, { cells, columns });
    }
    return { row: r.row, get, err };
  };
}

function text(c: Cells, field: ImportField, max: number): string | undefined {
  const v = c.get(field);
  if (v !== undefined && v.length > max) {
    c.err(field, 'too_long', `At most ${max} characters`, { max });
    return undefined;
  }
  return v;
}

function tagsOf(c: Cells): string[] | undefined {
  const v = c.get('tags');
  if (v === undefined) return undefined;
  const tags = splitList(v);
  if (tags.some((t) => t.length > 60)) c.err('tags', 'tag_too_long', 'Each tag at most 60 characters', { max: 60 });
  else if (tags.length > 50) c.err('tags', 'too_many_tags', 'At most 50 tags', { max: 50 });
  else return tags;
  return undefined;
}

async function chunked<T, R>(items: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(...(await fn(items.slice(i, i + CHUNK))));
    // the embedded database answers in the same turn of the event loop: without a turn between queries, checking a
    // large file would keep every other request (their sockets) waiting until it is done
    if (i + CHUNK < items.length) await new Promise<void>((r) => setImmediate(r));
  }
  return out;
}

/** organisation ids by name norm (any recorded name of any organisation) */
async function organisationsByNorm(db: Db, norms: string[]): Promise<Map<string, Set<string>>> {
  const uniq = [...new Set(norms.filter(Boolean))];
  const rows = await chunked(uniq, (part) =>
    db.selectDistinct({ id: organisationName.organisationId, norm: organisationName.norm }).from(organisationName).where(inArray(organisationName.norm, part)),
  );
  const m = new Map<string, Set<string>>();
  for (const r of rows) {
    const s = m.get(r.norm) ?? new Set<string>();
    s.add(r.id);
    m.set(r.norm, s);
  }
  return m;
}

// ------------------------------------------------------------------------------------------------ organisations

async function planOrganisations(db: Db, prepared: Prepared, errors: ImportRowError[]): Promise<RowPlan<OrganisationValues>[]> {
  const read = rowReader(prepared.parsed, prepared.mapping, errors);
  const drafts: { c: Cells; v: OrganisationValues; norms: string[] }[] = [];
  // checking a large file is plain JavaScript for seconds: it gives other requests a turn (core/give-way.ts)
  const giveWay = giveWayEvery();
  for (const r of prepared.rows) {
    await giveWay();
    const c = read(r);
    const names: OrganisationValues['names'] = [];
    const seen = new Set<string>();
    for (const f of ['name', 'name_en', 'name_he', 'name_ar'] as const) {
      const n = text(c, f, 300);
      if (n === undefined) continue;
      const norm = normalizeName(n);
      if (!norm) {
        c.err(f, 'no_letters', 'A name needs at least one letter or digit');
        continue;
      }
      if (!seen.has(norm)) names.push({ name: n, kind: 'official' });
      seen.add(norm);
    }
    if (names.length === 0 && !errors.some((e) => e.row === c.row && e.field.startsWith('name'))) c.err('name', 'required', 'Required', {}, '');
    const v: OrganisationValues = { names };
    const kind = c.get('kind');
    if (kind !== undefined) {
      const k = KINDS.get(normalizeName(kind));
      if (k) v.kind = k;
      else c.err('kind', 'unknown_kind', 'Use member, partner, funder, mission, media or other');
    }
    const status = c.get('status');
    if (status !== undefined) {
      const s = STATUSES.get(normalizeName(status));
      if (s) v.status = s;
      else c.err('status', 'unknown_status', 'Use prospective, active, suspended or former');
    }
    if (v.status && v.kind && v.kind !== 'member') c.err('status', 'status_for_non_member', 'Only member organisations have a membership status');
    const country = c.get('country');
    if (country !== undefined) {
      const p = CountrySchema.safeParse(country);
      if (p.success) v.country = p.data;
      else c.err('country', 'not_a_country', p.error.issues[0]?.message ?? 'Not a country code');
    }
    const area = text(c, 'area', 120);
    if (area) v.area = area;
    const city = text(c, 'city', 120);
    if (city) v.city = city;
    const website = c.get('website');
    if (website !== undefined) {
      const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(website) ? website : `https://${website}`;
      let ok = false;
      try {
        const u = new URL(withScheme);
        ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.') && withScheme.length <= 500;
      } catch {
        ok = false;
      }
      if (ok) v.website = withScheme;
      else c.err('website', 'not_a_url', 'Not a web address');
    }
    const languages = c.get('languages');
    if (languages !== undefined) {
      const codes = splitList(languages).map((l) => l.toLowerCase());
      const bad = codes.find((l) => !LANG_RE.test(l));
      if (bad !== undefined) c.err('languages', 'not_a_language', `"${bad}" is not a language code such as en, he, ar`, { value: bad });
      else if (codes.length > 20) c.err('languages', 'too_many_languages', 'At most 20 languages', { max: 20 });
      else v.languages = codes;
    }
    const description = c.get('description');
    if (description !== undefined) {
      if (LongTextSchema.safeParse(description).success) v.description = description;
      else c.err('description', 'too_long', 'At most 20,000 characters', { max: 20_000 });
    }
    const tags = tagsOf(c);
    if (tags) v.tags = tags;
    const owner = c.get('owner_email');
    if (owner !== undefined) v.ownerEmail = owner.toLowerCase();
    drafts.push({ c, v, norms: names.map((n) => normalizeName(n.name)) });
  }

  // owners: users by email
  const ownerEmails = [...new Set(drafts.map((d) => d.v.ownerEmail).filter((e): e is string => !!e))];
  const owners = new Map(
    (await chunked(ownerEmails, (part) => db.select({ id: user.id, email: user.email }).from(user).where(inArray(sql`lower(${user.email})`, part)))).map((u) => [
      u.email.toLowerCase(),
      u.id,
    ]),
  );
  const existing = await organisationsByNorm(db, drafts.flatMap((d) => d.norms));
  const claimed = new Map<string, number>(); // name norm -> first row that holds it
  const plans: RowPlan<OrganisationValues>[] = [];
  for (const { c, v, norms } of drafts) {
    if (v.ownerEmail) {
      const id = owners.get(v.ownerEmail);
      if (id) v.ownerId = id;
      else c.err('owner_email', 'no_such_user', 'No user with this email');
    }
    const earlier = norms.map((n) => claimed.get(n)).find((r) => r !== undefined);
    if (earlier !== undefined) c.err('name', 'duplicate_of_row', `The same organisation as row ${earlier}`, { row: earlier });
    for (const n of norms) if (!claimed.has(n)) claimed.set(n, c.row);
    const matches = new Set<string>();
    for (const n of norms) for (const id of existing.get(n) ?? []) matches.add(id);
    if (matches.size > 1) {
      c.err('name', 'matches_several_organisations', `The names match ${matches.size} different organisations; merge them first or change the names`, { count: matches.size });
      continue;
    }
    const id = [...matches][0] ?? null;
    plans.push({ row: c.row, action: id ? 'update' : 'create', id, values: v });
  }
  // a status for an existing organisation that is not (and does not become) a member
  const kinds = new Map(
    (
      await chunked(
        plans.filter((p) => p.id && p.values.status && !p.values.kind).map((p) => p.id!),
        (part) => db.select({ id: organisation.id, kind: organisation.kind }).from(organisation).where(inArray(organisation.id, part)),
      )
    ).map((o) => [o.id, o.kind]),
  );
  for (const p of plans) {
    const kind = p.id ? kinds.get(p.id) : undefined;
    if (kind && kind !== 'member') {
      errors.push({
        row: p.row,
        field: 'status',
        column: Object.keys(prepared.mapping).find((k) => prepared.mapping[k] === 'status') ?? null,
        value: p.values.status ?? null,
        detail: `Only member organisations have a membership status (this one is ${kind})`,
        code: 'status_for_existing_non_member',
        params: { kind },
      });
    }
  }
  return plans;
}

// ------------------------------------------------------------------------------------------------ people

async function planPeople(db: Db, actor: Actor, prepared: Prepared, errors: ImportRowError[]): Promise<RowPlan<PersonValues>[]> {
  const read = rowReader(prepared.parsed, prepared.mapping, errors);
  const drafts: { c: Cells; v: PersonValues; orgNorm?: string }[] = [];
  // checking a large file is plain JavaScript for seconds: it gives other requests a turn (core/give-way.ts)
  const giveWay = giveWayEvery();
  for (const r of prepared.rows) {
    await giveWay();
    const c = read(r);
    const v: PersonValues = { names: [], emails: [], phones: [] };
    const seen = new Set<string>();
    const addName = (name: string, kind: PersonValues['names'][number]['kind'], field: ImportField) => {
      if (name.length > 200) return c.err(field, 'too_long', 'At most 200 characters', { max: 200 }, name);
      const norm = normalizeName(name);
      if (!norm) return c.err(field, 'no_letters', 'A name needs at least one letter or digit', {}, name);
      if (!seen.has(`${kind}:${name}`)) v.names.push({ name, kind });
      seen.add(`${kind}:${name}`);
    };
    const name = c.get('name');
    if (name !== undefined) addName(name, 'primary', 'name');
    for (const f of ['name_he', 'name_ar'] as const) {
      const n = c.get(f);
      if (n !== undefined) addName(n, v.names.length === 0 ? 'primary' : 'alternate', f);
    }
    const translit = c.get('transliterations');
    if (translit !== undefined) for (const t of splitList(translit)) addName(t, 'transliteration', 'transliterations');
    const email = c.get('email');
    if (email !== undefined) {
      const list = splitList(email.replace(/,/g, ';')).map((e) => e.toLowerCase());
      const bad = list.find((e) => !EMAIL_RE.test(e) || e.length > 254);
      if (bad !== undefined) c.err('email', 'not_an_email', `"${bad}" is not an email address`, { value: bad });
      else v.emails = list;
    }
    const phone = c.get('phone');
    if (phone !== undefined) {
      const list = splitList(phone);
      const bad = list.find((p) => !PHONE_RE.test(p) || !/\d{3,}/.test(p.replace(/\D/g, '')) || p.length > 254);
      if (bad !== undefined) c.err('phone', 'not_a_phone', `"${bad}" is not a phone number (digits, spaces, +, - and ( ) only)`, { value: bad });
      else v.phones = list;
    }
    if (v.emails.length + v.phones.length > 30) c.err(v.emails.length > 30 ? 'email' : 'phone', 'too_many_contacts', 'At most 30 emails and phones', { max: 30 });
    const lang = c.get('preferred_language');
    if (lang !== undefined) {
      if (LANG_RE.test(lang.toLowerCase())) v.preferredLanguage = lang.toLowerCase();
      else c.err('preferred_language', 'not_a_language', 'Use a language code such as en, he, ar', { value: lang });
    }
    const org = text(c, 'organisation', 300);
    if (org !== undefined) v.organisationName = org;
    const title = text(c, 'title', 200);
    if (title !== undefined) {
      if (org === undefined && c.get('organisation') === undefined) c.err('title', 'title_needs_organisation', 'A title needs an organisation');
      else v.title = title;
    }
    const tags = tagsOf(c);
    if (tags) v.tags = tags;
    const notes = c.get('notes');
    if (notes !== undefined) {
      if (LongTextSchema.safeParse(notes).success) v.notes = notes;
      else c.err('notes', 'too_long', 'At most 20,000 characters', { max: 20_000 });
    }
    drafts.push({ c, v, orgNorm: org !== undefined ? normalizeName(org) : undefined });
  }

  const orgs = await organisationsByNorm(db, drafts.map((d) => d.orgNorm ?? ''));
  for (const { c, v, orgNorm } of drafts) {
    if (orgNorm === undefined) continue;
    const ids = [...(orgs.get(orgNorm) ?? [])];
    if (ids.length === 0) c.err('organisation', 'no_such_organisation', 'No organisation has this name; import or create it first');
    else if (ids.length > 1) c.err('organisation', 'several_organisations', `${ids.length} organisations have this name`, { count: ids.length });
    else v.organisationId = ids[0];
  }

  // matching existing people: by email, else by name and organisation; only people whose identity the
  // importer may see (anyone else's would be revealed, or silently changed)
  const allEmails = [...new Set(drafts.flatMap((d) => d.v.emails))];
  const byEmail = new Map<string, Set<string>>();
  for (const r of await chunked(allEmails, (part) =>
    db
      .selectDistinct({ personId: personContact.personId, value: personContact.value })
      .from(personContact)
      .where(and(eq(personContact.kind, 'email'), inArray(personContact.value, part), personIdentityVisible(actor, personContact.personId))),
  )) {
    const s = byEmail.get(r.value) ?? new Set<string>();
    s.add(r.personId);
    byEmail.set(r.value, s);
  }
  const nameOrgNorms = [...new Set(drafts.filter((d) => d.v.organisationId).flatMap((d) => d.v.names.map((n) => normalizeName(n.name))))];
  const byNameOrg = new Map<string, Set<string>>();
  for (const r of await chunked(nameOrgNorms, (part) =>
    db
      .selectDistinct({ personId: personName.personId, norm: personName.norm, organisationId: affiliation.organisationId })
      .from(personName)
      .innerJoin(affiliation, eq(affiliation.personId, personName.personId))
      .where(and(inArray(personName.norm, part), personIdentityVisible(actor, personName.personId))),
  )) {
    const k = `${r.norm}\u0000${r.organisationId}`;
    const s = byNameOrg.get(k) ?? new Set<string>();
    s.add(r.personId);
    byNameOrg.set(k, s);
  }

  const claimed = new Map<string, number>();
  const plans: RowPlan<PersonValues>[] = [];
  for (const { c, v } of drafts) {
    const keys = [
      ...v.emails.map((e) => `email:${e}`),
      ...(v.organisationId ? v.names.map((n) => `name:${normalizeName(n.name)}\u0000${v.organisationId}`) : []),
    ];
    const earlier = keys.map((k) => claimed.get(k)).find((r) => r !== undefined);
    if (earlier !== undefined) c.err(v.emails.length ? 'email' : 'name', 'duplicate_of_row', `The same person as row ${earlier}`, { row: earlier });
    for (const k of keys) if (!claimed.has(k)) claimed.set(k, c.row);

    let matches = new Set<string>();
    for (const e of v.emails) for (const id of byEmail.get(e) ?? []) matches.add(id);
    let field: ImportField = 'email';
    if (matches.size === 0 && v.organisationId) {
      field = 'name';
      for (const n of v.names) for (const id of byNameOrg.get(`${normalizeName(n.name)}\u0000${v.organisationId}`) ?? []) matches.add(id);
    }
    if (matches.size > 1) {
      c.err(field, 'matches_several_people', `Matches ${matches.size} different people; merge them first`, { count: matches.size });
      matches = new Set();
      continue;
    }
    const id = [...matches][0] ?? null;
    if (!id && !v.names.some((n) => n.kind === 'primary') && !errors.some((e) => e.row === c.row && e.field === 'name')) {
      c.err('name', 'required_for_new_person', 'Required for a new person', {}, '');
    }
    plans.push({ row: c.row, action: id ? 'update' : 'create', id, values: v });
  }
  return plans;
}

const ORG_PATHS: Record<string, ImportField> = { names: 'name', name: 'name', ownerId: 'owner_email' };
const PERSON_PATHS: Record<string, ImportField> = { names: 'name', affiliations: 'organisation', preferredLanguage: 'preferred_language' };

type Issue = z.core.$ZodIssue;

// the field-specific codes for a value the create schemas refuse by its form (regex, refine, enum)
const FORM_CODES: Partial<Record<ImportField, ImportErrorCode>> = {
  name: 'no_letters',
  name_he: 'no_letters',
  name_ar: 'no_letters',
  name_en: 'no_letters',
  kind: 'unknown_kind',
  status: 'unknown_status',
  country: 'not_a_country',
  website: 'not_a_url',
  languages: 'not_a_language',
  preferred_language: 'not_a_language',
  email: 'not_an_email',
  phone: 'not_a_phone',
};
const LIST_CODES: Partial<Record<ImportField, ImportErrorCode>> = {
  languages: 'too_many_languages',
  tags: 'too_many_tags',
  email: 'too_many_contacts',
  phone: 'too_many_contacts',
};
// these codes' messages name the bad value, so they need it
const NAMES_VALUE = new Set<ImportErrorCode>(['not_a_language', 'not_an_email', 'not_a_phone']);

/** A zod issue of the create schemas as a row error's code and params; `invalid` (with zod's message) for the rest. */
function issueProblem(issue: Issue, field: ImportField, input: unknown): { code: ImportErrorCode; params: ImportErrorParams } {
  const inList = issue.path.length > 1; // an element of a list (a tag, a language), not the list itself
  if (issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) {
    const max = Number(issue.maximum);
    if (issue.origin === 'string') return { code: field === 'tags' && inList ? 'tag_too_long' : 'too_long', params: { max } };
    return { code: LIST_CODES[field] ?? 'too_many', params: { max } };
  }
  if (issue.code === 'too_small' && (issue.origin === 'string' || issue.origin === 'array')) {
    const min = Number(issue.minimum);
    return min <= 1 ? { code: 'required', params: {} } : { code: 'too_short', params: { min } };
  }
  if (issue.code === 'invalid_format' || issue.code === 'custom' || issue.code === 'invalid_value') {
    const code = FORM_CODES[field];
    if (code && !NAMES_VALUE.has(code)) return { code, params: {} };
    // the bad element itself, e.g. languages[2]
    let value: unknown = input;
    for (const k of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
    if (code && typeof value === 'string') return { code, params: { value } };
  }
  return { code: 'invalid', params: {} };
}

/** New rows are checked with the services' own create schemas, so that the preview catches what a commit would refuse. */
async function checkCreates(plan: Plan, mapping: Record<string, ImportField>, errors: ImportRowError[]) {
  const bad = new Set(errors.map((e) => e.row));
  const columnOf = (f: ImportField) => Object.keys(mapping).find((k) => mapping[k] === f) ?? null;
  // checking a large file is plain JavaScript for seconds: it gives other requests a turn (core/give-way.ts)
  const giveWay = giveWayEvery();
  for (const r of (plan.rows as RowPlan<OrganisationValues | PersonValues>[])) {
    await giveWay();
    if (r.action !== 'create' || bad.has(r.row)) continue;
    const input = plan.list === 'organisations' ? organisationCreateInput(r.values as OrganisationValues) : personCreateInput(r.values as PersonValues);
    const result = plan.list === 'organisations' ? CreateOrganisationSchema.safeParse(input) : CreatePersonSchema.safeParse(input);
    if (result.success) continue;
    for (const issue of result.error.issues) {
      const [head, index, leaf] = issue.path.map(String);
      let field: ImportField;
      if (plan.list === 'organisations') field = ORG_PATHS[head!] ?? (head as ImportField);
      else if (head === 'contacts') {
        const v = r.values as PersonValues;
        field = Number(index) < v.emails.length ? 'email' : 'phone';
      } else if (head === 'affiliations' && leaf === 'title') field = 'title';
      else field = PERSON_PATHS[head!] ?? (head as ImportField);
      errors.push({ row: r.row, field, column: columnOf(field), value: null, detail: issue.message, ...issueProblem(issue, field, input) });
    }
  }
}

async function planImport(db: Db, ctx: RequestContext, req: ImportRequest, parsed?: Prepared): Promise<Planned> {
  const actor = writer(ctx);
  const prepared = parsed ?? (await prepare(req));
  const errors: ImportRowError[] = [];
  const plan: Plan =
    req.list === 'organisations'
      ? { list: 'organisations', rows: await planOrganisations(db, prepared, errors) }
      : { list: 'people', rows: await planPeople(db, actor, prepared, errors) };
  await checkCreates(plan, prepared.mapping, errors);
  // as a spreadsheet reads: by row, then left to right
  const col = (e: ImportRowError) => (e.column === null ? -1 : prepared.parsed.columns.indexOf(e.column));
  errors.sort((a, b) => a.row - b.row || col(a) - col(b));
  return { parsed: prepared.parsed, mapping: prepared.mapping, total: prepared.parsed.rows.length, skipped: prepared.skipped, errors, plan };
}

function summary(p: Planned) {
  const bad = new Set(p.errors.map((e) => e.row));
  const good = (p.plan.rows as RowPlan<unknown>[]).filter((r) => !bad.has(r.row));
  return { bad, good };
}

export async function previewImport(db: Db, ctx: RequestContext, req: ImportRequest): Promise<ImportPreview> {
  const p = await planImport(db, ctx, req);
  const { bad, good } = summary(p);
  const sample = good.slice(0, 20).map((r) => {
    const { ownerEmail: _o, ...values } = r.values as OrganisationValues & PersonValues;
    return { row: r.row, action: r.action, id: r.id, values: values as Record<string, unknown> };
  });
  return {
    list: req.list,
    delimiter: p.parsed.delimiter,
    columns: p.parsed.columns,
    mapping: p.mapping,
    rows: p.total - p.skipped,
    skipped: p.skipped,
    valid: p.total - p.skipped - bad.size,
    errors: p.errors,
    actions: { create: good.filter((r) => r.action === 'create').length, update: good.filter((r) => r.action === 'update').length },
    sample,
  };
}

/** Imports of at most this many rows are written at once, in one transaction (a 200 with the result); larger ones by a job. */
export const SYNC_MAX_ROWS = 100;

type AnyRow = RowPlan<OrganisationValues | PersonValues>;

/** Writes planned rows through the writers: new records in batches, updates one by one. Ids by row, in row order. */
async function writeRows(tx: Db, ctx: RequestContext, list: ImportRequest['list'], rows: AnyRow[]): Promise<ImportResult['ids']> {
  const ids: ImportResult['ids'] = [];
  const write = async <V,>(part: RowPlan<V>[], create: (tx: Db, ctx: RequestContext, rows: RowPlan<V>[]) => Promise<string[]>, update: (tx: Db, ctx: RequestContext, r: RowPlan<V>) => Promise<string>) => {
    const creates = part.filter((r) => r.action === 'create');
    const created = await create(tx, ctx, creates);
    creates.forEach((r, i) => ids.push({ row: r.row, action: 'create', id: created[i]! }));
    for (const r of part) if (r.action === 'update') ids.push({ row: r.row, action: 'update', id: await update(tx, ctx, r) });
  };
  if (list === 'organisations') await write(rows as RowPlan<OrganisationValues>[], createOrganisationRows, updateOrganisationRow);
  else await write(rows as RowPlan<PersonValues>[], createPersonRows, updatePersonRow);
  ids.sort((a, b) => a.row - b.row);
  return ids;
}

function commitAudit(req: ImportRequest, p: Planned, created: number, updated: number, extra: Record<string, unknown> = {}) {
  return {
    action: 'import.commit',
    entityType: req.list === 'organisations' ? 'organisation' : 'person',
    detail: {
      list: req.list,
      rows: p.total - p.skipped,
      skipped: p.skipped,
      skipRows: req.skipRows,
      created,
      updated,
      columns: p.parsed.columns,
      mapping: p.mapping,
      ...extra,
    },
  };
}

/**
 * Writes a CSV import. Every row is validated first; with any row error the answer is the errors and nothing is
 * written. A small import (SYNC_MAX_ROWS rows or fewer) is then written in one transaction and answered with the
 * result. A larger one becomes a run (runs.ts): answered at once (202), written by a background job in short
 * transactions; GET /api/imports/{id} follows it.
 */
export async function commitImport(
  db: Db,
  ctx: RequestContext,
  req: ImportRequest,
  jobs: Jobs,
): Promise<{ ok: false; errors: ImportRowError[] } | { ok: true; result: ImportResult } | { ok: 'started'; run: RunSummary }> {
  writer(ctx);
  const parsed = await prepare(req);
  if (parsed.rows.length > SYNC_MAX_ROWS) {
    // validated without a transaction (reads only), then handed to a job
    const p = await planImport(db, ctx, req, parsed);
    if (p.errors.length) return { ok: false as const, errors: p.errors };
    const run = await db.transaction((tx) =>
      startRun(tx, ctx, jobs, { kind: 'network', target: req.list, input: { ...req } as Record<string, unknown>, total: p.plan.rows.length }),
    );
    return { ok: 'started' as const, run };
  }
  return db.transaction(async (tx) => {
    // planned inside the transaction, so the matches are the ones the writes see
    const p = await planImport(tx, ctx, req);
    if (p.errors.length) return { ok: false as const, errors: p.errors };
    const ids = await writeRows(tx, ctx, req.list, p.plan.rows as AnyRow[]);
    const created = ids.filter((x) => x.action === 'create').length;
    const result: ImportResult = { list: req.list, rows: p.total - p.skipped, skipped: p.skipped, created, updated: ids.length - created, ids };
    await recordAudit(tx, ctx, commitAudit(req, p, created, result.updated));
    return { ok: true as const, result };
  });
}

// ------------------------------------------------------------------------------------------------ as a job

type NetworkPrepared = { planned: Planned; rows: AnyRow[]; req: ImportRequest };

/**
 * Before each chunk, in its transaction: the records its rows point to are still there (and still visible to the
 * importer). A row whose organisation, person or owner went away meanwhile stops the run, naming the row.
 */
async function checkChunk(tx: Db, ctx: RequestContext, list: ImportRequest['list'], rows: AnyRow[]) {
  const actor = writer(ctx);
  const gone = (r: AnyRow, what: string) =>
    new ImportStopped('record_gone', `Row ${r.row}: ${what} was deleted meanwhile (or is no longer visible to you).`, { row: r.row });
  const targets = rows.filter((r) => r.action === 'update').map((r) => r.id!);
  if (list === 'organisations') {
    const have = new Set(targets.length ? (await tx.select({ id: organisation.id }).from(organisation).where(inArray(organisation.id, targets))).map((o) => o.id) : []);
    for (const r of rows) if (r.action === 'update' && !have.has(r.id!)) throw gone(r, 'the organisation it updates');
    const owners = [...new Set(rows.map((r) => (r.values as OrganisationValues).ownerId).filter((x): x is string => !!x))];
    const users = new Set(owners.length ? (await tx.select({ id: user.id }).from(user).where(inArray(user.id, owners))).map((u) => u.id) : []);
    for (const r of rows) {
      const owner = (r.values as OrganisationValues).ownerId;
      if (owner && !users.has(owner)) throw gone(r, 'the owner’s account');
    }
    return;
  }
  const have = new Set(
    targets.length ? (await tx.select({ id: person.id }).from(person).where(and(inArray(person.id, targets), personIdentityVisible(actor, person.id)))).map((x) => x.id) : [],
  );
  for (const r of rows) if (r.action === 'update' && !have.has(r.id!)) throw gone(r, 'the person it updates');
  const orgIds = [...new Set(rows.map((r) => (r.values as PersonValues).organisationId).filter((x): x is string => !!x))];
  const orgs = new Set(orgIds.length ? (await tx.select({ id: organisation.id }).from(organisation).where(inArray(organisation.id, orgIds))).map((o) => o.id) : []);
  for (const r of rows) {
    const org = (r.values as PersonValues).organisationId;
    if (org && !orgs.has(org)) throw gone(r, 'its organisation');
  }
}

/** The Network CSV as a run: the plan's rows in file order, a chunk at a time, each row's record kept for the result. */
export const networkImporter: Importer<NetworkPrepared> = {
  chunk: 100,
  async prepare(db, run, ctx) {
    const req = run.input as unknown as ImportRequest;
    const planned = await planImport(db, ctx, req);
    if (planned.errors.length) {
      const n = new Set(planned.errors.map((e) => e.row)).size;
      throw new ImportStopped('import_has_errors', `${n} ${n === 1 ? 'row has' : 'rows have'} errors now (the data changed since the import was checked).`, {
        rowErrors: planned.errors.slice(0, 500),
      });
    }
    const rows = [...(planned.plan.rows as AnyRow[])].sort((a, b) => a.row - b.row);
    return { planned, rows, req, total: rows.length };
  },
  async write(tx, run, prep, ctx, from, to) {
    const part = prep.rows.slice(from, to);
    await checkChunk(tx, ctx, prep.req.list, part);
    const ids = await writeRows(tx, ctx, prep.req.list, part);
    await tx.insert(importRunItem).values(ids.map((x) => ({ runId: run.id, row: x.row, action: x.action, recordId: x.id })));
    const created = ids.filter((x) => x.action === 'create').length;
    return { created, updated: ids.length - created };
  },
  async finish(tx, run, prep, ctx) {
    const [counts] = await tx.select({ created: importRun.created, updated: importRun.updated }).from(importRun).where(eq(importRun.id, run.id));
    await recordAudit(tx, ctx, commitAudit(prep.req, prep.planned, counts!.created, counts!.updated, { runId: run.id }));
    return { list: prep.req.list, rows: prep.planned.total - prep.planned.skipped, skipped: prep.planned.skipped, created: counts!.created, updated: counts!.updated };
  },
};
