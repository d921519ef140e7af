import { checkCount } from './check-count.js';

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
 * the paper) plus the most recent `window`; everything between is evicted.
 */
export function sinkWindowKeep(length: number, options: { sinks?: number; window: number }): SinkWindowDecision {
  const { sinks = 4, window } = options;
  checkCount('sinkWindowKeep', 'length', length);
  checkCount('sinkWindowKeep', 'sinks', sinks);
  checkCount('sinkWindowKeep', 'window', window);
  const head = Math.min(sinks, length);
  const tailStart = Math.max(head, length - window);
  const keep = new Int32Array(head + (length - tailStart));
  for (let i = 0; i < head; i++) keep[i] = i;
  for (let i = tailStart; i < length; i++) keep[head + i - tailStart] = i;
  const ropePositions = new Int32Array(keep.length);
  for (let i = 0; i < keep.length; i++) ropePositions[i] = i;
  return { keep, ropePositions };
}
