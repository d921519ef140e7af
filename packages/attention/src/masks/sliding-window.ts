import { checkInteger, checkOptions } from '../argument-checks.js';
import { TileCoverage, type AttentionMask } from './attention-mask.js';

export interface SlidingWindowOptions {
  /** How many most recent keys each query sees, itself included (`0 ≤ query − key < window`). */
  window: number;
}

/** Causal local attention: each query sees the `window` most recent keys (Longformer-style). */
export function slidingWindowMask(options: SlidingWindowOptions): AttentionMask {
  const { window } = checkOptions(options, 'options');
  checkInteger(window, 'window', 1);
  return {
    description: `sliding-window(${window})`,
    spec: { kind: 'slidingWindow', window },
    allows: (_head, query, key) => key <= query && query - key < window,
    tile(_head, q0, q1, k0, k1) {
      const minDistance = q0 - (k1 - 1);
      const maxDistance = q1 - 1 - k0;
      if (maxDistance < 0 || minDistance > window - 1) return TileCoverage.Empty;
      if (minDistance >= 0 && maxDistance <= window - 1) return TileCoverage.Full;
      return TileCoverage.Partial;
    },
  };
}
