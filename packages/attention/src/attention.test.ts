import fc from 'fast-check';
import { isChunkwiseError } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import type { AttentionBackend, AttentionKernel } from './attention-options.js';
import { resolveOptions } from './attention-options.js';
import type { AttentionShape } from './attention-shape.js';
import { referenceAttention64 } from './reference-attention.js';
import { maxRelativeError, randomInputs } from './__fixtures__/attention-inputs.js';

const combos: [AttentionKernel, AttentionBackend][] = [
  ['reference', 'js'],
  ['flash', 'js'],
  ['flash', 'wasm'],
  ['decode', 'js'],
  ['decode', 'wasm'],
];

// The large shapes skip the plain-JS decode pass (same tile arithmetic as flash/js) to keep the run short.
const largeCombos = combos.filter(([kernel, backend]) => !(kernel === 'decode' && backend === 'js'));

function check(
  shape: AttentionShape,
  options: { causal?: boolean; queryOffset?: number; scale?: number; blockQ?: number; blockK?: number },
  seed = 1,
  amplitude = 1,
  kernels = combos,
) {
  const { q, k, v } = randomInputs(shape, seed, amplitude);
  const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, options));
  for (const [kernel, backend] of kernels) {
    const { output, lse } = attention(q, k, v, shape, { ...options, kernel, backend, returnLse: true, splitK: 97 });
    expect(maxRelativeError(output, expected.output), `${kernel}/${backend} output`).toBeLessThanOrEqual(1e-4);
    for (let i = 0; i < expected.lse.length; i++) {
      const want = expected.lse[i] as number;
      const got = (lse as Float32Array)[i] as number;
      if (want === Number.NEGATIVE_INFINITY) expect(got).toBe(Number.NEGATIVE_INFINITY);
      else expect(Math.abs(got - want), `${kernel}/${backend} lse`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want)));
    }
  }
}

describe('attention on odd shapes matches a float64 reference within 1e-4', () => {
  const sequences = [1, 3, 127];
  const dims = [1, 7, 64, 80, 128];
  for (const seq of sequences) {
    for (const headDim of dims) {
      it(`seq ${seq}, headDim ${headDim}, GQA 4, causal and not`, () => {
        const shape = { heads: 4, kvHeads: 1, seqQ: seq, seqK: seq, headDim };
        const kernels = seq > 100 ? largeCombos : combos;
        check(shape, {}, 1, 1, kernels);
        check(shape, { causal: true }, 1, 1, kernels);
      });
    }
  }

  it('seq 1000, GQA ratio 2, causal', () => {
    // GQA ratio 8 is covered at seq 33 × 70 below; here two heads keep the float64 oracle quick.
    check({ heads: 2, kvHeads: 1, seqQ: 1000, seqK: 1000, headDim: 8 }, { causal: true }, 2, 1, largeCombos);
  });

  it('seq 1000 × 1000 with headDim 7 and 64, no GQA', () => {
    check({ heads: 1, kvHeads: 1, seqQ: 1000, seqK: 1000, headDim: 7 }, {}, 3, 1, largeCombos);
    check({ heads: 1, kvHeads: 1, seqQ: 1000, seqK: 1000, headDim: 64 }, { causal: true }, 4, 1, largeCombos);
  });

  it('GQA ratios 1, 4 and 8 pick the right KV head', () => {
    check({ heads: 8, kvHeads: 8, seqQ: 33, seqK: 70, headDim: 16 }, { causal: true }, 5);
    check({ heads: 8, kvHeads: 2, seqQ: 33, seqK: 70, headDim: 16 }, { causal: true }, 6);
    check({ heads: 8, kvHeads: 1, seqQ: 33, seqK: 70, headDim: 16 }, { causal: true }, 7);
  });

  it('queryOffset > 0 places decoding queries after the cache', () => {
    check({ heads: 2, kvHeads: 1, seqQ: 3, seqK: 300, headDim: 64 }, { causal: true, queryOffset: 297 }, 8);
    check({ heads: 2, kvHeads: 1, seqQ: 5, seqK: 300, headDim: 64 }, { causal: true, queryOffset: 100 }, 9);
    check({ heads: 2, kvHeads: 2, seqQ: 127, seqK: 127, headDim: 80 }, { causal: true, queryOffset: 3, scale: 0.05 }, 10);
  });

  it('holds for random shapes (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          kvHeads: fc.integer({ min: 1, max: 2 }),
          ratio: fc.constantFrom(1, 2, 4),
          seqQ: fc.integer({ min: 1, max: 70 }),
          seqK: fc.integer({ min: 1, max: 150 }),
          headDim: fc.integer({ min: 1, max: 20 }),
          causal: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1e6 }),
          // Odd tile sizes put the causal diagonal at every offset inside a tile.
          blockQ: fc.constantFrom(5, 16, 64),
          blockK: fc.constantFrom(8, 13, 64),
        }),
        ({ kvHeads, ratio, seqQ, seqK, headDim, causal, seed, blockQ, blockK }) => {
          check({ heads: kvHeads * ratio, kvHeads, seqQ, seqK, headDim }, { causal, blockQ, blockK }, seed);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('numerical edge cases', () => {
  it('gives zeros, not NaN, for rows whose keys are all masked', () => {
    const shape = { heads: 1, kvHeads: 1, seqQ: 4, seqK: 8, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 11);
    for (const [kernel, backend] of combos) {
      // queryOffset 0 with causal and a mask that hides key 0: row 0 sees nothing.
      const hideFirst = { description: 'hide key 0', allows: (_h: number, _q: number, key: number) => key !== 0, tile: () => 2 as const };
      const { output, lse } = attention(q, k, v, shape, { causal: true, queryOffset: 0, mask: hideFirst, kernel, backend, returnLse: true });
      expect(Array.from(output.subarray(0, 8))).toEqual(new Array(8).fill(0));
      expect(lse?.[0]).toBe(Number.NEGATIVE_INFINITY);
      expect(output.every(Number.isFinite)).toBe(true);
    }
  });

  it('stays finite and accurate with logits of ±1e4', () => {
    const shape = { heads: 2, kvHeads: 1, seqQ: 40, seqK: 90, headDim: 4 };
    const { q, k, v } = randomInputs(shape, 12);
    // Scale so that logits reach ±1e4.
    const options = { scale: 2500 };
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, options));
    for (const [kernel, backend] of combos) {
      const { output } = attention(q, k, v, shape, { ...options, kernel, backend });
      expect(output.every(Number.isFinite)).toBe(true);
      expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
    }
  });
});

describe('reused WebAssembly instances', () => {
  it('carry nothing over: a call after one that filled wasm memory with NaN still matches the reference', () => {
    // The WebAssembly engine hands its instance to the next call. Leave every region (queries,
    // scores, key tiles, values, accumulators) full of NaN, then run smaller, odd shapes: any stale
    // value read would turn the output into NaN.
    const big = { heads: 2, kvHeads: 2, seqQ: 200, seqK: 300, headDim: 80 };
    const poison = new Float32Array(big.heads * big.seqK * big.headDim).fill(Number.NaN);
    const first = attention(poison, poison, poison, { ...big, seqQ: 300 }, { backend: 'wasm' });
    expect(Number.isNaN(first.output[0])).toBe(true);
    check({ heads: 2, kvHeads: 1, seqQ: 37, seqK: 45, headDim: 7 }, { causal: true, blockK: 13 }, 5, 1, [['flash', 'wasm']]);
    attention(poison, poison, poison, { ...big, seqQ: 300 }, { backend: 'wasm' });
    check({ heads: 1, kvHeads: 1, seqQ: 130, seqK: 130, headDim: 64 }, { causal: true }, 6, 1, [['flash', 'wasm']]);
  });
});

describe('input validation', () => {
  const shape = { heads: 2, kvHeads: 1, seqQ: 3, seqK: 4, headDim: 2 };
  const { q, k, v } = randomInputs(shape);
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return isChunkwiseError(error) ? error.code : 'other';
    }
    return 'none';
  };

  it('rejects wrong lengths, shapes and options with INVALID_ARGUMENT', () => {
    expect(code(() => attention(q.subarray(1), k, v, shape))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v.subarray(1), shape))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, { ...shape, kvHeads: 3 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, { ...shape, headDim: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, { ...shape, seqQ: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, shape, { queryOffset: -1 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, shape, { scale: Number.NaN }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, shape, { blockQ: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, shape, { kernel: 'nope' as AttentionKernel }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(q, k, v, shape, { backend: 'gpu' as AttentionBackend }))).toBe('INVALID_ARGUMENT');
    expect(code(() => attention(Array.from(q) as unknown as Float32Array, k, v, shape))).toBe('INVALID_ARGUMENT');
  });

  it('defaults queryOffset to seqK − seqQ so causal decoding sees the whole cache', () => {
    const decodeShape = { heads: 1, kvHeads: 1, seqQ: 1, seqK: 5, headDim: 2 };
    const inputs = randomInputs(decodeShape, 3);
    const causal = attention(inputs.q, inputs.k, inputs.v, decodeShape, { causal: true }).output;
    const full = attention(inputs.q, inputs.k, inputs.v, decodeShape).output;
    expect(maxRelativeError(causal, full)).toBeLessThan(1e-6);
  });
});
