// A line diff between two texts (longest common subsequence, O(n·m) on lines; posts are at most 50,000 characters,
// a few hundred lines). What the revisions view shows.

export type DiffLine = { op: 'same' | 'add' | 'remove'; text: string };

const MAX_CELLS = 4_000_000;

export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  // common head and tail first: most edits touch a few lines
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const out: DiffLine[] = x.slice(0, head).map((text) => ({ op: 'same', text }));
  if (xs.length * ys.length > MAX_CELLS) {
    out.push(...xs.map((text) => ({ op: 'remove' as const, text })), ...ys.map((text) => ({ op: 'add' as const, text })));
  } else {
    const n = xs.length;
    const m = ys.length;
    const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i]![j] = xs[i] === ys[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (xs[i] === ys[j]) {
        out.push({ op: 'same', text: xs[i]! });
        i++;
        j++;
      } else if (L[i + 1]![j]! >= L[i]![j + 1]!) out.push({ op: 'remove', text: xs[i++]! });
      else out.push({ op: 'add', text: ys[j++]! });
    }
    while (i < n) out.push({ op: 'remove', text: xs[i++]! });
    while (j < m) out.push({ op: 'add', text: ys[j++]! });
  }
  out.push(...x.slice(x.length - tail).map((text) => ({ op: 'same' as const, text })));
  return out;
}
