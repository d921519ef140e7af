import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LanguageModel } from '@chunkwise/core';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { characterTokenizer } from './character-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { PerplexityChunker, perplexityMinima } from './perplexity-chunker.js';

/** Every token of a sentence containing "calm" is predictable (log p = −0.1); all others cost −3. */
function calmModel(): LanguageModel & { logprobs(text: string): Promise<Float32Array> } {
  const tokenizer = new OffsetByteTripletTokenizer();
  return {
    contextWindow: 100_000,
    tokenizer,
    generate: () => Promise.reject(new Error('not used')),
    logprobs(text: string) {
      const { ends } = tokenizer.encodeWithOffsets(text);
      const sentences = text.split(/(?<=\.)\s*/);
      return Promise.resolve(
        Float32Array.from(ends, (end) => {
          let offset = 0;
          for (const sentence of sentences) {
            offset = text.indexOf(sentence, offset) + sentence.length;
            if (end <= offset) return sentence.includes('calm') ? -0.1 : -3;
          }
          return -3;
        }),
      );
    },
  };
}

describe('perplexityMinima', () => {
  it('cuts after local minima with a drop of at least θ (Meta-Chunking rule)', () => {
    // 1: drop 3 before; 4: rise 2 after; 6: plateau start after a drop of 6; 7: not below its left neighbour.
    expect([...perplexityMinima([5, 2, 6, 5.5, 5, 7, 1, 1, 4], 1)]).toEqual([1, 4, 6]);
    expect([...perplexityMinima([5, 4.8, 5.5], 1)]).toEqual([]);
    expect([...perplexityMinima([5, 4.8, 5.5], 0)]).toEqual([1]);
  });
});

describe('PerplexityChunker', () => {
  it('cuts after the predictable sentence reported by the model', async () => {
    const text = 'Storms rage. Waves crash. The sea is calm. Birds sing loudly. Trees sway. Wind howls.';
    const chunker = new PerplexityChunker({ tokenizer: characterTokenizer, maxTokens: 45, model: calmModel(), threshold: 1 });
    const chunks = await chunker.chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['Storms rage. Waves crash. The sea is calm. ', 'Birds sing loudly. Trees sway. Wind howls.']);
  });

  it('works with the built-in n-gram model on Moby Dick within the limit', async () => {
    const text = mobyDick().slice(0, 60_000);
    const chunks = await new PerplexityChunker({ tokenizer: o200k_base, maxTokens: 256, threshold: 'dynamic' }).chunk(text);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 256 });
  });

  it('rejects a model without logprobs', () => {
    const model: LanguageModel = { contextWindow: 8, generate: () => Promise.resolve({ text: '' }) };
    expect(() => new PerplexityChunker({ maxTokens: 8, model })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }) as Error);
  });

  it('keeps every invariant on random Unicode', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 4, max: 50 }), async (text, maxTokens) => {
        expectChunkInvariants(text, await new PerplexityChunker({ tokenizer, maxTokens }).chunk(text), tokenizer, { maxTokens });
      }),
      { numRuns: 40 },
    );
  });
});
