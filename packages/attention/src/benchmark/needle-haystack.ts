import { seededRandom } from '@chunkwise/core';
import { randomArray } from './attention-inputs.js';

/**
 * A haystack of random keys with one "needle" key pointing along the queries' shared direction,
 * at a random position in the fixed context: the synthetic needle-in-a-haystack test.
 */
export function needleInputs(seqK: number, seqQ: number, headDim: number, seed: number) {
  const random = seededRandom(seed);
  const shape = { heads: 1, kvHeads: 1, seqQ, seqK, headDim };
  const k = randomArray(seqK * headDim, random);
  const v = randomArray(seqK * headDim, random);
  const direction = randomArray(headDim, random);
  const norm = Math.hypot(...direction);
  const q = new Float32Array(seqQ * headDim);
  for (let i = 0; i < seqQ; i++) {
    for (let c = 0; c < headDim; c++) q[i * headDim + c] = (4 * (direction[c] as number)) / norm + (random() - 0.5) * 0.2;
  }
  const needle = 256 + Math.floor(random() * (seqK - 2048));
  for (let c = 0; c < headDim; c++) k[needle * headDim + c] = (32 * (direction[c] as number)) / norm;
  return { shape, q, k, v, needle };
}
