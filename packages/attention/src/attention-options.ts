import { ChunkwiseError } from '@chunkwise/core';
import { checkChoice, checkInteger, checkMask, checkNumber, checkOptions, MAX_POSITION } from './argument-checks.js';
import { validateAttentionInputs, type AttentionShape } from './attention-shape.js';
import type { AttentionMask } from './masks/attention-mask.js';
import { causalMask } from './masks/causal.js';
import { intersectMasks } from './masks/combine-masks.js';

export type AttentionKernel = 'auto' | 'reference' | 'flash' | 'decode';
export type AttentionBackend = 'auto' | 'js' | 'wasm' | 'webgpu';

export interface AttentionOptions {
  /** Key `j` is visible to query row `i` only when `j ≤ queryOffset + i`. */
  causal?: boolean;
  /** Multiplies every logit; default `1 / √headDim`. */
  scale?: number;
  /**
   * Position of the first query row. Default `seqK − seqQ` (at least 0): the queries are the last
   * rows of the sequence, as in decoding and FlashAttention ≥ 2.1.
   */
  queryOffset?: number;
  /** Extra mask over absolute positions, combined with `causal` by intersection. */
  mask?: AttentionMask;
  /** `'auto'`: `flash` on one thread (`AttentionPool` picks `decode` for few query rows). */
  kernel?: AttentionKernel;
  /**
   * `'auto'`: WebAssembly SIMD where it loads, else plain JS (`attentionAsync` also tries WebGPU
   * first). `'webgpu'` is asynchronous: only `attentionAsync` and `WebGpuAttention` run it.
   * `reference` always runs in JS.
   */
  backend?: AttentionBackend;
  /** Also return the natural-log sum of exponentials of each row's scaled, masked logits. */
  returnLse?: boolean;
  /** Query rows per tile (default 64). */
  blockQ?: number;
  /** Keys per tile (default 64). */
  blockK?: number;
  /** Keys per split for the decode kernel (default 1024). */
  splitK?: number;
}

export interface AttentionResult {
  /** `[heads][seqQ][headDim]`; rows with no visible key are zeros. */
  output: Float32Array;
  /** `[heads][seqQ]` when `returnLse` was set; `-Infinity` for rows with no visible key. */
  lse?: Float32Array;
}

/** Options after defaults, shared by every kernel. */
export interface ResolvedOptions {
  scale: number;
  queryOffset: number;
  causal: boolean;
  /** The user mask, or undefined; `causal` is kept apart so kernels can special-case it. */
  mask: AttentionMask | undefined;
  /** `causal` ∩ `mask`, or undefined when nothing is masked. */
  combinedMask: AttentionMask | undefined;
  returnLse: boolean;
  blockQ: number;
  blockK: number;
  splitK: number;
}

/** Scores one tile may hold (blockQ × blockK, after clamping to the sequence lengths). */
export const MAX_TILE_SCORES = 2 ** 22;
/** |scale| beyond this overflows float32 logits for ordinary inputs; no model uses it. */
const MAX_SCALE = 1e6;

export function resolveOptions(shape: AttentionShape, input: AttentionOptions | undefined): ResolvedOptions {
  const options = checkOptions(input, 'options');
  const scale = options.scale ?? 1 / Math.sqrt(shape.headDim);
  checkNumber(scale, 'scale', -MAX_SCALE, MAX_SCALE);
  const queryOffset = options.queryOffset ?? Math.max(0, shape.seqK - shape.seqQ);
  checkInteger(queryOffset, 'queryOffset', 0, MAX_POSITION - shape.seqQ);
  const blockQ = options.blockQ ?? 64;
  const blockK = options.blockK ?? 64;
  const splitK = options.splitK ?? 1024;
  checkInteger(blockQ, 'blockQ', 1);
  checkInteger(blockK, 'blockK', 1);
  checkInteger(splitK, 'splitK', 1);
  // A tile never needs more rows or keys than the call has, so larger blocks are the same tiling.
  const rowsPerTile = Math.min(blockQ, shape.seqQ);
  const keysPerTile = Math.min(blockK, shape.seqK);
  if (rowsPerTile * keysPerTile > MAX_TILE_SCORES) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `Tiles of ${rowsPerTile} × ${keysPerTile} scores exceed ${MAX_TILE_SCORES}; use smaller blockQ or blockK (default 64).`);
  }
  const causal = options.causal === true;
  const mask = options.mask;
  if (mask !== undefined) checkMask(mask, 'options.mask');
  let combinedMask: AttentionMask | undefined;
  if (causal && mask) combinedMask = intersectMasks(causalMask(), mask);
  else if (causal) combinedMask = causalMask();
  else combinedMask = mask;
  return { scale, queryOffset, causal, mask, combinedMask, returnLse: options.returnLse === true, blockQ: rowsPerTile, blockK: keysPerTile, splitK };
}

const KERNELS: readonly AttentionKernel[] = ['auto', 'reference', 'flash', 'decode'];
const BACKENDS: readonly AttentionBackend[] = ['auto', 'js', 'wasm', 'webgpu'];

/**
 * The checks every entry point (`attention`, `AttentionPool`, `WebGpuAttention`) makes before
 * running a kernel: buffer sizes against the shape, option values, and the kernel's name.
 */
export function prepareAttentionCall(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
  options: AttentionOptions | undefined,
): { resolved: ResolvedOptions; kernel: AttentionKernel } {
  validateAttentionInputs(q, k, v, shape);
  const checked = checkOptions(options, 'options');
  const kernel = checked.kernel ?? 'auto';
  checkChoice(kernel, 'options.kernel', KERNELS);
  if (checked.backend !== undefined) checkChoice(checked.backend, 'options.backend', BACKENDS);
  return { resolved: resolveOptions(shape, checked), kernel };
}
