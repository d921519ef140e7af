import { cacheWindowPositions, streamingCacheKeep } from '@chunkwise/attention';
import { checkOptions } from '../argument-checks.js';

export interface SinkWindowDecision {
  /** Original positions kept, ascending: the first `sinks` and the last `window`. */
  keep: Int32Array;
  /**
   * The position to rotate each kept key with (RoPE), i.e. its index in the cache: StreamingLLM
   * stores keys before RoPE and assigns positions within the cache, not in the original text.
   */
  ropePositions: Int32Array;
}

/**
 * StreamingLLM (arXiv 2309.17453): keep the first `sinks` tokens (attention sinks, 4 by default in
 * the paper) plus the most recent `window`; everything between is evicted. The rule itself is
 * attention's `streamingCacheKeep` (one rule for the mask and the cache); this pairs it with the
 * cache positions the kept keys are rotated with.
 */
export function sinkWindowKeep(length: number, options: { sinks?: number; window: number }): SinkWindowDecision {
  checkOptions('sinkWindowKeep', options);
  const { sinks = 4, window } = options;
  const keep = streamingCacheKeep(length, sinks, window);
  return { keep, ropePositions: cacheWindowPositions(keep.length) };
}
