import { describe, expect, it } from 'vitest';
import { pickNextStatement, pickPair, SEED_FIRST_BELOW, seededRandom, type RoutingCandidate } from './participation.routing.ts';

const c = (id: string, segmentId: string | null, votes: number, seed = false): RoutingCandidate => ({ id, segmentId, seed, votes });

describe('the routing rule', () => {
  it('picks nothing from nothing', () => {
    expect(pickNextStatement([], new Map(), 'x')).toBeNull();
  });

  it('is deterministic given the seed, whatever the order of the candidates', () => {
    const list = Array.from({ length: 30 }, (_, i) => c(`s${String(i).padStart(2, '0')}`, i % 2 ? 'A' : 'B', i % 5));
    const a = pickNextStatement(list, new Map(), 'p1:7');
    expect(pickNextStatement([...list].reverse(), new Map(), 'p1:7')).toBe(a);
    const picks = new Set(Array.from({ length: 20 }, (_, i) => pickNextStatement(list, new Map(), `p1:${i}`)));
    expect(picks.size).toBeGreaterThan(5);
  });

  it('shows young seeds first, then mixes authors', () => {
    const list = [c('a1', 'A', 0), c('a2', 'A', 0), c('seed1', null, SEED_FIRST_BELOW - 1, true), c('seed2', null, 3, true)];
    for (let i = 0; i < 20; i++) expect(['seed1', 'seed2']).toContain(pickNextStatement(list, new Map(), `s${i}`));
    // seeds with enough votes no longer come first
    const grown = [c('a1', 'A', 0), c('seed1', null, SEED_FIRST_BELOW, true)];
    const seen = new Map([['', 5]]);
    expect(pickNextStatement(grown, seen, 'x')).toBe('a1');
  });

  it('offers what the reader can read first, and the rest once those are voted on', () => {
    const unread = (x: RoutingCandidate): RoutingCandidate => ({ ...x, readable: false });
    // readable beats a young seed, the least-seen segment and a low vote count
    const list = [unread(c('seed1', null, 0, true)), unread(c('b1', 'B', 0)), c('a1', 'A', 90), c('a2', 'A', 40)];
    const seen = new Map([['A', 9]]);
    for (let i = 0; i < 20; i++) expect(['a1', 'a2']).toContain(pickNextStatement(list, seen, `r${i}`));
    // nothing readable left: the untranslated ones come, by the usual rules (the young seed first)
    const rest = list.filter((x) => x.readable === false);
    for (let i = 0; i < 20; i++) expect(pickNextStatement(rest, seen, `u${i}`)).toBe('seed1');
    expect(pickNextStatement([unread(c('b1', 'B', 0))], seen, 'last')).toBe('b1');
  });

  it('takes the segment this participant has seen least', () => {
    const list = [c('a1', 'A', 0), c('a2', 'A', 0), c('b1', 'B', 50), c('c1', 'C', 0)];
    const seen = new Map([['A', 4], ['B', 1], ['C', 3]]);
    for (let i = 0; i < 10; i++) expect(pickNextStatement(list, seen, `k${i}`)).toBe('b1');
    // never seen counts as zero: C wins against A and B when it was never shown
    expect(pickNextStatement(list, new Map([['A', 1], ['B', 1]]), 'z')).toBe('c1');
  });

  it('ties between segments go to the one with fewer votes in total', () => {
    const list = [c('a1', 'A', 9), c('b1', 'B', 2)];
    expect(pickNextStatement(list, new Map(), 'any')).toBe('b1');
  });

  it('favours statements with few votes: weight 1 / (1 + votes)', () => {
    const list = [c('few', 'A', 0), c('many', 'A', 99)];
    let few = 0;
    for (let i = 0; i < 2000; i++) if (pickNextStatement(list, new Map(), `r${i}`) === 'few') few++;
    // expected share 1 / (1 + 1/100) ≈ 0.99
    expect(few / 2000).toBeGreaterThan(0.97);
    const even = [c('x', 'A', 1), c('y', 'A', 1)];
    let x = 0;
    for (let i = 0; i < 2000; i++) if (pickNextStatement(even, new Map(), `r${i}`) === 'x') x++;
    expect(x / 2000).toBeGreaterThan(0.4);
    expect(x / 2000).toBeLessThan(0.6);
  });

  it('draws numbers in [0, 1) reproducibly', () => {
    const r1 = seededRandom('a');
    const r2 = seededRandom('a');
    const xs = Array.from({ length: 100 }, () => r1());
    expect(Array.from({ length: 100 }, () => r2())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('pairs to compare', () => {
  it('takes two different statements of one question, agreed ones first', () => {
    const voted = [
      { id: 's1', questionId: 'q1', value: 1 },
      { id: 's2', questionId: 'q1', value: -1 },
      { id: 's3', questionId: 'q1', value: 1 },
      { id: 's4', questionId: 'q2', value: 1 },
    ];
    for (let i = 0; i < 20; i++) {
      const p = pickPair(voted, `p:${i}`)!;
      expect(p.questionId).toBe('q1');
      expect(new Set([p.a, p.b])).toEqual(new Set(['s1', 's3']));
    }
    expect(pickPair(voted, 'p:1')).toEqual(pickPair([...voted].reverse(), 'p:1'));
  });

  it('needs two statements in one question', () => {
    expect(pickPair([{ id: 's1', questionId: 'q1', value: 1 }, { id: 's2', questionId: 'q2', value: 1 }], 'x')).toBeNull();
  });
});
