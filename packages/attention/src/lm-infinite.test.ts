import { describe, expect, it } from 'vitest';
import { lmInfiniteAttention } from './lm-infinite.js';
import { applyRope } from './rope.js';
import { maxRelativeError, randomInputs } from './__fixtures__/attention-inputs.js';

/** Float64 oracle written from the paper's definition: Λ mask, RoPE at min(distance, limit). */
function oracle(q: Float32Array, k: Float32Array, v: Float32Array, seq: number, d: number, global: number, local: number, limit: number) {
  const out = new Float64Array(seq * d);
  for (let i = 0; i < seq; i++) {
    const logits: [number, number][] = [];
    for (let j = 0; j <= i; j++) {
      const inLambda = j < global || i - j < local;
      if (!inLambda) continue;
      const distance = Math.min(i - j, limit);
      // RoPE score at relative distance `distance`: rotate q by distance, k by 0.
      const qr = applyRope(q.subarray(i * d, (i + 1) * d), { heads: 1, seq: 1, headDim: d }, [distance]);
      let dot = 0;
      for (let c = 0; c < d; c++) dot += (qr[c] as number) * (k[j * d + c] as number);
      logits.push([j, dot / Math.sqrt(d)]);
    }
    const max = Math.max(...logits.map(([, s]) => s));
    const total = logits.reduce((sum, [, s]) => sum + Math.exp(s - max), 0);
    for (const [j, s] of logits) for (let c = 0; c < d; c++) out[i * d + c] = (out[i * d + c] as number) + (Math.exp(s - max) / total) * (v[j * d + c] as number);
  }
  return out;
}

describe('LM-Infinite attention', () => {
  it('equals the Λ-masked attention with relative distances capped at the limit', () => {
    const shape = { heads: 1, kvHeads: 1, seqQ: 90, seqK: 90, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 31);
    const expected = oracle(q, k, v, 90, 8, 3, 20, 25);
    for (const backend of ['js', 'wasm'] as const) {
      const output = lmInfiniteAttention(q, k, v, shape, { global: 3, local: 20, distanceLimit: 25, queryOffset: 0, backend });
      expect(maxRelativeError(output, expected)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('rejects a zero local branch', () => {
    const shape = { heads: 1, kvHeads: 1, seqQ: 2, seqK: 2, headDim: 2 };
    const { q, k, v } = randomInputs(shape);
    expect(() => lmInfiniteAttention(q, k, v, shape, { local: 0 })).toThrow(/local/);
  });
});
