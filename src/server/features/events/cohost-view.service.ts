import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { authorize } from '../../access/roles.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { cohostViewLink } from './cohost-view.schema.ts';
import { event } from './events.schema.ts';
import type { CohostViewLinkDto, CreateCohostViewLinkInput } from './reports.contract.ts';
import { loadCohost, loadEventById, type EventRow } from './reports.service.ts';
import { tokenHash } from './registration.token.ts';
import { createHmac } from 'node:crypto';

// Co-host view links (item 3): a co-host is a Network organisation, not an account, so staff give it a secret link
// (/e/{slug}/cohost/{token}) to its own figures and, in "contacts" mode, its consenting registrants. The token is
// HMAC(install secret, link id): staff can copy it again; only its SHA-256 is stored. Revoked links answer 404, and
// so does a link past its `expires_at` (given in days when it is made; by default 30 days after the event ends; links
// made before links expired count from the event's end the same way): nobody has to remember to revoke it.
// Handing out a link is managing the event (events.manage), and it is audited.

type LinkRow = typeof cohostViewLink.$inferSelect;

export function cohostViewToken(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(`event-cohost-view:${linkId}`).digest('base64url');
}

const DAY = 86_400_000;
/** A link made without a length works until 30 days after the event ends (and at least a day). */
const DEFAULT_AFTER_EVENT_DAYS = 30;
const defaultExpiry = (endsAt: Date, now: Date) => new Date(Math.max(endsAt.getTime() + DEFAULT_AFTER_EVENT_DAYS * DAY, now.getTime() + DAY));
/** The instant a link stops working: its own, or (made before links expired) 30 days after the event ends. */
const expiryOf = (l: LinkRow, endsAt: Date) => l.expiresAt ?? new Date(endsAt.getTime() + DEFAULT_AFTER_EVENT_DAYS * DAY);

function linkDto(publicUrl: string, secret: string, e: { slug: string; endsAt: Date }, l: LinkRow): CohostViewLinkDto {
  const slug = e.slug;
  return {
    id: l.id,
    organisationId: l.organisationId,
    url: `${publicUrl.replace(/\/$/, '')}/e/${slug}/cohost/${cohostViewToken(secret, l.id)}`,
    createdAt: l.createdAt.toISOString(),
    revokedAt: l.revokedAt ? l.revokedAt.toISOString() : null,
    expiresAt: expiryOf(l, e.endsAt).toISOString(),
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
  return { items: found.map((l) => linkDto(publicUrl, secret, e, l)) };
}

export async function createCohostViewLink(
  { db, publicUrl, secret }: LinkDeps,
  ctx: RequestContext,
  eventId: string,
  organisationId: string,
  input: CreateCohostViewLinkInput = {},
  now = new Date(),
): Promise<CohostViewLinkDto> {
  authorize(ctx.actor, 'events.manage');
  return db.transaction(async (tx) => {
    const e = await loadEventById(tx, eventId);
    await loadCohost(tx, e.id, organisationId);
    const id = crypto.randomUUID();
    const expiresAt = input.validDays !== undefined ? new Date(now.getTime() + input.validDays * DAY) : defaultExpiry(e.endsAt, now);
    const [l] = await tx
      .insert(cohostViewLink)
      .values({ id, eventId: e.id, organisationId, tokenHash: tokenHash(cohostViewToken(secret, id)), createdBy: ctx.actor!.id, createdAt: now, expiresAt })
      .returning();
    await recordAudit(tx, ctx, { action: 'event.cohost_view_link.create', entityType: 'event', entityId: e.id, detail: { linkId: id, organisationId, expiresAt: expiresAt.toISOString() } });
    return linkDto(publicUrl, secret, e, l!);
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
    if (l.revokedAt) return linkDto(publicUrl, secret, e, l);
    const [done] = await tx.update(cohostViewLink).set({ revokedAt: new Date() }).where(eq(cohostViewLink.id, l.id)).returning();
    await recordAudit(tx, ctx, { action: 'event.cohost_view_link.revoke', entityType: 'event', entityId: e.id, detail: { linkId: l.id, organisationId: l.organisationId } });
    return linkDto(publicUrl, secret, e, done!);
  });
}

/** The event and co-host a view link opens, or null (unknown, revoked, expired, another event's, a draft). */
export async function cohostByToken(db: Db, slug: string, token: string, now = new Date()): Promise<{ event: EventRow; organisationId: string; linkId: string; expiresAt: Date } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [found] = await db
    .select({ e: event, organisationId: cohostViewLink.organisationId, linkId: cohostViewLink.id, expiresAt: cohostViewLink.expiresAt })
    .from(cohostViewLink)
    .innerJoin(event, eq(event.id, cohostViewLink.eventId))
    .where(
      and(
        eq(cohostViewLink.tokenHash, tokenHash(token)),
        isNull(cohostViewLink.revokedAt),
        eq(event.slug, slug),
        sql`COALESCE(${cohostViewLink.expiresAt}, ${event.endsAt} + make_interval(days => ${DEFAULT_AFTER_EVENT_DAYS})) > ${now.toISOString()}::timestamptz`,
      ),
    );
  return found ? { event: found.e, organisationId: found.organisationId, linkId: found.linkId, expiresAt: found.expiresAt ?? new Date(found.e.endsAt.getTime() + DEFAULT_AFTER_EVENT_DAYS * DAY) } : null;
}
