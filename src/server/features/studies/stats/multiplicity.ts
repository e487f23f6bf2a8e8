// Adjusted p-values across the messages of one population (R's p.adjust "holm" and "BH"). NaN p-values
// (an arm that could not be estimated) are not counted in the family and stay NaN.

function family(p: readonly number[]): number[] {
  return p.map((_, i) => i).filter((i) => !Number.isNaN(p[i])).sort((a, b) => p[a] - p[b]);
}

/** Holm (1979) step-down: controls the family-wise error rate. */
export function holm(p: readonly number[]): number[] {
  const order = family(p);
  const m = order.length;
  const out = p.map(() => NaN);
  let running = 0;
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]));
    out[i] = running;
  });
  return out;
}

/** Benjamini & Hochberg (1995) step-up: controls the false discovery rate. */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const order = family(p);
  const m = order.length;
  const out = p.map(() => NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = order[rank];
    running = Math.min(running, (m / (rank + 1)) * p[i]);
    out[i] = Math.min(1, running);
  }
  return out;
}
