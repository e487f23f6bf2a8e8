import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import type { DialogueLanguage } from './dialogues.contract.ts';
import { dialogueParticipant } from './dialogues.schema.ts';
import { tokenHash } from './participation.token.ts';

// A participant, found by the token in their cookie, and the refusal when there is none: what the invites, the
// identity (joining, resuming), the runtime's caches and the vote writer all need, beneath them all.

export type Participant = { id: string; dialogueId: string; segmentId: string | null; language: DialogueLanguage; tokenHash: string };

/**
 * The participant holding this cookie token, as stored now. (The voting path keeps a cache of these,
 * ParticipationRuntime.votingParticipant, checked when each vote's batch commits.)
 */
export async function participantByToken(db: Db, token: string | null): Promise<Participant | null> {
  if (!token) return null;
  const h = tokenHash(token);
  const [p] = await db
    .select({ id: dialogueParticipant.id, dialogueId: dialogueParticipant.dialogueId, segmentId: dialogueParticipant.segmentId, language: dialogueParticipant.language })
    .from(dialogueParticipant)
    .where(eq(dialogueParticipant.tokenHash, h))
    .limit(1);
  return p ? { ...p, language: p.language as DialogueLanguage, tokenHash: h } : null;
}

export function notJoined(): AppError {
  return new AppError('unauthenticated', 'not_joined', 'Join the dialogue first (or continue with your code).');
}
