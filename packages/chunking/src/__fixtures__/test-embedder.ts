import type { Embedder } from '@chunkwise/core';

/** FNV-1a, for stable bucket indices. */
function hash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A deterministic bag-of-words embedder: lower-cased words of 4+ letters hashed into `dimensions` buckets, L2-normalised. */
export class HashingEmbedder implements Embedder {
  calls = 0;
  constructor(readonly dimensions = 64) {}

  embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++;
    return Promise.resolve(texts.map((text) => this.vector(text)));
  }

  vector(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/\p{L}{4,}/gu) ?? []) {
      const h = hash(word);
      vector[h % this.dimensions] = (vector[h % this.dimensions] ?? 0) + 1;
    }
    const norm = Math.hypot(...vector);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
    return vector;
  }
}
