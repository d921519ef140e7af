import { ChunkwiseError } from '@chunkwise/core';
import { checkFloat32Array, checkInteger, checkObject } from './argument-checks.js';

/** A partial attention result over a subset of keys: normalised rows plus their log-sum-exp. */
export interface AttentionState {
  /** `[rows][headDim]`, normalised over the part's own keys. */
  output: Float32Array;
  /** `[rows]`, natural log; −∞ where the part saw no key. */
  lse: Float32Array;
}

/**
 * Combines attention over disjoint key sets into attention over their union, exactly:
 * O = Σₛ e^(lseₛ − L)·Oₛ with L = log Σₛ e^(lseₛ). This is the reduction of Flash-Decoding
 * (split-K) and of ring/blockwise attention; rows no part could see stay zero with LSE −∞.
 */
export function mergeAttentionStates(parts: readonly AttentionState[], headDim: number): Required<AttentionState> {
  if (!Array.isArray(parts) || parts.length === 0) throw new ChunkwiseError('INVALID_ARGUMENT', 'mergeAttentionStates needs an array of at least one { output, lse } part.');
  checkInteger(headDim, 'headDim', 1);
  parts.forEach((part: unknown, i) => {
    checkObject(part, `parts[${i}]`);
    checkFloat32Array(part.output, `parts[${i}].output`);
    checkFloat32Array(part.lse, `parts[${i}].lse`);
  });
  const first = parts[0] as AttentionState;
  const rows = first.lse.length;
  for (const part of parts) {
    if (part.lse.length !== rows || part.output.length !== rows * headDim) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `Every part needs ${rows} rows of ${headDim} values and ${rows} LSE entries.`);
    }
  }
  const output = new Float32Array(rows * headDim);
  const lse = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (const part of parts) max = Math.max(max, part.lse[r] as number);
    if (max === Number.NEGATIVE_INFINITY) {
      lse[r] = Number.NEGATIVE_INFINITY;
      continue;
    }
    let total = 0;
    for (const part of parts) total += Math.exp((part.lse[r] as number) - max);
    const merged = max + Math.log(total);
    lse[r] = merged;
    for (const part of parts) {
      const weight = Math.exp((part.lse[r] as number) - merged);
      if (weight === 0) continue;
      const base = r * headDim;
      for (let c = 0; c < headDim; c++) output[base + c] = (output[base + c] as number) + weight * (part.output[base + c] as number);
    }
  }
  return { output, lse };
}
