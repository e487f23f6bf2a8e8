import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/setup/test-db.ts';
import { recordAudit } from './audit.service.ts';
import { auditEntry } from './audit.schema.ts';

const database = await freshDatabase();
afterAll(() => database.close());
const ctx = { actor: null, ip: '127.0.0.1', userAgent: 'test' };

describe('the audit log in the database', () => {
  it('refuses to change or delete an entry, whatever the code asks', async () => {
    await recordAudit(database.db, ctx, { action: 'thing.create', entityType: 'thing', entityId: 'a1', detail: { name: 'שלום' } });
    const [row] = await database.db.select().from(auditEntry).where(eq(auditEntry.entityId, 'a1'));
    expect(row?.action).toBe('thing.create');

    await expect(database.db.update(auditEntry).set({ action: 'thing.forged' }).where(eq(auditEntry.id, row!.id))).rejects.toThrow();
    await expect(database.db.delete(auditEntry).where(eq(auditEntry.id, row!.id))).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_entry`)).rejects.toThrow();

    const [after] = await database.db.select().from(auditEntry).where(eq(auditEntry.id, row!.id));
    expect(after).toEqual(row);
  });

  it('rolls an entry back together with the write it records', async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { action: 'thing.create', entityType: 'thing', entityId: 'rolled-back' });
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    const rows = await database.db.select().from(auditEntry).where(eq(auditEntry.entityId, 'rolled-back'));
    expect(rows).toHaveLength(0);
  });
});
