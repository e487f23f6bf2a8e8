import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoResearch, seedDemoStudy } from '../../src/cli/demo-research.ts';
import { user } from '../../src/server/features/accounts/accounts.schema.ts';
import { computeAnalysis, loadDialogueVotes } from '../../src/server/features/dialogues/analysis.service.ts';
import { dialogueSegment, dialogueTranslation } from '../../src/server/features/dialogues/dialogues.schema.ts';
import { getStudyAnalysis } from '../../src/server/features/studies/analysis.service.ts';
import { freshDatabase } from '../setup/test-db.ts';

const database = await freshDatabase();
await database.migrate();
afterAll(() => database.close());
const db = database.db;
await db.insert(user).values({ id: 'demo-rana', name: 'Rana', email: 'rana@demo.convene.example', role: 'staff' });
const { dialogueId } = await seedDemoResearch(db, { createdBy: 'demo-rana' });
const { studyId } = await seedDemoStudy(db, { createdBy: 'demo-rana', dialogueId });

describe('demo research', () => {
  it('a dialogue across three populations whose analysis finds bridging and divisive statements', async () => {
    const segments = await db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, dialogueId));
    expect(segments.map((s) => s.key).sort()).toEqual(['jewish-israelis', 'palestinian-citizens', 'palestinians-wbg']);
    const data = await loadDialogueVotes(db, dialogueId);
    expect(data.participants).toHaveLength(360);
    const { analysis } = computeAnalysis(
      data,
      segments.map((s) => ({ id: s.id, key: s.key, name: s.name as Record<string, string> })),
    );
    const body = (id: string) => analysis.statements.find((s) => s.id === id)!.body;
    expect(analysis.bridging.map(body)).toContain('Every child, Israeli or Palestinian, deserves to grow up without fear.');
    expect(analysis.divisive.map(body)).toContain('ישראל חייבת לשמור על שליטה ביטחונית מלאה בכל השטח לשנים הקרובות.');
    expect(analysis.groups.length).toBeGreaterThanOrEqual(2);
    // every accepted statement is readable in all three languages
    const translations = await db.select().from(dialogueTranslation);
    expect(translations.length).toBe(14 * 2);
  });

  it('a message test whose analysis gives each kind of verdict', async () => {
    const actor = { id: 'demo-rana', email: 'rana@demo.convene.example', name: 'Rana', role: 'staff', locale: 'en', timeZone: 'UTC', twoFactorEnabled: true, sessionId: 's', createdAt: '' } as const;
    const a = await getStudyAnalysis(db, { actor, ip: '', userAgent: '' }, studyId, {} as never);
    expect(a.populations.map((p) => p.control.n + p.arms.reduce((n, arm) => n + arm.n, 0))).toEqual([600, 600]);
    const verdicts = Object.fromEntries(a.verdicts.map((v) => [a.populations[0]!.arms.find((arm) => arm.armId === v.armId)!.key, v.verdict]));
    expect(verdicts).toEqual({ children: 'persuades_both', horizon: 'persuades_one', incitement: 'backfires' });
  });
});
