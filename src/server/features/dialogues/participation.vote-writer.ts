import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dialogueVote } from './dialogues.schema.ts';
import { lockTargets, refusal } from './participation.open.ts';

export type VoteRow = {
  participantId: string;
  statementId: string;
  dialogueId: string;
  value: number;
  /** the session of the statement's question, and the invite the participant votes through: judged at commit */
  sessionId: string;
  inviteId: string;
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
 * A request is acknowledged only after the batch holding its vote has committed, so the number of
 * acknowledged votes never exceeds what is stored. A batch that fails (say, a statement deleted meanwhile)
 * is retried vote by vote, so only the bad votes fail.
 */
export class VoteWriter {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  /** votes stored since start (for the benchmark and tests) */
  committed = 0;
  batches = 0;

  constructor(
    private db: Db,
    private opts: { delayMs: number; maxBatch: number } = { delayMs: 2, maxBatch: 1000 },
  ) {}

  write(vote: VoteRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...vote, resolve, reject });
      if (this.writing) return; // the running flush picks it up when it is done
      if (this.queue.length >= this.opts.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.opts.delayMs);
    });
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
      // one row per (participant, statement): a command cannot update the same row twice; the latest wins
      const byKey = new Map<string, Waiting[]>();
      for (const w of batch) {
        const k = `${w.participantId}:${w.statementId}`;
        const list = byKey.get(k);
        if (list) list.push(w);
        else byKey.set(k, [w]);
      }
      const latest = [...byKey.values()].map((list) => list[list.length - 1]!);
      const settle = (w: Waiting, err: unknown) => {
        for (const b of byKey.get(`${w.participantId}:${w.statementId}`)!) (err ? b.reject(err) : b.resolve());
      };
      try {
        const refused = await this.store(latest);
        this.batches++;
        for (const w of latest) settle(w, refused.get(w) ?? null);
      } catch {
        for (const w of latest) {
          try {
            settle(w, (await this.store([w])).get(w) ?? null);
          } catch (err) {
            settle(w, err);
          }
        }
      }
    }
  }

  /** One transaction: judge each vote by the rule, store those that pass; returns the refusals. */
  private async store(votes: Waiting[]): Promise<Map<Waiting, Error>> {
    const refused = await this.db.transaction(async (tx) => {
      const locked = await lockTargets(tx, votes);
      const now = new Date();
      const refused = new Map<Waiting, Error>();
      const stored: Waiting[] = [];
      for (const w of votes) {
        const no = refusal(locked, w, now, 'body.statementId');
        if (no) refused.set(w, no);
        else stored.push(w);
      }
      if (stored.length) await this.insert(tx, stored, now);
      return refused;
    });
    this.committed += votes.length - refused.size;
    return refused;
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
