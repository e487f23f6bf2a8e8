import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { user } from '../accounts/accounts.schema.ts';
import { dialogue } from '../dialogues/dialogues.schema.ts';
import { meeting } from '../meetings/meetings.schema.ts';
import { office, organisation, person } from '../network/network.schema.ts';
import { study } from '../studies/studies.schema.ts';

/**
 * The record an audit entry is about, as the audit log shows it: whether it still exists (then the log links to its
 * page) and its current name. A restricted record's name is left out (`name: null`): showing it would be a read of the
 * record that the log itself does not audit; its page, opened from the link, audits that read as every page does.
 */
export type AuditRecord = { name: string | null; restricted: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Lookup = (db: Db, ids: string[]) => Promise<{ id: string; name: string; restricted: boolean }[]>;

/** The kinds of record that have a page of their own, and how to find their names. */
const lookups: Record<string, Lookup> = {
  person: (db, ids) =>
    db.select({ id: person.id, name: person.displayName, restricted: person.restricted }).from(person).where(inArray(person.id, ids)),
  organisation: async (db, ids) =>
    (await db.select({ id: organisation.id, name: organisation.name }).from(organisation).where(inArray(organisation.id, ids))).map((r) => ({ ...r, restricted: false })),
  meeting: (db, ids) => db.select({ id: meeting.id, name: meeting.title, restricted: meeting.restricted }).from(meeting).where(inArray(meeting.id, ids)),
  dialogue: async (db, ids) => (await db.select({ id: dialogue.id, name: dialogue.title }).from(dialogue).where(inArray(dialogue.id, ids))).map((r) => ({ ...r, restricted: false })),
  study: async (db, ids) => (await db.select({ id: study.id, name: study.title }).from(study).where(inArray(study.id, ids))).map((r) => ({ ...r, restricted: false })),
  office: async (db, ids) => (await db.select({ id: office.id, name: office.name }).from(office).where(inArray(office.id, ids))).map((r) => ({ ...r, restricted: false })),
  user: async (db, ids) => (await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, ids))).map((r) => ({ ...r, restricted: false })),
};

/** For entries of the kinds above whose record still exists: `${entityType}:${entityId}` → the record. */
export async function auditRecords(db: Db, entries: { entityType: string; entityId: string | null }[]): Promise<Map<string, AuditRecord>> {
  const wanted = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.entityId || !lookups[e.entityType]) continue;
    // user ids are better-auth's (not uuids); every other kind's ids are uuids, and anything else is no record
    if (e.entityType !== 'user' && !UUID.test(e.entityId)) continue;
    if (e.entityId.length > 100) continue;
    let ids = wanted.get(e.entityType);
    if (!ids) wanted.set(e.entityType, (ids = new Set()));
    ids.add(e.entityId);
  }
  const found = new Map<string, AuditRecord>();
  for (const [type, ids] of wanted) {
    for (const r of await lookups[type]!(db, [...ids])) found.set(`${type}:${r.id}`, { name: r.restricted ? null : r.name, restricted: r.restricted });
  }
  return found;
}
