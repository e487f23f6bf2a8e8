import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { authorize } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { cohostViewLink } from './cohost-view.schema.ts';
import { event } from './events.schema.ts';
import type { CohostViewLinkDto } from './reports.contract.ts';
import { loadCohost, loadEventById, type EventRow } from './reports.service.ts';
import { tokenHash } from './registration.token.ts';
import { createHmac } from 'node:crypto';

// Co-host view links (item 3): a co-host is a Network organisation, not an account, so staff give it a secret link
// (/e/{slug}/cohost/{token}) to its own figures and, in "contacts" mode, its consenting registrants. The token is
// HMAC(install secret, link id): staff can copy it again; only its SHA-256 is stored. Revoked links answer 404.
// Handing out a link is managing the event (events.manage), and it is audited.

type LinkRow = typeof cohostViewLink.$inferSelect;

export function cohostViewToken(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(`event-cohost-view:${linkId}`).digest('base64url');
}

function linkDto(publicUrl: string, secret: string, slug: string, l: LinkRow): CohostViewLinkDto {
  return {
    id: l.id,
    organisationId: l.organisationId,
    url: `${publicUrl.replace(/\/$/, '')}/e/${slug}/cohost/${cohostViewToken(secret, l.id)}`,
    createdAt: l.createdAt.toISOString(),
    revokedAt: l.revokedAt ? l.revokedAt.toISOString() : null,
  };
}

type LinkDeps = { db: Db; publicUrl: string; secret: string };

export async function listCohostViewLinks({ db, publicUrl, secret }: LinkDeps, ctx: RequestContext, eventId: string, organisationId: string): Promise<{ items: CohostViewLinkDto[] }> {
  authorize(ctx.actor, 'events.manage');
  const e = await loadEventById(db, eventId);
  await loadCohost(db, e.id, organisationId);
  const found = await db
    .select()
    .from(cohostViewLink)
    .where(and(eq(cohostViewLink.eventId, e.id), eq(cohostViewLink.organisationId, organisationId)))
    .orderBy(desc(cohostViewLink.createdAt), desc(cohostViewLink.id));
  return { items: found.map((l) => linkDto(publicUrl, secret, e.slug, l)) };
}

export async function createCohostViewLink({ db, publicUrl, secret }: LinkDeps, ctx: RequestContext, eventId: string, organisationId: string): Promise<CohostViewLinkDto> {
  authorize(ctx.actor, 'events.manage');
  return db.transaction(async (tx) => {
    const e = await loadEventById(tx, eventId);
    await loadCohost(tx, e.id, organisationId);
    const id = crypto.randomUUID();
    const [l] = await tx
      .insert(cohostViewLink)
      .values({ id, eventId: e.id, organisationId, tokenHash: tokenHash(cohostViewToken(secret, id)), createdBy: ctx.actor!.id })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.cohost_view_link.create', entityType: 'event', entityId: e.id, detail: { linkId: id, organisationId } });
    return linkDto(publicUrl, secret, e.slug, l!);
  });
}

export async function revokeCohostViewLink({ db, publicUrl, secret }: LinkDeps, ctx: RequestContext, eventId: string, linkId: string): Promise<CohostViewLinkDto> {
  authorize(ctx.actor, 'events.manage');
  return db.transaction(async (tx) => {
    const e = await loadEventById(tx, eventId);
    if (!isUuid(linkId)) throw notFound('cohost_view_link');
    const [l] = await tx
      .select()
      .from(cohostViewLink)
      .where(and(eq(cohostViewLink.id, linkId), eq(cohostViewLink.eventId, e.id)))
      .for('update');
    if (!l) throw notFound('cohost_view_link');
    if (l.revokedAt) return linkDto(publicUrl, secret, e.slug, l);
    const [done] = await tx.update(cohostViewLink).set({ revokedAt: new Date() }).where(eq(cohostViewLink.id, l.id)).returning();
    await recordAudit(tx, ctx, { action: 'event.cohost_view_link.revoke', entityType: 'event', entityId: e.id, detail: { linkId: l.id, organisationId: l.organisationId } });
    return linkDto(publicUrl, secret, e.slug, done!);
  });
}

/** The event and co-host a view link opens, or null (unknown, revoked, another event's, a draft). */
export async function cohostByToken(db: Db, slug: string, token: string): Promise<{ event: EventRow; organisationId: string; linkId: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [found] = await db
    .select({ e: event, organisationId: cohostViewLink.organisationId, linkId: cohostViewLink.id })
    .from(cohostViewLink)
    .innerJoin(event, eq(event.id, cohostViewLink.eventId))
    .where(and(eq(cohostViewLink.tokenHash, tokenHash(token)), isNull(cohostViewLink.revokedAt), eq(event.slug, slug)));
  return found ? { event: found.e, organisationId: found.organisationId, linkId: found.linkId } : null;
}
