import { TileCoverage, type AttentionMask } from './attention-mask.js';

/** Key `j` is visible to the query at position `i` when `j ≤ i`. */
export function causalMask(): AttentionMask {
  return {
    description: 'causal',
    spec: { kind: 'causal' },
    allows: (_head, query, key) => key <= query,
    tile(_head, q0, q1, k0, k1) {
      if (k0 > q1 - 1) return TileCoverage.Empty;
      if (k1 - 1 <= q0) return TileCoverage.Full;
      return TileCoverage.Partial;
    },
  };
}
