import type { Span } from '@chunkwise/core';
import type { TokenEmbedder } from '../late-chunker.js';
import { OffsetByteTripletTokenizer } from './test-tokenizer.js';

/**
 * A deterministic "contextual" token embedder: each token's vector is a hashed one-hot of its id
 * plus half the running mean of the vectors before it in the same call, so a vector depends on its
 * left context like a causal model's would.
 */
export class ContextualTestEmbedder implements TokenEmbedder {
  readonly tokenizer = new OffsetByteTripletTokenizer();
  largestCall = 0;
  calls = 0;

  constructor(
    readonly maxTokens: number,
    readonly dimensions = 16,
  ) {}

  embedTokens(text: string): Promise<{ vectors: Float32Array[]; spans: Span[] }> {
    const { ids, starts, ends } = this.tokenizer.encodeWithOffsets(text);
    this.calls++;
    this.largestCall = Math.max(this.largestCall, ids.length);
    const running = new Float32Array(this.dimensions);
    const vectors: Float32Array[] = [];
    ids.forEach((id, i) => {
      const vector = new Float32Array(this.dimensions);
      vector[id % this.dimensions] = 1;
      for (let x = 0; x < this.dimensions; x++) {
        vector[x] = (vector[x] ?? 0) + (i === 0 ? 0 : (0.5 * (running[x] ?? 0)) / i);
        running[x] = (running[x] ?? 0) + (vector[x] ?? 0);
      }
      vectors.push(vector);
    });
    return Promise.resolve({ vectors, spans: Array.from(ids, (_, i) => ({ start: starts[i] ?? 0, end: ends[i] ?? 0 })) });
  }
}
