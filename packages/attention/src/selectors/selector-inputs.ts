import { ChunkwiseError } from '@chunkwise/core';
import { validateAttentionInputs, type AttentionShape } from '../attention-shape.js';

/** Options every dynamic selector shares. */
export interface SelectorOptions {
  /** Query positions per selection unit (default 64): every query in a block sees the same keys. */
  queryBlock?: number;
  /** Position of the first query row; default `seqK − seqQ`, as in `attention`. */
  queryOffset?: number;
  /** Consider only keys at or before each block's last query (default true). */
  causal?: boolean;
}

export interface ResolvedSelector {
  queryBlock: number;
  queryBlocks: number;
  queryOffset: number;
  causal: boolean;
}

/** Validates q and k against `shape` (v is not needed to select) and fills selector defaults. */
export function resolveSelector(q: Float32Array, k: Float32Array, shape: AttentionShape, options: SelectorOptions): ResolvedSelector {
  validateAttentionInputs(q, k, k, shape);
  const queryBlock = options.queryBlock ?? 64;
  const queryOffset = options.queryOffset ?? Math.max(0, shape.seqK - shape.seqQ);
  if (!Number.isInteger(queryBlock) || queryBlock < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `queryBlock must be an integer ≥ 1, got ${String(queryBlock)}.`);
  }
  if (!Number.isInteger(queryOffset) || queryOffset < 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `queryOffset must be an integer ≥ 0, got ${String(queryOffset)}.`);
  }
  return { queryBlock, queryBlocks: Math.ceil(shape.seqQ / queryBlock), queryOffset, causal: options.causal ?? true };
}

/** Keys `[0, visibleEnd)` a block may see: up to its last query when causal, else all keys. */
export function visibleEnd(selector: ResolvedSelector, shape: AttentionShape, block: number): number {
  if (!selector.causal) return shape.seqK;
  const lastRow = Math.min(shape.seqQ, (block + 1) * selector.queryBlock) - 1;
  return Math.min(shape.seqK, selector.queryOffset + lastRow + 1);
}

/** Throws INVALID_ARGUMENT unless `value` is an integer ≥ `min`. */
export function assertInteger(value: number, name: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${String(value)}.`);
  }
}
