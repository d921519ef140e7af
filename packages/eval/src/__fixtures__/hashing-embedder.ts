import type { Embedder } from '@chunkwise/core';
import { simpleAnalyzer } from '@chunkwise/retrieval';

/**
 * A real, deterministic embedder for tests: feature-hashed bag of words (FNV-1a into `dimensions`
 * buckets, signed), so similar wording gives similar vectors. Text without words embeds to zeros.
 */
export function hashingEmbedder(dimensions = 256): Embedder & { calls: number } {
  const embedder = {
    dimensions,
    calls: 0,
    async embed(texts: string[]) {
      embedder.calls++;
      return texts.map((text) => {
        const v = new Float32Array(dimensions);
        for (const word of simpleAnalyzer(text)) {
          let h = 0x811c9dc5;
          for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
          const bucket = (h >>> 1) % dimensions;
          v[bucket] = (v[bucket] as number) + (h & 1 ? 1 : -1);
        }
        return v;
      });
    },
  };
  return embedder;
}
