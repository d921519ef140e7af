import { ChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import type { Cache } from './create-cache.js';
import type { CacheValue } from './value-codec.js';

export interface CachedEmbedderOptions {
  /**
   * Names the model in every key, so two embedders sharing a cache never answer for each other.
   * Default: `embedder:<dimensions>`; set it to the model id (e.g. 'text-embedding-3-small').
   */
  model?: string;
}

/**
 * Wraps an `Embedder` so each text is embedded once: hits come from the cache, misses go to the
 * embedder in one batch (in input order) and are stored as compact Float32Arrays.
 */
export function cachedEmbedder(embedder: Embedder, cache: Cache<CacheValue>, options: CachedEmbedderOptions = {}): Embedder {
  if (!embedder || typeof embedder.embed !== 'function' || !Number.isInteger(embedder.dimensions)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedEmbedder: the first argument must be an Embedder ({ dimensions, embed }).');
  }
  const dimensions = embedder.dimensions;
  const model = options.model ?? `embedder:${dimensions}`;
  const keyOf = (text: string) => ({ kind: 'embedding', model, dimensions, text });

  return {
    dimensions,
    async embed(texts, embedOptions) {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedEmbedder.embed: texts must be an array of strings.');
      }
      const signal = embedOptions?.signal;
      throwIfAborted(signal);
      const found = await Promise.all(texts.map((text) => cache.get(keyOf(text))));
      const out: Float32Array[] = new Array<Float32Array>(texts.length);
      // Duplicates within one call are embedded once.
      const missing = new Map<string, number[]>();
      found.forEach((value, i) => {
        if (value instanceof Float32Array && value.length === dimensions) out[i] = value;
        else {
          const positions = missing.get(texts[i]!);
          if (positions) positions.push(i);
          else missing.set(texts[i]!, [i]);
        }
      });
      if (missing.size > 0) {
        const batch = [...missing.keys()];
        const vectors = await embedder.embed(batch, signal ? { signal } : undefined);
        if (!Array.isArray(vectors) || vectors.length !== batch.length) {
          throw new ChunkwiseError('UPSTREAM', `cachedEmbedder: the embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts.`);
        }
        await Promise.all(
          batch.map(async (text, j) => {
            const vector = vectors[j]!;
            if (!(vector instanceof Float32Array) || vector.length !== dimensions) {
              throw new ChunkwiseError('DIMENSION_MISMATCH', `cachedEmbedder: the embedder returned a vector of ${vector?.length} values, not ${dimensions}.`);
            }
            for (const i of missing.get(text)!) out[i] = vector;
            await cache.set(keyOf(text), vector);
          }),
        );
      }
      return out;
    },
  };
}
