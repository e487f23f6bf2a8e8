import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Jobs } from '../../jobs/jobs.ts';
import type { RequestTranslations, StatementTranslator } from './translations.types.ts';
import { dialogue, dialogueStatement, dialogueTranslation } from './dialogues.schema.ts';

export type { RequestTranslations } from './translations.types.ts';

declare module '../../jobs/jobs.ts' {
  interface JobPayloads {
    /** statements to translate into their dialogue's other languages through the AI provider */
    'dialogues.translate': { statementIds: string[] };
  }
}

export function translationRequests(jobs: Jobs, ai: StatementTranslator | null): RequestTranslations {
  if (!ai) return null;
  return async (tx, statementIds) => {
    if (statementIds.length > 0) await jobs.enqueue(tx, 'dialogues.translate', { statementIds });
  };
}

/**
 * The translation job: in the background, a participant never waits for it. A provider that fails is asked
 * again with backoff (pg-boss retries); translations already there (a human one above all) are kept, so a
 * second run only adds what is missing.
 */
export function defineTranslationJobs(jobs: Jobs, deps: { db: Db; ai: StatementTranslator | null }): void {
  jobs.define('dialogues.translate', {
    handler: async ({ statementIds }) => {
      if (!deps.ai) return { translated: 0 };
      return { translated: await translateStatements(deps.db, deps.ai, statementIds) };
    },
    retryLimit: 5,
    retryDelaySeconds: 15,
    expireInSeconds: 10 * 60,
    concurrency: 2,
    subject: (d) => d.statementIds.join(', '),
  });
}

export async function translateStatements(db: Db, ai: StatementTranslator, statementIds: string[]): Promise<number> {
  if (statementIds.length === 0) return 0;
  const rows = await db
    .select({ id: dialogueStatement.id, body: dialogueStatement.body, language: dialogueStatement.language, languages: dialogue.languages })
    .from(dialogueStatement)
    .innerJoin(dialogue, eq(dialogue.id, dialogueStatement.dialogueId))
    .where(inArray(dialogueStatement.id, statementIds));
  const have = await db
    .select({ statementId: dialogueTranslation.statementId, language: dialogueTranslation.language })
    .from(dialogueTranslation)
    .where(inArray(dialogueTranslation.statementId, statementIds));
  const done = new Set(have.map((h) => `${h.statementId}:${h.language}`));
  const byTarget = new Map<string, { id: string; text: string; from?: string }[]>();
  for (const r of rows) {
    for (const to of r.languages) {
      if (to === r.language || done.has(`${r.id}:${to}`)) continue;
      const list = byTarget.get(to) ?? [];
      list.push({ id: r.id, text: r.body, from: r.language === 'other' ? undefined : r.language });
      byTarget.set(to, list);
    }
  }
  const model = ai.describe().model;
  let written = 0;
  for (const [to, texts] of byTarget) {
    const out = await ai.translate({ texts, to });
    const wanted = new Set(texts.map((t) => t.id));
    const values = out.filter((o) => wanted.has(o.id) && o.text.trim()).map((o) => ({ statementId: o.id, language: to, body: o.text.trim().slice(0, 2000), source: 'ai', model }));
    if (values.length === 0) continue;
    // a human translation entered meanwhile wins: never overwrite
    await db.insert(dialogueTranslation).values(values).onConflictDoNothing();
    written += values.length;
  }
  return written;
}

/** A human translation replaces whatever was there. */
export async function putHumanTranslation(db: Db, statementId: string, language: string, body: string, userId: string): Promise<void> {
  await db
    .insert(dialogueTranslation)
    .values({ statementId, language, body, source: 'human', model: null, createdBy: userId })
    .onConflictDoUpdate({
      target: [dialogueTranslation.statementId, dialogueTranslation.language],
      set: { body, source: 'human', model: null, createdBy: userId, createdAt: new Date() },
    });
}

export async function translationsOf(db: Db, statementIds: string[]) {
  if (statementIds.length === 0) return new Map<string, { language: string; body: string; source: 'ai' | 'human'; model: string | null }[]>();
  const rows = await db.select().from(dialogueTranslation).where(and(inArray(dialogueTranslation.statementId, statementIds)));
  const map = new Map<string, { language: string; body: string; source: 'ai' | 'human'; model: string | null }[]>();
  for (const r of rows) {
    const list = map.get(r.statementId) ?? [];
    list.push({ language: r.language, body: r.body, source: r.source as 'ai' | 'human', model: r.model });
    map.set(r.statementId, list);
  }
  return map;
}
