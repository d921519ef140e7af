import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '@chunkwise/core';
import { cl100k_base } from '@chunkwise/tokenizers/cl100k_base';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { characterTokenizer } from './character-tokenizer.js';
import type { ChunkStreamOptions, Chunker } from './chunker.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { MarkdownChunker } from './markdown-chunker.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** Yields `text` in pieces and records how far the consumer has read. */
function* pieces(text: string, size: number, progress: { read: number }): Generator<string> {
  for (let i = 0; i < text.length; i += size) {
    progress.read = Math.min(text.length, i + size);
    yield text.slice(i, i + size);
  }
}

async function collect(chunker: Chunker, text: string, size: number, options: ChunkStreamOptions = {}): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of chunker.chunkStream(pieces(text, size, { read: 0 }), options)) chunks.push(chunk);
  return chunks;
}

describe('chunkStream', () => {
  it('yields exactly the chunks of chunk() on the whole text (token, sentence, plain recursive; any window and piece size)', async () => {
    const CHUNKERS = { token: TokenChunker, sentence: SentenceChunker, recursive: RecursiveChunker };
    const moby = mobyDick().slice(0, 20_000);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(unicodeText, fc.nat(19_000).map((at) => moby.slice(at, at + 1_000))), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('')),
        fc.constantFrom('token' as const, 'sentence' as const, 'recursive' as const),
        fc.constantFrom(o200k_base, cl100k_base, characterTokenizer),
        fc.integer({ min: 6, max: 48 }),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(0, 8),
        fc.integer({ min: 16, max: 600 }),
        fc.integer({ min: 1, max: 700 }),
        async (text, strategy, tokenizer, maxTokens, overlap, contextTokens, window, size) => {
          const chunker = new CHUNKERS[strategy]({ tokenizer, maxTokens, overlap, contextTokens });
          expect(await collect(chunker, text, size, { window })).toEqual(await chunker.chunk(text));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('yields exactly the chunks of chunk() on Moby Dick with the default window', async () => {
    const text = mobyDick().slice(0, 300_000);
    const chunker = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 256, overlap: 32, contextTokens: 64 });
    expect(await collect(chunker, text, 10_007)).toEqual(await chunker.chunk(text));
  });

  it('keeps every invariant with a tokenizer that has no sliceCounter (windows may then start mid-token)', async () => {
    const tokenizer = new OffsetByteTripletTokenizer();
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 6, max: 40 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 16, max: 300 }), async (text, maxTokens, overlap, window) => {
        const chunks = await collect(new RecursiveChunker({ tokenizer, maxTokens, overlap }), text.repeat(4), 37, { window });
        expectChunkInvariants(text.repeat(4), chunks, tokenizer, { maxTokens, overlap });
      }),
      { numRuns: 40 },
    );
  });

  it('keeps every invariant for chunkers that re-chunk at seams (markdown)', async () => {
    const text = mobyDick().slice(0, 30_000).replace(/\n\n(CHAPTER [^\n]*)/gu, '\n\n## $1');
    const chunks = await collect(new MarkdownChunker({ tokenizer: o200k_base, maxTokens: 64, overlap: 8 }), text, 999, { window: 2_000 });
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 64, overlap: 8 });
  });

  it('rejects a window that is not a positive integer', async () => {
    await expect(collect(new TokenChunker({ maxTokens: 8 }), 'x', 1, { window: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('yields chunks with global offsets that satisfy every invariant of the whole text', async () => {
    const text = mobyDick().slice(0, 120_000);
    const chunker = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 256, overlap: 32 });
    const chunks = [];
    for await (const chunk of chunker.chunkStream(pieces(text, 7_777, { read: 0 }))) chunks.push(chunk);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 256, overlap: 32 });
  });

  it('holds a bounded window: each chunk is yielded before the source is read far past it', async () => {
    const text = 'The whale is white. '.repeat(25_000);
    const progress = { read: 0 };
    const chunker = new TokenChunker({ tokenizer: o200k_base, maxTokens: 64 });
    let maxLag = 0;
    let count = 0;
    for await (const chunk of chunker.chunkStream(pieces(text, 4_096, progress))) {
      maxLag = Math.max(maxLag, progress.read - chunk.end);
      count++;
    }
    expect(count).toBeGreaterThan(500);
    // Two windows of 64 KiB plus one piece: the stream never buffers the 500 kB input whole.
    expect(maxLag).toBeLessThanOrEqual(2 * 65_536 + 4_096);
  });

  it('yields nothing for an empty source', async () => {
    const chunks = [];
    for await (const chunk of new TokenChunker({ tokenizer: o200k_base, maxTokens: 8 }).chunkStream([])) chunks.push(chunk);
    expect(chunks).toEqual([]);
  });
});

describe('situated context (SitEmb)', () => {
  it('attaches a wider window that contains the chunk and is about contextTokens larger on each side', async () => {
    const text = mobyDick().slice(0, 50_000);
    const chunks = await new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 128, contextTokens: 64 }).chunk(text);
    for (const chunk of chunks) {
      const context = chunk.meta?.context as { start: number; end: number };
      expect(context.start).toBeLessThanOrEqual(chunk.start);
      expect(context.end).toBeGreaterThanOrEqual(chunk.end);
      expect(o200k_base.count(text.slice(context.start, chunk.start))).toBeLessThanOrEqual(66);
      expect(o200k_base.count(text.slice(chunk.end, context.end))).toBeLessThanOrEqual(66);
    }
    const middle = chunks[Math.floor(chunks.length / 2)]!;
    const context = middle.meta?.context as { start: number; end: number };
    expect(o200k_base.count(text.slice(context.start, context.end))).toBeGreaterThan(middle.tokenCount + 100);
  });
});
