import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rouge, rougeL, rougeLsum, rougeMulti, rougeN, rougeTokens } from './rouge.js';

/** The reference computation for LCS: the textbook recursion, memoised. */
function naiveLcs(a: readonly string[], b: readonly string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    let value = memo.get(key);
    if (value === undefined) {
      value = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
      memo.set(key, value);
    }
    return value;
  };
  return go(0, 0);
}

/** The reference computation for ROUGE-N: every n-gram as a string, matched with clipped counts. */
function naiveRougeN(c: readonly string[], r: readonly string[], n: number) {
  const grams = (t: readonly string[]) => Array.from({ length: Math.max(0, t.length - n + 1) }, (_, i) => t.slice(i, i + n).join(' '));
  const cg = grams(c);
  const remaining = grams(r);
  let overlap = 0;
  for (const g of cg) {
    const at = remaining.indexOf(g);
    if (at >= 0) {
      overlap++;
      remaining.splice(at, 1);
    }
  }
  return { overlap, candidate: cg.length, reference: grams(r).length };
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

describe('ROUGE on the worked examples of Lin (2004)', () => {
  // §3.1: reference S1 and two candidates with the same ROUGE-2 but different word order.
  const s1 = 'police killed the gunman';
  const s2 = 'police kill the gunman';
  const s3 = 'the gunman kill police';

  it('§3.1: ROUGE-L tells S2 (0.75) from S3 (0.5) where ROUGE-2 cannot (1/3 each)', () => {
    expect(rougeL(s2, s1)).toEqual({ precision: 0.75, recall: 0.75, f1: 0.75 });
    expect(rougeL(s3, s1)).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(rougeN(s2, s1, 2).f1).toBeCloseTo(1 / 3, 12);
    expect(rougeN(s3, s1, 2).f1).toBeCloseTo(1 / 3, 12);
    expect(rougeN(s2, s1, 1).f1).toBe(0.75);
  });

  it('§3.1 with stemming: "killed" and "kill" match, so S2 scores 1', () => {
    expect(rouge(s2, s1, { stem: true }).rouge1.f1).toBe(1);
    expect(rouge(s2, s1, { stem: true }).rougeL.f1).toBe(1);
    expect(rougeTokens('Killed KILLING runs a', { stem: true })).toEqual(['kill', 'kill', 'run', 'a']);
  });

  it('§3.2: union LCS of r = w1..w5 with c1 = w1 w2 w6 w7 w8 and c2 = w1 w3 w8 w9 w5 is 4 words', () => {
    // LCS(r, c1) = "w1 w2", LCS(r, c2) = "w1 w3 w5"; their union "w1 w2 w3 w5": R = 4/5, P = 4/10.
    const score = rougeLsum('w1 w2 w6 w7 w8.\nw1 w3 w8 w9 w5.', 'w1 w2 w3 w4 w5.');
    expect(score.recall).toBeCloseTo(0.8, 12);
    expect(score.precision).toBeCloseTo(0.4, 12);
    expect(score.f1).toBeCloseTo(f1(0.4, 0.8), 12);
  });

  it('§2: ROUGE-N clips an n-gram to its count in the reference', () => {
    const score = rougeN('the the the', 'the cat', 1);
    expect(score.precision).toBeCloseTo(1 / 3, 12);
    expect(score.recall).toBe(0.5);
    expect(score.f1).toBeCloseTo(0.4, 12);
  });

  it('matches the hand-computed textbook pair (the figures summarization used)', () => {
    // Candidate 7 tokens, reference 6; unigram overlap 6, bigram overlap 4 of 6 and 5, LCS 6.
    const scores = rouge('The cat was found under the bed.', 'The cat was under the bed.');
    expect(scores.rouge1.recall).toBe(1);
    expect(scores.rouge1.precision).toBeCloseTo(6 / 7, 12);
    expect(scores.rouge1.f1).toBeCloseTo(12 / 13, 12);
    expect(scores.rouge2.f1).toBeCloseTo(8 / 11, 12);
    expect(scores.rougeL.f1).toBeCloseTo(12 / 13, 12);
    expect(scores.rougeLsum.f1).toBeCloseTo(12 / 13, 12);
  });
});

describe('ROUGE against direct computations', () => {
  const words = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 25 });

  it('ROUGE-1 and ROUGE-2 equal the clipped n-gram count of any token sequences', () => {
    fc.assert(
      fc.property(words, words, fc.integer({ min: 1, max: 3 }), (c, r, n) => {
        const got = rougeN(c.join(' '), r.join(' '), n);
        const want = naiveRougeN(c, r, n);
        expect(got.precision).toBeCloseTo(want.candidate ? want.overlap / want.candidate : 0, 12);
        expect(got.recall).toBeCloseTo(want.reference ? want.overlap / want.reference : 0, 12);
      }),
    );
  });

  it('ROUGE-L equals the textbook LCS recursion', () => {
    fc.assert(
      fc.property(words, words, (c, r) => {
        const lcs = naiveLcs(c, r);
        const got = rougeL(c.join(' '), r.join(' '));
        expect(got.precision).toBeCloseTo(c.length ? lcs / c.length : 0, 12);
        expect(got.recall).toBeCloseTo(r.length ? lcs / r.length : 0, 12);
      }),
    );
  });

  it('ROUGE-Lsum of one-sentence texts equals ROUGE-L, and lies between 0 and 1', () => {
    fc.assert(
      fc.property(words, words, (c, r) => {
        expect(rougeLsum(c.join(' '), r.join(' '))).toEqual(rougeL(c.join(' '), r.join(' ')));
      }),
    );
    const sentences = fc.array(words.filter((w) => w.length > 0).map((w) => w.join(' ') + '.'), { maxLength: 5 }).map((s) => s.join('\n'));
    fc.assert(
      fc.property(sentences, sentences, (c, r) => {
        const score = rougeLsum(c, r);
        for (const value of [score.precision, score.recall, score.f1]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        if (c === r && c.length > 0) expect(score.f1).toBe(1);
      }),
    );
  });

  it('gives 1 for identical texts and is symmetric in F1', () => {
    fc.assert(
      fc.property(words.filter((w) => w.length > 1), words.filter((w) => w.length > 1), (x, y) => {
        const a = x.join(' ');
        const b = y.join(' ');
        expect(rouge(a, a).rougeL.f1).toBe(1);
        expect(rouge(a, a).rouge2.f1).toBe(1);
        const ab = rouge(a, b);
        const ba = rouge(b, a);
        for (const key of ['rouge1', 'rouge2', 'rougeL'] as const) expect(ab[key].f1).toBeCloseTo(ba[key].f1, 12);
      }),
    );
  });

  it('is case-insensitive, splits at every non-alphanumeric, and scores empty text 0', () => {
    expect(rougeTokens("Don't STOP, now! Ça-va 42")).toEqual(['don', 't', 'stop', 'now', 'ça', 'va', '42']);
    const zero = { precision: 0, recall: 0, f1: 0 };
    expect(rouge('', 'anything')).toEqual({ rouge1: zero, rouge2: zero, rougeL: zero, rougeLsum: zero });
  });

  it('takes the best reference per variant', () => {
    const best = rougeMulti('police kill the gunman', ['the gunman kill police', 'police killed the gunman']);
    expect(best.rougeL.f1).toBe(0.75);
    expect(rougeMulti('x', []).rouge1.f1).toBe(0);
  });

  it('refuses a non-string and a bad n', () => {
    expect(() => rouge(undefined as unknown as string, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => rougeN('a', 'a', 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
