import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/roles.ts';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { followUp, meetingOrganisation, meetingPerson, sharedItem } from '../meetings/meetings.schema.ts';
import {
  affiliation,
  organisation,
  organisationLink,
  organisationName,
  organisationStatusChange,
  person,
  personContact,
  personName,
} from '../network/network.schema.ts';
import { accessGrant } from '../../access/access.schema.ts';
import { assertNotErased } from '../network/erasure.service.ts';
import { moveCampaignTargets } from '../campaigns/campaign-targets-merge.ts';
import { normalizeTags } from '../network/organisations.service.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { personRowIdentityVisible, personVisible, writer } from '../../access/need-to-know.ts';

// Merging two duplicate records: every link of the merged one moves to the kept one (without duplicates or
// self-links), blanks of the kept one are filled from the merged one, then the merged record is deleted — in
// one transaction, audited with the merged record's data so that nothing is lost without a trace.


function sameIds(keepId: string, mergeId: string) {
  if (keepId.toLowerCase() === mergeId.toLowerCase()) {
    throw new AppError('unprocessable', 'merge_same_record', 'A record cannot be merged into itself.', [{ field: 'body.mergeId', detail: 'Must differ from keepId' }]);
  }
}

const n = (r: unknown[]) => r.length;

// counts of meeting links could hint at restricted meetings: those stay in the audit entry, for admins
const MEETING_COUNTS = ['meetings', 'meetingPeople', 'sharedItems', 'followUps', 'campaignTargets'];
function shown(actor: Actor, moved: Record<string, number>) {
  return actor.role === 'admin' ? moved : Object.fromEntries(Object.entries(moved).filter(([k]) => !MEETING_COUNTS.includes(k)));
}

export async function mergeOrganisations(db: Db, ctx: RequestContext, input: { keepId: string; mergeId: string }) {
  const actor = writer(ctx);
  const { keepId, mergeId } = input;
  sameIds(keepId, mergeId);
  return db.transaction(async (tx) => {
    const found = await tx
      .select()
      .from(organisation)
      .where(inArray(organisation.id, [keepId, mergeId].filter(isUuid)))
      .for('update');
    const keep = found.find((o) => o.id === keepId);
    const gone = found.find((o) => o.id === mergeId);
    if (!keep || !gone) throw notFound('organisation');
    for (const id of [keepId, mergeId]) await assertNotErased(tx, 'organisation', id);
    const moved: Record<string, number> = {};

    // names: each norm once
    const keepNames = await tx.select().from(organisationName).where(eq(organisationName.organisationId, keepId));
    const goneNames = await tx.select().from(organisationName).where(eq(organisationName.organisationId, mergeId));
    const known = new Set(keepNames.map((x) => x.norm));
    const moveNames = goneNames.filter((x) => (known.has(x.norm) ? false : (known.add(x.norm), true))).map((x) => x.id);
    if (moveNames.length) await tx.update(organisationName).set({ organisationId: keepId }).where(inArray(organisationName.id, moveNames));
    moved.names = moveNames.length;

    moved.statusHistory = n(
      await tx.update(organisationStatusChange).set({ organisationId: keepId }).where(eq(organisationStatusChange.organisationId, mergeId)).returning({ id: organisationStatusChange.id }),
    );

    // links between the two disappear; the rest are re-pointed unless the kept one already has the same link
    const goneLinks = await tx
      .select()
      .from(organisationLink)
      .where(or(eq(organisationLink.fromId, mergeId), eq(organisationLink.toId, mergeId)));
    const keepLinks = await tx
      .select()
      .from(organisationLink)
      .where(or(eq(organisationLink.fromId, keepId), eq(organisationLink.toId, keepId)));
    const linkKey = (l: { fromId: string; toId: string; kind: string }) => `${l.fromId}>${l.toId}:${l.kind}`;
    const have = new Set(keepLinks.map(linkKey));
    let linksMoved = 0;
    for (const l of goneLinks) {
      const next = { fromId: l.fromId === mergeId ? keepId : l.fromId, toId: l.toId === mergeId ? keepId : l.toId };
      if (next.fromId === next.toId || have.has(linkKey({ ...next, kind: l.kind }))) {
        await tx.delete(organisationLink).where(eq(organisationLink.id, l.id));
        continue;
      }
      have.add(linkKey({ ...next, kind: l.kind }));
      await tx.update(organisationLink).set(next).where(eq(organisationLink.id, l.id));
      linksMoved++;
    }
    moved.links = linksMoved;

    // affiliations: a person affiliated with both keeps one row per identical (title, dates)
    await tx.execute(sql`DELETE FROM affiliation g USING affiliation k
      WHERE g.organisation_id = ${mergeId} AND k.organisation_id = ${keepId} AND k.person_id = g.person_id
        AND k.title IS NOT DISTINCT FROM g.title AND k.start_date IS NOT DISTINCT FROM g.start_date AND k.end_date IS NOT DISTINCT FROM g.end_date`);
    moved.affiliations = n(await tx.update(affiliation).set({ organisationId: keepId }).where(eq(affiliation.organisationId, mergeId)).returning({ id: affiliation.id }));

    // meetings: the kept organisation is present once
    await tx.execute(sql`DELETE FROM meeting_organisation g USING meeting_organisation k
      WHERE g.organisation_id = ${mergeId} AND k.organisation_id = ${keepId} AND k.meeting_id = g.meeting_id`);
    moved.meetings = n(
      await tx.update(meetingOrganisation).set({ organisationId: keepId }).where(eq(meetingOrganisation.organisationId, mergeId)).returning({ m: meetingOrganisation.meetingId }),
    );
    moved.meetingPeople = n(
      await tx.update(meetingPerson).set({ organisationId: keepId }).where(eq(meetingPerson.organisationId, mergeId)).returning({ m: meetingPerson.meetingId }),
    );
    moved.sharedItems = n(await tx.update(sharedItem).set({ organisationId: keepId }).where(eq(sharedItem.organisationId, mergeId)).returning({ id: sharedItem.id }));
    moved.followUps = n(await tx.update(followUp).set({ organisationId: keepId }).where(eq(followUp.organisationId, mergeId)).returning({ id: followUp.id }));
    // campaign targets and their stance history (campaigns may be restricted: counted for admins only, like meetings)
    moved.campaignTargets = await moveCampaignTargets(tx, 'organisation', mergeId, keepId);

    await tx
      .update(organisation)
      .set({
        tags: normalizeTags([...keep.tags, ...gone.tags]),
        languages: [...new Set([...keep.languages, ...gone.languages])],
        country: keep.country ?? gone.country,
        area: keep.area ?? gone.area,
        city: keep.city ?? gone.city,
        website: keep.website ?? gone.website,
        description: keep.description ?? gone.description,
        ownerId: keep.ownerId ?? gone.ownerId,
        status: keep.kind === 'member' ? (keep.status ?? (gone.kind === 'member' ? gone.status : null)) : keep.status,
        updatedAt: new Date(),
      })
      .where(eq(organisation.id, keepId));
    await tx.delete(organisation).where(eq(organisation.id, mergeId));
    await recordAudit(tx, ctx, {
      action: 'organisation.merge',
      entityType: 'organisation',
      entityId: keepId,
      detail: {
        mergedId: mergeId,
        merged: { ...gone, createdAt: gone.createdAt.toISOString(), updatedAt: gone.updatedAt.toISOString(), names: goneNames.map((x) => ({ name: x.name, kind: x.kind })) },
        moved,
      },
    });
    return { keptId: keepId, mergedId: mergeId, moved: shown(actor, moved) };
  });
}

export async function mergePeople(db: Db, ctx: RequestContext, input: { keepId: string; mergeId: string }) {
  const actor = writer(ctx);
  const { keepId, mergeId } = input;
  sameIds(keepId, mergeId);
  return db.transaction(async (tx) => {
    const found = await tx
      .select({ p: person, identityVisible: sql<boolean>`${personRowIdentityVisible(actor, person)}` })
      .from(person)
      .where(and(inArray(person.id, [keepId, mergeId].filter(isUuid)), personVisible(actor, person.id)))
      .for('update', { of: person });
    const keepRow = found.find((r) => r.p.id === keepId);
    const goneRow = found.find((r) => r.p.id === mergeId);
    if (!keepRow || !goneRow) throw notFound('person');
    if (!keepRow.identityVisible || !goneRow.identityVisible) {
      throw new AppError('forbidden', 'identity_restricted', "A person's identity is need-to-know; ask someone who was granted it to merge.");
    }
    for (const id of [keepId, mergeId]) await assertNotErased(tx, 'person', id);
    const keep = keepRow.p;
    const gone = goneRow.p;
    const moved: Record<string, number> = {};

    const keepNames = await tx.select().from(personName).where(eq(personName.personId, keepId));
    const goneNames = await tx.select().from(personName).where(eq(personName.personId, mergeId));
    const known = new Set(keepNames.map((x) => x.norm));
    const moveNames = goneNames.filter((x) => (known.has(x.norm) ? false : (known.add(x.norm), true)));
    for (const x of moveNames) {
      // the kept person keeps their primary name; the other's become alternates
      await tx
        .update(personName)
        .set({ personId: keepId, kind: x.kind === 'primary' ? 'alternate' : x.kind })
        .where(eq(personName.id, x.id));
    }
    moved.names = moveNames.length;

    const goneContacts = await tx.select().from(personContact).where(eq(personContact.personId, mergeId));
    await tx.execute(sql`DELETE FROM person_contact g USING person_contact k
      WHERE g.person_id = ${mergeId} AND k.person_id = ${keepId} AND k.kind = g.kind AND lower(k.value) = lower(g.value)`);
    moved.contacts = n(await tx.update(personContact).set({ personId: keepId }).where(eq(personContact.personId, mergeId)).returning({ id: personContact.id }));

    const goneAffiliations = await tx.select().from(affiliation).where(eq(affiliation.personId, mergeId));
    await tx.execute(sql`DELETE FROM affiliation g USING affiliation k
      WHERE g.person_id = ${mergeId} AND k.person_id = ${keepId} AND k.organisation_id = g.organisation_id
        AND k.title IS NOT DISTINCT FROM g.title AND k.start_date IS NOT DISTINCT FROM g.start_date AND k.end_date IS NOT DISTINCT FROM g.end_date`);
    moved.affiliations = n(await tx.update(affiliation).set({ personId: keepId }).where(eq(affiliation.personId, mergeId)).returning({ id: affiliation.id }));

    await tx.execute(sql`DELETE FROM meeting_person g USING meeting_person k
      WHERE g.person_id = ${mergeId} AND k.person_id = ${keepId} AND k.meeting_id = g.meeting_id`);
    moved.meetings = n(await tx.update(meetingPerson).set({ personId: keepId }).where(eq(meetingPerson.personId, mergeId)).returning({ m: meetingPerson.meetingId }));
    moved.campaignTargets = await moveCampaignTargets(tx, 'person', mergeId, keepId);

    // whoever was granted either record is granted the merged one
    await tx.execute(sql`DELETE FROM access_grant g USING access_grant k
      WHERE g.record_type = 'person' AND g.record_id = ${mergeId} AND k.record_type = 'person' AND k.record_id = ${keepId} AND k.user_id = g.user_id`);
    moved.grants = n(
      await tx
        .update(accessGrant)
        .set({ recordId: keepId })
        .where(and(eq(accessGrant.recordType, 'person'), eq(accessGrant.recordId, mergeId)))
        .returning({ id: accessGrant.id }),
    );

    // the protection of either record protects the result
    const restricted = keep.restricted || gone.restricted;
    const identityRestricted = keep.identityRestricted || gone.identityRestricted;
    const pseudonym = keep.pseudonym ?? gone.pseudonym;
    const notes = keep.notes && gone.notes && keep.notes !== gone.notes ? `${keep.notes}\n\n${gone.notes}` : (keep.notes ?? gone.notes);
    await tx
      .update(person)
      .set({
        restricted,
        identityRestricted,
        pseudonym,
        displayName: identityRestricted && pseudonym ? pseudonym : keep.displayName,
        preferredLanguage: keep.preferredLanguage ?? gone.preferredLanguage,
        tags: normalizeTags([...keep.tags, ...gone.tags]),
        notes,
        updatedAt: new Date(),
      })
      .where(eq(person.id, keepId));
    if ((restricted || identityRestricted) && actor.role !== 'admin') {
      await tx.insert(accessGrant).values({ recordType: 'person', recordId: keepId, userId: actor.id, grantedBy: actor.id }).onConflictDoNothing();
    }
    await tx.delete(person).where(eq(person.id, mergeId));
    await recordAudit(tx, ctx, {
      action: 'person.merge',
      entityType: 'person',
      entityId: keepId,
      detail: {
        mergedId: mergeId,
        merged: {
          ...gone,
          createdAt: gone.createdAt.toISOString(),
          updatedAt: gone.updatedAt.toISOString(),
          names: goneNames.map((x) => ({ name: x.name, kind: x.kind })),
          contacts: goneContacts.map((c) => ({ kind: c.kind, value: c.value, label: c.label })),
          affiliations: goneAffiliations.map((a) => ({ organisationId: a.organisationId, title: a.title, startDate: a.startDate, endDate: a.endDate })),
        },
        moved,
      },
    });
    return { keptId: keepId, mergedId: mergeId, moved: shown(actor, moved) };
  });
}
