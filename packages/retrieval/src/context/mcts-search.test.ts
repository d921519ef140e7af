import type { Tokenizer } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sotuPassages } from '../__fixtures__/sotu-passages.js';
import { BM25Index } from '../bm25/bm25-index.js';
import { redundancyDiscountedUtility, selectContext } from './select-context.js';
import type { ContextHit, ContextPassage } from './types.js';

/** Counts whitespace-separated words: additive, so budgets are easy to reason about. */
const wordTokenizer: Tokenizer = {
  name: 'words',
  encode: (text) => new Uint32Array(text.split(/\s+/).filter(Boolean).length),
  decode: () => '',
  count: (text) => text.split(/\s+/).filter(Boolean).length,
};

const words = ['whale', 'ship', 'sea', 'union', 'tax', 'war', 'peace', 'trade', 'law', 'court', 'bank', 'gold', 'land', 'army', 'navy', 'farm'];
const hitsArb = fc
  .array(fc.record({ terms: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 30 }), score: fc.double({ min: 0.1, max: 40, noNaN: true }) }), { minLength: 1, maxLength: 30 })
  .map((rows) => rows.map((r, i): ContextHit => ({ id: `h${i}`, text: r.terms.join(' '), score: r.score, docId: 'doc', start: i * 1000, end: i * 1000 + r.terms.join(' ').length })));

/** What a selection is worth to a utility, whatever order it comes in. */
const worth = (passages: readonly ContextPassage[], utility = redundancyDiscountedUtility) => utility(passages);

describe("selectContext 'search' (CORAG tree search)", () => {
  it('never ends below the greedy top-k selection on its own utility (property)', () => {
    fc.assert(
      fc.property(hitsArb, fc.integer({ min: 1, max: 200 }), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), (hits, budgetTokens, k) => {
        // More hits than the 16 the tree combines, and a passage limit: the guarantee holds for both.
        const limit = k === undefined ? {} : { k };
        const search = selectContext(hits, { budgetTokens, tokenizer: wordTokenizer, strategy: 'search', ...limit });
        const greedy = selectContext(hits, { budgetTokens, tokenizer: wordTokenizer, strategy: 'top-k', ...limit });
        if (k !== undefined) expect(search.passages.length).toBeLessThanOrEqual(k);
        expect(worth(search.passages)).toBeGreaterThanOrEqual(worth(greedy.passages) - 1e-9);
      }),
      { numRuns: 120, seed: 17 },
    );
  });

  it('chooses the same passages whatever the scale of the scores (BM25 sums, cosines, RRF) (property)', () => {
    fc.assert(
      fc.property(hitsArb, fc.integer({ min: 20, max: 200 }), fc.constantFrom(1e-3, 1 / 60, 1e3), (hits, budgetTokens, scale) => {
        const scaled = hits.map((h) => ({ ...h, score: h.score * scale }));
        const ids = (hs: ContextHit[]) => selectContext(hs, { budgetTokens, tokenizer: wordTokenizer, strategy: 'search', search: { iterations: 80 } }).passages.map((p) => p.id);
        expect(ids(scaled)).toEqual(ids(hits));
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('keeps the top BM25 hit of real State of the Union queries whenever it fits', () => {
    const passages = sotuPassages().slice(0, 3000);
    const index = new BM25Index();
    index.addAll(passages.map((p) => ({ id: p.id, doc: p.text })));
    const byId = new Map(passages.map((p) => [p.id, p]));
    // Held-out sentences as queries: the setup of the quality bench's held-out task.
    const queries = passages.filter((_, i) => i % 97 === 5).map((p) => p.sentences[Math.floor(p.sentences.length / 2)] as string);
    let kept = 0;
    for (const query of queries) {
      const hits: ContextHit[] = index.search(query, { k: 50 }).map((h, i) => ({ id: h.id, score: h.score, text: byId.get(h.id)!.text, docId: 'sotu', start: i * 100_000 }));
      const result = selectContext(hits, { budgetTokens: 600, tokenizer: wordTokenizer, strategy: 'search' });
      if (result.passages.some((p) => p.id === hits[0]!.id)) kept++;
    }
    expect(queries.length).toBeGreaterThanOrEqual(30);
    expect(kept).toBe(queries.length);
  });

  it('finds the best pair of a small non-monotonic instance exactly (brute force)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 7 }), fc.integer(), (sizes, salt) => {
        const hits: ContextHit[] = sizes.map((n, i) => ({ id: `h${i}`, score: sizes.length - i, text: 'w '.repeat(n).trim(), docId: 'd', start: i * 100 }));
        // An arbitrary (seeded) utility over subsets: exhaustive search over ≤ 2^7 subsets is the reference.
        const value = (ids: string) => (((salt ^ [...ids].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7)) >>> 0) % 1000) / 10;
        const utility = (ps: readonly ContextPassage[]) => value(ps.map((p) => p.id).sort().join());
        const budgetTokens = 12;
        let best = Number.NEGATIVE_INFINITY;
        for (let mask = 1; mask < 1 << hits.length; mask++) {
          const chosen = hits.filter((_, i) => mask & (1 << i));
          if (chosen.reduce((s, h) => s + wordTokenizer.count(h.text), 0) <= budgetTokens) best = Math.max(best, value(chosen.map((h) => h.id).sort().join()));
        }
        const result = selectContext(hits, { budgetTokens, tokenizer: wordTokenizer, strategy: 'search', separator: ' ', search: { utility, iterations: 400 } });
        expect(utility(result.passages)).toBe(best);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
