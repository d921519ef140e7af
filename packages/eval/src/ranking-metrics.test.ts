import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitAtK, ndcgAtK, rankingScores, recallAtK, reciprocalRankAtK } from './ranking-metrics.js';

/** Reference computations straight from the definitions, on a deduplicated prefix. */
function naive(ranked: string[], gains: Map<string, number>, k: number) {
  const top = [...new Set(ranked)].slice(0, k);
  const relevant = [...gains].filter(([, g]) => g > 0).map(([id]) => id);
  const first = top.findIndex((id) => (gains.get(id) ?? 0) > 0);
  let dcg = 0;
  for (let i = 0; i < top.length; i++) dcg += (gains.get(top[i]!) ?? 0) / Math.log2(i + 2);
  const ideal = [...gains.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += ideal[i]! / Math.log2(i + 2);
  return {
    hit: first >= 0 ? 1 : 0,
    recall: relevant.length ? top.filter((id) => relevant.includes(id)).length / relevant.length : 0,
    reciprocalRank: first >= 0 ? 1 / (first + 1) : 0,
    ndcg: idcg ? dcg / idcg : 0,
  };
}

const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');

describe('ranking metrics', () => {
  it('equal the definitions for any ranking, graded gains and k', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 12 }), fc.dictionary(id, fc.integer({ min: 0, max: 3 })), fc.integer({ min: 1, max: 10 }), (ranked, dict, k) => {
        const gains = new Map(Object.entries(dict));
        const got = rankingScores(ranked, gains, k);
        const want = naive(ranked, gains, k);
        expect(got.hit).toBe(want.hit);
        expect(got.recall).toBeCloseTo(want.recall, 12);
        expect(got.reciprocalRank).toBeCloseTo(want.reciprocalRank, 12);
        expect(got.ndcg).toBeCloseTo(want.ndcg, 12);
        expect(got.ndcg).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 500 },
    );
  });

  it('give a worked example: relevant {b, d}, ranking a b c d', () => {
    const ranked = ['a', 'b', 'c', 'd'];
    expect(hitAtK(ranked, ['b', 'd'], 1)).toBe(0);
    expect(hitAtK(ranked, ['b', 'd'], 2)).toBe(1);
    expect(recallAtK(ranked, ['b', 'd'], 3)).toBe(0.5);
    expect(reciprocalRankAtK(ranked, ['b', 'd'], 4)).toBe(0.5);
    // DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3).
    expect(ndcgAtK(ranked, ['b', 'd'], 4)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3)), 12);
  });

  it('count a repeated id once, at its best rank', () => {
    expect(recallAtK(['a', 'a', 'b'], ['b'], 2)).toBe(1);
  });

  it('refuse a k that is not a positive integer and negative gains', () => {
    expect(() => hitAtK(['a'], ['a'], 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => ndcgAtK(['a'], new Map([['a', -1]]), 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
