import { describe, expect, it } from 'vitest';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { ContextualTestEmbedder } from './__fixtures__/test-token-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { LateChunker } from './late-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

function normalisedMean(vectors: Float32Array[]): number[] {
  const sum = vectors.reduce((acc, vector) => acc.map((value, x) => value + (vector[x] ?? 0)), new Array<number>(vectors[0]!.length).fill(0));
  const norm = Math.hypot(...sum);
  return sum.map((value) => value / norm);
}

describe('LateChunker', () => {
  it('pools the whole-document token vectors over each chunk exact token span', async () => {
    const text = 'Call me Ishmael. Some years ago, never mind how long precisely, I went to sea. It is a way I have.';
    const embedder = new ContextualTestEmbedder(10_000);
    const chunks = await new LateChunker({ tokenizer, maxTokens: 12, embedder }).chunk(text);
    expectChunkInvariants(text, chunks, tokenizer, { maxTokens: 12 });
    const whole = await embedder.embedTokens(text);
    for (const chunk of chunks) {
      const inside = whole.vectors.filter((_, i) => whole.spans[i]!.start < chunk.end && whole.spans[i]!.end > chunk.start);
      const expected = normalisedMean(inside);
      const actual = Array.from(chunk.meta?.embedding as Float32Array);
      actual.forEach((value, x) => expect(value).toBeCloseTo(expected[x] ?? 0, 5));
    }
    expect(embedder.calls).toBe(2);
  });

  it('embeds a long document in overlapping windows no larger than the model allows', async () => {
    const text = mobyDick().slice(0, 20_000);
    const embedder = new ContextualTestEmbedder(512);
    const chunks = await new LateChunker({ tokenizer, maxTokens: 100, embedder, chunker: new SentenceChunker({ tokenizer, maxTokens: 100 }) }).chunk(text);
    expect(embedder.largestCall).toBeLessThanOrEqual(512);
    expect(embedder.calls).toBeGreaterThan(10);
    expectChunkInvariants(text, chunks, tokenizer, { maxTokens: 100 });
    for (const chunk of chunks) {
      const embedding = chunk.meta?.embedding as Float32Array;
      expect(embedding).toHaveLength(16);
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 5);
    }
  });
});
