import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '@chunkwise/core';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { EVERY_CHUNKER } from './__fixtures__/every-chunker.js';
import { expectChunkInvariants, expectNeighboursOverlap } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { ChunkwiseTextSplitter } from './langchain.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { TokenChunker } from './token-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

/** Tokens two neighbours share. */
function sharedTokens(text: string, chunks: readonly Chunk[]): number[] {
  return chunks.slice(1).map((chunk, i) => {
    const previousEnd = chunks[i]!.end;
    return chunk.start < previousEnd ? o200k_base.count(text.slice(chunk.start, previousEnd)) : 0;
  });
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

describe('overlap means what it says', () => {
  const moby = mobyDick().slice(0, 150_000);

  it('TokenChunker 512/256 on Moby Dick: full windows, each sharing 256 tokens with the one before', async () => {
    const chunks = await new TokenChunker({ tokenizer: o200k_base, maxTokens: 512, overlap: 256 }).chunk(moby);
    expectChunkInvariants(moby, chunks, o200k_base, { maxTokens: 512, overlap: 256 });
    expectNeighboursOverlap(moby, chunks, o200k_base, { maxTokens: 512, overlap: 256 });
    // Every window but the last is (within a grapheme or a BPE edge) the full 512 tokens.
    expect(Math.min(...chunks.slice(0, -1).map((chunk) => chunk.tokenCount))).toBeGreaterThanOrEqual(508);
    expect(Math.min(...sharedTokens(moby, chunks))).toBeGreaterThanOrEqual(250);
  });

  it('RecursiveChunker 512/300 on Moby Dick: chunks near the limit, every neighbour overlapping', async () => {
    const chunks = await new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 512, overlap: 300 }).chunk(moby);
    expectChunkInvariants(moby, chunks, o200k_base, { maxTokens: 512, overlap: 300 });
    expectNeighboursOverlap(moby, chunks, o200k_base, { maxTokens: 512, overlap: 300 });
    expect(mean(chunks.map((chunk) => chunk.tokenCount))).toBeGreaterThan(430);
    expect(mean(sharedTokens(moby, chunks))).toBeGreaterThan(280);
  });

  it('ChunkwiseTextSplitter chunkSize 256 / chunkOverlap 128: the same', async () => {
    const splitter = new ChunkwiseTextSplitter({ chunkSize: 256, chunkOverlap: 128, tokenizer: o200k_base });
    const chunks = await splitter.chunker.chunk(moby);
    expectChunkInvariants(moby, chunks, o200k_base, { maxTokens: 256, overlap: 128 });
    expectNeighboursOverlap(moby, chunks, o200k_base, { maxTokens: 256, overlap: 128 });
    expect(mean(chunks.map((chunk) => chunk.tokenCount))).toBeGreaterThan(210);
    expect(mean(sharedTokens(moby, chunks))).toBeGreaterThan(115);
    expect(await splitter.splitText(moby)).toEqual(chunks.map((chunk) => chunk.text));
  });

  it('the first chunk, which has nothing to repeat, fills the whole limit', async () => {
    const text = moby.slice(0, 20_000);
    const [first] = await new TokenChunker({ tokenizer: o200k_base, maxTokens: 200, overlap: 150 }).chunk(text);
    expect(first?.tokenCount).toBe(200);
  });

  for (const [name, create] of Object.entries(EVERY_CHUNKER)) {
    it(`${name}: long text and overlap > 0 ⇒ neighbours overlap, for every 0 < overlap < maxTokens`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(unicodeText, { minLength: 3, maxLength: 6 }).map((parts) => parts.join(' ')),
          fc.integer({ min: 4, max: 48 }),
          fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
          async (text, maxTokens, share) => {
            const overlap = Math.max(1, Math.min(maxTokens - 1, Math.floor(share * maxTokens)));
            const chunks = await create({ tokenizer, maxTokens, overlap }).chunk(text);
            expectChunkInvariants(text, chunks, tokenizer, { maxTokens, overlap });
            expectNeighboursOverlap(text, chunks, tokenizer, { maxTokens, overlap });
          },
        ),
        { numRuns: 25 },
      );
    });
  }
});
