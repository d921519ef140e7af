import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cl100k_base } from '@chunkwise/tokenizers/cl100k_base';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { characterTokenizer } from './character-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick, sotu } from './__fixtures__/corpora.js';
import { OffsetByteTripletTokenizer, ByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { RecursiveChunker } from './recursive-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

describe('RecursiveChunker', () => {
  it('cuts at the coarsest level that fits: paragraphs, then sentences, then words', async () => {
    const text = 'Call me Ishmael. Some years ago I went to sea.\n\nIt is a way I have.\n\nWhenever I find myself growing grim about the mouth, I go.';
    const chunks = await new RecursiveChunker({ tokenizer: characterTokenizer, maxTokens: 50 }).chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'Call me Ishmael. Some years ago I went to sea.\n\n',
      'It is a way I have.\n\n',
      // Words are cut before their whitespace, where BPE tokens start (" mouth").
      'Whenever I find myself growing grim about the',
      ' mouth, I go.',
    ]);
    expectChunkInvariants(text, chunks, characterTokenizer, { maxTokens: 50 });
  });

  it('prefers a paragraph end to a line end: a paragraph that fits is never followed by a line of the next', async () => {
    const text = 'Line one of A\nline two of A\n\nLine one of B\nline two of B\n';
    // A (28 characters with its blank line) plus B's first line would fit 44; paragraphs come first.
    const chunks = await new RecursiveChunker({ tokenizer: characterTokenizer, maxTokens: 44 }).chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['Line one of A\nline two of A\n\n', 'Line one of B\nline two of B\n']);
  });

  it('packs small paragraphs together up to the limit', async () => {
    const text = 'a b.\n\nc d.\n\ne f.\n\ng h.';
    const chunks = await new RecursiveChunker({ tokenizer: characterTokenizer, maxTokens: 12 }).chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['a b.\n\nc d.\n\n', 'e f.\n\ng h.']);
  });

  it('keeps every invariant on random Unicode (plain and markdown recipes, overlap, every tokenizer kind)', async () => {
    // o200k/cl100k count chunks through sliceCounter; the test tokenizers through count().
    for (const tok of [tokenizer, new ByteTripletTokenizer(), characterTokenizer, o200k_base, cl100k_base]) {
      await fc.assert(
        fc.asyncProperty(
          unicodeText,
          fc.integer({ min: 4, max: 60 }),
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom('plain' as const, 'markdown' as const),
          async (text, maxTokens, overlap, recipe) => {
            const chunks = await new RecursiveChunker({ tokenizer: tok, maxTokens, overlap, recipe }).chunk(text);
            expectChunkInvariants(text, chunks, tok, { maxTokens, overlap });
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('is deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(unicodeText, async (text) => {
        const chunker = new RecursiveChunker({ tokenizer, maxTokens: 9, overlap: 2 });
        expect(await chunker.chunk(text)).toEqual(await chunker.chunk(text));
      }),
      { numRuns: 30 },
    );
  });

  it('chunks Moby Dick at 512 o200k tokens with exact offsets and counts', async () => {
    const text = mobyDick().slice(0, 200_000);
    const chunks = await new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 512 }).chunk(text);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 512 });
    // Most chunks end where a paragraph or sentence ends, not mid-word.
    const cleanEnds = chunks.filter((chunk) => /[.!?;:"'\n]\s*$/.test(chunk.text)).length;
    expect(cleanEnds / chunks.length).toBeGreaterThan(0.8);
  });

  it('chunks State of the Union addresses with overlap on o200k', async () => {
    for (const { text } of sotu().slice(0, 3)) {
      const chunks = await new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 300, overlap: 40 }).chunk(text);
      expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 300, overlap: 40 });
    }
  });

  it('handles bad input: 1 MB without spaces, only newlines, mixed scripts', async () => {
    // 1 MB in one piece: by characters, and a quarter of it by o200k tokens (BPE of a single
    // 1 MB pre-token costs the tokenizer seconds per pass, and this test makes three).
    const noSpaces = 'abcdefghij'.repeat(100_000);
    expectChunkInvariants(noSpaces, await new RecursiveChunker({ tokenizer: characterTokenizer, maxTokens: 1000 }).chunk(noSpaces), characterTokenizer, {
      maxTokens: 1000,
    });
    const chunker = new RecursiveChunker({ tokenizer: o200k_base, maxTokens: 256 });
    const quarter = noSpaces.slice(0, 250_000);
    expectChunkInvariants(quarter, await chunker.chunk(quarter), o200k_base, { maxTokens: 256 });
    const newlines = '\n'.repeat(50_000);
    expectChunkInvariants(newlines, await chunker.chunk(newlines), o200k_base, { maxTokens: 256 });
    const mixed = 'Call me Ishmael. 日本語の文です。Ωμέγα 👨‍👩‍👧‍👦 אבג e\u0301 '.repeat(400);
    const chunks = await chunker.chunk(mixed);
    expectChunkInvariants(mixed, chunks, o200k_base, { maxTokens: 256 });
    expect(chunks.some((chunk) => chunk.text.includes('\uFFFD'))).toBe(false);
  });
});
