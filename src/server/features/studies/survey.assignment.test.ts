import { describe, expect, it } from 'vitest';
import { blockAssignment, blockPermutation } from './survey.assignment.ts';

describe('block randomization', () => {
  it('deals every condition `repeats` times per block, in an order fixed by the seed', () => {
    const p = blockPermutation('seed', 'pop-1', 0, 4, 3);
    expect(p).toHaveLength(12);
    for (let arm = 0; arm < 4; arm++) expect(p.filter((x) => x === arm)).toHaveLength(3);
    expect(blockPermutation('seed', 'pop-1', 0, 4, 3)).toEqual(p);
    // another block, population or seed: another order (these particular ones differ)
    const others = [blockPermutation('seed', 'pop-1', 1, 4, 3), blockPermutation('seed', 'pop-2', 0, 4, 3), blockPermutation('other', 'pop-1', 0, 4, 3)];
    expect(others.filter((o) => o.join() === p.join())).toHaveLength(0);
  });

  it('keeps the arms within `repeats` of each other after any number of respondents', () => {
    for (const [arms, repeats] of [[2, 1], [3, 2], [4, 2], [5, 3]] as const) {
      const n = new Array<number>(arms).fill(0);
      for (let seq = 1; seq <= 500; seq++) {
        n[blockAssignment('s3cret', 'pop', seq, arms, repeats)]!++;
        expect(Math.max(...n) - Math.min(...n)).toBeLessThanOrEqual(repeats);
      }
    }
  });

  it('gives each position of a block every arm about equally often across blocks (no fixed pattern)', () => {
    // position 0 of 3,000 blocks of 3 arms × 1: each arm about 1,000 times (binomial sd ≈ 26)
    const first = [0, 0, 0];
    for (let b = 0; b < 3000; b++) first[blockPermutation('seed', 'pop', b, 3, 1)[0]!]!++;
    for (const k of first) expect(Math.abs(k - 1000)).toBeLessThan(130);
  });
});
