import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convexCombination } from './convex-combination.js';
import { maximalMarginalRelevance } from './mmr.js';
import { reciprocalRankFusion } from './rrf.js';

const listArb = fc.uniqueArray(fc.constantFrom(...'abcdefghij'), { maxLength: 10 }).map((ids) => ids.map((id, i) => ({ id, score: 10 - i })));

describe('reciprocalRankFusion', () => {
  it('scores Σ w / (60 + rank) with ranks from 1', () => {
    const fused = reciprocalRankFusion(
      [
        [{ id: 'a', score: 9 }, { id: 'b', score: 3 }],
        [{ id: 'b', score: 0.9 }, { id: 'c', score: 0.1 }],
      ],
      { weights: [1, 2] },
    );
    expect(fused).toEqual([
      { id: 'b', score: 1 / 62 + 2 / 61 },
      { id: 'c', score: 2 / 62 },
      { id: 'a', score: 1 / 61 },
    ]);
  });

  it('is symmetric in its lists and never invents ids (property)', () => {
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 4 }), (lists) => {
        const fused = reciprocalRankFusion(lists);
        const reversed = new Map(reciprocalRankFusion([...lists].reverse()).map((h) => [h.id, h.score]));
        for (const hit of fused) expect(reversed.get(hit.id)).toBeCloseTo(hit.score, 12);
        const ids = new Set(lists.flat().map((h) => h.id));
        expect(new Set(fused.map((h) => h.id))).toEqual(ids);
        for (let i = 1; i < fused.length; i++) expect((fused[i - 1] as { score: number }).score).toBeGreaterThanOrEqual((fused[i] as { score: number }).score);
      }),
    );
  });

  it('rejects a weight count that does not match the lists', () => {
    expect(() => reciprocalRankFusion([[], []], { weights: [1] })).toThrow(/one weight per list/);
  });
});

describe('convexCombination', () => {
  it('min-max normalises each list and sums with weights', () => {
    const fused = convexCombination(
      [
        [{ id: 'a', score: 10 }, { id: 'b', score: 5 }, { id: 'c', score: 0 }],
        [{ id: 'c', score: 0.9 }, { id: 'a', score: 0.5 }, { id: 'b', score: 0.1 }],
      ],
      { weights: [0.7, 0.3] },
    );
    expect(fused.map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(fused[0]?.score).toBeCloseTo(0.7 + 0.3 * 0.5, 12);
    expect(fused[2]?.score).toBeCloseTo(0.3, 12);
  });
});

describe('maximalMarginalRelevance', () => {
  const candidates = [
    { id: 'dup1', vector: [1, 0.01, 0] },
    { id: 'dup2', vector: [1, 0.02, 0] },
    { id: 'other', vector: [0.7, 0.7, 0] },
  ];

  it('with λ = 1 is plain relevance order', () => {
    expect(maximalMarginalRelevance([1, 0, 0], candidates, { k: 3, lambda: 1 }).map((h) => h.id)).toEqual(['dup1', 'dup2', 'other']);
  });

  it('with λ = 0.3 prefers a new direction over a near-duplicate', () => {
    expect(maximalMarginalRelevance([1, 0, 0], candidates, { k: 2, lambda: 0.3 }).map((h) => h.id)).toEqual(['dup1', 'other']);
  });

  it('picks each candidate at most once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.float({ min: 1, max: 2, noNaN: true }), fc.float({ min: -1, max: 1, noNaN: true })), { maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (vs, lambda) => {
        const cs = vs.map(([x, y], i) => ({ id: `c${i}`, vector: [x, y] }));
        const out = maximalMarginalRelevance([1, 0], cs, { k: 20, lambda });
        expect(new Set(out.map((h) => h.id)).size).toBe(cs.length);
      }),
    );
  });
});
