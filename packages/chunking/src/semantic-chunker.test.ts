import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { sotu } from './__fixtures__/corpora.js';
import { HashingEmbedder } from './__fixtures__/test-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
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
