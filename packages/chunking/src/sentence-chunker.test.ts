import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { sentenceSpans } from './boundaries/sentences.js';
import { characterTokenizer } from './character-tokenizer.js';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { sotu } from './__fixtures__/corpora.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { unicodeText } from './__fixtures__/unicode.js';
import { SentenceChunker } from './sentence-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();
const sentences = (text: string) => sentenceSpans(text).map((span) => text.slice(span.start, span.end));

describe('sentence boundaries', () => {
  it('does not break after titles, abbreviations, initials or inside decimals', () => {
    expect(sentences('Mr. Smith paid $3.50 for it, e.g. a whale. J. R. R. Tolkien wrote. See No. 5 now. He said no. Then left.')).toEqual([
      'Mr. Smith paid $3.50 for it, e.g. a whale. ',
      'J. R. R. Tolkien wrote. ',
      'See No. 5 now. ',
      'He said no. ',
      'Then left.',
    ]);
  });

  it('splits CJK sentences at the ideographic full stop', () => {
    expect(sentences('日本語の文です。二つ目の文です。')).toEqual(['日本語の文です。', '二つ目の文です。']);
  });
});

describe('SentenceChunker', () => {
  it('packs whole sentences up to the limit', async () => {
    const text = 'One fish. Two fish. Red fish. Blue fish.';
    const chunks = await new SentenceChunker({ tokenizer: characterTokenizer, maxTokens: 20 }).chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['One fish. Two fish. ', 'Red fish. Blue fish.']);
  });

  it('splits a sentence longer than the limit instead of emitting it oversize', async () => {
    const text = `Short. Very ${'very '.repeat(40)}long sentence. End.`;
    const chunks = await new SentenceChunker({ tokenizer: characterTokenizer, maxTokens: 30 }).chunk(text);
    expectChunkInvariants(text, chunks, characterTokenizer, { maxTokens: 30 });
    expect(chunks[0]?.text).toBe('Short. ');
  });

  it('keeps every invariant on random Unicode and on SOTU with o200k', async () => {
    await fc.assert(
      fc.asyncProperty(unicodeText, fc.integer({ min: 4, max: 50 }), fc.integer({ min: 0, max: 3 }), async (text, maxTokens, overlap) => {
        const chunks = await new SentenceChunker({ tokenizer, maxTokens, overlap }).chunk(text);
        expectChunkInvariants(text, chunks, tokenizer, { maxTokens, overlap });
      }),
      { numRuns: 50 },
    );
    const text = sotu()[0]?.text ?? '';
    const chunks = await new SentenceChunker({ tokenizer: o200k_base, maxTokens: 128, overlap: 16 }).chunk(text);
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 128, overlap: 16 });
  });
});
