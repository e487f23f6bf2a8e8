// AI assist for message tests (optional; the same provider as dialogues): draft message variants from the
// study's brief, and the model's predicted ranking of the messages per population, stored apart from the
// measured results (study_prediction) so that the two are never mixed.
import { eq } from 'drizzle-orm';
import type { AiProvider } from '../../ai/provider.ts';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { studyPrediction } from './studies.schema.ts';
import { requireStudy, researchWriter, studyParts } from './studies.service.ts';

function requireAi(ai: AiProvider | null): AiProvider {
  if (!ai)
    throw new AppError('conflict', 'ai_not_configured', 'No AI provider is configured (CONVENE_AI_BASE_URL), so the app cannot draft or predict; write messages by hand.');
  return ai;
}

function unavailable(e: unknown): AppError {
  return new AppError('unavailable', 'ai_unavailable', `The AI provider did not answer: ${(e as Error).message}`.slice(0, 300));
}

/** The text of a localized value in the first of the preferred languages it has. */
function pick(text: Record<string, string | undefined>, languages: readonly string[]): string {
  for (const l of [...languages, 'en', 'he', 'ar']) if (text[l]) return text[l]!;
  return Object.values(text).find((v) => !!v) ?? '';
}

export async function draftVariants(db: Db, ctx: RequestContext, studyId: string, count: number, ai: AiProvider | null) {
  researchWriter(ctx);
  const s = await requireStudy(db, studyId);
  const provider = requireAi(ai);
  if (!s.brief?.trim())
    throw new AppError('unprocessable', 'brief_required', 'Write the study’s brief first: the variants are drafted from it.', [{ field: 'brief', detail: 'Required to draft variants' }]);
  try {
    const result = await provider.draftVariants({ brief: s.brief, languages: s.languages, count });
    return { variants: result.variants.map((v) => ({ text: v.text })) };
  } catch (e) {
    throw unavailable(e);
  }
}

export async function predictRankings(db: Db, ctx: RequestContext, studyId: string, ai: AiProvider | null) {
  researchWriter(ctx);
  const s = await requireStudy(db, studyId);
  const provider = requireAi(ai);
  const { populations, arms, questions } = await studyParts(db, s.id);
  const messages = arms.filter((a) => !a.control);
  const outcome = questions.find((q) => q.role === 'outcome' && q.primary) ?? questions.find((q) => q.role === 'outcome');
  if (messages.length === 0) throw new AppError('conflict', 'study_has_no_messages', 'The study has no messages to rank.');
  const model = provider.describe().model;
  const items: { armId: string; populationId: string | null; score: number; rationale: string | null; model: string }[] = [];
  try {
    for (const p of populations) {
      const langs = p.languages.length ? p.languages : s.languages;
      const ranked = await provider.predictRanking({
        question: outcome ? pick(outcome.prompt, langs) : s.title,
        population: pick(p.name, ['en', ...langs]),
        messages: messages.map((m) => ({ id: m.id, text: pick(m.text, ['en', ...langs]) })),
      });
      for (const r of ranked) items.push({ armId: r.id, populationId: p.id, score: r.score, rationale: r.rationale || null, model });
    }
  } catch (e) {
    throw unavailable(e);
  }
  await db.transaction(async (tx) => {
    // a new run replaces the previous one: the page shows one prediction per message and population
    await tx.delete(studyPrediction).where(eq(studyPrediction.studyId, s.id));
    if (items.length) await tx.insert(studyPrediction).values(items.map((i) => ({ studyId: s.id, ...i })));
    await recordAudit(tx, ctx, { action: 'study.predict', entityType: 'study', entityId: s.id, detail: { model, predictions: items.length } });
  });
  return { items };
}
