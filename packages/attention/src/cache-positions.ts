import { ChunkwiseError } from '@chunkwise/core';

/**
 * Which cached tokens StreamingLLM (arXiv 2309.17453) keeps once the cache holds `length` tokens:
 * the first `sinks` and the last `window`, in order. Their new positions are `0 … kept − 1`
 * (`cacheWindowPositions`), not their original ones.
 */
export function streamingCacheKeep(length: number, sinks: number, window: number): Int32Array {
  for (const [name, value] of [['length', length], ['sinks', sinks], ['window', window]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an integer ≥ 0, got ${String(value)}.`);
  }
  if (sinks + window >= length) return Int32Array.from({ length }, (_, i) => i);
  const kept = new Int32Array(sinks + window);
  for (let i = 0; i < sinks; i++) kept[i] = i;
  for (let i = 0; i < window; i++) kept[sinks + i] = length - window + i;
  return kept;
}

/** Positions `0 … length − 1`: StreamingLLM assigns positions by place in the cache. */
export function cacheWindowPositions(length: number): Int32Array {
  if (!Number.isInteger(length) || length < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `length must be an integer ≥ 0, got ${String(length)}.`);
  return Int32Array.from({ length }, (_, i) => i);
}
