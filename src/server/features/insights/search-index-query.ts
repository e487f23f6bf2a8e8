// Querying the search index (search-index.ts): which indexed words each typed word matches (exact, the start of a
// word, inside a word, or with typos), the slots that match every typed word, and their ranking, per kind. Reads
// what search-index-store.ts holds; searching is synchronous and uses scratch arrays of its own, reset after each.
import { normalizeName } from '../network/names.ts';
import { IndexStore, KINDS, type IndexedKind } from './search-index-store.ts';
import { deletionsOf, MAX_TYPO_WORD, scoreText, trigramCodes, typos } from './search-text.ts';

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

export class IndexQuery {
  // per-search scratch (searching is synchronous): how many typed words each slot matched, and how well
  private stage = new Uint8Array(0);
  private acc = new Float32Array(0);
  private cur = new Float32Array(0);
  private touchedBuf = new Int32Array(0);

  constructor(private readonly store: IndexStore) {}

  /** Vocabulary words a typed word matches, with how well. */
  private matchWord(w: string): Map<number, number> {
    const s = this.store;
    const out = new Map<number, number>();
    const put = (id: number, q: number) => {
      if ((out.get(id) ?? 0) < q) out.set(id, q);
    };
    const exact = s.vocabId.get(w);
    if (exact !== undefined) put(exact, EXACT);
    // prefixes: a range of the sorted vocabulary
    const sorted = (s.sorted ??= [...s.vocab].sort());
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(w); i++) if (sorted[i] !== w) put(s.vocabId.get(sorted[i]!)!, PREFIX);
    const letters = [...w];
    if (letters.length >= 3) {
      // inside a longer word: candidates share the word's rarest three-letter run
      let rarest: number[] | undefined;
      for (let i = 0; i + 3 <= letters.length; i++) {
        const ids = s.grams.get(letters.slice(i, i + 3).join(''));
        if (!ids) {
          rarest = [];
          break;
        }
        if (!rarest || ids.length < rarest.length) rarest = ids;
      }
      for (const id of rarest ?? []) if (!out.has(id) && s.vocab[id]!.includes(w)) put(id, INSIDE);
    }
    if (letters.length >= 4 && letters.length <= MAX_TYPO_WORD) {
      const maxTypos = letters.length >= 8 ? 2 : 1;
      const seen = new Set<number>();
      for (const d of deletionsOf(w, maxTypos)) {
        for (const id of s.deletions.get(d) ?? []) {
          if (seen.has(id) || out.has(id)) continue;
          seen.add(id);
          const dist = typos(letters, [...s.vocab[id]!], maxTypos);
          if (dist <= maxTypos) put(id, dist <= 1 ? ONE_TYPO : TWO_TYPOS);
        }
      }
    }
    return out;
  }

  /**
   * Records matching every typed word, best first, per kind: at most `cap` each. Ranked by how the words matched,
   * then similarity with the whole query, then fewer words, then newer. The records in `exclude` (per kind) are left
   * out as if they were not indexed; `considered` tells which records were looked at per kind: every record that
   * could take the place of another in the answer. When none of those is one a reader may not see, the answer is exactly the one the reader would get from an index of what they may
   * see (search.service.ts relies on it, so that hidden records never push a visible one out).
   */
  search(
    query: string,
    kinds: Set<IndexedKind>,
    cap: number,
    exclude?: Map<IndexedKind, Set<string>>,
  ): { hits: Map<IndexedKind, IndexHit[]>; considered: Map<IndexedKind, string[]> } {
    const s = this.store;
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
      for (const id of m.keys()) n += s.postings[id]!.length;
      return n;
    };
    const order = matched.map((m, i) => ({ m, i, cost: cost(m) })).sort((a, b) => a.cost - b.cost);

    // the rarest word's records, then kept only where every other word matches too (scratch arrays, reset below)
    if (this.stage.length < s.size) {
      this.stage = new Uint8Array(s.kind.length);
      this.acc = new Float32Array(s.kind.length);
      this.cur = new Float32Array(s.kind.length);
    }
    const { stage, acc, cur } = this;
    if (this.touchedBuf.length < s.size) this.touchedBuf = new Int32Array(s.kind.length);
    let n = 0;
    const buf = this.touchedBuf;
    for (const [id, quality] of order[0]!.m) {
      for (const slot of s.postings[id]!) {
        if (!s.alive[slot] || !kindMask[s.kind[slot]!]) continue;
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
        for (const [id, quality] of m) byWord.set(s.vocab[id]!, quality);
        for (const slot of touched) {
          if (stage[slot] !== step) continue;
          let best = 0;
          for (const token of s.text[slot]!.split(' ')) best = Math.max(best, byWord.get(token) ?? 0);
          if (best > 0) {
            stage[slot] = step + 1;
            acc[slot] += best;
            alive++;
          }
        }
      } else {
        for (const [id, quality] of m) {
          for (const slot of s.postings[id]!) {
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
        const k = s.kind[slot]!;
        let h = heaps[k];
        if (!h) h = heaps[k] = new SlotHeap(keep, better);
        // most offers lose to the worst kept: decided here, without the call
        if (h.full() && !this.better(slot, h.worst())) continue;
        if (excluded[k]?.has(s.record[slot]!)) continue;
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
        const recordId = s.record[slot]!;
        if (!best.has(recordId) && best.size < cap * 2) best.set(recordId, slot);
      }
      const ranked = [...best.entries()]
        .map(([recordId, slot]) => ({ recordId, rowId: s.row[slot]!, slot, score: scoreText(s.text[slot]!, q, qGrams) }))
        .sort((a, b) => b.score - a.score || s.recency[b.slot]! - s.recency[a.slot]!)
        .slice(0, cap);
      result.set(KINDS[k]!, ranked);
      considered.set(KINDS[k]!, [...best.keys()]);
    }
    for (const slot of touched) acc[slot] = 0;
    return { hits: result, considered };
  }

  /** a ranks before b: how the typed words matched, then fewer words, then newer */
  private better(a: number, b: number): boolean {
    const s = this.store;
    const qa = this.acc[a]!;
    const qb = this.acc[b]!;
    if (qa !== qb) return qa > qb;
    const wa = s.words[a]!;
    const wb = s.words[b]!;
    if (wa !== wb) return wa < wb;
    return s.recency[a]! > s.recency[b]!;
  }
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
