import { checkInteger, checkOptions, MAX_POSITION } from '../argument-checks.js';
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
export function resolveSelector(q: Float32Array, k: Float32Array, shape: AttentionShape, input: SelectorOptions | undefined): ResolvedSelector {
  validateAttentionInputs(q, k, k, shape);
  const options = checkOptions(input, 'options');
  const queryBlock = options.queryBlock ?? 64;
  const queryOffset = options.queryOffset ?? Math.max(0, shape.seqK - shape.seqQ);
  checkInteger(queryBlock, 'queryBlock', 1);
  checkInteger(queryOffset, 'queryOffset', 0, MAX_POSITION - shape.seqQ);
  return { queryBlock, queryBlocks: Math.ceil(shape.seqQ / queryBlock), queryOffset, causal: options.causal ?? true };
}

/** Keys `[0, visibleEnd)` a block may see: up to its last query when causal, else all keys. */
export function visibleEnd(selector: ResolvedSelector, shape: AttentionShape, block: number): number {
  if (!selector.causal) return shape.seqK;
  const lastRow = Math.min(shape.seqQ, (block + 1) * selector.queryBlock) - 1;
  return Math.min(shape.seqK, selector.queryOffset + lastRow + 1);
}
