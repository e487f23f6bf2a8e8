// Keeping the search index (search-index.ts) current, across processes: row triggers
// (src/server/read-models/search-changes.sql) log every change to an indexed text in read_model.search_change, at
// commit and under one advisory lock, so sequence numbers are committed in order. Before each search the index reads
// the changes after the last it applied (one small query) and re-reads those rows. A truncation (a restore) or pruned
// log entries it never saw make it rebuild from the tables; so do many dead slots. Old log entries are pruned here.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { normalizeName } from '../network/names.ts';
import { IndexStore, KINDS, type IndexedKind, type IndexedRow } from './search-index-store.ts';

/** the table each kind's rows come from (its name in read_model.search_change) */
const TABLE: Record<IndexedKind, string> = {
  organisation: 'organisation_name',
  person: 'person_name',
  pseudonym: 'person',
  meeting: 'meeting',
  shared_item: 'shared_item',
};

/** how many changes make a rebuild cheaper than keeping dead slots around */
const DEAD_RATIO_FOR_REBUILD = 0.25;
const PRUNE_EVERY_MS = 10 * 60_000;

export class IndexSync {
  private lastSeq = 0;
  private generation = -1;
  private built = false;
  private queue: Promise<unknown> = Promise.resolve();
  private nextPrune = 0;
  /** how many times the index was built from the tables (for tests) */
  builds = 0;
  /** the log sequence's position when this index had applied every entry up to it (then nothing to read) */
  private upToDate: string | null = null;

  constructor(private readonly store: IndexStore) {}

  /** Brings the index up to date with the database (builds it the first time); searches call this first. */
  sync(db: Db): Promise<void> {
    const run = this.queue.then(() => this.syncNow(db));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async syncNow(db: Db): Promise<void> {
    if (!this.built || (this.store.dead > 1000 && this.store.dead > this.store.size * DEAD_RATIO_FOR_REBUILD)) return this.build(db);
    // The cheap check first: the log's sequence has not moved since this index had applied everything up to it.
    // (A sequence moves before its transaction commits, so "applied up to it" is what makes the shortcut safe.)
    const mark = await logPosition(db);
    if (mark === this.upToDate) return;
    const [state] = await rows<{ generation: string; pruned_upto: string; changes: string }>(
      db,
      sql`SELECT s.generation::text, s.pruned_upto::text,
          (SELECT coalesce(string_agg(c.seq || ' ' || c.tbl || ' ' || c.row_id, ',' ORDER BY c.seq), '') FROM read_model.search_change c WHERE c.seq > ${this.lastSeq}) AS changes
        FROM read_model.search_state s`,
    );
    if (!state || Number(state.generation) !== this.generation || Number(state.pruned_upto) > this.lastSeq) return this.build(db);
    if (state.changes) {
      const byTable = new Map<string, Set<string>>();
      let last = this.lastSeq;
      for (const c of state.changes.split(',')) {
        const [seq, table, id] = c.split(' ') as [string, string, string];
        last = Math.max(last, Number(seq));
        byTable.set(table, (byTable.get(table) ?? new Set()).add(id));
      }
      for (const kind of KINDS) {
        const ids = byTable.get(TABLE[kind]);
        if (ids) await this.reload(db, kind, [...ids]);
      }
      this.lastSeq = last;
    }
    this.upToDate = this.lastSeq >= Number(mark) ? mark : null;
    if (Date.now() >= this.nextPrune) {
      this.nextPrune = Date.now() + PRUNE_EVERY_MS;
      // entries a day old: every process searching since has applied them; one that has not rebuilds
      await rows(
        db,
        sql`WITH d AS (DELETE FROM read_model.search_change WHERE at < now() - interval '1 day' RETURNING seq)
          UPDATE read_model.search_state SET pruned_upto = greatest(pruned_upto, (SELECT max(seq) FROM d)) WHERE EXISTS (SELECT 1 FROM d) RETURNING 1`,
      );
    }
  }

  private async build(db: Db): Promise<void> {
    this.upToDate = null;
    // the log's position first: changes committed while the tables are read are applied again at the next sync
    const [state] = await rows<{ generation: string; seq: string }>(
      db,
      // (pruned entries were committed: when the log is empty after pruning, the position is where pruning stopped)
      sql`SELECT s.generation::text, greatest((SELECT coalesce(max(seq), 0) FROM read_model.search_change), s.pruned_upto)::text AS seq FROM read_model.search_state s`,
    );
    this.store.reset();
    for (const kind of KINDS) for (const r of await readRows(db, kind, null)) this.store.add(kind, r);
    this.generation = Number(state?.generation ?? 0);
    this.lastSeq = Number(state?.seq ?? 0);
    this.built = true;
    this.builds++;
  }

  /** Reads these rows again: their old slots die, the rows still there get new ones. */
  private async reload(db: Db, kind: IndexedKind, ids: string[]) {
    this.store.remove(kind, ids);
    for (const r of await readRows(db, kind, ids)) this.store.add(kind, r);
  }
}

const POSITION = `SELECT pg_sequence_last_value('read_model.search_change_seq_seq'::regclass)::text AS last`;

/**
 * The change log sequence's last value ('0' before the first change). Asked before every search: straight through the
 * driver (PGlite or node-postgres, both answer `{ rows }`), which on the embedded database costs a third of a Drizzle query.
 */
async function logPosition(db: Db): Promise<string> {
  const client = (db as unknown as { $client?: { query?: (text: string) => Promise<{ rows: { last: string | null }[] }> } }).$client;
  const found = client?.query ? (await client.query(POSITION)).rows : await rows<{ last: string | null }>(db, sql.raw(POSITION));
  return found[0]?.last ?? '0';
}

/** The rows of one kind (all of them, or those with these ids), as one text per table: far cheaper to decode than rows. */
async function readRows(db: Db, kind: IndexedKind, ids: string[] | null): Promise<IndexedRow[]> {
  const only = (col: string) => (ids ? sql`WHERE ${sql.raw(col)} = ANY(${`{${ids.join(',')}}`}::uuid[])` : sql``);
  const tab = sql.raw(`chr(9)`);
  let query;
  switch (kind) {
    case 'organisation':
      query = sql`SELECT string_agg(id || ${tab} || organisation_id || ${tab} || norm || ${tab} || '0', chr(10)) AS t FROM organisation_name ${only('id')}`;
      break;
    case 'person':
      query = sql`SELECT string_agg(id || ${tab} || person_id || ${tab} || norm || ${tab} || '0', chr(10)) AS t FROM person_name ${only('id')}`;
      break;
    case 'pseudonym': {
      // few people carry one: folded here
      const found = await rows<{ id: string; pseudonym: string }>(
        db,
        sql`SELECT id, pseudonym FROM person ${ids ? sql`WHERE id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND` : sql`WHERE`} pseudonym IS NOT NULL`,
      );
      return found.map((r) => ({ rowId: r.id, recordId: r.id, norm: normalizeName(r.pseudonym), recency: 0 }));
    }
    case 'meeting':
      query = sql`SELECT string_agg(id || ${tab} || id || ${tab} || title_norm || ${tab} || extract(epoch FROM starts_at)::bigint, chr(10)) AS t FROM meeting ${only('id')}`;
      break;
    case 'shared_item':
      query = sql`SELECT string_agg(id || ${tab} || id || ${tab} || body_norm || ${tab} || extract(epoch FROM created_at)::bigint, chr(10)) AS t FROM shared_item ${only('id')}`;
      break;
  }
  const [r] = await rows<{ t: string | null }>(db, query);
  if (!r?.t) return [];
  // folded text holds letters, digits and single spaces only: tabs and newlines separate safely
  return r.t.split('\n').map((line) => {
    const [rowId, recordId, norm, recency] = line.split('\t') as [string, string, string, string];
    return { rowId, recordId, norm, recency: Number(recency) };
  });
}
