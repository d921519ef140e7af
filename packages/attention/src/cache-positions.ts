import { checkInteger, MAX_ELEMENTS } from './argument-checks.js';

/**
 * Which cached tokens StreamingLLM (arXiv 2309.17453) keeps once the cache holds `length` tokens:
 * the first `sinks` and the last `window`, in order. Their new positions are `0 … kept − 1`
 * (`cacheWindowPositions`), not their original ones.
 */
export function streamingCacheKeep(length: number, sinks: number, window: number): Int32Array {
  // Positions are int32 and the result is at most `length` long.
  checkInteger(length, 'length', 0, MAX_ELEMENTS);
  checkInteger(sinks, 'sinks', 0);
  checkInteger(window, 'window', 0);
  if (sinks + window >= length) return cacheWindowPositions(length);
  const kept = new Int32Array(sinks + window);
  for (let i = 0; i < sinks; i++) kept[i] = i;
  for (let i = 0; i < window; i++) kept[sinks + i] = length - window + i;
  return kept;
}

/** Positions `0 … length − 1`: StreamingLLM assigns positions by place in the cache. */
export function cacheWindowPositions(length: number): Int32Array {
  checkInteger(length, 'length', 0, MAX_ELEMENTS);
  const positions = new Int32Array(length);
  for (let i = 0; i < length; i++) positions[i] = i;
  return positions;
}
