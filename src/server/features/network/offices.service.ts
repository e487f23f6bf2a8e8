import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { authorize, type Role } from '../../access/roles.ts';
import { user } from '../accounts/accounts.schema.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { OfficeDto, StaffMemberDto } from './offices.contract.ts';
import { office, staffOffice } from './network.schema.ts';
import { isUuid, notFound } from '../../core/errors.ts';
import { reader } from '../../access/need-to-know.ts';
import { inNameOrder, orderLanguage } from './list-order.ts';

type OfficeRow = typeof office.$inferSelect;

function toOfficeDto(o: OfficeRow, staffCount: number): OfficeDto {
  return { id: o.id, name: o.name, city: o.city, timeZone: o.timeZone, staffCount, createdAt: o.createdAt.toISOString() };
}

async function staffCountOf(db: Db, officeId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(staffOffice).where(eq(staffOffice.officeId, officeId));
  return Number(row?.n ?? 0);
}

/** Two offices with the same name would make the office picker ambiguous. */
async function assertNameFree(db: Db, name: string, exceptId?: string) {
  const [clash] = await db
    .select({ id: office.id })
    .from(office)
    .where(and(sql`lower(${office.name}) = lower(${name})`, exceptId ? sql`${office.id} <> ${exceptId}` : undefined));
  if (clash) throw new AppError('conflict', 'office_name_taken', 'An office with this name already exists.', [{ field: 'body.name', detail: 'Already taken' }]);
}

export async function listOffices(db: Db, ctx: RequestContext): Promise<OfficeDto[]> {
  const actor = reader(ctx);
  const rows = await db
    .select({ o: office, n: sql<number>`(SELECT count(*) FROM staff_office so WHERE so.office_id = ${office.id})`.mapWith(Number) })
    .from(office)
    .orderBy(asc(office.id));
  return inNameOrder(rows, (r) => r.o.name, orderLanguage(undefined, actor)).map((r) => toOfficeDto(r.o, r.n));
}

export async function createOffice(db: Db, ctx: RequestContext, input: { name: string; city: string; timeZone: string }): Promise<OfficeDto> {
  authorize(ctx.actor, 'users.manage');
  return db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [o] = await tx.insert(office).values(input).returning();
    await recordAudit(tx, ctx, { action: 'office.create', entityType: 'office', entityId: o!.id, detail: { ...input } });
    return toOfficeDto(o!, 0);
  });
}

export async function updateOffice(
  db: Db,
  ctx: RequestContext,
  id: string,
  input: { name?: string; city?: string; timeZone?: string },
): Promise<OfficeDto> {
  authorize(ctx.actor, 'users.manage');
  return db.transaction(async (tx) => {
    const [before] = isUuid(id) ? await tx.select().from(office).where(eq(office.id, id)).for('update') : [];
    if (!before) throw notFound('office');
    if (input.name !== undefined) await assertNameFree(tx, input.name, id);
    const [o] = Object.keys(input).length ? await tx.update(office).set(input).where(eq(office.id, id)).returning() : [before];
    await recordAudit(tx, ctx, {
      action: 'office.update',
      entityType: 'office',
      entityId: id,
      detail: { ...input, before: { name: before.name, city: before.city, timeZone: before.timeZone } },
    });
    return toOfficeDto(o!, await staffCountOf(tx, id));
  });
}

const staffColumns = {
  id: user.id,
  name: user.name,
  email: user.email,
  role: user.role,
  disabled: user.disabled,
  timeZone: user.timeZone,
  officeId: office.id,
  officeName: office.name,
  officeCity: office.city,
  officeTimeZone: office.timeZone,
};

type StaffRow = { id: string; name: string; email: string; role: string; disabled: boolean; timeZone: string; officeId: string | null; officeName: string | null; officeCity: string | null; officeTimeZone: string | null };

function toStaffDto(r: StaffRow): StaffMemberDto {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role as Role,
    disabled: r.disabled,
    timeZone: r.timeZone,
    office: r.officeId ? { id: r.officeId, name: r.officeName!, city: r.officeCity!, timeZone: r.officeTimeZone! } : null,
  };
}

function staffQuery(db: Db, where?: SQL) {
  return db
    .select(staffColumns)
    .from(user)
    .leftJoin(staffOffice, eq(staffOffice.userId, user.id))
    .leftJoin(office, eq(office.id, staffOffice.officeId))
    .where(where)
    .orderBy(sql`lower(${user.name})`, asc(user.id));
}

/** Every account with its office: readers need it to pick owners and staff present. */
export async function listStaff(
  db: Db,
  ctx: RequestContext,
  filter: { officeId?: string; role?: Role; includeDisabled?: 'true' | 'false' } = {},
): Promise<StaffMemberDto[]> {
  const actor = reader(ctx);
  const rows = await staffQuery(
    db,
    and(
      filter.officeId ? eq(office.id, filter.officeId) : undefined,
      filter.role ? eq(user.role, filter.role) : undefined,
      filter.includeDisabled === 'true' ? undefined : eq(user.disabled, false),
    ),
  );
  return inNameOrder(rows, (r) => r.name, orderLanguage(undefined, actor)).map(toStaffDto);
}

export async function assignOffice(db: Db, ctx: RequestContext, userId: string, officeId: string | null): Promise<StaffMemberDto> {
  authorize(ctx.actor, 'users.manage');
  return db.transaction(async (tx) => {
    const [u] = await tx.select({ id: user.id }).from(user).where(eq(user.id, userId));
    if (!u) throw new AppError('not_found', 'user_not_found', 'No such user.');
    const [before] = await tx.select({ officeId: staffOffice.officeId }).from(staffOffice).where(eq(staffOffice.userId, userId));
    if (officeId === null) {
      await tx.delete(staffOffice).where(eq(staffOffice.userId, userId));
    } else {
      const [o] = await tx.select({ id: office.id }).from(office).where(eq(office.id, officeId));
      if (!o) throw new AppError('unprocessable', 'unknown_office', 'No such office.', [{ field: 'body.officeId', detail: 'No such office' }]);
      await tx.insert(staffOffice).values({ userId, officeId }).onConflictDoUpdate({ target: staffOffice.userId, set: { officeId } });
    }
    await recordAudit(tx, ctx, { action: 'staff.assign_office', entityType: 'user', entityId: userId, detail: { officeId, before: before?.officeId ?? null } });
    const [row] = await staffQuery(tx, eq(user.id, userId));
    return toStaffDto(row!);
  });
}
