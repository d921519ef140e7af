import { checkInteger, checkOptions, MAX_POSITION } from './argument-checks.js';
import { attention } from './attention.js';
import type { AttentionBackend } from './attention-options.js';
import { validateAttentionInputs, type AttentionShape } from './attention-shape.js';
import type { AttentionMask } from './masks/attention-mask.js';
import { TileCoverage } from './masks/attention-mask.js';
import { mergeAttentionStates } from './merge-attention-states.js';
import { applyRope, type RopeOptions } from './rope.js';

export interface LmInfiniteOptions {
  /** Leading tokens of the global branch (default 10). */
  global?: number;
  /** Recent keys in the local branch (the pre-training length). */
  local: number;
  /** Largest relative distance the positional encoding may show (default `local`). */
  distanceLimit?: number;
  /** Position of the first query row (default seqK − seqQ). */
  queryOffset?: number;
  rope?: RopeOptions;
  backend?: AttentionBackend;
}

/**
 * LM-Infinite (arXiv 2308.16137 §4) on pre-RoPE q and k: the Λ-shaped mask plus the distance
 * limit. Pairs within `distanceLimit` use their true relative position; global tokens farther away
 * are all seen at exactly `distanceLimit` — with RoPE that is q · R(−limit)·k whatever the two
 * positions, so those pairs run as a second attention pass (unrotated queries, keys rotated to
 * −limit) and the two passes merge exactly through their log-sum-exp.
 */
export function lmInfiniteAttention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
  input: LmInfiniteOptions,
): Float32Array {
  validateAttentionInputs(q, k, v, shape);
  const options = checkOptions(input, 'options');
  const { heads, kvHeads, seqQ, seqK, headDim } = shape;
  const global = options.global ?? 10;
  const { local } = options;
  const limit = options.distanceLimit ?? local;
  for (const [name, value] of [['global', global], ['local', local], ['distanceLimit', limit]] as const) {
    checkInteger(value, name, name === 'global' ? 0 : 1, MAX_POSITION);
  }
  const offset = options.queryOffset ?? Math.max(0, seqK - seqQ);
  checkInteger(offset, 'queryOffset', 0, MAX_POSITION - seqQ);
  const queryPositions = Int32Array.from({ length: seqQ }, (_, i) => offset + i);
  const keyPositions = Int32Array.from({ length: seqK }, (_, j) => j);
  const qRotated = applyRope(q, { heads, seq: seqQ, headDim }, queryPositions, options.rope);
  const kRotated = applyRope(k, { heads: kvHeads, seq: seqK, headDim }, keyPositions, options.rope);

  const near: AttentionMask = {
    description: `Λ near(global ${global}, local ${local}, limit ${limit})`,
    allows: (_h, query, key) => key <= query && (key < global ? query - key <= limit : query - key < local),
    tile: () => TileCoverage.Partial,
  };
  const far: AttentionMask = {
    description: `Λ far(global ${global}, limit ${limit})`,
    allows: (_h, query, key) => key < global && query - key > limit,
    tile: (_h, q0, q1, k0) => (k0 >= global || q1 - 1 - k0 <= limit ? TileCoverage.Empty : TileCoverage.Partial),
  };
  const common = { queryOffset: offset, returnLse: true, ...(options.backend ? { backend: options.backend } : {}) };
  const nearPass = attention(qRotated, kRotated, v, shape, { ...common, mask: near });
  const kAtLimit = applyRope(k, { heads: kvHeads, seq: seqK, headDim }, new Int32Array(seqK).fill(-limit), options.rope);
  const farPass = attention(q, kAtLimit, v, shape, { ...common, mask: far });
  return mergeAttentionStates(
    [
      { output: nearPass.output, lse: nearPass.lse as Float32Array },
      { output: farPass.output, lse: farPass.lse as Float32Array },
    ],
    headDim,
  ).output;
}
