import { createHash, createHmac, randomInt } from 'node:crypto';

// Which condition a respondent gets. Simple randomization draws each respondent's condition independently
// (uniform, from the operating system's generator). Block randomization deals conditions in permuted blocks,
// per population: a block holds every condition `repeats` times, so after any number of respondents no two
// conditions differ by more than `repeats`. Block b's order comes from HMAC(assignmentSeed, "populationId:b"):
// reproducible by whoever holds the seed, unpredictable to everyone else.

/** Deterministic 32-bit draws from a 32-byte key: SHA-256(key ‖ counter), 8 draws per digest. */
function drawsFrom(key: Buffer): () => number {
  let counter = 0;
  let buf = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + 4 > buf.length) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter++);
      buf = createHash('sha256').update(key).update(c).digest();
      at = 0;
    }
    const x = buf.readUInt32BE(at);
    at += 4;
    return x;
  };
}

/** Uniform in 0..n-1 without modulo bias (rejection sampling). */
function below(next: () => number, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

/** The conditions of block `block` (0-based) as indices into the ordered arms: each index `repeats` times, shuffled. */
export function blockPermutation(seed: string, populationId: string, block: number, arms: number, repeats: number): number[] {
  const next = drawsFrom(createHmac('sha256', seed).update(`${populationId}:${block}`).digest());
  const items = Array.from({ length: arms * repeats }, (_, i) => i % arms);
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(next, i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The arm index for the respondent at `sequence` (1-based) of a population. */
export function blockAssignment(seed: string, populationId: string, sequence: number, arms: number, repeats: number): number {
  const size = arms * repeats;
  const block = Math.floor((sequence - 1) / size);
  return blockPermutation(seed, populationId, block, arms, repeats)[(sequence - 1) % size]!;
}

export function simpleAssignment(arms: number): number {
  return randomInt(arms);
}
