import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { dialogueVote } from './dialogues.schema.ts';

export type VoteRow = { participantId: string; statementId: string; dialogueId: string; value: number };

type Waiting = VoteRow & { votedAt: Date; resolve: () => void; reject: (e: unknown) => void };

/**
 * Group commit for votes. Requests enqueue their vote and wait; one writer takes everything queued and stores
 * it with ONE multi-row INSERT … ON CONFLICT (participant_id, statement_id) DO UPDATE (a single statement is a
 * single transaction), then acknowledges each request. While a batch is being written the next one collects,
 * so under load batches grow and the database sees a few large writes instead of thousands of small ones.
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
      this.queue.push({ ...vote, votedAt: new Date(), resolve, reject });
      if (this.writing) return; // the running flush picks it up when it is done
      if (this.queue.length >= this.opts.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.opts.delayMs);
    });
  }

  /** Resolves when everything queued so far is stored (or failed). */
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
      const latest = new Map<string, Waiting>();
      for (const w of batch) latest.set(`${w.participantId}:${w.statementId}`, w);
      try {
        await this.insert([...latest.values()]);
        this.committed += latest.size;
        this.batches++;
        for (const w of batch) w.resolve();
      } catch {
        for (const w of latest.values()) {
          try {
            await this.insert([w]);
            this.committed++;
            for (const b of batch) if (b.participantId === w.participantId && b.statementId === w.statementId) b.resolve();
          } catch (err) {
            for (const b of batch) if (b.participantId === w.participantId && b.statementId === w.statementId) b.reject(err);
          }
        }
      }
    }
  }

  /**
   * One statement with five array parameters, whatever the batch size: PostgreSQL parses and plans it once per
   * batch, and no per-row parameter list is built (ids are uuids and values small integers, so the array
   * literals need no quoting).
   */
  private async insert(rows: Waiting[]) {
    const list = (xs: (string | number)[]) => `{${xs.join(',')}}`;
    await this.db.execute(sql`
      insert into ${dialogueVote} (participant_id, statement_id, dialogue_id, value, voted_at)
      select p, s, d, v, to_timestamp(t / 1000.0)
        from unnest(${list(rows.map((r) => r.participantId))}::uuid[], ${list(rows.map((r) => r.statementId))}::uuid[],
                    ${list(rows.map((r) => r.dialogueId))}::uuid[], ${list(rows.map((r) => r.value))}::smallint[],
                    ${list(rows.map((r) => r.votedAt.getTime()))}::float8[]) as x(p, s, d, v, t)
      on conflict (participant_id, statement_id) do update set value = excluded.value, voted_at = excluded.voted_at`);
  }
}
