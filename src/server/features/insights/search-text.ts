// How typed words and indexed words compare, for the search index (search-index.ts): one-letter deletions (to
// find typos), the number of typos between two words, and pg_trgm-style trigrams and the rank built on them.

/** the longest word typos are forgiven in */
export const MAX_TYPO_WORD = 30;

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
export function trigramCodes(text: string): Set<number> {
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
