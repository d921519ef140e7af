import type { Tokenizer } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knapsack } from './knapsack.js';
import { isChunkwiseError } from '@chunkwise/core';
import { redundancyDiscountedUtility, selectContext, selectContextAsync } from './select-context.js';
import type { ContextHit, ContextPassage } from './types.js';

/** One token per character: exact and additive, so the budget arithmetic is easy to check. */
const charTokenizer: Tokenizer = {
  name: 'chars',
  encode: (text) => Uint32Array.from(Array.from(text, (c) => c.codePointAt(0) as number)),
  decode: (ids) => String.fromCodePoint(...Array.from(ids)),
  count: (text) => Array.from(text).length,
};

/** Counts whitespace-separated words: the separator itself costs nothing. */
const wordTokenizer: Tokenizer = {
  name: 'words',
  encode: (text) => new Uint32Array(text.split(/\s+/).filter(Boolean).length),
  decode: () => '',
  count: (text) => text.split(/\s+/).filter(Boolean).length,
};

const hitsArb = fc
  .array(
    fc.record({
      text: fc.string({ minLength: 1, maxLength: 60 }),
      score: fc.double({ min: 0, max: 10, noNaN: true }),
      doc: fc.integer({ min: 0, max: 3 }),
      start: fc.nat(1000),
    }),
    { maxLength: 25 },
  )
  .map((rows) => rows.map((r, i): ContextHit => ({ id: `h${i}`, text: r.text, score: r.score, docId: `doc${r.doc}`, start: r.start + i * 2000, end: r.start + i * 2000 + r.text.length })));

describe('selectContext', () => {
  for (const strategy of ['top-k', 'score-drop', 'knapsack', 'search'] as const) {
    it(`${strategy} never exceeds the budget and returns passages in document order`, () => {
      fc.assert(
        fc.property(hitsArb, fc.integer({ min: 1, max: 400 }), fc.constantFrom(charTokenizer, wordTokenizer), (hits, budgetTokens, tokenizer) => {
          const result = selectContext(hits, { budgetTokens, tokenizer, strategy, search: { iterations: 60 } });
          expect(result.tokens).toBeLessThanOrEqual(budgetTokens);
          expect(tokenizer.count(result.text)).toBe(result.tokens);
          for (let i = 1; i < result.passages.length; i++) {
            const a = result.passages[i - 1] as { docId: string; start: number };
            const b = result.passages[i] as { docId: string; start: number };
            expect(a.docId < b.docId || (a.docId === b.docId && a.start <= b.start)).toBe(true);
          }
          const ids = new Set(hits.map((h) => h.id));
          for (const p of result.passages) expect(ids.has(p.id)).toBe(true);
        }),
        { numRuns: strategy === 'search' ? 60 : 150 },
      );
    });
  }

  const hits: ContextHit[] = [
    { id: 'a', score: 9, text: 'aaaa', docId: 'd2', start: 0, end: 4 },
    { id: 'b', score: 8.5, text: 'bbbb', docId: 'd1', start: 50, end: 54 },
    { id: 'c', score: 3, text: 'cccc', docId: 'd1', start: 10, end: 14 },
    { id: 'd', score: 2.9, text: 'dddd', docId: 'd3', start: 0, end: 4 },
  ];

  it('top-k cites document and offsets, in document order', () => {
    const result = selectContext(hits, { budgetTokens: 100, tokenizer: charTokenizer, k: 3, separator: '|' });
    expect(result.passages.map((p) => [p.id, p.docId, p.start, p.end])).toEqual([
      ['c', 'd1', 10, 14],
      ['b', 'd1', 50, 54],
      ['a', 'd2', 0, 4],
    ]);
    expect(result.text).toBe('cccc|bbbb|aaaa');
    expect(result.tokens).toBe(14);
  });

  it('score-drop stops at the sharp fall (SAGE)', () => {
    const result = selectContext(hits, { budgetTokens: 100, tokenizer: charTokenizer, strategy: 'score-drop', scoreDrop: { threshold: 0.3 } });
    expect(result.passages.map((p) => p.id).sort()).toEqual(['a', 'b']);
    const lenient = selectContext(hits, { budgetTokens: 100, tokenizer: charTokenizer, strategy: 'score-drop', scoreDrop: { threshold: 0.9 } });
    expect(lenient.passages).toHaveLength(4);
  });

  it('knapsack finds the best-scoring subset that fits', () => {
    const uneven: ContextHit[] = [
      { id: 'big', score: 10, text: 'x'.repeat(10), docId: 'd', start: 0 },
      { id: 's1', score: 6, text: 'y'.repeat(5), docId: 'd', start: 100 },
      { id: 's2', score: 6, text: 'z'.repeat(5), docId: 'd', start: 200 },
    ];
    const greedy = selectContext(uneven, { budgetTokens: 10, tokenizer: charTokenizer, separator: '' });
    expect(greedy.passages.map((p) => p.id)).toEqual(['big']);
    const best = selectContext(uneven, { budgetTokens: 10, tokenizer: charTokenizer, separator: '', strategy: 'knapsack' });
    expect(best.passages.map((p) => p.id)).toEqual(['s1', 's2']);
  });

  it('knapsack equals brute force on small instances (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 30 })), { maxLength: 10 }), fc.integer({ min: 0, max: 80 }), (items, capacity) => {
        const values = items.map(([v]) => v);
        const costs = items.map(([, c]) => c);
        let bestValue = 0;
        for (let mask = 0; mask < 1 << items.length; mask++) {
          let v = 0;
          let c = 0;
          items.forEach(([vi, ci], i) => {
            if (mask & (1 << i)) {
              v += vi;
              c += ci;
            }
          });
          if (c <= capacity) bestValue = Math.max(bestValue, v);
        }
        const chosen = knapsack(values, costs, capacity);
        expect(chosen.reduce((s, i) => s + (costs[i] as number), 0)).toBeLessThanOrEqual(capacity);
        expect(chosen.reduce((s, i) => s + (values[i] as number), 0)).toBe(bestValue);
      }),
    );
  });

  it('search finds the combination a non-monotonic utility prefers', () => {
    // Only the pair {c, d} is worth anything; adding a third passage spoils it.
    const utility = (ps: readonly { id: string }[]) => {
      const ids = ps.map((p) => p.id).sort().join();
      return ids === 'c,d' ? 10 : ps.length === 1 ? 1 : 0;
    };
    const result = selectContext(hits, { budgetTokens: 100, tokenizer: charTokenizer, strategy: 'search', search: { utility, iterations: 100 } });
    expect(result.passages.map((p) => p.id)).toEqual(['c', 'd']);
  });

  it('expands hits to their neighbours and to parent windows (small-to-big)', () => {
    const source = 'zero one two three four five';
    const chunks: ContextHit[] = ['zero ', 'one ', 'two ', 'three ', 'four ', 'five'].map((text, i, all) => {
      const start = all.slice(0, i).join('').length;
      return { id: `c${i}`, text, score: 0, docId: 'doc', start, end: start + text.length, chunkIndex: i };
    });
    const hit = { ...(chunks[2] as ContextHit), score: 1 };
    const withNeighbours = selectContext([hit], { budgetTokens: 100, tokenizer: charTokenizer, expand: { neighbours: 1, chunks: () => chunks } });
    expect(withNeighbours.passages[0]).toMatchObject({ ids: ['c1', 'c2', 'c3'], text: 'one two three ', start: 5, end: 19 });
    expect(source.slice(5, 19)).toBe('one two three ');
    const withParent = selectContext([hit], {
      budgetTokens: 100,
      tokenizer: charTokenizer,
      expand: { parent: () => ({ id: 'p0', text: source.slice(0, 14), start: 0, end: 14 }) },
    });
    expect(withParent.passages[0]).toMatchObject({ ids: ['c2', 'p0'], text: 'zero one two t', start: 0 });
  });

  it('drops a passage that overlaps a better one (multi-granularity fusion)', () => {
    const fine: ContextHit = { id: 'fine', score: 1, text: 'two', docId: 'doc', start: 9, end: 12 };
    const coarse: ContextHit = { id: 'coarse', score: 2, text: 'one two three', docId: 'doc', start: 5, end: 18 };
    const result = selectContext([fine, coarse], { budgetTokens: 100, tokenizer: charTokenizer });
    expect(result.passages.map((p) => p.id)).toEqual(['coarse']);
  });

  it('rejects a budget that is not a positive integer', () => {
    expect(() => selectContext(hits, { budgetTokens: 0, tokenizer: charTokenizer })).toThrow(/budgetTokens/);
    expect(() => selectContext(hits, { budgetTokens: 10, tokenizer: charTokenizer, strategy: 'magic' as never })).toThrow(/Unknown strategy/);
  });
});

describe('selectContextAsync', () => {
  it('with an asynchronous utility selects exactly what selectContext does with the same utility, synchronously (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hitsArb, fc.integer({ min: 1, max: 400 }), fc.constantFrom('top-k', 'knapsack', 'search' as const), async (hits, budgetTokens, strategy) => {
        let calls = 0;
        // A "reranker" that answers later, on another turn of the event loop.
        const slow = (ps: readonly ContextPassage[]) =>
          new Promise<number>((resolve) => {
            calls++;
            setImmediate(() => resolve(redundancyDiscountedUtility(ps)));
          });
        const options = { budgetTokens, tokenizer: charTokenizer, strategy, search: { iterations: 40 } };
        const expected = selectContext(hits, options);
        const actual = await selectContextAsync(hits, { ...options, search: { ...options.search, utility: slow } });
        expect(actual).toEqual(expected);
        expect(actual.tokens).toBeLessThanOrEqual(budgetTokens);
        if (strategy !== 'search') expect(calls).toBe(0);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('evaluates each combination once and finds what a non-monotonic async utility prefers', async () => {
    const hits: ContextHit[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, score: 5 - i, text: id.repeat(4), docId: 'doc', start: i * 10 }));
    const seen = new Set<string>();
    const utility = async (ps: readonly ContextPassage[]) => {
      const key = ps.map((p) => p.id).sort().join();
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return key === 'c,d' ? 10 : ps.length === 1 ? 1 : 0;
    };
    const result = await selectContextAsync(hits, { budgetTokens: 100, tokenizer: charTokenizer, strategy: 'search', search: { utility, iterations: 100 } });
    expect(result.passages.map((p) => p.id)).toEqual(['c', 'd']);
  });

  it('rejects a utility that is not a number, and passes on a failing one', async () => {
    const hits: ContextHit[] = [{ id: 'a', score: 1, text: 'aaaa' }];
    const nan = selectContextAsync(hits, { budgetTokens: 10, tokenizer: charTokenizer, strategy: 'search', search: { utility: async () => Number.NaN } });
    await expect(nan).rejects.toSatisfy((error: unknown) => isChunkwiseError(error) && error.code === 'INVALID_ARGUMENT');
    expect(() => selectContext(hits, { budgetTokens: 10, tokenizer: charTokenizer, strategy: 'search', search: { utility: () => 'x' as never } })).toThrow(/must return a number/);
    const failing = selectContextAsync(hits, { budgetTokens: 10, tokenizer: charTokenizer, strategy: 'search', search: { utility: () => Promise.reject(new Error('reranker down')) } });
    await expect(failing).rejects.toThrow('reranker down');
  });
});
