import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError, isUuid, notFound, type FieldError } from '../../core/errors.ts';
import type { Actor } from '../../access/roles.ts';
import { meetingVisible, personVisible } from '../../access/need-to-know.ts';
import { user } from '../accounts/accounts.schema.ts';
import { organisation, person } from '../network/network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { meeting, topic } from './meetings.schema.ts';

// What meetings, their follow-ups and their shared items all need: checking the ids a write refers to, granting a
// record, loading a meeting the actor may see. Below the three services, so that none imports another for these.

type MeetingRow = typeof meeting.$inferSelect;

/** A referenced id and the request field that named it (body.organisations.3.organisationId). */
export type Ref = { field: string; id: string };
export type Refs = { organisations?: Ref[]; people?: Ref[]; users?: Ref[]; topics?: Ref[] };

/**
 * Every id a write refers to must exist (people: and be visible to the actor, so that a restricted person
 * cannot be probed by id). All missing ones are named at once: 422 and nothing written.
 */
export async function assertRefs(db: Db, actor: Actor, refs: Refs): Promise<void> {
  const errors: FieldError[] = [];
  const check = async (list: Ref[] | undefined, load: (ids: string[]) => Promise<{ id: string }[]>) => {
    if (!list?.length) return;
    const ids = [...new Set(list.map((r) => r.id))];
    const valid = ids.filter(isUuid);
    const found = new Set(valid.length ? (await load(valid)).map((r) => r.id) : []);
    for (const r of list) if (!found.has(r.id)) errors.push({ field: r.field, detail: 'No such record' });
  };
  await check(refs.organisations, (ids) => db.select({ id: organisation.id }).from(organisation).where(inArray(organisation.id, ids)));
  await check(refs.people, (ids) =>
    db
      .select({ id: person.id })
      .from(person)
      .where(and(inArray(person.id, ids), personVisible(actor, person.id))),
  );
  await check(refs.topics, (ids) => db.select({ id: topic.id }).from(topic).where(inArray(topic.id, ids)));
  // user ids are not uuids (better-auth)
  if (refs.users?.length) {
    const ids = [...new Set(refs.users.map((r) => r.id))];
    const found = new Set((await db.select({ id: user.id }).from(user).where(inArray(user.id, ids))).map((r) => r.id));
    for (const r of refs.users) if (!found.has(r.id)) errors.push({ field: r.field, detail: 'No such user' });
  }
  if (errors.length) throw new AppError('unprocessable', 'unknown_reference', 'A referenced record does not exist.', errors);
}

/** Grants a user a record (idempotent). */
export async function grant(db: Db, actor: Actor | null, recordType: 'meeting' | 'shared_item', recordId: string, userId: string): Promise<boolean> {
  const rows = await db
    .insert(accessGrant)
    .values({ recordType, recordId, userId, grantedBy: actor?.id ?? null })
    .onConflictDoNothing()
    .returning({ id: accessGrant.id });
  return rows.length > 0;
}

/** The meeting if the actor may see it, else the same 404 as for a missing one. */
export async function loadVisibleMeeting(db: Db, actor: Actor, id: string): Promise<MeetingRow> {
  if (!isUuid(id)) throw notFound('meeting');
  const [row] = await db
    .select()
    .from(meeting)
    .where(and(eq(meeting.id, id), meetingVisible(actor, meeting.id)));
  if (!row) throw notFound('meeting');
  return row;
}
