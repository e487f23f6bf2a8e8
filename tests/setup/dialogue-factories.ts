import { titleFromInput } from '../../src/server/features/dialogues/dialogue-title.ts';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.ts';
import {
  dialogue,
  dialogueInvite,
  dialogueParticipant,
  dialogueQuestion,
  dialogueSegment,
  dialogueSession,
  dialogueStatement,
  dialogueTranslation,
  dialogueVote,
  type LocalizedText,
} from '../../src/server/features/dialogues/dialogues.schema.ts';
import { newParticipantToken, newResumeCode, resumeCodeHash, tokenHash } from '../../src/server/features/dialogues/participation.token.ts';

// `build*` factories for dialogues: rows straight through Drizzle (no HTTP, no moderation rules), so a test sets up
// exactly the world it needs. Keys (segment keys, question keys) name things inside one build so tests can refer
// to them; every id comes back in the result.
//
//   const d = await buildDialogue(t.db, {
//     segments: [{ key: 'jewish-israelis', name: { en: 'Jewish Israelis' } }, { key: 'palestinians', name: { en: 'Palestinians' } }],
//     sessions: [{ key: 'joint', status: 'open', questions: [{ key: 'q', kind: 'open', seeds: ['We all want safety'] }] }],
//     invites: [{ key: 'any' }, { key: 'ji', segment: 'jewish-israelis' }],
//   });
//   const p = await buildParticipant(t.db, { dialogueId: d.id, segmentId: d.segments['jewish-israelis'] });
//   await buildStatement(t.db, { questionId: d.questions.q, participantId: p.id, body: 'אנחנו רוצים שקט' });

export type QuestionSpec =
  | { key: string; kind: 'open'; prompt?: LocalizedText; seeds?: (string | { body: string; language?: string; status?: string })[] }
  | { key: string; kind: 'poll'; prompt?: LocalizedText; pollMode: 'single' | 'multiple' | 'scale'; options?: LocalizedText[]; scaleMax?: 5 | 7 };

export type SessionSpec = {
  key: string;
  title?: string;
  /** a segment key: a uni-national session; absent: joint */
  segment?: string;
  status?: 'draft' | 'scheduled' | 'open' | 'closed';
  opensAt?: Date | null;
  closesAt?: Date | null;
  questions?: QuestionSpec[];
};

export type BuildDialogueInput = {
  /** one string (kept under the language of its letters) or per language */
  title?: string | LocalizedText;
  intro?: LocalizedText;
  languages?: ('he' | 'ar' | 'en')[];
  moderation?: 'pre' | 'post';
  resultsVisible?: boolean;
  pairwise?: boolean;
  segments?: { key: string; name: LocalizedText }[];
  sessions?: SessionSpec[];
  /** segment: a segment key; absent: participants choose on entry */
  invites?: { key: string; segment?: string; revoked?: boolean; label?: string }[];
};

export type BuiltDialogue = {
  id: string;
  segments: Record<string, string>;
  sessions: Record<string, string>;
  questions: Record<string, string>;
  /** poll option ids per question key, in order */
  options: Record<string, string[]>;
  /** seed statement ids per question key, in order */
  seeds: Record<string, string[]>;
  /** invite tokens (the /p/{token} part) per invite key */
  invites: Record<string, string>;
};

let seq = 0;

export function inviteToken(): string {
  return randomBytes(12).toString('base64url');
}

export async function buildDialogue(db: Db, input: BuildDialogueInput = {}): Promise<BuiltDialogue> {
  const n = ++seq;
  const languages = input.languages ?? ['he', 'ar', 'en'];
  const [d] = await db
    .insert(dialogue)
    .values({
      title: titleFromInput(input.title ?? `Dialogue ${n}`),
      intro: input.intro ?? { en: 'Tell us what would make you feel safe.', he: 'ספרו לנו מה יגרום לכם להרגיש בטוחים.', ar: 'أخبرونا ما الذي يجعلكم تشعرون بالأمان.' },
      languages,
      moderation: input.moderation ?? 'post',
      resultsVisible: input.resultsVisible ?? false,
      pairwise: input.pairwise ?? false,
    })
    .returning({ id: dialogue.id });
  const out: BuiltDialogue = { id: d!.id, segments: {}, sessions: {}, questions: {}, options: {}, seeds: {}, invites: {} };

  for (const [i, s] of (input.segments ?? []).entries()) {
    const [row] = await db.insert(dialogueSegment).values({ dialogueId: out.id, key: s.key, name: s.name, position: i }).returning({ id: dialogueSegment.id });
    out.segments[s.key] = row!.id;
  }
  const segmentId = (key: string | undefined) => {
    if (key === undefined) return null;
    const id = out.segments[key];
    if (!id) throw new Error(`buildDialogue: no segment "${key}"`);
    return id;
  };

  for (const [i, s] of (input.sessions ?? []).entries()) {
    const [row] = await db
      .insert(dialogueSession)
      .values({ dialogueId: out.id, title: s.title ?? `Session ${s.key}`, segmentId: segmentId(s.segment), status: s.status ?? 'open', opensAt: s.opensAt ?? null, closesAt: s.closesAt ?? null, position: i })
      .returning({ id: dialogueSession.id });
    out.sessions[s.key] = row!.id;
    for (const [j, q] of (s.questions ?? []).entries()) {
      const prompt = q.prompt ?? { en: `Question ${q.key}?`, he: `שאלה ${q.key}?`, ar: `سؤال ${q.key}؟` };
      const options = q.kind === 'poll' ? (q.options ?? []).map((label, k) => ({ id: `o${k + 1}`, label })) : [];
      const [qr] = await db
        .insert(dialogueQuestion)
        .values({
          sessionId: row!.id,
          dialogueId: out.id,
          kind: q.kind,
          prompt,
          pollMode: q.kind === 'poll' ? q.pollMode : null,
          options,
          scaleMin: q.kind === 'poll' && q.pollMode === 'scale' ? 1 : null,
          scaleMax: q.kind === 'poll' && q.pollMode === 'scale' ? (q.scaleMax ?? 5) : null,
          position: j,
        })
        .returning({ id: dialogueQuestion.id });
      out.questions[q.key] = qr!.id;
      out.options[q.key] = options.map((o) => o.id);
      out.seeds[q.key] = [];
      if (q.kind === 'open') {
        for (const seed of q.seeds ?? []) {
          const spec = typeof seed === 'string' ? { body: seed } : seed;
          const st = await buildStatement(db, { questionId: qr!.id, body: spec.body, language: spec.language, status: spec.status ?? 'accepted', seed: true });
          out.seeds[q.key]!.push(st.id);
        }
      }
    }
  }

  for (const inv of input.invites ?? []) {
    const token = inviteToken();
    await db.insert(dialogueInvite).values({ dialogueId: out.id, segmentId: segmentId(inv.segment), token, label: inv.label ?? inv.key, revokedAt: inv.revoked ? new Date() : null });
    out.invites[inv.key] = token;
  }
  return out;
}

/** A participant with a known cookie token and resume code (only their hashes are stored, as the app does). */
export async function buildParticipant(db: Db, input: { dialogueId: string; segmentId?: string | null; language?: string; sourceId?: string }) {
  const token = newParticipantToken();
  const resumeCode = newResumeCode();
  const [row] = await db
    .insert(dialogueParticipant)
    .values({ dialogueId: input.dialogueId, segmentId: input.segmentId ?? null, language: input.language ?? 'en', tokenHash: tokenHash(token), resumeHash: resumeCodeHash(resumeCode)!, sourceId: input.sourceId ?? null })
    .returning({ id: dialogueParticipant.id });
  return { id: row!.id, token, resumeCode };
}

/** A statement. The dialogue and (for participants) the segment are looked up; language defaults to a guess from the script. */
export async function buildStatement(
  db: Db,
  input: { questionId: string; body: string; participantId?: string | null; language?: string; status?: string; seed?: boolean; rejectReason?: string },
) {
  const [q] = await db.select({ dialogueId: dialogueQuestion.dialogueId }).from(dialogueQuestion).where(eq(dialogueQuestion.id, input.questionId));
  let segmentId: string | null = null;
  if (input.participantId) {
    const [p] = await db.select({ segmentId: dialogueParticipant.segmentId }).from(dialogueParticipant).where(eq(dialogueParticipant.id, input.participantId));
    segmentId = p?.segmentId ?? null;
  }
  const language = input.language ?? (/[\u0590-\u05FF]/.test(input.body) ? 'he' : /[\u0600-\u06FF]/.test(input.body) ? 'ar' : 'en');
  const [row] = await db
    .insert(dialogueStatement)
    .values({
      questionId: input.questionId,
      dialogueId: q!.dialogueId,
      participantId: input.participantId ?? null,
      segmentId,
      seed: input.seed ?? false,
      body: input.body,
      language,
      status: input.status ?? 'accepted',
      rejectReason: input.rejectReason ?? (input.status === 'rejected' ? 'Off topic' : null),
    })
    .returning({ id: dialogueStatement.id });
  return { id: row!.id, language, segmentId };
}

export async function buildTranslation(db: Db, input: { statementId: string; language: string; body: string; source?: 'ai' | 'human'; model?: string | null }) {
  await db.insert(dialogueTranslation).values({ statementId: input.statementId, language: input.language, body: input.body, source: input.source ?? 'ai', model: input.model ?? (input.source === 'human' ? null : 'stand-in') });
}

/** Votes straight into the table: [participantId, statementId, value][]. */
export async function buildVotes(db: Db, dialogueId: string, votes: [string, string, number][]) {
  if (!votes.length) return;
  for (let i = 0; i < votes.length; i += 1000) {
    await db.insert(dialogueVote).values(votes.slice(i, i + 1000).map(([participantId, statementId, value]) => ({ participantId, statementId, dialogueId, value })));
  }
}
