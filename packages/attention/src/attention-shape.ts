import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, checkObject, describeValue } from './argument-checks.js';

/** Largest head size the kernels take (tile scratch grows with it). */
export const MAX_HEAD_DIM = 65_536;

/**
 * Sizes of one attention call. Tensors are row-major `Float32Array`s laid out
 * `[heads][seqQ][headDim]` for queries and outputs and `[kvHeads][seqK][headDim]` for keys and
 * values; `kvHeads < heads` is grouped-query attention (query head `h` reads KV head
 * `floor(h / (heads / kvHeads))`), `kvHeads = 1` multi-query attention.
 */
export interface AttentionShape {
  heads: number;
  kvHeads: number;
  seqQ: number;
  seqK: number;
  headDim: number;
}

/** Checks sizes and buffer lengths and throws INVALID_ARGUMENT naming what to change. */
export function validateAttentionInputs(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  shape: AttentionShape,
): void {
  checkObject(shape, 'shape');
  for (const name of ['heads', 'kvHeads', 'seqQ', 'seqK', 'headDim'] as const) checkInteger(shape[name], `shape.${name}`, 1, name === 'headDim' ? MAX_HEAD_DIM : undefined);
  const { heads, kvHeads, seqQ, seqK, headDim } = shape;
  if (heads % kvHeads !== 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `shape.heads (${heads}) must be a multiple of shape.kvHeads (${kvHeads}).`, {
      details: { shape },
    });
  }
  expectLength('q', q, heads * seqQ * headDim, 'heads × seqQ × headDim');
  expectLength('k', k, kvHeads * seqK * headDim, 'kvHeads × seqK × headDim');
  expectLength('v', v, kvHeads * seqK * headDim, 'kvHeads × seqK × headDim');
}

function expectLength(name: string, array: unknown, expected: number, formula: string): void {
  if (!(array instanceof Float32Array)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a Float32Array, got ${describeValue(array)}.`);
  }
  if (array.length !== expected) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `${name} has ${array.length} elements; ${formula} = ${expected}.`,
      { details: { name, length: array.length, expected } },
    );
  }
}
