import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import type { AttentionBackend, AttentionKernel, AttentionOptions } from './attention-options.js';
import type { AttentionShape } from './attention-shape.js';
import { lmInfiniteAttention } from './lm-infinite.js';
import { attentionSinksMask } from './masks/attention-sinks.js';
import { prefixMask } from './masks/prefix.js';
import { slidingWindowMask } from './masks/sliding-window.js';
import { mergeAttentionStates } from './merge-attention-states.js';
import { randomInputs, maxRelativeError } from './__fixtures__/attention-inputs.js';
import { expectClean } from './__fixtures__/expect-clean.js';
import { checkPoisonCase, poisonCases, poisonKey, POISONS, poisonName } from './__fixtures__/poisoned-inputs.js';

const kernels: [AttentionKernel, AttentionBackend][] = [
  ['reference', 'js'],
  ['flash', 'js'],
  ['flash', 'wasm'],
  ['decode', 'js'],
  ['decode', 'wasm'],
];

describe('a NaN or ±Inf in a masked key never reaches an output', () => {
  for (const testCase of poisonCases()) {
    it(`${testCase.name}: every kernel and backend`, async () => {
      for (const [kernel, backend] of kernels) {
        // splitK 37 gives the decode kernel splits that some rows see nothing of.
        const run = (q: Float32Array, k: Float32Array, v: Float32Array, shape: typeof testCase.shape, options: typeof testCase.options) =>
          attention(q, k, v, shape, { ...options, kernel, backend, splitK: 37 });
        expectClean(await checkPoisonCase(testCase, run, `${kernel}/${backend}`));
      }
    });
  }

  it('holds for random shapes, tile sizes, splits, masks and poisoned keys (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kvHeads: fc.integer({ min: 1, max: 2 }),
          ratio: fc.constantFrom(1, 2),
          seqQ: fc.integer({ min: 1, max: 70 }),
          extraKeys: fc.integer({ min: 0, max: 90 }),
          headDim: fc.integer({ min: 1, max: 20 }),
          blockQ: fc.constantFrom(4, 7, 64),
          blockK: fc.constantFrom(8, 13, 64),
          splitK: fc.constantFrom(5, 37, 1024),
          mask: fc.constantFrom('causal', 'window', 'sinks', 'prefix'),
          // Mostly 1–3 keys after some query row: the keys a group of four rows visits that the
          // earlier rows of the group must not see.
          row: fc.nat(),
          ahead: fc.integer({ min: 1, max: 3 }),
          anywhere: fc.boolean(),
          poison: fc.nat(POISONS.length - 1),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        async ({ kvHeads, ratio, seqQ, extraKeys, headDim, blockQ, blockK, splitK, mask, row, ahead, anywhere, poison, seed }) => {
          const shape = { heads: kvHeads * ratio, kvHeads, seqQ, seqK: seqQ + extraKeys, headDim };
          const key = anywhere ? row % shape.seqK : Math.min(shape.seqK - 1, extraKeys + (row % seqQ) + ahead);
          const masks = { causal: undefined, window: slidingWindowMask({ window: 9 }), sinks: attentionSinksMask({ sinks: 2, window: 11 }), prefix: prefixMask(5) };
          const chosen = masks[mask];
          const testCase = { name: mask, shape, options: { causal: true, blockQ, blockK, ...(chosen ? { mask: chosen } : {}) }, keys: [key], seed };
          for (const [kernel, backend] of kernels.slice(1)) {
            const run = (q: Float32Array, k: Float32Array, v: Float32Array, s: AttentionShape, options: AttentionOptions) =>
              attention(q, k, v, s, { ...options, kernel, backend, splitK });
            const checks = await checkPoisonCase(testCase, run, `${kernel}/${backend}`, [POISONS[poison] as (typeof POISONS)[number]]);
            for (const check of checks) {
              expect(check.finite, check.name).toBe(true);
              expect(check.outputError, check.name).toBeLessThanOrEqual(1e-4);
              expect(check.lseError, check.name).toBeLessThanOrEqual(1e-4);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('row 8 of a causal call ignores NaN in v at key 9 (the reported case)', () => {
    const shape = { heads: 1, kvHeads: 1, seqQ: 16, seqK: 16, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 3);
    const poisoned = poisonKey(k, v, shape, 9, { tensor: 'v', value: Number.NaN });
    for (const [kernel, backend] of kernels) {
      const clean = attention(q, k, v, shape, { causal: true, kernel, backend }).output.subarray(0, 9 * 8);
      const dirty = attention(q, poisoned.k, poisoned.v, shape, { causal: true, kernel, backend }).output;
      expect(Array.from(dirty.subarray(0, 9 * 8)), `${kernel}/${backend}`).toEqual(Array.from(clean));
      // Row 9 sees key 9: its NaN is the honest answer there.
      expect(Number.isNaN(dirty[9 * 8])).toBe(true);
    }
  });
});

describe('merging attention states', () => {
  it('ignores a part that saw no key (LSE −∞) whatever its output holds', () => {
    const rows = 3;
    const d = 4;
    const a = { output: Float32Array.from({ length: rows * d }, (_, i) => i / 10), lse: Float32Array.from([0.5, -1, 2]) };
    const b = { output: Float32Array.from({ length: rows * d }, (_, i) => 1 - i / 20), lse: Float32Array.from([1, 0.25, -3]) };
    const expected = mergeAttentionStates([a, b], d);
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const empty = { output: new Float32Array(rows * d).fill(value), lse: new Float32Array(rows).fill(Number.NEGATIVE_INFINITY) };
      for (const parts of [[empty, a, b], [a, empty, b], [a, b, empty]]) {
        const merged = mergeAttentionStates(parts, d);
        expect(Array.from(merged.output)).toEqual(Array.from(expected.output));
        expect(Array.from(merged.lse)).toEqual(Array.from(expected.lse));
      }
    }
  });
});

describe('LM-Infinite', () => {
  it('keys outside the Λ never reach the rows that cannot see them', () => {
    const shape = { heads: 2, kvHeads: 1, seqQ: 120, seqK: 120, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 17);
    const options = { global: 4, local: 20, distanceLimit: 20 };
    const clean = lmInfiniteAttention(q, k, v, shape, options);
    // Key 40 is in the local branch of rows 40…59 only.
    const hidden = [...Array.from({ length: 40 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => 60 + i)];
    for (const poison of POISONS) {
      const poisoned = poisonKey(k, v, shape, 40, poison);
      const output = lmInfiniteAttention(q, poisoned.k, poisoned.v, shape, options);
      for (let h = 0; h < 2; h++) {
        for (const row of hidden) {
          const at = (h * 120 + row) * 8;
          const got = output.subarray(at, at + 8);
          expect(got.every(Number.isFinite), `${poisonName(poison)}, head ${h}, row ${row}`).toBe(true);
          expect(maxRelativeError(got, clean.subarray(at, at + 8))).toBeLessThanOrEqual(1e-5);
        }
      }
    }
  });
});
