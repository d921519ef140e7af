import { seededRandom } from '@chunkwise/core';
import type { AttentionShape } from '../attention-shape.js';

export function randomArray(length: number, random: () => number, amplitude = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (random() * 2 - 1) * amplitude;
  return out;
}

export function randomInputs(shape: AttentionShape, seed = 1, amplitude = 1) {
  const random = seededRandom(seed);
  return {
    q: randomArray(shape.heads * shape.seqQ * shape.headDim, random, amplitude),
    k: randomArray(shape.kvHeads * shape.seqK * shape.headDim, random, amplitude),
    v: randomArray(shape.kvHeads * shape.seqK * shape.headDim, random),
  };
}

/** max |a − b| / max |b|: error relative to the output's scale (0 when both are all zeros). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  if (Number.isNaN(worst)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? worst : worst / scale;
}
