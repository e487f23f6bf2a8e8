import { count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RateLimits } from '../../runtime/rate-limits.ts';
import { dialogueStatement, dialogueVote } from './dialogues.schema.ts';
import { participantByToken, type Participant } from './participation.participant.ts';
import { loadInvite, statementMeta, type InviteContext, type StatementMeta } from './participation.invites.ts';
import { tokenHash } from './participation.token.ts';
import { VoteWriter } from './participation.vote-writer.ts';

/** Invites and statements on the voting path: at most a second old. */
const CACHE_MS = 1000;
/** Vote counts per statement (for routing the next statement): at most three seconds old. */
const COUNTS_MS = 3000;

class Lru<K, V> {
  private map = new Map<K, V>();
  constructor(private max: number) {}
  get(k: K): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V) {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(k: K) {
    this.map.delete(k);
  }
}

/**
 * What taking part keeps in one app server's memory, created once by the app (public/runtime.ts) and passed to the
 * API and the pages: the vote writer (group commit, which also counts the vote limit) and short-lived caches on the
 * voting path. None of them decides anything another server could contradict:
 * - invites and statements are at most a second old: a withdrawn link, a closed session or a rejected statement
 *   takes effect within a second for votes (and at once for everything else); the session and the link are judged
 *   again, exactly, when the vote's batch is stored (participation.open.ts);
 * - vote counts per statement (which statement to offer next) are at most three seconds old;
 * - participants by token hash, used by the JSON vote route only: a participant who continued on another device
 *   through another server still hits this cache with the old token, but the vote's batch compares the token
 *   with the stored one and refuses it (401 not_joined), and the entry is dropped.
 */
export class ParticipationRuntime {
  readonly writer: VoteWriter;
  readonly participants = new Lru<string, Participant>(20_000);
  /** per dialogue: its statements by id */
  private statements = new Lru<string, { at: number; metas: Promise<Map<string, StatementMeta>> }>(200);
  private invites = new Map<string, { at: number; ctx: Promise<InviteContext> }>();
  private counts = new Map<string, { at: number; counts: Promise<Map<string, number>> }>();

  constructor(
    readonly db: Db,
    readonly limits: RateLimits,
    writerOptions?: { delayMs: number; maxBatch: number },
  ) {
    this.writer = new VoteWriter(db, limits, writerOptions);
  }

  /** The participant holding this token, for a vote (checked again when the vote is stored). */
  async votingParticipant(token: string | null): Promise<Participant | null> {
    if (!token) return null;
    const hit = this.participants.get(tokenHash(token));
    if (hit) return hit;
    const p = await participantByToken(this.db, token);
    if (p) this.participants.set(p.tokenHash, p);
    return p;
  }

  /** The invite as of at most a second ago (the voting path). */
  invite(token: string): Promise<InviteContext> {
    const now = Date.now();
    const hit = this.invites.get(token);
    if (hit && now - hit.at < CACHE_MS) return hit.ctx;
    if (this.invites.size > 1000) this.invites.clear();
    const ctx = loadInvite(this.db, token);
    this.invites.set(token, { at: now, ctx });
    ctx.catch(() => this.invites.delete(token));
    return ctx;
  }

  /**
   * A statement of a dialogue, from all its statements as of at most a second ago, loaded in one query (a dialogue
   * with thousands of statements gets thousands of votes a second: one query each would swamp the database). A
   * statement written since then is looked up on its own.
   */
  async statement(dialogueId: string, id: string): Promise<StatementMeta | null> {
    const now = Date.now();
    let hit = this.statements.get(dialogueId);
    if (!hit || now - hit.at >= CACHE_MS) {
      const metas = this.db
        .select({ id: dialogueStatement.id, dialogueId: dialogueStatement.dialogueId, questionId: dialogueStatement.questionId, participantId: dialogueStatement.participantId, status: dialogueStatement.status })
        .from(dialogueStatement)
        .where(eq(dialogueStatement.dialogueId, dialogueId))
        .then((list) => new Map(list.map(({ id: sid, ...meta }) => [sid, meta])));
      hit = { at: now, metas };
      this.statements.set(dialogueId, hit);
      metas.catch(() => this.statements.delete(dialogueId));
    }
    const map = await hit.metas;
    const known = map.get(id);
    if (known) return known;
    const meta = await statementMeta(this.db, id);
    if (meta && meta.dialogueId === dialogueId) map.set(id, meta);
    return meta;
  }

  /** Votes per statement of a dialogue, as of at most three seconds ago. */
  voteCounts(dialogueId: string): Promise<Map<string, number>> {
    const now = Date.now();
    const hit = this.counts.get(dialogueId);
    if (hit && now - hit.at < COUNTS_MS) return hit.counts;
    if (this.counts.size > 200) this.counts.clear();
    const counts = this.db
      .select({ statementId: dialogueVote.statementId, n: count() })
      .from(dialogueVote)
      .where(eq(dialogueVote.dialogueId, dialogueId))
      .groupBy(dialogueVote.statementId)
      .then((r) => new Map(r.map((x) => [x.statementId, Number(x.n)])));
    this.counts.set(dialogueId, { at: now, counts });
    counts.catch(() => this.counts.delete(dialogueId));
    return counts;
  }
}
