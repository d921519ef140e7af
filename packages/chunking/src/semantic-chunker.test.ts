import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { sotu } from './__fixtures__/corpora.js';
import { HashingEmbedder } from './__fixtures__/test-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { sentenceSpans } from './boundaries/sentences.js';
import { movingAverage, percentile } from './scoring/vectors.js';
import { SemanticChunker } from './semantic-chunker.js';

const WHALES = [
  'The whale swam under the ship.',
  'The whale dived deep beneath the ship.',
  'Sailors watched the whale and the ship.',
  'The ship chased the whale across the ocean.',
];
const KITCHEN = [
  'Bake the bread in a hot oven.',
  'Knead the bread dough before the oven.',
  'Slice the warm bread from the oven.',
  'Butter tastes good on fresh bread.',
];

describe('similarity curve helpers', () => {
  it('smooths with a centred moving average that shrinks at the edges', () => {
    expect(movingAverage([0, 3, 0, 3, 0], 3)).toEqual([1.5, 1, 2, 1, 1.5]);
    expect(movingAverage([5, 1, 5], 1)).toEqual([5, 1, 5]);
  });

  it('interpolates percentiles linearly', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 25)).toBe(2);
  });
});

describe('SemanticChunker', () => {
  it('cuts where the topic changes', async () => {
    const text = [...WHALES, ...KITCHEN].join(' ');
    const chunker = new SemanticChunker({ tokenizer: o200k_base, maxTokens: 200, embedder: new HashingEmbedder(), windowSize: 1, smoothing: 1, threshold: 0.2 });
    const chunks = await chunker.chunk(text);
    expect(chunks.map((chunk) => chunk.text.trim())).toEqual([WHALES.join(' '), KITCHEN.join(' ')]);
  });

  it('percentile and auto thresholds keep the limit on real speeches', async () => {
    const text = sotu()[1]?.text.slice(0, 30_000) ?? '';
    for (const threshold of [{ percentile: 20 }, 'auto' as const]) {
      const chunker = new SemanticChunker({ tokenizer: o200k_base, maxTokens: 256, embedder: new HashingEmbedder(), threshold });
      expectChunkInvariants(text, await chunker.chunk(text), o200k_base, { maxTokens: 256 });
    }
  });

  it('the second pass merges groups separated by a short digression', async () => {
    const digression = 'Bake the bread in a hot oven.';
    const text = [...WHALES.slice(0, 2), digression, ...WHALES.slice(2)].join(' ');
    const options = { tokenizer: o200k_base, maxTokens: 200, embedder: new HashingEmbedder(), windowSize: 1, smoothing: 1, threshold: 0.2 };
    const single = await new SemanticChunker({ ...options, skipWindow: 0 }).chunk(text);
    const double = await new SemanticChunker({ ...options, skipWindow: 1 }).chunk(text);
    expect(single.length).toBeGreaterThan(1);
    expect(double.length).toBe(1);
  });

  it("'auto' picks the fewest cuts whose groups fit: one topic cut when everything fits, more only when the limit needs them", async () => {
    const text = [...WHALES, ...KITCHEN, ...WHALES.map((sentence) => sentence.replace('whale', 'shark'))].join(' ');
    const roomy = new SemanticChunker({ tokenizer: o200k_base, maxTokens: 400, embedder: new HashingEmbedder(), windowSize: 1, threshold: 'auto', skipWindow: 0 });
    const lowest = new SemanticChunker({ tokenizer: o200k_base, maxTokens: 400, embedder: new HashingEmbedder(), windowSize: 1, threshold: { percentile: 1 }, skipWindow: 0 });
    expect((await roomy.chunk(text)).map((chunk) => chunk.text)).toEqual((await lowest.chunk(text)).map((chunk) => chunk.text));
    const tight = new SemanticChunker({ tokenizer: o200k_base, maxTokens: 60, embedder: new HashingEmbedder(), windowSize: 1, threshold: 'auto', skipWindow: 0 });
    const chunks = await tight.chunk(text);
    expect(chunks.length).toBeGreaterThan(2);
    // Every group fits, so no chunk ends inside a sentence.
    const ends = new Set(sentenceSpans(text).map((sentence) => sentence.end));
    expect(chunks.every((chunk) => ends.has(chunk.end))).toBe(true);
  });

  it('keeps every invariant on random Unicode', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 4, max: 50 }), async (text, maxTokens) => {
        const chunker = new SemanticChunker({ tokenizer, maxTokens, embedder: new HashingEmbedder() });
        expectChunkInvariants(text, await chunker.chunk(text), tokenizer, { maxTokens });
      }),
      { numRuns: 40 },
    );
  });
});
