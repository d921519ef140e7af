import { describe, expect, it } from 'vitest';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { ContextualTestEmbedder } from './__fixtures__/test-token-embedder.js';
import { OffsetByteTripletTokenizer } from './__fixtures__/test-tokenizer.js';
import { LateChunker, type TokenEmbedder } from './late-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';

const tokenizer = new OffsetByteTripletTokenizer();

function normalisedMean(vectors: Float32Array[]): number[] {
  const sum = vectors.reduce((acc, vector) => acc.map((value, x) => value + (vector[x] ?? 0)), new Array<number>(vectors[0]!.length).fill(0));
  const norm = Math.hypot(...sum);
  return sum.map((value) => value / norm);
}

/** A context-free token embedder: each token's vector is a one-hot of its id, so a chunk's pooled vector is its id histogram. */
class OneHotTokenEmbedder implements TokenEmbedder {
  readonly tokenizer = new OffsetByteTripletTokenizer();
  readonly dimensions = 32;
  constructor(readonly maxTokens: number) {}
  embedTokens(text: string): Promise<{ vectors: Float32Array[]; spans: { start: number; end: number }[] }> {
    const { ids, starts, ends } = this.tokenizer.encodeWithOffsets(text);
    const vectors = Array.from(ids, (id) => {
      const vector = new Float32Array(this.dimensions);
      vector[id % this.dimensions] = 1;
      return vector;
    });
    return Promise.resolve({ vectors, spans: Array.from(ids, (_, i) => ({ start: starts[i] ?? 0, end: ends[i] ?? 0 })) });
  }
}

describe('LateChunker', () => {
  it('pools every token of a chunk exactly once, however the document was windowed', async () => {
    const text = mobyDick().slice(0, 6_000);
    const embedder = new OneHotTokenEmbedder(64);
    const chunks = await new LateChunker({ tokenizer, maxTokens: 40, embedder }).chunk(text);
    const { ids, starts, ends } = tokenizer.encodeWithOffsets(text);
    for (const chunk of chunks) {
      const histogram = new Array<number>(32).fill(0);
      ids.forEach((id, i) => {
        if ((starts[i] ?? 0) < chunk.end && (ends[i] ?? 0) > chunk.start) histogram[id % 32]! += 1;
      });
      const norm = Math.hypot(...histogram);
      const actual = Array.from(chunk.meta?.embedding as Float32Array);
      actual.forEach((value, x) => expect(value).toBeCloseTo((histogram[x] ?? 0) / norm, 5));
    }
  });

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
