import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import { and, asc, count, desc, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { decodeCursor, paginate } from '../../core/pagination.ts';
import { AppError } from '../../core/errors.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { Mailer } from '../../mail.ts';
import { authorize, type Role } from '../../access/roles.ts';
import { isLocale, type Locale } from '../../../i18n/locales.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { account, invitation, session, setting, user } from './accounts.schema.ts';

export const INVITATION_DAYS = 7;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

type UserRow = typeof user.$inferSelect;

export function toUserDto(u: UserRow) {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role as Role,
    disabled: u.disabled,
    twoFactorEnabled: u.twoFactorEnabled,
    locale: (isLocale(u.locale) ? u.locale : 'en') as Locale,
    timeZone: u.timeZone,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(user);
  return Number(row?.n ?? 0);
}

export type NewAccount = { name: string; email: string; password: string; role: Role; locale: string; timeZone: string };

/** Creates a user with a password (better-auth's credential account, scrypt-hashed). */
export async function createUserWithPassword(db: Db, input: NewAccount): Promise<UserRow> {
  const [existing] = await db.select({ id: user.id }).from(user).where(eq(user.email, input.email));
  if (existing) {
    throw new AppError('conflict', 'email_taken', 'An account with this email already exists.', [
      { field: 'body.email', detail: 'Already has an account' },
    ]);
  }
  const id = randomUUID();
  const [created] = await db
    .insert(user)
    .values({ id, name: input.name, email: input.email, emailVerified: true, role: input.role, locale: input.locale, timeZone: input.timeZone })
    .returning();
  await db.insert(account).values({
    id: randomUUID(),
    accountId: id,
    providerId: 'credential',
    userId: id,
    password: await hashPassword(input.password),
  });
  return created!;
}

/**
 * The one-time setup link this server printed at start (null once used, or when accounts exist). Its hash is kept in
 * the database (setting `setup_tokens`), so that behind a balancer any server takes the link any server printed.
 */
export type SetupState = { token: string | null };

const SETUP_TOKENS = 'setup_tokens';

/** While no account exists: a new setup token, its hash added to those the database accepts. */
export async function openSetup(db: Db): Promise<SetupState> {
  if ((await countUsers(db)) > 0) return { token: null };
  const token = newToken();
  await db
    .insert(setting)
    .values({ key: SETUP_TOKENS, value: JSON.stringify([hashToken(token)]) })
    .onConflictDoUpdate({ target: setting.key, set: { value: sql`(${setting.value}::jsonb || ${JSON.stringify([hashToken(token)])}::jsonb)::text`, updatedAt: new Date() } });
  return { token };
}

async function setupTokenIsLive(db: Db, token: string): Promise<boolean> {
  const [row] = await db.select({ value: setting.value }).from(setting).where(eq(setting.key, SETUP_TOKENS));
  const hashes = row ? (JSON.parse(row.value) as string[]) : [];
  const given = Buffer.from(hashToken(token));
  // every candidate compared in constant time
  return hashes.map((h) => h.length === given.length && timingSafeEqual(given, Buffer.from(h))).some(Boolean);
}

export async function setupFirstAdmin(
  db: Db,
  ctx: RequestContext,
  setup: SetupState,
  input: { token: string; name: string; email: string; password: string; locale: string; timeZone: string },
) {
  if (!(await setupTokenIsLive(db, input.token))) {
    throw new AppError('forbidden', 'invalid_setup_token', 'This setup link is not valid. Use the link the server printed at start.', [
      { field: 'body.token', detail: 'Invalid or used setup token' },
    ]);
  }
  const created = await db.transaction(async (tx) => {
    // one setup at a time, and only while no account exists
    await tx.execute(sql`SELECT pg_advisory_xact_lock(4242001)`);
    if ((await countUsers(tx)) > 0) throw new AppError('conflict', 'already_set_up', 'Convene already has an administrator.');
    const u = await createUserWithPassword(tx, { ...input, role: 'admin' });
    await recordAudit(tx, ctx, { action: 'user.setup_admin', entityType: 'user', entityId: u.id, actorId: u.id, actorEmail: u.email, detail: { email: u.email } });
    // every server's link is used up with it
    await tx.delete(setting).where(eq(setting.key, SETUP_TOKENS));
    return u;
  });
  setup.token = null;
  return toUserDto(created);
}

export async function getUser(db: Db, id: string): Promise<UserRow | undefined> {
  const [u] = await db.select().from(user).where(eq(user.id, id));
  return u;
}

export async function updatePreferences(db: Db, ctx: RequestContext, input: { name?: string; locale?: string; timeZone?: string }) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'not_signed_in', 'Sign in first.');
  return db.transaction(async (tx) => {
    const [u] = await tx
      .update(user)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(user.id, actor.id))
      .returning();
    await recordAudit(tx, ctx, { action: 'user.update_preferences', entityType: 'user', entityId: actor.id, detail: input });
    return toUserDto(u!);
  });
}

export async function listUsers(db: Db, ctx: RequestContext, page: { limit: number; cursor?: string }) {
  authorize(ctx.actor, 'users.list');
  const cur = decodeCursor(page.cursor, 2);
  const rows = await db
    .select()
    .from(user)
    .where(cur ? or(gt(user.email, String(cur[0])), and(eq(user.email, String(cur[0])), gt(user.id, String(cur[1])))) : undefined)
    .orderBy(asc(user.email), asc(user.id))
    .limit(page.limit + 1);
  const p = paginate(rows, page.limit, (r) => [r.email, r.id]);
  return { items: p.items.map(toUserDto), nextCursor: p.nextCursor };
}

export async function updateUser(db: Db, ctx: RequestContext, id: string, input: { role?: Role; disabled?: boolean }) {
  authorize(ctx.actor, 'users.manage');
  const actor = ctx.actor;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(4242002)`);
    const target = await getUser(tx, id);
    if (!target) throw new AppError('not_found', 'user_not_found', 'No such user.');
    const losesAdmin = target.role === 'admin' && ((input.role && input.role !== 'admin') || input.disabled === true);
    if (target.id === actor.id && (losesAdmin || input.disabled)) {
      throw new AppError('unprocessable', 'cannot_demote_self', 'You cannot disable or demote your own account.', [
        { field: input.disabled ? 'body.disabled' : 'body.role', detail: 'Not for your own account' },
      ]);
    }
    if (losesAdmin) {
      const [row] = await tx
        .select({ n: count() })
        .from(user)
        .where(and(eq(user.role, 'admin'), eq(user.disabled, false), ne(user.id, id)));
      if (Number(row?.n ?? 0) === 0) {
        throw new AppError('unprocessable', 'last_admin', 'Convene needs at least one active administrator.');
      }
    }
    const [updated] = await tx
      .update(user)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(user.id, id))
      .returning();
    let endedSessions = 0;
    if (input.disabled === true) {
      const ended = await tx.delete(session).where(eq(session.userId, id)).returning({ id: session.id });
      endedSessions = ended.length;
    }
    await recordAudit(tx, ctx, {
      action: input.disabled === true ? 'user.disable' : input.disabled === false ? 'user.enable' : 'user.update',
      entityType: 'user',
      entityId: id,
      detail: { ...input, before: { role: target.role, disabled: target.disabled }, endedSessions },
    });
    return toUserDto(updated!);
  });
}

type InvitationRow = typeof invitation.$inferSelect;

function invitationStatus(i: InvitationRow, now = new Date()) {
  if (i.acceptedAt) return 'accepted' as const;
  if (i.revokedAt) return 'revoked' as const;
  if (i.expiresAt <= now) return 'expired' as const;
  return 'pending' as const;
}

function toInvitationDto(i: InvitationRow) {
  return {
    id: i.id,
    email: i.email,
    name: i.name,
    role: i.role as Role,
    locale: (isLocale(i.locale) ? i.locale : 'en') as Locale,
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    status: invitationStatus(i),
    emailedAt: i.emailedAt?.toISOString() ?? null,
  };
}

export async function createInvitation(
  db: Db,
  ctx: RequestContext,
  input: { email: string; name: string; role: Role; locale: Locale },
  deps: { mailer: Mailer; publicUrl: string; jobs: Jobs },
) {
  authorize(ctx.actor, 'users.manage');
  const actor = ctx.actor;
  const token = newToken();
  const link = `${deps.publicUrl}/invitation?token=${token}`;
  const row = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: user.id }).from(user).where(eq(user.email, input.email));
    if (existing) {
      throw new AppError('conflict', 'email_taken', 'An account with this email already exists.', [
        { field: 'body.email', detail: 'Already has an account' },
      ]);
    }
    // a new invitation replaces any pending one for the same address
    await tx
      .update(invitation)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitation.email, input.email), sql`${invitation.acceptedAt} IS NULL`, sql`${invitation.revokedAt} IS NULL`));
    const [inv] = await tx
      .insert(invitation)
      .values({
        id: randomUUID(),
        ...input,
        tokenHash: hashToken(token),
        invitedBy: actor.id,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
      })
      .returning();
    await recordAudit(tx, ctx, { action: 'invitation.create', entityType: 'invitation', entityId: inv!.id, detail: { email: input.email, role: input.role } });
    // emailed in the background (invitations.jobs.ts): the job exists if and only if the invitation does
    if (deps.mailer.configured) await deps.jobs.enqueue(tx, 'accounts.invitation-email', { invitationId: inv!.id, email: input.email, link });
    return inv!;
  });

  return { invitation: toInvitationDto(row), link, emailed: deps.mailer.configured };
}

export async function listInvitations(db: Db, ctx: RequestContext, page: { limit: number; cursor?: string }) {
  authorize(ctx.actor, 'users.manage');
  const cur = decodeCursor(page.cursor, 2, ([at]) => !Number.isNaN(Date.parse(String(at))));
  // created_at keeps microseconds and the cursor milliseconds: compare at the cursor's precision, or rows
  // made in the same millisecond as a page's last one are skipped
  const createdMs = sql`date_trunc('milliseconds', ${invitation.createdAt})`;
  const rows = await db
    .select()
    .from(invitation)
    .where(cur ? sql`(${createdMs}, ${invitation.id}) < (${new Date(String(cur[0])).toISOString()}::timestamptz, ${String(cur[1])})` : undefined)
    .orderBy(desc(createdMs), desc(invitation.id))
    .limit(page.limit + 1);
  const p = paginate(rows, page.limit, (r) => [r.createdAt.toISOString(), r.id]);
  return { items: p.items.map(toInvitationDto), nextCursor: p.nextCursor };
}

export async function revokeInvitation(db: Db, ctx: RequestContext, id: string) {
  authorize(ctx.actor, 'users.manage');
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invitation).where(eq(invitation.id, id));
    if (!inv) throw new AppError('not_found', 'invitation_not_found', 'No such invitation.');
    if (invitationStatus(inv) !== 'pending') {
      throw new AppError('conflict', 'invitation_not_pending', `This invitation is already ${invitationStatus(inv)}.`);
    }
    const [updated] = await tx.update(invitation).set({ revokedAt: new Date() }).where(eq(invitation.id, id)).returning();
    await recordAudit(tx, ctx, { action: 'invitation.revoke', entityType: 'invitation', entityId: id, detail: { email: inv.email } });
    return toInvitationDto(updated!);
  });
}

async function pendingInvitationByToken(db: Db, token: string): Promise<InvitationRow> {
  const [inv] = await db.select().from(invitation).where(eq(invitation.tokenHash, hashToken(token)));
  if (!inv || invitationStatus(inv) !== 'pending') {
    // one answer for unknown, used, revoked and expired links
    throw new AppError('not_found', 'invitation_not_found', 'This invitation link is not valid any more. Ask an administrator for a new one.');
  }
  return inv;
}

export async function getInvitationByToken(db: Db, token: string) {
  const inv = await pendingInvitationByToken(db, token);
  const dto = toInvitationDto(inv);
  return { email: dto.email, name: dto.name, role: dto.role, locale: dto.locale };
}

export async function acceptInvitation(db: Db, ctx: RequestContext, input: { token: string; name?: string; password: string; timeZone?: string }) {
  return db.transaction(async (tx) => {
    const inv = await pendingInvitationByToken(tx, input.token);
    // claim it first: a second acceptance of the same link waits here and then finds it used
    const claimed = await tx
      .update(invitation)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitation.id, inv.id), sql`${invitation.acceptedAt} IS NULL`))
      .returning({ id: invitation.id });
    if (claimed.length === 0) throw new AppError('not_found', 'invitation_not_found', 'This invitation link is not valid any more.');
    const u = await createUserWithPassword(tx, {
      name: input.name ?? inv.name,
      email: inv.email,
      password: input.password,
      role: inv.role as Role,
      locale: inv.locale,
      timeZone: input.timeZone ?? 'UTC',
    });
    await tx.update(invitation).set({ acceptedUserId: u.id }).where(eq(invitation.id, inv.id));
    await recordAudit(tx, ctx, { action: 'invitation.accept', entityType: 'user', entityId: u.id, actorId: u.id, actorEmail: u.email, detail: { invitationId: inv.id, role: inv.role } });
    return toUserDto(u);
  });
}

export async function listMySessions(db: Db, ctx: RequestContext) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'not_signed_in', 'Sign in first.');
  const rows = await db
    .select()
    .from(session)
    .where(and(eq(session.userId, actor.id), gt(session.expiresAt, new Date())))
    .orderBy(desc(session.createdAt));
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ipAddress: s.ipAddress,
    userAgent: s.userAgent,
    current: s.id === actor.sessionId,
  }));
}

export async function endMySession(db: Db, ctx: RequestContext, id: string) {
  const actor = ctx.actor;
  if (!actor) throw new AppError('unauthenticated', 'not_signed_in', 'Sign in first.');
  await db.transaction(async (tx) => {
    const ended = await tx
      .delete(session)
      .where(and(eq(session.id, id), eq(session.userId, actor.id)))
      .returning({ id: session.id });
    // another user's session is as good as missing
    if (ended.length === 0) throw new AppError('not_found', 'session_not_found', 'No such session.');
    await recordAudit(tx, ctx, { action: 'session.end', entityType: 'session', entityId: id });
  });
}

export type OrganisationName = { en?: string; he?: string; ar?: string };
export type Settings = { requireTwoFactor: boolean; organisationName: OrganisationName };

function parseName(value: string | undefined): OrganisationName {
  if (!value) return {};
  try {
    const o = JSON.parse(value) as Record<string, unknown>;
    return Object.fromEntries((['en', 'he', 'ar'] as const).filter((l) => typeof o[l] === 'string' && o[l]).map((l) => [l, o[l] as string]));
  } catch {
    return {};
  }
}

export async function readSettings(db: Db): Promise<Settings> {
  const rows = await db.select().from(setting).where(inArray(setting.key, ['require_two_factor', 'organisation_name']));
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  return { requireTwoFactor: value('require_two_factor') === 'true', organisationName: parseName(value('organisation_name')) };
}

export async function updateSettings(db: Db, ctx: RequestContext, input: Partial<Settings>) {
  authorize(ctx.actor, 'settings.manage');
  const actor = ctx.actor;
  if (input.requireTwoFactor && !actor.twoFactorEnabled) {
    // otherwise the admin would lock themself out of everything but their account page
    throw new AppError('unprocessable', 'own_two_factor_off', 'Turn on two-factor for your own account first.', [
      { field: 'body.requireTwoFactor', detail: 'Your own two-factor is off' },
    ]);
  }
  return db.transaction(async (tx) => {
    if (input.requireTwoFactor !== undefined) {
      const value = String(input.requireTwoFactor);
      await tx
        .insert(setting)
        .values({ key: 'require_two_factor', value, updatedBy: actor.id })
        .onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date(), updatedBy: actor.id } });
    }
    if (input.organisationName !== undefined) {
      const value = JSON.stringify(Object.fromEntries(Object.entries(input.organisationName).filter(([, v]) => v)));
      await tx
        .insert(setting)
        .values({ key: 'organisation_name', value, updatedBy: actor.id })
        .onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: new Date(), updatedBy: actor.id } });
    }
    await recordAudit(tx, ctx, { action: 'settings.update', entityType: 'setting', entityId: 'install', detail: input });
    return readSettings(tx);
  });
}

/** The secret that signs sessions: CONVENE_SECRET, or one generated at first start and kept in the database. */
export async function ensureAuthSecret(db: Db, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv;
  const generated = randomBytes(48).toString('base64url');
  await db.insert(setting).values({ key: 'auth_secret', value: generated }).onConflictDoNothing();
  const [row] = await db.select().from(setting).where(eq(setting.key, 'auth_secret'));
  return row!.value;
}
