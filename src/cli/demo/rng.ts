// The demo's randomness: one seeded generator, so that the same seed gives the same network on every machine.

export type Rng = {
  (): number;
  int(min: number, max: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(xs: readonly T[]): T[];
  sample<T>(xs: readonly T[], n: number): T[];
  uuid(): string;
};

/** mulberry32: small, fast, and the same sequence on every machine. */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = next as Rng;
  r.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  r.pick = (xs) => xs[Math.floor(next() * xs.length)]!;
  r.chance = (p) => next() < p;
  r.shuffle = (xs) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  r.sample = (xs, n) => {
    if (n * 4 >= xs.length) return r.shuffle(xs).slice(0, n);
    // a few from many: pick distinct indexes rather than shuffling everything
    const seen = new Set<number>();
    const out = [];
    while (out.length < n) {
      const i = Math.floor(next() * xs.length);
      if (seen.has(i)) continue;
      seen.add(i);
      out.push(xs[i]!);
    }
    return out;
  };
  r.uuid = () => {
    const h = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
    h[12] = '4';
    h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return r;
}

// ------------------------------------------------------------------------------------------- vocabulary
