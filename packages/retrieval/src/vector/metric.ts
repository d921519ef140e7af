import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from '../argument-checks.js';

/**
 * How vectors are compared. Scores are "higher is better" everywhere: cosine similarity, dot
 * product, and the negated Euclidean distance for 'l2'.
 */
export type Metric = 'cosine' | 'dot' | 'l2';

export function assertMetric(metric: unknown): asserts metric is Metric {
  if (metric !== 'cosine' && metric !== 'dot' && metric !== 'l2') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown metric ${describeValue(metric)}: use 'cosine', 'dot' or 'l2'.`);
  }
}

export function assertDimensions(dimensions: unknown): asserts dimensions is number {
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be a positive integer, got ${describeValue(dimensions)}.`);
  }
}

/**
 * Validates a vector (length, finite values, non-zero for cosine) and returns a Float32Array copy,
 * unit-normalised for cosine so that cosine similarity becomes a dot product.
 */
export function prepareVector(vector: ArrayLike<number>, dimensions: number, metric: Metric, what: string): Float32Array {
  if (vector === null || typeof vector !== 'object' || typeof vector.length !== 'number') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be an array or typed array of numbers.`);
  }
  if (vector.length !== dimensions) {
    throw new ChunkwiseError('DIMENSION_MISMATCH', `${what} has ${vector.length} dimensions; the index expects ${dimensions}.`, {
      details: { expected: dimensions, actual: vector.length },
    });
  }
  const out = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = vector[i] as number;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${what} has a non-finite value (${describeValue(value)}) at position ${i}.`);
    }
    out[i] = value;
    norm += value * value;
  }
  if (metric === 'cosine') {
    if (norm === 0) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} is all zeros, which has no cosine similarity to anything.`);
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) out[i] = (out[i] as number) * scale;
  }
  return out;
}

/** Dot product of a (at offset aOffset) and b (at offset bOffset) over n values. */
export function dotAt(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  // Four accumulators let the engine overlap the multiply-adds.
  for (; i + 3 < n; i += 4) {
    s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
    s1 += (a[aOffset + i + 1] as number) * (b[bOffset + i + 1] as number);
    s2 += (a[aOffset + i + 2] as number) * (b[bOffset + i + 2] as number);
    s3 += (a[aOffset + i + 3] as number) * (b[bOffset + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return s0 + s1 + s2 + s3;
}

/** Squared Euclidean distance between a (at aOffset) and b (at bOffset) over n values. */
export function squaredL2At(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const d0 = (a[aOffset + i] as number) - (b[bOffset + i] as number);
    const d1 = (a[aOffset + i + 1] as number) - (b[bOffset + i + 1] as number);
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  for (; i < n; i++) {
    const d = (a[aOffset + i] as number) - (b[bOffset + i] as number);
    s0 += d * d;
  }
  return s0 + s1;
}

/** The "higher is better" score of stored vector (at offset) against a prepared query. */
export function scoreAt(metric: Metric, data: Float32Array, offset: number, query: Float32Array, n: number): number {
  return metric === 'l2' ? -Math.sqrt(squaredL2At(data, offset, query, 0, n)) : dotAt(data, offset, query, 0, n);
}
