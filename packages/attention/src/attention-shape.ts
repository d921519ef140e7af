import { ChunkwiseError } from '@chunkwise/core';

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
  for (const name of ['heads', 'kvHeads', 'seqQ', 'seqK', 'headDim'] as const) {
    const value = shape[name] as unknown;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `shape.${name} must be an integer ≥ 1, got ${String(value)}.`, {
        details: { shape },
      });
    }
  }
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
    throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a Float32Array.`);
  }
  if (array.length !== expected) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `${name} has ${array.length} elements; ${formula} = ${expected}.`,
      { details: { name, length: array.length, expected } },
    );
  }
}
