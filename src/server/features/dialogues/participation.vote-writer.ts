import { sql } from 'drizzle-orm';
import { rows as selectRows, type Db } from '../../db/client.ts';
import { AppError } from '../../core/errors.ts';
import { slowDown } from '../../public/limits.ts';
import type { RateLimits } from '../../runtime/rate-limits.ts';
import { dialogueParticipant, dialogueVote } from './dialogues.schema.ts';
import { notJoined } from './participation.identity.ts';
import { LIMITS, participantKey } from './participation.limits.ts';
import { lockTargets, refusal } from './participation.open.ts';

export type VoteRow = {
  participantId: string;
  statementId: string;
  dialogueId: string;
  value: number;
  /** the session of the statement's question, and the invite the participant votes through: judged at commit */
  sessionId: string;
  inviteId: string;
  /** the hash of the token the vote came with: judged at commit against the participant's current one */
  tokenHash: string;
};

type Waiting = VoteRow & { resolve: () => void; reject: (e: unknown) => void };

/**
 * Group commit for votes. Requests enqueue their vote and wait; one writer takes everything queued and stores
 * it in ONE transaction: the sessions and invites of the batch are locked FOR SHARE and judged by the rule every
 * participant write follows (participation.open.ts: the session open, the link not withdrawn, at that instant),
 * then the votes that pass are stored with one multi-row INSERT … ON CONFLICT (participant_id, statement_id) DO
 * UPDATE, and each request is acknowledged, or refused (410 session_closed, …) with nothing stored and so nothing
 * counted. While a batch is being written the next one collects, so under load batches grow and the database
 * sees a few large writes instead of thousands of small ones.
 *
 * The instant that decides is the one the batch is judged at, inside its transaction: a vote queued while the
 * session was open but written after it closed (by hand, or by closesAt passing) is refused. That instant is
 * the stored voted_at.
 *
 * In the same transaction, and so exactly however many servers write votes: a vote whose token is no longer the
 * participant's (they continued on another device, through any server) is refused (401 not_joined), and the votes
 * that pass are counted against each participant's limit (LIMITS.votes, in the rate_limit table, one statement
 * for the batch): a participant's votes beyond it are refused (429 rate_limited with Retry-After), the others of
 * the batch stored. Nothing refused is stored, and refusals by the rule are not counted.
 *
 * A request is acknowledged only after the batch holding its vote has committed, so the number of
 * acknowledged votes never exceeds what is stored. A batch that fails (say, a statement deleted meanwhile)
 * is retried vote by vote, so only the bad votes fail (the failed batch's counts are rolled back with it).
 */
export class VoteWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private stopped = false;
  /**
   * Participants a batch found over their limit, until the window ends (ms since the epoch): their next votes are
   * refused without asking the database. The database's counter only grows until then, so this is exact.
   */
  private overLimit = new Map<string, number>();
  /** participants' rate-limit keys (an HMAC each: worth keeping for the participants of a running dialogue) */
  private keys = new Map<string, string>();
  /** rows written since start (one per participant and statement a batch stored; for the benchmark and tests) */
  committed = 0;
  batches = 0;

  constructor(
    private db: Db,
    private limits: RateLimits,
    private opts: { delayMs: number; maxBatch: number } = { delayMs: 2, maxBatch: 1000 },
  ) {}

  /** Seconds until this participant may vote again, when a batch found them over the limit; else 0. */
  waitFor(participantId: string, now = Date.now()): number {
    const until = this.overLimit.get(participantId);
    if (until === undefined) return 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    this.overLimit.delete(participantId);
    return 0;
  }

  write(vote: VoteRow): Promise<void> {
    if (this.stopped) return Promise.reject(new AppError('unavailable', 'shutting_down', 'This server is stopping: try again in a moment.', undefined, { 'retry-after': '1' }));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...vote, resolve, reject });
      if (this.writing) return; // the running flush picks it up when it is done
      if (this.queue.length >= this.opts.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.opts.delayMs);
    });
  }

  /** Stops taking votes (503), then waits until everything queued is stored (at shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
  }

  /** Resolves when everything queued so far is stored (or refused, or failed). */
  async drain(): Promise<void> {
    while (this.queue.length || this.writing) {
      if (!this.writing) this.flushSoon(0);
      await (this.writing ?? new Promise((r) => setTimeout(r, 1)));
    }
  }

  private flushSoon(ms: number) {
    if (this.timer) {
      if (ms > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.flush().finally(() => {
        this.writing = null;
        if (this.queue.length) this.flushSoon(this.queue.length >= this.opts.maxBatch ? 0 : this.opts.delayMs);
      });
    }, ms);
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      const settle = (w: Waiting, err: unknown) => (err ? w.reject(err) : w.resolve());
      try {
        const refused = await this.store(batch);
        this.batches++;
        for (const w of batch) settle(w, refused.get(w) ?? null);
      } catch {
        // one by one, in queue order (so the latest of several votes on a statement still stands)
        for (const w of batch) {
          try {
            settle(w, (await this.store([w])).get(w) ?? null);
          } catch (err) {
            settle(w, err);
          }
        }
      }
    }
  }

  /**
   * One transaction: judge each vote by the rule and the participant's current token, count those that pass
   * against each participant's limit and keep, in queue order, those within it; store them, one row per
   * (participant, statement), the latest standing. Returns the refusals.
   */
  private async store(votes: Waiting[]): Promise<Map<Waiting, Error>> {
    let rowsStored = 0;
    const over = new Map<string, number>();
    const refused = await this.db.transaction(async (tx) => {
      const locked = await lockTargets(tx, votes);
      const tokens = await currentTokens(tx, votes);
      const now = new Date();
      const refused = new Map<Waiting, Error>();
      const passed: Waiting[] = [];
      for (const w of votes) {
        const no = tokens.get(w.participantId) !== w.tokenHash ? notJoined() : refusal(locked, w, now, 'body.statementId');
        if (no) refused.set(w, no);
        else passed.push(w);
      }
      // a command cannot update the same row twice: one row per (participant, statement), the latest wins
      const latest = new Map<string, Waiting>();
      for (const w of await this.withinLimit(tx, passed, refused, over)) latest.set(`${w.participantId}:${w.statementId}`, w);
      if (latest.size) await this.insert(tx, [...latest.values()], now);
      rowsStored = latest.size;
      return refused;
    });
    this.committed += rowsStored;
    // only once committed: a batch rolled back counted nothing
    for (const [id, until] of over) this.overLimit.set(id, until);
    if (this.overLimit.size > 10_000) for (const [id, until] of this.overLimit) if (until <= Date.now()) this.overLimit.delete(id);
    return refused;
  }

  /**
   * Counts the votes per participant (one statement for the batch, keys in order so that two servers' batches
   * lock the same counters in the same order) and keeps, of each participant's votes in queue order, those
   * within the limit; the others are refused, and their participants noted in `over` until the window ends.
   */
  private async withinLimit(tx: Db, votes: Waiting[], refused: Map<Waiting, Error>, over: Map<string, number>): Promise<Waiting[]> {
    const byParticipant = new Map<string, { key: string; n: number }>();
    for (const w of votes) {
      const c = byParticipant.get(w.participantId);
      if (c) c.n++;
      else byParticipant.set(w.participantId, { key: this.keyOf(w.participantId), n: 1 });
    }
    const counts = new Map([...byParticipant.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((c) => [c.key, c.n]));
    const allowed = await this.limits.hitMany(tx, LIMITS.votes, counts);
    const used = new Map<string, number>();
    const kept: Waiting[] = [];
    for (const w of votes) {
      const a = allowed.get(byParticipant.get(w.participantId)!.key);
      const n = (used.get(w.participantId) ?? 0) + 1;
      used.set(w.participantId, n);
      if (!a || n <= a.allowed) {
        kept.push(w);
        continue;
      }
      refused.set(w, slowDown(a.retryAfter, 'votes'));
      over.set(w.participantId, Date.now() + a.retryAfter * 1000);
    }
    return kept;
  }

  private keyOf(participantId: string): string {
    let k = this.keys.get(participantId);
    if (k === undefined) {
      if (this.keys.size >= 50_000) this.keys.clear();
      k = participantKey(this.limits, participantId);
      this.keys.set(participantId, k);
    }
    return k;
  }

  /**
   * One statement with four array parameters, whatever the batch size: PostgreSQL parses and plans it once per
   * batch, and no per-row parameter list is built (ids are uuids and values small integers, so the array
   * literals need no quoting).
   */
  private async insert(tx: Db, rows: Waiting[], at: Date) {
    const list = (xs: (string | number)[]) => `{${xs.join(',')}}`;
    await tx.execute(sql`
      insert into ${dialogueVote} (participant_id, statement_id, dialogue_id, value, voted_at)
      select p, s, d, v, ${at.toISOString()}::timestamptz
        from unnest(${list(rows.map((r) => r.participantId))}::uuid[], ${list(rows.map((r) => r.statementId))}::uuid[],
                    ${list(rows.map((r) => r.dialogueId))}::uuid[], ${list(rows.map((r) => r.value))}::smallint[]) as x(p, s, d, v)
      on conflict (participant_id, statement_id) do update set value = excluded.value, voted_at = excluded.voted_at`);
  }
}

/** The token hash each participant of the batch holds now (a participant who continued elsewhere holds another). */
async function currentTokens(tx: Db, votes: Waiting[]): Promise<Map<string, string>> {
  const ids = [...new Set(votes.map((v) => v.participantId))];
  const found = await selectRows<{ id: string; token_hash: string }>(tx, sql`select id, token_hash from ${dialogueParticipant} where id = any(${`{${ids.join(',')}}`}::uuid[])`);
  return new Map(found.map((r) => [r.id, r.token_hash]));
}
