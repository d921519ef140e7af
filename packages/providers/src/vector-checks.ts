import { ChunkwiseError } from '@chunkwise/core';
import { show } from './argument-checks.js';

/**
 * Turns another library's `number[][]` answer into Float32Arrays, checking what a Chunkwise
 * `Embedder` promises: one vector per text, every value finite, every vector `dimensions` long.
 * `dimensions` 0 means "not known yet": the first vector fixes it. Returns the dimensions in force.
 */
export function toFloat32Vectors(source: string, answer: unknown, expected: number, dimensions: number): { vectors: Float32Array[]; dimensions: number } {
  if (!Array.isArray(answer) || answer.length !== expected) {
    throw new ChunkwiseError('UPSTREAM', `${source} returned ${Array.isArray(answer) ? answer.length : typeof answer} embeddings for ${expected} texts.`, {
      details: { expected, actual: Array.isArray(answer) ? answer.length : undefined },
    });
  }
  let size = dimensions;
  const vectors = answer.map((vector: unknown, index) => {
    if (!Array.isArray(vector) && !ArrayBuffer.isView(vector)) throw new ChunkwiseError('UPSTREAM', `${source} returned a non-array embedding at ${index}.`, { details: { index } });
    const values = vector as ArrayLike<unknown>;
    if (size === 0) size = values.length;
    if (values.length !== size) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `${source} returned a ${values.length}-dimensional vector at ${index}, expected ${size}.`, { details: { expected: size, actual: values.length, index } });
    }
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ChunkwiseError('UPSTREAM', `${source} returned ${show(value)} at position ${i} of embedding ${index}; embeddings must be finite numbers.`, { details: { index, position: i } });
      }
      out[i] = value;
    }
    return out;
  });
  return { vectors, dimensions: size };
}

export function checkTextArray(texts: unknown, method = 'embed'): asserts texts is string[] {
  if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${method}(texts) needs an array of strings.`);
  }
}

export function checkDimensionsOption(dimensions: unknown): number {
  if (dimensions === undefined) return 0;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer ≥ 1, got ${show(dimensions)}.`);
  }
  return dimensions;
}
