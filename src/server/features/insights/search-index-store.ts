// What the search index holds (search-index.ts): one document (slot) per indexed row, with its folded text, and
// the vocabulary of their words with what finds them: the slots that have each word (postings), each word's
// one-letter deletions (typos) and its three-letter runs (words typed inside longer words). Built here, row by row;
// read by search-index-query.ts; kept current by search-index-sync.ts. A changed row gets a new slot and its old
// one is marked dead (a rebuild clears them, when there are many).
import { deletionsOf, MAX_TYPO_WORD } from './search-text.ts';

export type IndexedKind = 'organisation' | 'person' | 'pseudonym' | 'meeting' | 'shared_item';
export const KINDS: IndexedKind[] = ['organisation', 'person', 'pseudonym', 'meeting', 'shared_item'];

/** One indexed row: the row that holds the text, the record it belongs to, its folded text, and its recency. */
export type IndexedRow = { rowId: string; recordId: string; norm: string; recency: number };

export class IndexStore {
  // --- documents (slots)
  /** the kind of each slot, as its position in KINDS */
  kind = new Uint8Array(1024);
  alive = new Uint8Array(1024);
  /** words in the text: fewer words = closer to a whole-name match */
  words = new Uint16Array(1024);
  /** newer first among equals (meeting start, shared item creation), in seconds */
  recency = new Float64Array(1024);
  record: string[] = [];
  row: string[] = [];
  text: string[] = [];
  size = 0;
  dead = 0;
  /** per kind: row id -> slot */
  readonly slotOf = KINDS.map(() => new Map<string, number>());

  // --- vocabulary
  vocab: string[] = [];
  readonly vocabId = new Map<string, number>();
  /** vocabulary id -> slots whose text has the word (ascending, may include dead slots) */
  postings: number[][] = [];
  /** the word and each of its one-letter deletions -> vocabulary ids (typos: "symmetric delete") */
  readonly deletions = new Map<string, number[]>();
  /** each three-letter run inside a word -> vocabulary ids (words typed inside longer words) */
  readonly grams = new Map<string, number[]>();
  /** the vocabulary sorted, for prefixes; rebuilt when words were added */
  sorted: string[] | null = null;

  /** Empties the index (before a build from the tables). */
  reset() {
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

  /** Marks the slots of these rows dead (before they are read again: changed or deleted). */
  remove(kind: IndexedKind, rowIds: string[]) {
    for (const id of rowIds) {
      const slot = this.slotOf[KINDS.indexOf(kind)]!.get(id);
      if (slot !== undefined) this.kill(slot);
    }
  }

  add(kind: IndexedKind, r: IndexedRow) {
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

  private kill(slot: number) {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.dead++;
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

  /** documents held (alive) and distinct words */
  stats(): { documents: number; words: number } {
    return { documents: this.size - this.dead, words: this.vocab.length };
  }
}

function push(m: Map<string, number[]>, key: string, id: number) {
  const list = m.get(key);
  if (list) list.push(id);
  else m.set(key, [id]);
}
