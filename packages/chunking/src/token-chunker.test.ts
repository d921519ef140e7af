import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { ByteTripletTokenizer, OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { TokenChunker } from './token-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

describe('TokenChunker', () => {
  it('cuts fixed windows of maxTokens tokens at token boundaries', async () => {
    const text = 'The whale swam. The sea was calm.';
    const chunks = await new TokenChunker({ tokenizer, maxTokens: 4 }).chunk(text);
    // Pinned from the fixture tokenizer's pieces: "The"," wh","ale"," sw","am","."," Th","e"," se","a"," wa","s"," ca","lm",".".
    expect(chunks.map((chunk) => chunk.text)).toEqual(['The whale sw', 'am. The', ' sea was', ' calm.']);
    expectChunkInvariants(text, chunks, tokenizer, { maxTokens: 4 });
  });

  it('repeats overlap tokens and counts them inside the limit', async () => {
    const text = 'one two three four five six seven eight nine ten';
    const chunks = await new TokenChunker({ tokenizer, maxTokens: 6, overlap: 2 }).chunk(text);
    expectChunkInvariants(text, chunks, tokenizer, { maxTokens: 6, overlap: 2 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
  });

  it('keeps every invariant on random Unicode, with and without encodeWithOffsets', async () => {
    for (const tok of [tokenizer, new ByteTripletTokenizer()]) {
      await fc.assert(
        fc.asyncProperty(unicodeText, fc.integer({ min: 3, max: 40 }), fc.integer({ min: 0, max: 2 }), async (text, maxTokens, overlap) => {
          const chunks = await new TokenChunker({ tokenizer: tok, maxTokens, overlap }).chunk(text);
          expectChunkInvariants(text, chunks, tok, { maxTokens, overlap });
        }),
        { numRuns: 60 },
      );
    }
  });

  it('never splits inside a surrogate pair or an emoji ZWJ sequence', async () => {
    const text = '👨‍👩‍👧‍👦😀🇫🇷'.repeat(20);
    const chunks = await new TokenChunker({ tokenizer, maxTokens: 12 }).chunk(text);
    expectChunkInvariants(text, chunks, tokenizer, { maxTokens: 12 });
    expect(chunks.every((chunk) => !chunk.text.includes('\uFFFD'))).toBe(true);
  });

  it('rejects bad limits with INVALID_ARGUMENT and returns [] for empty text', async () => {
    for (const options of [{ maxTokens: 0 }, { maxTokens: -3 }, { maxTokens: 5, overlap: 5 }, { maxTokens: 5, overlap: 9 }, { maxTokens: 1.5 }]) {
      expect(() => new TokenChunker({ tokenizer, ...options })).toThrow(
        expect.objectContaining({ name: 'ChunkwiseError', code: 'INVALID_ARGUMENT' }) as Error,
      );
    }
    expect(await new TokenChunker({ tokenizer, maxTokens: 5 }).chunk('')).toEqual([]);
    try {
      new TokenChunker({ tokenizer, maxTokens: 4, overlap: 4 });
    } catch (error) {
      expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});
