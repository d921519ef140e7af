import { TileCoverage, type AttentionMask } from './attention-mask.js';
import { checkInteger } from '../argument-checks.js';

/** The first `length` keys, causally: global tokens / attention sinks seen by every later query. */
export function prefixMask(length: number): AttentionMask {
  checkInteger(length, 'length', 0);
  return {
    description: `prefix(${length})`,
    spec: { kind: 'prefix', length },
    allows: (_head, query, key) => key < length && key <= query,
    tile(_head, q0, q1, k0, k1) {
      if (k0 >= length || k0 > q1 - 1) return TileCoverage.Empty;
      if (k1 <= length && k1 - 1 <= q0) return TileCoverage.Full;
      return TileCoverage.Partial;
    },
  };
}
