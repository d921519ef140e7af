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
import { sentenceSpans } from './boundaries/sentences.js';

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

/**
 * The built-in scorer, computed directly from its definition: interpolated absolute discounting
 * (D = 0.75) over word bigrams of the whole text, add-one unigrams as the lower order, the previous
 * word carried across sentence ends, and each sentence's score its mean −ln p per word.
 */
function referenceScores(text: string, sentences: readonly { start: number; end: number }[]): number[] {
  const tokenize = (part: string) => part.toLowerCase().match(/[\p{L}\p{M}]+|\p{N}+/gu) ?? [];
  const all = tokenize(text);
  const unigram = new Map<string, number>();
  const pair = new Map<string, number>();
  const after = new Map<string, Set<string>>();
  const context = new Map<string, number>();
  all.forEach((word, i) => {
    const previous = i === 0 ? '<s>' : all[i - 1]!;
    unigram.set(word, (unigram.get(word) ?? 0) + 1);
    pair.set(`${previous} ${word}`, (pair.get(`${previous} ${word}`) ?? 0) + 1);
    after.set(previous, (after.get(previous) ?? new Set()).add(word));
    context.set(previous, (context.get(previous) ?? 0) + 1);
  });
  const p = (previous: string, word: string): number => {
    const lower = ((unigram.get(word) ?? 0) + 1) / (all.length + unigram.size + 1);
    const total = context.get(previous) ?? 0;
    if (total === 0) return lower;
    return Math.max((pair.get(`${previous} ${word}`) ?? 0) - 0.75, 0) / total + ((0.75 * (after.get(previous)?.size ?? 0)) / total) * lower;
  };
  let previous = '<s>';
  return sentences.map((span) => {
    const sentenceWords = tokenize(text.slice(span.start, span.end));
    let sum = 0;
    for (const word of sentenceWords) {
      sum -= Math.log(p(previous, word));
      previous = word;
    }
    return sentenceWords.length === 0 ? 0 : sum / sentenceWords.length;
  });
}

describe('the built-in n-gram scorer', () => {
  it('scores each sentence by its mean bigram surprisal, exactly as defined', async () => {
    const text = 'The cat sat on the mat. The cat sat on the mat. A dog ran far away. The cat sat down.';
    const sentences = sentenceSpans(text);
    const scores = await new PerplexityChunker({ tokenizer: characterTokenizer, maxTokens: 40 }).sentenceScores(text, sentences);
    const expected = referenceScores(text, sentences);
    expect(scores).toHaveLength(4);
    scores.forEach((score, i) => expect(score).toBeCloseTo(expected[i] ?? Number.NaN, 10));
    // What the scorer is for: words seen together before are predictable, a new topic is not.
    expect(scores[2]).toBeGreaterThan(Math.max(scores[0]!, scores[1]!, scores[3]!));
  });

  it('matches the definition on 20,000 characters of Moby Dick', async () => {
    const text = mobyDick().slice(0, 20_000);
    const sentences = sentenceSpans(text);
    const scores = await new PerplexityChunker({ tokenizer: characterTokenizer, maxTokens: 400 }).sentenceScores(text, sentences);
    const expected = referenceScores(text, sentences);
    expect(scores.length).toBeGreaterThan(200);
    scores.forEach((score, i) => expect(score).toBeCloseTo(expected[i] ?? Number.NaN, 8));
  });
});

describe('PerplexityChunker', () => {
  it('cuts after the predictable sentence reported by the model', async () => {
    const text = 'Storms rage. Waves crash. The sea is calm. Birds sing loudly. Trees sway. Wind howls.';
    const chunker = new PerplexityChunker({ tokenizer: characterTokenizer, maxTokens: 45, model: calmModel(), threshold: 1 });
    const chunks = await chunker.chunk(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(['Storms rage. Waves crash. The sea is calm. ', 'Birds sing loudly. Trees sway. Wind howls.']);
  });

  it('merges meta-chunks while they fit (dynamic merging), cutting only where the limit forces it', async () => {
    const text = 'Storms rage. Waves crash. The sea is calm. Birds sing loudly. Trees sway. Wind howls.';
    const chunker = new PerplexityChunker({ tokenizer: characterTokenizer, maxTokens: 200, model: calmModel(), threshold: 1 });
    expect((await chunker.chunk(text)).map((chunk) => chunk.text)).toEqual([text]);
  });

  it('cuts where the built-in scorer has its minima: every chunk end is a minimum or forced by the limit', async () => {
    const text = mobyDick().slice(0, 30_000);
    const chunker = new PerplexityChunker({ tokenizer: o200k_base, maxTokens: 256 });
    const sentences = sentenceSpans(text);
    const minima = perplexityMinima(referenceScores(text, sentences), 0);
    const minimumEnds = new Set([...minima].map((i) => sentences[i]!.end));
    const chunks = await chunker.chunk(text);
    const sentenceEnds = new Set(sentences.map((sentence) => sentence.end));
    for (const [i, chunk] of chunks.slice(0, -1).entries()) {
      const next = chunks[i + 1]!;
      // Either a perplexity minimum, or the next meta-chunk did not fit (or a sentence had to be split).
      const atMinimum = minimumEnds.has(chunk.end);
      const forced = !sentenceEnds.has(chunk.end) || o200k_base.count(text.slice(chunk.start, next.end)) > 256;
      expect(atMinimum || forced).toBe(true);
    }
    expect(chunks.filter((chunk) => minimumEnds.has(chunk.end)).length).toBeGreaterThan(chunks.length / 2);
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
