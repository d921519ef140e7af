import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectByMMR } from './mmr-selection.js';
import { buildTermVectors } from './term-vectors.js';

const total = (picked: number[], words: number[]) => picked.reduce((sum, i) => sum + words[i]!, 0);

describe('selectByMMR', () => {
  it('skips a near-duplicate of a chosen sentence in favour of a novel one', () => {
    const sentences = [
      'The white whale attacked the ship at dawn.',
      'At dawn the white whale attacked the ship.',
      'The crew repaired the broken mast afterwards.',
    ];
    const words = [8, 8, 7];
    const picked = selectByMMR(
      { words, relevance: [1, 0.9, 0.6], vectors: buildTermVectors(sentences) },
      { targetWords: 15, tolerance: 0.1, lambda: 0.7 },
    );
    expect(picked).toEqual([0, 2]);
  });

  it('never passes the upper bound, returns sorted unique indices, and hits the window when one exists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ words: fc.integer({ min: 1, max: 60 }), relevance: fc.double({ min: 0, max: 1, noNaN: true }) }), {
          minLength: 1,
          maxLength: 64,
        }),
        fc.integer({ min: 5, max: 300 }),
        (items, targetWords) => {
          const words = items.map((item) => item.words);
          const vectors = buildTermVectors(items.map((_, i) => `term${i} shared`));
          const picked = selectByMMR(
            { words, relevance: items.map((item) => item.relevance), vectors },
            { targetWords, tolerance: 0.1, lambda: 0.7 },
          );
          expect(picked).toEqual([...new Set(picked)].sort((a, b) => a - b));
          const sum = total(picked, words);
          expect(sum).toBeLessThanOrEqual(Math.floor(targetWords * 1.1));
          // Whenever some subset lands inside the window, the selection does too (all 64 fit the repair pool).
          const lower = Math.ceil(targetWords * 0.9);
          const reachable = reachableTotals(words, Math.floor(targetWords * 1.1));
          if ([...reachable].some((t) => t >= lower)) expect(sum).toBeGreaterThanOrEqual(lower);
        },
      ),
      { numRuns: 300 },
    );
  });
});

function reachableTotals(words: number[], upper: number): Set<number> {
  let reachable = new Set([0]);
  for (const w of words) {
    const next = new Set(reachable);
    for (const t of reachable) if (t + w <= upper) next.add(t + w);
    reachable = next;
  }
  return reachable;
}
