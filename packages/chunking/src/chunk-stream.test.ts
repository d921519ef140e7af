import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** Yields `text` in pieces and records how far the consumer has read. */
function* pieces(text: string, size: number, progress: { read: number }): Generator<string> {
  for (let i = 0; i < text.length; i += size) {
    progress.read = Math.min(text.length, i + size);
    yield text.slice(i, i + size);
  }
}

describe('chunkStream', () => {
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
