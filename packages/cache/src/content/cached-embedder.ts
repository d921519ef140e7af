import { ChunkwiseError, throwIfAborted, type Embedder } from '@chunkwise/core';
import { optionalOptions } from '../argument-checks.js';
import { checkCache, type Cache } from './create-cache.js';
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
 * embedder in one batch (in input order) and are stored as compact Float32Arrays. A text already
 * being embedded by a concurrent call is awaited, not embedded again.
 */
export function cachedEmbedder(embedder: Embedder, cache: Cache<CacheValue>, options: CachedEmbedderOptions = {}): Embedder {
  if (!embedder || typeof embedder.embed !== 'function' || !Number.isInteger(embedder.dimensions)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedEmbedder: the first argument must be an Embedder ({ dimensions, embed }).');
  }
  const { model: modelOption } = optionalOptions('cachedEmbedder', options);
  if (modelOption !== undefined && typeof modelOption !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedEmbedder: options.model must be a string.');
  checkCache('cachedEmbedder', cache);
  const dimensions = embedder.dimensions;
  const model = modelOption ?? `embedder:${dimensions}`;
  const keyOf = (text: string) => ({ kind: 'embedding', model, dimensions, text });

  // Texts being embedded right now, shared across concurrent embed() calls (single-flight per text).
  const inflight = new Map<string, Promise<Float32Array>>();

  return {
    dimensions,
    async embed(texts, embedOptions) {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'cachedEmbedder.embed: texts must be an array of strings.');
      }
      const signal = embedOptions?.signal;
      throwIfAborted(signal);
      // One batch read: a single SQLite read transaction or Redis pipeline for all the texts.
      const found = await cache.getMany(texts.map(keyOf));
      const out: (Float32Array | Promise<Float32Array>)[] = new Array<Float32Array>(texts.length);
      // No await from here to the registrations below, so concurrent calls see each other's texts.
      const batch: string[] = [];
      const settle = new Map<string, { resolve: (v: Float32Array) => void; reject: (e: unknown) => void }>();
      found.forEach((value, i) => {
        const text = texts[i]!;
        if (value instanceof Float32Array && value.length === dimensions) {
          out[i] = value;
          return;
        }
        let pending = inflight.get(text);
        if (!pending) {
          // Duplicates within one call, and calls already embedding this text, wait for one result.
          pending = new Promise<Float32Array>((resolve, reject) => settle.set(text, { resolve, reject }));
          pending.catch(() => undefined);
          inflight.set(text, pending);
          batch.push(text);
        }
        out[i] = pending;
      });
      if (batch.length > 0) {
        try {
          const vectors = await embedder.embed(batch, signal ? { signal } : undefined);
          if (!Array.isArray(vectors) || vectors.length !== batch.length) {
            throw new ChunkwiseError('UPSTREAM', `cachedEmbedder: the embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} texts.`);
          }
          for (const vector of vectors) {
            if (!(vector instanceof Float32Array) || vector.length !== dimensions) {
              throw new ChunkwiseError('DIMENSION_MISMATCH', `cachedEmbedder: the embedder returned a vector of ${(vector as { length?: number })?.length} values, not ${dimensions}.`);
            }
          }
          await Promise.all(batch.map((text, j) => cache.set(keyOf(text), vectors[j]!)));
          batch.forEach((text, j) => settle.get(text)!.resolve(vectors[j]!));
        } catch (error) {
          for (const text of batch) settle.get(text)!.reject(error);
          throw error;
        } finally {
          for (const text of batch) inflight.delete(text);
        }
      }
      return Promise.all(out);
    },
  };
}
