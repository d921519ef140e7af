import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { characterTokenizer } from './character-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { HashingEmbedder } from './__fixtures__/test-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { OptimalChunker } from './optimal-chunker.js';

const WHALES = 'The whale swam under the ship. The whale dived beneath the ship. Sailors watched whale and ship. ';
const BREAD = 'Bake bread in the oven. Knead bread before the oven. Slice warm bread from the oven.';

describe('OptimalChunker', () => {
  it('cuts in the cohesion valley where greedy packing cuts mid-topic', async () => {
    const text = WHALES + BREAD;
    const chunker = new OptimalChunker({ tokenizer: characterTokenizer, maxTokens: 130, minTokens: 10 });
    const { chunks, score, greedyScore } = await chunker.segment(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual([WHALES, BREAD]);
    expect(score).toBeGreaterThan(greedyScore);
  });

  it('lets cohesion, not only the length penalty, place the cut: an unequal split at the topic change', async () => {
    // Two whale sentences, then four bread sentences: balanced halves would cut inside the bread topic.
    const whales = 'The whale swam under the ship. The whale dived beneath the ship. ';
    const bread = 'Bake bread in the oven. Knead bread before the oven. Slice warm bread from the oven. Bread from the oven is warm.';
    const chunker = new OptimalChunker({ tokenizer: characterTokenizer, maxTokens: 160, minTokens: 10, lengthPenalty: 0.05 });
    const { chunks } = await chunker.segment(whales + bread);
    expect(chunks.map((chunk) => chunk.text)).toEqual([whales, bread]);
  });

  it('never scores below greedy on the same scorer, and keeps the limit on Moby Dick', async () => {
    const text = mobyDick().slice(0, 40_000);
    const chunker = new OptimalChunker({ tokenizer: o200k_base, maxTokens: 200 });
    const { chunks, score, greedyScore } = await chunker.segment(text);
    expect(score).toBeGreaterThanOrEqual(greedyScore);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 200 });
  });

  it('uses an embedding scorer with queries', async () => {
    const text = WHALES + BREAD;
    const chunker = new OptimalChunker({ tokenizer: characterTokenizer, maxTokens: 130, minTokens: 10, embedder: new HashingEmbedder(), queries: ['whale ship', 'bread oven'] });
    const { chunks, score, greedyScore } = await chunker.segment(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual([WHALES, BREAD]);
    expect(score).toBeGreaterThanOrEqual(greedyScore);
  });

  it('keeps every invariant on random Unicode and DP ≥ greedy', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 4, max: 50 }), async (text, maxTokens) => {
        const { chunks, score, greedyScore } = await new OptimalChunker({ tokenizer, maxTokens }).segment(text);
        expectChunkInvariants(text, chunks, tokenizer, { maxTokens });
        expect(score).toBeGreaterThanOrEqual(greedyScore - 1e-9);
      }),
      { numRuns: 40 },
    );
  });
});
