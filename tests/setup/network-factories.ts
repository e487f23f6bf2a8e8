import type { Db } from '../../src/server/db/client.ts';
import { detectScript, normalizeName } from '../../src/server/features/network/names.ts';
import {
  affiliation,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
  personContact,
  personName,
} from '../../src/server/features/network/network.schema.ts';
import { accessGrant } from '../../src/server/access/access.schema.ts';
import {
  followUp,
  meeting,
  meetingOrganisation,
  meetingPerson,
  meetingStaff,
  meetingTopic,
  sharedItem,
  topic,
} from '../../src/server/features/meetings/meetings.schema.ts';

// `build*` factories for the Network pillar: they insert rows straight through Drizzle (no HTTP, no audit,
// no authorisation), so a test can set up exactly the world it needs in a few lines and then exercise the
// API over it. Every name/title/body is written with its norm column (normalizeName), as services do.
// Defaults are unique per call, so factories can be called many times in one database.
//
//   const org = await buildOrganisation(t.db, { names: ['Bridges', 'גשרים', 'جسور'] });
//   const p = await buildPerson(t.db, { name: 'Mohammed Haddad', transliterations: ['Muhammad Haddad'] });
//   const m = await buildMeeting(t.db, { organisations: [org.id], people: [p.id], restricted: true, staffIds: [u.id] });

let seq = 0;
const next = () => ++seq;

export type NameInput = string | { name: string; kind?: string };

function nameRow(n: NameInput, defaultKind: string) {
  const { name, kind } = typeof n === 'string' ? { name: n, kind: defaultKind } : { name: n.name, kind: n.kind ?? defaultKind };
  return { name, kind, script: detectScript(name), norm: normalizeName(name) };
}

// ---------------------------------------------------------------------------------------------- organisations

export type BuildOrganisationInput = {
  /** the display name; defaults to the first of `names`, or "Organisation N" */
  name?: string;
  /** every recorded name (any script). The display name is added when missing. Strings get kind 'official'. */
  names?: NameInput[];
  /** member (default) | partner | funder | mission | media | other */
  kind?: string;
  /** membership status; defaults to 'active' for members, null otherwise */
  status?: string | null;
  country?: string | null;
  area?: string | null;
  city?: string | null;
  website?: string | null;
  languages?: string[];
  description?: string | null;
  tags?: string[];
  ownerId?: string | null;
  /** dated history rows to record (organisation_status_change) */
  statusHistory?: { status: string; since: string; note?: string; recordedBy?: string }[];
  createdAt?: Date;
};

export async function buildOrganisation(db: Db, input: BuildOrganisationInput = {}) {
  const n = next();
  const names = input.names ?? [];
  const display = input.name ?? (names[0] ? (typeof names[0] === 'string' ? names[0] : names[0].name) : `Organisation ${n}`);
  const kind = input.kind ?? 'member';
  const [org] = await db
    .insert(organisation)
    .values({
      kind,
      status: input.status !== undefined ? input.status : kind === 'member' ? 'active' : null,
      name: display,
      country: input.country ?? null,
      area: input.area ?? null,
      city: input.city ?? null,
      website: input.website ?? null,
      languages: input.languages ?? [],
      description: input.description ?? null,
      tags: input.tags ?? [],
      ownerId: input.ownerId ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt, updatedAt: input.createdAt } : {}),
    })
    .returning();
  const rows = names.map((x) => nameRow(x, 'official'));
  if (!rows.some((r) => r.name === display)) rows.unshift(nameRow(display, 'official'));
  const nameRows = await db
    .insert(organisationName)
    .values(rows.map((r) => ({ ...r, organisationId: org!.id })))
    .returning();
  const history = input.statusHistory?.length
    ? await db
        .insert(organisationStatusChange)
        .values(input.statusHistory.map((h) => ({ organisationId: org!.id, status: h.status, since: h.since, note: h.note ?? null, recordedBy: h.recordedBy ?? null })))
        .returning()
    : [];
  return { ...org!, names: nameRows, statusHistory: history };
}

/** A typed link between two organisations (from -> to). */
export async function buildOrganisationLink(
  db: Db,
  input: { fromId: string; toId: string; kind?: string; startDate?: string | null; endDate?: string | null; note?: string | null; createdAt?: Date },
) {
  const [row] = await db
    .insert(organisationLink)
    .values({
      fromId: input.fromId,
      toId: input.toId,
      kind: input.kind ?? 'partner_of',
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? null,
      note: input.note ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning();
  return row!;
}

// ---------------------------------------------------------------------------------------------- people

export type BuildPersonInput = {
  /** the primary name (kind 'primary'); defaults to "Person N" */
  name?: string;
  /** further names in other scripts (kind 'alternate' for strings) */
  names?: NameInput[];
  /** recorded spellings: Muhammad, Muhammed … (kind 'transliteration') */
  transliterations?: string[];
  /** defaults to the primary name, or the pseudonym when identityRestricted */
  displayName?: string;
  pseudonym?: string | null;
  identityRestricted?: boolean;
  restricted?: boolean;
  contacts?: { kind: 'email' | 'phone'; value: string; label?: string }[];
  affiliations?: { organisationId: string; title?: string | null; startDate?: string | null; endDate?: string | null }[];
  preferredLanguage?: string | null;
  tags?: string[];
  notes?: string | null;
  createdBy?: string | null;
  /** users granted the person (access_grant 'person') */
  grantedTo?: string[];
};

export async function buildPerson(db: Db, input: BuildPersonInput = {}) {
  const n = next();
  const primary = input.name ?? `Person ${n}`;
  const identityRestricted = input.identityRestricted ?? false;
  const pseudonym = input.pseudonym ?? (identityRestricted ? `Official ${n}` : null);
  const displayName = input.displayName ?? (identityRestricted && pseudonym ? pseudonym : primary);
  const [p] = await db
    .insert(person)
    .values({
      displayName,
      pseudonym,
      identityRestricted,
      restricted: input.restricted ?? false,
      preferredLanguage: input.preferredLanguage ?? null,
      tags: input.tags ?? [],
      notes: input.notes ?? null,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  const rows = [
    nameRow(primary, 'primary'),
    ...(input.names ?? []).map((x) => nameRow(x, 'alternate')),
    ...(input.transliterations ?? []).map((x) => nameRow(x, 'transliteration')),
  ];
  const names = await db
    .insert(personName)
    .values(rows.map((r) => ({ ...r, personId: p!.id })))
    .returning();
  const contacts = input.contacts?.length
    ? await db
        .insert(personContact)
        .values(
          input.contacts.map((c) => ({ personId: p!.id, kind: c.kind, value: c.kind === 'email' ? c.value.toLowerCase() : c.value, label: c.label ?? null })),
        )
        .returning()
    : [];
  const affiliations = input.affiliations?.length
    ? await db
        .insert(affiliation)
        .values(
          input.affiliations.map((a) => ({
            personId: p!.id,
            organisationId: a.organisationId,
            title: a.title ?? null,
            startDate: a.startDate ?? null,
            endDate: a.endDate ?? null,
          })),
        )
        .returning()
    : [];
  for (const userId of input.grantedTo ?? []) await buildGrant(db, { recordType: 'person', recordId: p!.id, userId });
  return { ...p!, names, contacts, affiliations };
}

// ---------------------------------------------------------------------------------------------- topics

export async function buildTopic(db: Db, input: { key?: string; nameEn?: string; nameHe?: string; nameAr?: string; archived?: boolean } = {}) {
  const n = next();
  const [row] = await db
    .insert(topic)
    .values({
      key: input.key ?? `topic-${n}-${Math.random().toString(36).slice(2, 6)}`,
      nameEn: input.nameEn ?? `Topic ${n}`,
      nameHe: input.nameHe ?? `נושא ${n}`,
      nameAr: input.nameAr ?? `موضوع ${n}`,
      archived: input.archived ?? false,
    })
    .returning();
  return row!;
}

// ---------------------------------------------------------------------------------------------- meetings

export type BuildSharedItemInput = {
  organisationId: string;
  topicId?: string | null;
  /** concern (default) | update | request | opportunity */
  kind?: string;
  body?: string;
  /** open (default) | addressed | closed */
  status?: string;
  restricted?: boolean;
  createdBy?: string | null;
  createdAt?: Date;
  /** users granted the item (access_grant 'shared_item') */
  grantedTo?: string[];
};

export type BuildFollowUpInput = {
  title?: string;
  ownerId: string;
  dueDate?: string | null;
  /** open (default) | done | cancelled */
  status?: string;
  organisationId?: string | null;
  meetingId?: string | null;
  createdBy?: string | null;
  createdAt?: Date;
};

export type BuildMeetingInput = {
  title?: string;
  /** group (default) | one_on_one | diplomatic | call | site_visit */
  kind?: string;
  /** default: one day ago; endsAt defaults to startsAt + 1 hour */
  startsAt?: Date | string;
  endsAt?: Date | string;
  timeZone?: string;
  city?: string | null;
  venue?: string | null;
  online?: boolean;
  notes?: string | null;
  notesRestricted?: boolean;
  restricted?: boolean;
  createdBy?: string | null;
  /** organisation ids (role 'participant') or {organisationId, role} */
  organisations?: (string | { organisationId: string; role?: string })[];
  /** person ids or {personId, organisationId?, role} */
  people?: (string | { personId: string; organisationId?: string | null; role?: string })[];
  /** staff present (they see the meeting even when restricted) */
  staffIds?: string[];
  topicIds?: string[];
  sharedItems?: BuildSharedItemInput[];
  followUps?: Omit<BuildFollowUpInput, 'meetingId'>[];
  /** users granted the meeting (access_grant 'meeting') */
  grantedTo?: string[];
};

export async function buildMeeting(db: Db, input: BuildMeetingInput = {}) {
  const n = next();
  const title = input.title ?? `Meeting ${n}`;
  const startsAt = input.startsAt ? new Date(input.startsAt) : new Date(Date.now() - 24 * 3600_000);
  const endsAt = input.endsAt ? new Date(input.endsAt) : new Date(startsAt.getTime() + 3600_000);
  const [m] = await db
    .insert(meeting)
    .values({
      kind: input.kind ?? 'group',
      title,
      titleNorm: normalizeName(title),
      startsAt,
      endsAt,
      timeZone: input.timeZone ?? 'Asia/Jerusalem',
      city: input.city ?? null,
      venue: input.venue ?? null,
      online: input.online ?? false,
      notes: input.notes ?? null,
      notesRestricted: input.notesRestricted ?? false,
      restricted: input.restricted ?? false,
      createdBy: input.createdBy ?? null,
    })
    .returning();
  const id = m!.id;
  const orgs = (input.organisations ?? []).map((o) => (typeof o === 'string' ? { organisationId: o } : o));
  if (orgs.length) await db.insert(meetingOrganisation).values(orgs.map((o) => ({ meetingId: id, organisationId: o.organisationId, role: o.role ?? 'participant' })));
  const people = (input.people ?? []).map((p) => (typeof p === 'string' ? { personId: p } : p));
  if (people.length)
    await db
      .insert(meetingPerson)
      .values(people.map((p) => ({ meetingId: id, personId: p.personId, organisationId: p.organisationId ?? null, role: p.role ?? 'participant' })));
  if (input.staffIds?.length) await db.insert(meetingStaff).values(input.staffIds.map((userId) => ({ meetingId: id, userId })));
  if (input.topicIds?.length) await db.insert(meetingTopic).values(input.topicIds.map((topicId) => ({ meetingId: id, topicId })));
  for (const userId of input.grantedTo ?? []) await buildGrant(db, { recordType: 'meeting', recordId: id, userId });
  const sharedItems = [];
  for (const s of input.sharedItems ?? []) sharedItems.push(await buildSharedItem(db, { ...s, meetingId: id, createdAt: s.createdAt ?? startsAt }));
  const followUps = [];
  for (const f of input.followUps ?? []) followUps.push(await buildFollowUp(db, { ...f, meetingId: id }));
  return { ...m!, organisations: orgs, people, staffIds: input.staffIds ?? [], topicIds: input.topicIds ?? [], sharedItems, followUps };
}

/** A shared item (concern, update, …) in an existing meeting. */
export async function buildSharedItem(db: Db, input: BuildSharedItemInput & { meetingId: string }) {
  const n = next();
  const body = input.body ?? `Shared item ${n}`;
  const [row] = await db
    .insert(sharedItem)
    .values({
      meetingId: input.meetingId,
      organisationId: input.organisationId,
      topicId: input.topicId ?? null,
      kind: input.kind ?? 'concern',
      body,
      bodyNorm: normalizeName(body),
      status: input.status ?? 'open',
      restricted: input.restricted ?? false,
      createdBy: input.createdBy ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt, updatedAt: input.createdAt } : {}),
    })
    .returning();
  for (const userId of input.grantedTo ?? []) await buildGrant(db, { recordType: 'shared_item', recordId: row!.id, userId });
  return row!;
}

/** A follow-up, with or without a meeting. */
export async function buildFollowUp(db: Db, input: BuildFollowUpInput) {
  const n = next();
  const status = input.status ?? 'open';
  const [row] = await db
    .insert(followUp)
    .values({
      title: input.title ?? `Follow-up ${n}`,
      ownerId: input.ownerId,
      dueDate: input.dueDate ?? null,
      status,
      meetingId: input.meetingId ?? null,
      organisationId: input.organisationId ?? null,
      createdBy: input.createdBy ?? null,
      completedAt: status === 'done' ? new Date() : null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning();
  return row!;
}

// ---------------------------------------------------------------------------------------------- grants

/** Grants one user one restricted record (idempotent). */
export async function buildGrant(db: Db, input: { recordType: 'meeting' | 'person' | 'shared_item'; recordId: string; userId: string; grantedBy?: string | null }) {
  const [row] = await db
    .insert(accessGrant)
    .values({ recordType: input.recordType, recordId: input.recordId, userId: input.userId, grantedBy: input.grantedBy ?? null })
    .onConflictDoNothing()
    .returning();
  return row;
}

/** 'YYYY-MM-DD' for today plus `days`, today as it is in `timeZone` (default UTC). */
export function isoDay(days = 0, timeZone = 'UTC'): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** An instant `days` ago (negative: in the future). */
export function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}
