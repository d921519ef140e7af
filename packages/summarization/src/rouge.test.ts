import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rouge, rougeL, rougeN, rougeTokens } from './rouge.js';

describe('ROUGE', () => {
  // Worked by hand: candidate 7 tokens, reference 6; unigram overlap 6 ("the" twice), bigram
  // overlap 4 of 6 and 5 ("the cat", "cat was", "under the", "the bed"), LCS 6.
  const candidate = 'The cat was found under the bed.';
  const reference = 'The cat was under the bed.';

  it('matches hand-computed ROUGE-1, ROUGE-2 and ROUGE-L', () => {
    const scores = rouge(candidate, reference);
    expect(scores.rouge1.recall).toBe(1);
    expect(scores.rouge1.precision).toBeCloseTo(6 / 7, 12);
    expect(scores.rouge1.f1).toBeCloseTo(12 / 13, 12); // 0.923
    expect(scores.rouge2.recall).toBeCloseTo(4 / 5, 12);
    expect(scores.rouge2.precision).toBeCloseTo(4 / 6, 12);
    expect(scores.rouge2.f1).toBeCloseTo(8 / 11, 12); // 0.727
    expect(scores.rougeL.f1).toBeCloseTo(12 / 13, 12);
  });

  it('clips repeated n-grams to the reference count', () => {
    const score = rougeN('the the the', 'the cat', 1);
    expect(score.precision).toBeCloseTo(1 / 3, 12);
    expect(score.recall).toBe(0.5);
    expect(score.f1).toBeCloseTo(0.4, 12);
  });

  it('takes the longest common subsequence, not a substring', () => {
    // LCS of "a b c d e" and "a x c y e" is "a c e": 3 of 5 each way.
    expect(rougeL('a b c d e', 'a x c y e')).toEqual({ precision: 0.6, recall: 0.6, f1: expect.closeTo(0.6, 12) });
  });

  it('is case-insensitive, ignores punctuation, and scores empty text 0', () => {
    expect(rougeTokens("Don't STOP, now!")).toEqual(['don', 't', 'stop', 'now']);
    expect(rouge('', 'anything')).toEqual({
      rouge1: { precision: 0, recall: 0, f1: 0 },
      rouge2: { precision: 0, recall: 0, f1: 0 },
      rougeL: { precision: 0, recall: 0, f1: 0 },
    });
  });

  it('gives 1 for identical texts and stays within [0, 1], symmetric in F1', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 2, maxLength: 30 }), fc.array(fc.constantFrom('a', 'b', 'c', 'e'), { minLength: 2, maxLength: 30 }), (x, y) => {
        const a = x.join(' ');
        const b = y.join(' ');
        expect(rouge(a, a).rougeL.f1).toBe(1);
        expect(rouge(a, a).rouge2.f1).toBe(1);
        const ab = rouge(a, b);
        const ba = rouge(b, a);
        for (const key of ['rouge1', 'rouge2', 'rougeL'] as const) {
          expect(ab[key].f1).toBeGreaterThanOrEqual(0);
          expect(ab[key].f1).toBeLessThanOrEqual(1);
          expect(ab[key].f1).toBeCloseTo(ba[key].f1, 12);
        }
      }),
    );
  });
});
