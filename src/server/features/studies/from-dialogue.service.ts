// "Test these statements": a dialogue's statements (by default its bridging ones) become the messages of a new
// draft study: a control, one message per statement (its original text and every translation it has), the
// dialogue's segments as populations and one 1–7 agreement outcome in Hebrew, Arabic and English.
import { titleFor } from '../dialogues/dialogue-title.ts';
import { asc, eq, inArray } from 'drizzle-orm';
import { translate } from '../../../i18n/catalogs.ts';
import { isLocale } from '../../../i18n/locales.ts';
import type { Db } from '../../db/client.ts';
import type { RequestContext } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { getAnalysis } from '../dialogues/analysis.service.ts';
import { dialogue, dialogueSegment, dialogueStatement } from '../dialogues/dialogues.schema.ts';
import { translationsOf } from '../dialogues/translations.service.ts';
import { isUuid } from '../../core/errors.ts';
import type { FromDialogueInput, Study, StudyLanguage } from './studies.contract.ts';
import { insertStudy, researchWriter, studyDto } from './studies.service.ts';

export const AGREEMENT_OUTCOME = {
  key: 'agreement',
  role: 'outcome' as const,
  kind: 'scale' as const,
  scaleMin: 1,
  scaleMax: 7,
  prompt: { en: 'How much do you agree?', he: 'עד כמה אתם מסכימים?', ar: 'إلى أي مدى توافق؟' },
  scaleLabels: {
    min: { en: 'Strongly disagree', he: 'מתנגדים מאוד', ar: 'أعارض بشدة' },
    max: { en: 'Strongly agree', he: 'מסכימים מאוד', ar: 'أوافق بشدة' },
  },
  primary: true,
};

const EVERYONE = { en: 'Everyone', he: 'כולם', ar: 'الجميع' };

/** "Message test: <dialogue title>" in the language of the person who asks (English without one). */
function defaultTitle(ctx: RequestContext, dialogueTitle: string): string {
  const actorLocale = ctx.actor?.locale;
  return translate(isLocale(actorLocale) ? actorLocale : 'en', 'studies.fromDialogue.defaultTitle', { title: dialogueTitle }).slice(0, 200);
}

export async function createStudyFromDialogue(db: Db, ctx: RequestContext, input: FromDialogueInput, publicUrl: string): Promise<Study> {
  researchWriter(ctx);
  const [d] = isUuid(input.dialogueId) ? await db.select().from(dialogue).where(eq(dialogue.id, input.dialogueId)) : [];
  if (!d) throw new AppError('unprocessable', 'dialogue_not_found', 'No such dialogue.', [{ field: 'body.dialogueId', detail: 'No such dialogue' }]);

  let ids = input.statementIds;
  if (!ids) {
    ids = (await getAnalysis(db, ctx, d.id)).bridging.slice(0, 29);
    if (!ids.length)
      throw new AppError('unprocessable', 'no_bridging_statements', 'The dialogue has no bridging statements yet: choose the statements to test.', [
        { field: 'body.statementIds', detail: 'Required: the dialogue has no bridging statements' },
      ]);
  }
  const bad = ids.findIndex((id, i) => !isUuid(id) || ids.indexOf(id) !== i);
  if (bad >= 0) throw new AppError('unprocessable', 'statement_not_found', 'Not a statement of this dialogue.', [{ field: `body.statementIds.${bad}`, detail: 'Not a statement of this dialogue (or given twice)' }]);
  const found = await db.select().from(dialogueStatement).where(inArray(dialogueStatement.id, ids));
  const byId = new Map(found.filter((s) => s.dialogueId === d.id && s.status !== 'rejected').map((s) => [s.id, s]));
  const missing = ids.findIndex((id) => !byId.has(id));
  if (missing >= 0)
    throw new AppError('unprocessable', 'statement_not_found', 'Not a statement of this dialogue.', [{ field: `body.statementIds.${missing}`, detail: 'Not an accepted statement of this dialogue' }]);

  const translations = await translationsOf(db, ids);
  const segments = await db.select().from(dialogueSegment).where(eq(dialogueSegment.dialogueId, d.id)).orderBy(asc(dialogueSegment.position), asc(dialogueSegment.key));
  const languages = d.languages as StudyLanguage[];
  const known = new Set<string>(['he', 'ar', 'en']);

  const arms = [
    { key: 'control', control: true, text: {} },
    ...ids.map((id, i) => {
      const s = byId.get(id)!;
      const text: Record<string, string> = {};
      for (const t of translations.get(id) ?? []) if (known.has(t.language)) text[t.language] = t.body;
      if (known.has(s.language)) text[s.language] = s.body; // the original wins over any translation into its own language
      return { key: `message-${i + 1}`, control: false, text, sourceStatementId: id };
    }),
  ];
  const populations = segments.length
    ? segments.map((s) => ({ key: s.key.slice(0, 40), name: s.name as Record<string, string>, languages }))
    : [{ key: 'everyone', name: EVERYONE, languages }];

  return db.transaction(async (tx) => {
    const s = await insertStudy(
      tx,
      ctx,
      {
        title: input.title ?? defaultTitle(ctx, titleFor(d.title, ctx.actor?.locale, d.languages)),
        description: null,
        languages,
        randomization: 'block',
        populations,
        arms,
        questions: [AGREEMENT_OUTCOME],
        dialogueId: d.id,
      },
      0,
      'study.create_from_dialogue',
    );
    return studyDto(tx, s, publicUrl);
  });
}
