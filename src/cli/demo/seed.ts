// What every part of the demo network shares while it is made: the one random sequence, `now`, the demo staff
// (who owns, writes and attends what) and the rows gathered for each table, written at the end in batches.
// The parts run in a fixed order (network.ts): each draws from the same sequence, so the order is the network.
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../server/db/client.ts';
import { accessGrant } from '../../server/access/access.schema.ts';
import { followUp, meeting, meetingOrganisation, meetingPerson, meetingStaff, meetingTopic, sharedItem } from '../../server/features/meetings/meetings.schema.ts';
import { detectScript, normalizeName } from '../../server/features/network/names.ts';
import {
  affiliation,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
  personContact,
  personName,
} from '../../server/features/network/network.schema.ts';
import type { OrgNames } from './names.ts';
import { makeRng, type Rng } from './rng.ts';

export type StaffMap = Record<string, string | { id: string }> | Map<string, string | { id: string }>;

/** A member organisation as the later parts need it: its names and place, status, and its people's ids. */
export type Member = { id: string; names: OrgNames; country: string; status: string; people: string[] };

/** A G7 embassy or consulate and its diplomats' ids. */
export type Mission = { id: string; country: string; diplomats: string[]; city: string; zone: string };

export type Rows = {
  organisations: (typeof organisation.$inferInsert)[];
  organisationNames: (typeof organisationName.$inferInsert)[];
  statusChanges: (typeof organisationStatusChange.$inferInsert)[];
  links: (typeof organisationLink.$inferInsert)[];
  people: (typeof person.$inferInsert)[];
  personNames: (typeof personName.$inferInsert)[];
  contacts: (typeof personContact.$inferInsert)[];
  affiliations: (typeof affiliation.$inferInsert)[];
  grants: (typeof accessGrant.$inferInsert)[];
  meetings: (typeof meeting.$inferInsert)[];
  meetingOrganisations: (typeof meetingOrganisation.$inferInsert)[];
  meetingPeople: (typeof meetingPerson.$inferInsert)[];
  meetingStaff: (typeof meetingStaff.$inferInsert)[];
  meetingTopics: (typeof meetingTopic.$inferInsert)[];
  sharedItems: (typeof sharedItem.$inferInsert)[];
  followUps: (typeof followUp.$inferInsert)[];
};

export type PersonDraft = {
  display: string;
  names: { name: string; kind: string }[];
  language?: string;
  email?: string;
  tags?: string[];
  pseudonym?: string;
  identityRestricted?: boolean;
  createdBy?: string;
  notes?: string;
};

export type Seed = {
  rng: Rng;
  now: Date;
  staff: { email: string; local: string; id: string }[];
  /** the demo account with this email's local part ("noa"), if it exists */
  byLocal: (local: string) => string | undefined;
  regionalStaff: string[];
  internationalStaff: string[];
  /** staff who may write (everyone but the viewer) */
  writers: string[];
  writer: () => string;
  rows: Rows;
  addOrgNames: (organisationId: string, names: string[], kind?: string) => void;
  addPerson: (p: PersonDraft) => string;
};

export function createSeed(opts: { staffByEmail: StaffMap; now?: Date; seed?: number }): Seed {
  const rng = makeRng(opts.seed ?? 20240701);
  const now = opts.now ?? new Date();
  const entries = opts.staffByEmail instanceof Map ? [...opts.staffByEmail] : Object.entries(opts.staffByEmail);
  const staff = entries.map(([email, v]) => ({ email, local: email.split('@')[0]!, id: typeof v === 'string' ? v : v.id }));
  if (staff.length === 0) throw new Error('seedDemoNetwork needs the demo staff accounts (staffByEmail is empty)');
  const byLocal = (local: string) => staff.find((s) => s.local === local)?.id;
  const regional = ['noa', 'rana', 'admin'].map(byLocal).filter((x): x is string => !!x);
  const international = ['oliver', 'lena', 'camille', 'maya', 'james'].map(byLocal).filter((x): x is string => !!x);
  const regionalStaff = regional.length ? regional : staff.map((s) => s.id);
  const internationalStaff = international.length ? international : staff.map((s) => s.id);
  const writers = staff.filter((s) => s.local !== 'samer').map((s) => s.id);
  const writer = () => rng.pick(writers.length ? writers : staff.map((s) => s.id));

  const rows: Rows = {
    organisations: [],
    organisationNames: [],
    statusChanges: [],
    links: [],
    people: [],
    personNames: [],
    contacts: [],
    affiliations: [],
    grants: [],
    meetings: [],
    meetingOrganisations: [],
    meetingPeople: [],
    meetingStaff: [],
    meetingTopics: [],
    sharedItems: [],
    followUps: [],
  };
  const addOrgNames = (organisationId: string, names: string[], kind = 'official') => {
    for (const name of names) rows.organisationNames.push({ id: rng.uuid(), organisationId, name, script: detectScript(name), kind, norm: normalizeName(name) });
  };
  const addPerson = (p: PersonDraft) => {
    const id = rng.uuid();
    rows.people.push({
      id,
      displayName: p.identityRestricted && p.pseudonym ? p.pseudonym : p.display,
      pseudonym: p.pseudonym ?? null,
      identityRestricted: p.identityRestricted ?? false,
      preferredLanguage: p.language ?? null,
      tags: p.tags ?? [],
      notes: p.notes ?? null,
      createdBy: p.createdBy ?? writer(),
    });
    for (const n of p.names) rows.personNames.push({ id: rng.uuid(), personId: id, name: n.name, script: detectScript(n.name), kind: n.kind, norm: normalizeName(n.name) });
    if (p.email) rows.contacts.push({ id: rng.uuid(), personId: id, kind: 'email', value: p.email, label: 'work' });
    return id;
  };
  return { rng, now, staff, byLocal, regionalStaff, internationalStaff, writers, writer, rows, addOrgNames, addPerson };
}

/** The table each list of rows goes to. */
const TABLES: Record<keyof Rows, PgTable> = {
  organisations: organisation,
  organisationNames: organisationName,
  statusChanges: organisationStatusChange,
  links: organisationLink,
  people: person,
  personNames: personName,
  contacts: personContact,
  affiliations: affiliation,
  grants: accessGrant,
  meetings: meeting,
  meetingOrganisations: meetingOrganisation,
  meetingPeople: meetingPerson,
  meetingStaff: meetingStaff,
  meetingTopics: meetingTopic,
  sharedItems: sharedItem,
  followUps: followUp,
};

/** Writes these lists of rows, in this order (a row's references first), 500 rows a statement. */
export async function writeRows(db: Db, rows: Rows, lists: (keyof Rows)[]) {
  for (const list of lists) {
    const all = rows[list] as Record<string, unknown>[];
    for (let i = 0; i < all.length; i += 500) await db.insert(TABLES[list]).values(all.slice(i, i + 500) as never);
  }
}
