import { checkOptions } from '../argument-checks.js';
import type { AttentionMask } from './attention-mask.js';
import { unionMasks } from './combine-masks.js';
import { prefixMask } from './prefix.js';
import { slidingWindowMask } from './sliding-window.js';

export interface AttentionSinksOptions {
  /** Initial tokens every query keeps. StreamingLLM (arXiv 2309.17453) found 4 enough. */
  sinks?: number;
  /** Most recent keys each query sees, itself included. */
  window: number;
}

/**
 * StreamingLLM (arXiv 2309.17453 §3.2): keep the attention-sink tokens plus a recent window;
 * the softmax needs the sinks as a place to put surplus attention, so dropping them breaks the model.
 */
export function attentionSinksMask(options: AttentionSinksOptions): AttentionMask {
  const { sinks = 4, window } = checkOptions(options, 'options');
  const mask = unionMasks(prefixMask(sinks), slidingWindowMask({ window }));
  return { ...mask, description: `sinks(${sinks})+window(${window})`, spec: { kind: 'attentionSinks', sinks, window } };
}
