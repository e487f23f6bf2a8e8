import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client.ts';
import { normalizeName } from '../network/names.ts';

// The search box's word index, held in the server's memory. The embedded database runs one query at a time, in
// WebAssembly: matching a typed name against 440,000 names, titles and shared items with trigram indexes took
// 30-60 ms there (and 20-35 ms on PostgreSQL), during which every other request waited. Here the same matching
// takes well under a millisecond, and the database is asked only about the few records found: which of them the
// reader may see (network/visibility.ts decides, as for every list) and what to show of them.
//
// What is indexed: every folded name (names.ts) of organisations and people, pseudonyms, meeting titles and the
// text of shared items. Nothing about who may see them: that is always asked of the database, per request.
//
// How a typed word matches a word of a record (docs/network.md, "Search"):
//   exact; the start of a word ("nisa" in "nisaa"); inside a word, from three letters ("salam" in "wassalam");
//   or one typo from four letters, two from eight: a letter dropped, added or changed, or two neighbours swapped.
// A record matches when every typed word of three letters or more matches one of its words (all words count when
// every typed word is shorter). Records then rank by how they matched (pg_trgm-style similarity of the whole text
// breaks ties), as the SQL search did.
//
// Staying current, across processes: row triggers (src/server/read-models/search-changes.sql) log every change to an
// indexed text in read_model.search_change, at commit and under one advisory lock, so sequence numbers are committed in
// order. Before each search the index reads the changes after the last it applied (one small query) and re-reads
// those rows. A truncation (a restore) or pruned log entries it never saw make it rebuild from the tables.

export type IndexedKind = 'organisation' | 'person' | 'pseudonym' | 'meeting' | 'shared_item';
const KINDS: IndexedKind[] = ['organisation', 'person', 'pseudonym', 'meeting', 'shared_item'];
/** the table each kind's rows come from (its name in read_model.search_change) */
const TABLE: Record<IndexedKind, string> = {
  organisation: 'organisation_name',
  person: 'person_name',
  pseudonym: 'person',
  meeting: 'meeting',
  shared_item: 'shared_item',
};

export type IndexHit = {
  /** the organisation, person, meeting or shared item */
  recordId: string;
  /** the row that matched: the organisation's or person's name, or the record itself */
  rowId: string;
  /** the folded text that matched best */
  slot: number;
  score: number;
};

/** Match qualities, best first. */
const EXACT = 1;
const PREFIX = 0.8;
const INSIDE = 0.6;
const ONE_TYPO = 0.5;
const TWO_TYPOS = 0.4;

/** the longest word typos are forgiven in */
const MAX_TYPO_WORD = 30;
/** how many changes make a rebuild cheaper than keeping dead slots around */
const DEAD_RATIO_FOR_REBUILD = 0.25;
const PRUNE_EVERY_MS = 10 * 60_000;

export class SearchIndex {
  // --- documents (slots); a changed row gets a new slot and its old one is marked dead
  private kind = new Uint8Array(1024);
  private alive = new Uint8Array(1024);
  /** words in the text: fewer words = closer to a whole-name match */
  private words = new Uint16Array(1024);
  /** newer first among equals (meeting start, shared item creation), in seconds */
  private recency = new Float64Array(1024);
  private record: string[] = [];
  private row: string[] = [];
  private text: string[] = [];
  private size = 0;
  private dead = 0;
  /** per kind: row id -> slot */
  private slotOf = KINDS.map(() => new Map<string, number>());

  // --- vocabulary
  private vocab: string[] = [];
  private vocabId = new Map<string, number>();
  /** vocabulary id -> slots whose text has the word (ascending, may include dead slots) */
  private postings: number[][] = [];
  /** the word and each of its one-letter deletions -> vocabulary ids (typos: "symmetric delete") */
  private deletions = new Map<string, number[]>();
  /** each three-letter run inside a word -> vocabulary ids (words typed inside longer words) */
  private grams = new Map<string, number[]>();
  /** the vocabulary sorted, for prefixes; rebuilt when words were added */
  private sorted: string[] | null = null;
  // per-search scratch (searching is synchronous): how many typed words each slot matched, and how well
  private stage = new Uint8Array(0);
  private acc = new Float32Array(0);
  private cur = new Float32Array(0);
  private touchedBuf = new Int32Array(0);

  // --- sync state
  private lastSeq = 0;
  private generation = -1;
  private built = false;
  private queue: Promise<unknown> = Promise.resolve();
  private nextPrune = 0;
  /** how many times the index was built from the tables (for tests) */
  private builds = 0;
  /** the log sequence's position when this index had applied every entry up to it (then nothing to read) */
  private upToDate: string | null = null;

  /** Brings the index up to date with the database (builds it the first time); searches call this first. */
  sync(db: Db): Promise<void> {
    const run = this.queue.then(() => this.syncNow(db));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async syncNow(db: Db): Promise<void> {
    if (!this.built || (this.dead > 1000 && this.dead > this.size * DEAD_RATIO_FOR_REBUILD)) return this.build(db);
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

  private reset() {
    this.kind = new Uint8Array(1024);
    this.alive = new Uint8Array(1024);
    this.words = new Uint16Array(1024);
    this.recency = new Float64Array(1024);
    this.record = [];
    this.row = [];
    this.text = [];
    this.size = 0;
    this.dead = 0;
    for (const m of this.slotOf) m.clear();
    this.vocab = [];
    this.vocabId.clear();
    this.postings = [];
    this.deletions.clear();
    this.grams.clear();
    this.sorted = null;
  }

  private async build(db: Db): Promise<void> {
    this.upToDate = null;
    // the log's position first: changes committed while the tables are read are applied again at the next sync
    const [state] = await rows<{ generation: string; seq: string }>(
      db,
      // (pruned entries were committed: when the log is empty after pruning, the position is where pruning stopped)
      sql`SELECT s.generation::text, greatest((SELECT coalesce(max(seq), 0) FROM read_model.search_change), s.pruned_upto)::text AS seq FROM read_model.search_state s`,
    );
    this.reset();
    for (const kind of KINDS) for (const r of await readRows(db, kind, null)) this.add(kind, r);
    this.generation = Number(state?.generation ?? 0);
    this.lastSeq = Number(state?.seq ?? 0);
    this.built = true;
    this.builds++;
  }

  private async reload(db: Db, kind: IndexedKind, ids: string[]) {
    for (const id of ids) {
      const slot = this.slotOf[KINDS.indexOf(kind)]!.get(id);
      if (slot !== undefined) this.kill(slot);
    }
    for (const r of await readRows(db, kind, ids)) this.add(kind, r);
  }

  private kill(slot: number) {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.dead++;
  }

  private add(kind: IndexedKind, r: Row) {
    if (!r.norm) return;
    const slot = this.size++;
    if (slot >= this.kind.length) this.grow();
    this.kind[slot] = KINDS.indexOf(kind);
    this.alive[slot] = 1;
    this.recency[slot] = r.recency;
    this.record[slot] = r.recordId;
    // meetings and shared items are their own row: keep one copy of the id string (437,000 of them at scale)
    const rowId = r.rowId === r.recordId ? r.recordId : r.rowId;
    this.row[slot] = rowId;
    this.text[slot] = r.norm;
    const slots = this.slotOf[this.kind[slot]!]!;
    const before = slots.get(rowId);
    if (before !== undefined) this.kill(before);
    slots.set(rowId, slot);
    const tokens = r.norm.split(' ');
    this.words[slot] = Math.min(tokens.length, 65_535);
    for (const w of new Set(tokens)) this.postings[this.wordId(w)]!.push(slot);
  }

  private grow() {
    const n = this.kind.length * 2;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const a = new Uint8Array(n);
    a.set(this.alive);
    this.alive = a;
    const w = new Uint16Array(n);
    w.set(this.words);
    this.words = w;
    const r = new Float64Array(n);
    r.set(this.recency);
    this.recency = r;
  }

  private wordId(w: string): number {
    let id = this.vocabId.get(w);
    if (id !== undefined) return id;
    id = this.vocab.length;
    this.vocab.push(w);
    this.vocabId.set(w, id);
    this.postings.push([]);
    this.sorted = null;
    // typos are looked for in words of name length (a pasted address or code in a shared item is not)
    if (w.length <= MAX_TYPO_WORD) for (const d of deletionsOf(w, 1)) push(this.deletions, d, id);
    const letters = [...w];
    const seen = new Set<string>();
    for (let i = 0; i + 3 <= letters.length; i++) {
      const g = letters.slice(i, i + 3).join('');
      if (!seen.has(g)) push(this.grams, g, id);
      seen.add(g);
    }
    return id;
  }

  /** Vocabulary words a typed word matches, with how well. */
  private matchWord(w: string): Map<number, number> {
    const out = new Map<number, number>();
    const put = (id: number, q: number) => {
      if ((out.get(id) ?? 0) < q) out.set(id, q);
    };
    const exact = this.vocabId.get(w);
    if (exact !== undefined) put(exact, EXACT);
    // prefixes: a range of the sorted vocabulary
    const sorted = (this.sorted ??= [...this.vocab].sort());
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(w); i++) if (sorted[i] !== w) put(this.vocabId.get(sorted[i]!)!, PREFIX);
    const letters = [...w];
    if (letters.length >= 3) {
      // inside a longer word: candidates share the word's rarest three-letter run
      let rarest: number[] | undefined;
      for (let i = 0; i + 3 <= letters.length; i++) {
        const ids = this.grams.get(letters.slice(i, i + 3).join(''));
        if (!ids) {
          rarest = [];
          break;
        }
        if (!rarest || ids.length < rarest.length) rarest = ids;
      }
      for (const id of rarest ?? []) if (!out.has(id) && this.vocab[id]!.includes(w)) put(id, INSIDE);
    }
    if (letters.length >= 4 && letters.length <= MAX_TYPO_WORD) {
      const maxTypos = letters.length >= 8 ? 2 : 1;
      const seen = new Set<number>();
      for (const d of deletionsOf(w, maxTypos)) {
        for (const id of this.deletions.get(d) ?? []) {
          if (seen.has(id) || out.has(id)) continue;
          seen.add(id);
          const dist = typos(letters, [...this.vocab[id]!], maxTypos);
          if (dist <= maxTypos) put(id, dist <= 1 ? ONE_TYPO : TWO_TYPOS);
        }
      }
    }
    return out;
  }

  /**
   * Records matching every typed word, best first, per kind: at most `cap` each. Ranked by how the words
   * matched, then similarity with the whole query, then fewer words, then newer.
   */
  search(query: string, kinds: Set<IndexedKind>, cap: number): Map<IndexedKind, IndexHit[]> {
    return this.searchExcluding(query, kinds, cap).hits;
  }

  /**
   * search(), leaving out the records in `exclude` (per kind) as if they were not indexed, and telling which records
   * were `considered` per kind: every record that could take the place of another in the answer. When none of those
   * is one a reader may not see, the answer is exactly the one the reader would get from an index of what they may
   * see (search.service.ts relies on it, so that hidden records never push a visible one out).
   */
  searchExcluding(
    query: string,
    kinds: Set<IndexedKind>,
    cap: number,
    exclude?: Map<IndexedKind, Set<string>>,
  ): { hits: Map<IndexedKind, IndexHit[]>; considered: Map<IndexedKind, string[]> } {
    const result = new Map<IndexedKind, IndexHit[]>();
    const considered = new Map<IndexedKind, string[]>();
    const q = normalizeName(query);
    if (!q) return { hits: result, considered };
    const all = [...new Set(q.split(' '))];
    const long = all.filter((w) => [...w].length >= 3);
    const typed = (long.length ? long : all).slice(0, 16);
    const kindMask = KINDS.map((k) => kinds.has(k));

    const matched = typed.map((w) => this.matchWord(w));
    if (matched.some((m) => m.size === 0)) return { hits: result, considered };
    const cost = (m: Map<number, number>) => {
      let n = 0;
      for (const id of m.keys()) n += this.postings[id]!.length;
      return n;
    };
    const order = matched.map((m, i) => ({ m, i, cost: cost(m) })).sort((a, b) => a.cost - b.cost);

    // the rarest word's records, then kept only where every other word matches too (scratch arrays, reset below)
    if (this.stage.length < this.size) {
      this.stage = new Uint8Array(this.kind.length);
      this.acc = new Float32Array(this.kind.length);
      this.cur = new Float32Array(this.kind.length);
    }
    const { stage, acc, cur } = this;
    if (this.touchedBuf.length < this.size) this.touchedBuf = new Int32Array(this.kind.length);
    let n = 0;
    const buf = this.touchedBuf;
    for (const [id, quality] of order[0]!.m) {
      for (const slot of this.postings[id]!) {
        if (!this.alive[slot] || !kindMask[this.kind[slot]!]) continue;
        if (stage[slot] === 0) {
          stage[slot] = 1;
          acc[slot] = quality;
          buf[n++] = slot;
        } else if (acc[slot]! < quality) acc[slot] = quality;
      }
    }
    const touched = buf.subarray(0, n);
    let alive = touched.length;
    for (let step = 1; step < order.length && alive > 0; step++) {
      const { m, cost } = order[step]!;
      alive = 0;
      if (touched.length * 8 < cost) {
        // few records left: look at their words instead of the typed word's (long) lists
        const byWord = new Map<string, number>();
        for (const [id, quality] of m) byWord.set(this.vocab[id]!, quality);
        for (const slot of touched) {
          if (stage[slot] !== step) continue;
          let best = 0;
          for (const token of this.text[slot]!.split(' ')) best = Math.max(best, byWord.get(token) ?? 0);
          if (best > 0) {
            stage[slot] = step + 1;
            acc[slot] += best;
            alive++;
          }
        }
      } else {
        for (const [id, quality] of m) {
          for (const slot of this.postings[id]!) {
            if (stage[slot] === step) {
              stage[slot] = step + 1;
              cur[slot] = quality;
            } else if (stage[slot] === step + 1 && cur[slot]! < quality) cur[slot] = quality;
          }
        }
        for (const slot of touched) {
          if (stage[slot] === step + 1) {
            acc[slot] += cur[slot]!;
            alive++;
          }
        }
      }
    }
    // a first cut per kind by how the words matched (then fewer words, then newer): the best few slots, kept in a
    // heap, so that a word in 200,000 titles costs a pass over them and no sort
    // room for a person's several names
    const keep = cap * 3;
    const heaps: (SlotHeap | undefined)[] = KINDS.map(() => undefined);
    const better = (a: number, b: number) => this.better(a, b);
    const excluded = KINDS.map((k) => exclude?.get(k));
    for (const slot of touched) {
      if (stage[slot] === order.length) {
        const k = this.kind[slot]!;
        let h = heaps[k];
        if (!h) h = heaps[k] = new SlotHeap(keep, better);
        // most offers lose to the worst kept: decided here, without the call
        if (h.full() && !this.better(slot, h.worst())) continue;
        if (excluded[k]?.has(this.record[slot]!)) continue;
        h.offer(slot);
      }
    }
    // the sums are read by better(): reset only after the heaps are done
    for (const slot of touched) {
      stage[slot] = 0;
      cur[slot] = 0;
    }
    const qGrams = trigramCodes(q);
    for (const [k, h] of heaps.entries()) {
      if (!h) continue;
      // the best slot per record (a person's several names), then the finer score for those kept
      const best = new Map<string, number>();
      for (const slot of h.sorted()) {
        const recordId = this.record[slot]!;
        if (!best.has(recordId) && best.size < cap * 2) best.set(recordId, slot);
      }
      const ranked = [...best.entries()]
        .map(([recordId, slot]) => ({ recordId, rowId: this.row[slot]!, slot, score: scoreText(this.text[slot]!, q, qGrams) }))
        .sort((a, b) => b.score - a.score || this.recency[b.slot]! - this.recency[a.slot]!)
        .slice(0, cap);
      result.set(KINDS[k]!, ranked);
      considered.set(KINDS[k]!, [...best.keys()]);
    }
    for (const slot of touched) acc[slot] = 0;
    return { hits: result, considered };
  }

  /** a ranks before b: how the typed words matched, then fewer words, then newer */
  private better(a: number, b: number): boolean {
    const qa = this.acc[a]!;
    const qb = this.acc[b]!;
    if (qa !== qb) return qa > qb;
    const wa = this.words[a]!;
    const wb = this.words[b]!;
    if (wa !== wb) return wa < wb;
    return this.recency[a]! > this.recency[b]!;
  }

  /** for the benchmark and tests: documents held (alive) and distinct words */
  stats(): { documents: number; words: number; builds: number } {
    return { documents: this.size - this.dead, words: this.vocab.length, builds: this.builds };
  }
}

type Row = { rowId: string; recordId: string; norm: string; recency: number };

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
async function readRows(db: Db, kind: IndexedKind, ids: string[] | null): Promise<Row[]> {
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

/** The best `size` slots offered, by `better`: a binary heap with the worst kept on top. */
class SlotHeap {
  private items: number[] = [];
  constructor(
    private readonly size: number,
    private readonly better: (a: number, b: number) => boolean,
  ) {}

  full(): boolean {
    return this.items.length >= this.size;
  }

  worst(): number {
    return this.items[0]!;
  }

  offer(slot: number) {
    const h = this.items;
    if (h.length < this.size) {
      h.push(slot);
      let i = h.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.better(h[p]!, h[i]!)) break;
        [h[p], h[i]] = [h[i]!, h[p]!];
        i = p;
      }
      return;
    }
    if (!this.better(slot, h[0]!)) return;
    h[0] = slot;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < h.length && this.better(h[worst]!, h[l]!)) worst = l;
      if (r < h.length && this.better(h[worst]!, h[r]!)) worst = r;
      if (worst === i) break;
      [h[worst], h[i]] = [h[i]!, h[worst]!];
      i = worst;
    }
  }

  /** best first */
  sorted(): number[] {
    return [...this.items].sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
  }
}

function push(m: Map<string, number[]>, key: string, id: number) {
  const list = m.get(key);
  if (list) list.push(id);
  else m.set(key, [id]);
}

/** The word and every form of it with up to n letters deleted (for words of 3+ letters). */
export function deletionsOf(word: string, n: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let step = 0; step < n; step++) {
    const next: string[] = [];
    for (const w of frontier) {
      const letters = [...w];
      if (letters.length <= 2) continue;
      for (let i = 0; i < letters.length; i++) {
        const d = letters.slice(0, i).concat(letters.slice(i + 1)).join('');
        if (!out.has(d)) {
          out.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * Typos between two words: letters dropped, added or changed, and neighbours swapped, each one typo (optimal
 * string alignment distance). Stops early: anything above `max` is max + 1.
 */
export function typos(a: string[], b: string[], max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** pg_trgm's trigrams: each word padded with two spaces before and one after. */
export function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.split(' ')) {
    if (!w) continue;
    const letters = [...`  ${w} `];
    for (let i = 0; i + 3 <= letters.length; i++) out.add(letters.slice(i, i + 3).join(''));
  }
  return out;
}

/** The same trigrams as numbers (three UTF-16 units in 48 bits): what ranking compares, without making strings. */
function trigramCodes(text: string): Set<number> {
  const out = new Set<number>();
  const SPACE = 32;
  let a = SPACE;
  let b = SPACE;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : SPACE;
    if (c === SPACE) {
      // the end of a word: its last trigram ends in a space; then start the next word with two spaces
      if (b !== SPACE) out.add((a * 65536 + b) * 65536 + SPACE);
      a = SPACE;
      b = SPACE;
      continue;
    }
    out.add((a * 65536 + b) * 65536 + c);
    a = b;
    b = c;
  }
  return out;
}

/**
 * The SQL search's rank, computed here: exact 3, the start of the text 2, the start of one of its words 1.5,
 * inside 1, plus the better of trigram similarity and the share of the query's trigrams found in the text.
 */
export function scoreText(norm: string, q: string, qGrams: Set<number> = trigramCodes(q)): number {
  const tier = norm === q ? 3 : norm.startsWith(q) ? 2 : norm.includes(` ${q}`) ? 1.5 : norm.includes(q) ? 1 : 0;
  const t = trigramCodes(norm);
  let common = 0;
  for (const g of qGrams) if (t.has(g)) common++;
  const similarity = common / (qGrams.size + t.size - common || 1);
  const wordSimilarity = qGrams.size ? common / qGrams.size : 0;
  return tier + Math.max(similarity, wordSimilarity);
}

/** for tests: the numeric trigrams are the string ones */
export const trigramCount = (text: string) => trigramCodes(text).size;

const indexes = new WeakMap<Db, SearchIndex>();

/** The index for this database, brought up to date. */
export async function searchIndex(db: Db): Promise<SearchIndex> {
  let index = indexes.get(db);
  if (!index) indexes.set(db, (index = new SearchIndex()));
  await index.sync(db);
  return index;
}
