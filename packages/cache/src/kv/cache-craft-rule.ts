import { ChunkwiseError } from '@chunkwise/core';
import { optionalOptions } from '../argument-checks.js';
import { checkRecomputeContext, defaultRecomputeRule, type RecomputeContext, type RecomputeRule } from './chunk-kv-cache.js';

/**
 * Per token of a chunk, the share of its attention that went to the chunks before it, from two
 * log-sum-exps an attention kernel already returns (`attention(…, { returnLse: true })`):
 * `prefixLse` over the preceding tokens' keys (no mask) and `chunkLse` over the chunk's own keys
 * (causal), each `[heads][length]`. The share is e^prefix / (e^prefix + e^chunk) = σ(prefix − chunk),
 * averaged over heads. Cache-Craft (arXiv 2502.15734 §4) calls the chunk-level mean of this inter-chunk
 * attention its Cache Context Impact (CCI).
 */
export function contextImpactFromLse(prefixLse: Float32Array, chunkLse: Float32Array, heads: number): Float32Array {
  if (!(prefixLse instanceof Float32Array) || !(chunkLse instanceof Float32Array)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'contextImpactFromLse: prefixLse and chunkLse must be Float32Arrays (attention(…, { returnLse: true }).lse).');
  }
  if (!Number.isSafeInteger(heads) || heads <= 0 || prefixLse.length !== chunkLse.length || prefixLse.length % heads !== 0) {
    throw new ChunkwiseError('DIMENSION_MISMATCH', `contextImpactFromLse: both LSE arrays must be [heads][length] with ${String(heads)} heads; got ${prefixLse.length} and ${chunkLse.length} values.`);
  }
  const length = prefixLse.length / heads;
  const impact = new Float32Array(length);
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < length; t++) {
      const prefix = prefixLse[h * length + t]!;
      const own = chunkLse[h * length + t]!;
      // No prefix (−∞): nothing went to other chunks. Computed in the stable form 1 / (1 + e^(own − prefix)).
      impact[t]! += prefix === Number.NEGATIVE_INFINITY ? 0 : own === Number.NEGATIVE_INFINITY ? 1 : 1 / (1 + Math.exp(own - prefix));
    }
  }
  for (let t = 0; t < length; t++) impact[t]! /= heads;
  return impact;
}

export interface CacheCraftRuleOptions {
  /** Scales the recompute budget: fraction = alpha × CCI × novelty. Default 1. */
  alpha?: number;
  /**
   * Least fraction recomputed whenever the context changed, also for a chunk measured with no
   * prefix (its CCI is 0 though a new prefix may now matter). Default 0.05.
   */
  minFraction?: number;
  /** Most fraction recomputed. Default 0.5. */
  maxFraction?: number;
  /** For entries without `impact`. Default `defaultRecomputeRule(0.15)`. */
  fallback?: RecomputeRule<unknown>;
}

/**
 * An attention-based recompute rule after Cache-Craft (arXiv 2502.15734): a chunk whose tokens
 * attended little to their old context (low CCI) is reused almost whole; one that leaned on it is
 * recomputed more, scaled by how much of that context changed (novelty = 1 − Jaccard overlap of the
 * old and new sets of preceding chunks). The tokens recomputed are those with the highest
 * inter-chunk attention — the ones whose KV drifts most when the context changes — not the first
 * ones. The budget formula is this package's simplification of the paper's, not its calibration.
 */
export function cacheCraftRule<T>(options: CacheCraftRuleOptions = {}): RecomputeRule<T> {
  const { alpha = 1, minFraction = 0.05, maxFraction = 0.5, fallback = defaultRecomputeRule() } = optionalOptions('cacheCraftRule', options);
  if (typeof fallback !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'cacheCraftRule: fallback must be a recompute rule (a function).');
  for (const [name, value] of Object.entries({ alpha, minFraction, maxFraction })) {
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new ChunkwiseError('INVALID_ARGUMENT', `cacheCraftRule: ${name} must be a finite number ≥ 0, got ${String(value)}.`);
  }
  if (minFraction > maxFraction || maxFraction > 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `cacheCraftRule: need 0 ≤ minFraction ≤ maxFraction ≤ 1, got ${minFraction} and ${maxFraction}.`);
  }
  return (context: RecomputeContext<T>) => {
    checkRecomputeContext('cacheCraftRule', context);
    const { entry, start, prefixKeys } = context;
    const before = new Set(entry.prefixKeys);
    const now = new Set(prefixKeys);
    let shared = 0;
    for (const key of now) if (before.has(key)) shared++;
    const union = before.size + now.size - shared;
    const novelty = union === 0 ? 0 : 1 - shared / union;
    const samePrefix = entry.position === start && entry.prefixKeys.length === prefixKeys.length && entry.prefixKeys.every((key, i) => key === prefixKeys[i]);
    if (samePrefix) return 0;
    const impact = entry.impact;
    if (!impact) return fallback(context as RecomputeContext<unknown>);
    let cci = 0;
    for (let i = 0; i < impact.length; i++) cci += impact[i]!;
    cci /= Math.max(1, impact.length);
    // Moved without a change of context (same chunks before it, another position): RoPE shift only.
    if (novelty === 0) return 0;
    const fraction = Math.min(maxFraction, Math.max(minFraction, alpha * cci * novelty));
    // The epsilon keeps float32 sums (0.30000001 × 10) from rounding up a whole token.
    const count = Math.min(entry.length, Math.ceil(fraction * entry.length - 1e-6));
    // The `count` tokens with the highest inter-chunk attention, in position order.
    const order = Array.from({ length: impact.length }, (_, i) => i).sort((a, b) => impact[b]! - impact[a]! || a - b);
    return Int32Array.from(order.slice(0, count)).sort();
  };
}
