import type { Db } from '../../db/client.ts';
import { IndexQuery, type IndexHit } from './search-index-query.ts';
import { IndexStore, type IndexedKind } from './search-index-store.ts';
import { IndexSync } from './search-index-sync.ts';

// The search box's word index, held in the server's memory. The embedded database runs one query at a time, in
// WebAssembly: matching a typed name against 440,000 names, titles and shared items with trigram indexes took
// 30-60 ms there (and 20-35 ms on PostgreSQL), during which every other request waited. Here the same matching
// takes well under a millisecond, and the database is asked only about the few records found: which of them the
// reader may see (access/need-to-know.ts decides, as for every list) and what to show of them.
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
// In three parts: search-index-store.ts builds what is held (documents and their words), search-index-query.ts
// matches and ranks, search-index-sync.ts keeps it current from the database; search-text.ts compares words.

export type { IndexedKind } from './search-index-store.ts';
export type { IndexHit } from './search-index-query.ts';

export class SearchIndex {
  private readonly store = new IndexStore();
  private readonly query = new IndexQuery(this.store);
  private readonly syncer = new IndexSync(this.store);

  /** Brings the index up to date with the database (builds it the first time); searches call this first. */
  sync(db: Db): Promise<void> {
    return this.syncer.sync(db);
  }

  /**
   * Records matching every typed word, best first, per kind: at most `cap` each. Ranked by how the words
   * matched, then similarity with the whole query, then fewer words, then newer.
   */
  search(query: string, kinds: Set<IndexedKind>, cap: number): Map<IndexedKind, IndexHit[]> {
    return this.query.search(query, kinds, cap).hits;
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
    return this.query.search(query, kinds, cap, exclude);
  }

  /** for the benchmark and tests: documents held (alive) and distinct words */
  stats(): { documents: number; words: number; builds: number } {
    return { ...this.store.stats(), builds: this.syncer.builds };
  }

  /** for tests: what this process holds in memory, every word and every document's text, alive or dead */
  held(): { words: readonly string[]; texts: readonly string[] } {
    return { words: this.store.vocab, texts: this.store.text };
  }
}

const indexes = new WeakMap<Db, SearchIndex>();

/** The index for this database, brought up to date. */
export async function searchIndex(db: Db): Promise<SearchIndex> {
  let index = indexes.get(db);
  if (!index) indexes.set(db, (index = new SearchIndex()));
  await index.sync(db);
  return index;
}
