import { isChunkwiseError } from '@chunkwise/core';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOptions } from '../attention-options.js';
import { attentionSinksMask } from '../masks/attention-sinks.js';
import { blockSparseMask } from '../masks/block-sparse.js';
import { intersectMasks, unionMasks } from '../masks/combine-masks.js';
import { lambdaShapedMask } from '../masks/lambda-shaped.js';
import { prefixMask } from '../masks/prefix.js';
import { slidingWindowMask } from '../masks/sliding-window.js';
import { referenceAttention64 } from '../reference-attention.js';
import { dhsaSelect } from '../selectors/dhsa.js';
import { maxRelativeError, randomInputs } from '../__fixtures__/attention-inputs.js';
import { expectClean } from '../__fixtures__/expect-clean.js';
import { checkPoisonCase, poisonCases } from '../__fixtures__/poisoned-inputs.js';
import { AttentionPool } from './attention-pool.js';
import { ATTENTION_WORKER_SOURCE } from './generated/attention-worker-source.js';

const pool = new AttentionPool({ threads: 2 });
afterAll(() => pool.close());

describe('AttentionPool', () => {
  it('splits prefill over heads and query tiles and matches the reference (causal, GQA)', async () => {
    const shape = { heads: 4, kvHeads: 2, seqQ: 300, seqK: 300, headDim: 20 };
    const { q, k, v } = randomInputs(shape, 41);
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true }));
    for (const backend of ['js', 'wasm'] as const) {
      const { output, lse } = await pool.attention(q, k, v, shape, { causal: true, backend, returnLse: true });
      expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
      expect(lse?.length).toBe(4 * 300);
    }
  });

  it('decodes few rows against long keys by split-K and an LSE merge', async () => {
    const shape = { heads: 2, kvHeads: 1, seqQ: 2, seqK: 5000, headDim: 16 };
    const { q, k, v } = randomInputs(shape, 42);
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true }));
    const { output, lse } = await pool.attention(q, k, v, shape, { causal: true, returnLse: true });
    expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
    for (let i = 0; i < 4; i++) expect(Math.abs((lse?.[i] as number) - (expected.lse[i] as number))).toBeLessThan(1e-4);
  });

  it('sends key selections to workers and refuses masks without a spec with UNSUPPORTED', async () => {
    const shape = { heads: 2, kvHeads: 1, seqQ: 128, seqK: 512, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 43);
    const selection = dhsaSelect(q, k, shape, { topTokens: 128, localTokens: 32 });
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true, mask: selection }));
    const { output } = await pool.attention(q, k, v, shape, { causal: true, mask: selection });
    expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
    const handWritten = { description: 'even keys', allows: (_h: number, _q: number, key: number) => key % 2 === 0, tile: () => 2 as const };
    await expect(pool.attention(q, k, v, shape, { mask: handWritten })).rejects.toSatisfy((e) => isChunkwiseError(e, 'UNSUPPORTED'));
    await expect(pool.attention(q.subarray(1), k, v, shape)).rejects.toSatisfy((e) => isChunkwiseError(e, 'INVALID_ARGUMENT'));
  });

  it('rebuilds structural masks from their specs in the workers', async () => {
    const shape = { heads: 2, kvHeads: 2, seqQ: 200, seqK: 200, headDim: 8 };
    const { q, k, v } = randomInputs(shape, 44);
    const layout = Uint8Array.from({ length: 16 }, (_, i) => (i % 5 === 0 || i % 3 === 1 ? 1 : 0));
    const masks = [
      slidingWindowMask({ window: 30 }),
      attentionSinksMask({ sinks: 4, window: 20 }),
      lambdaShapedMask({ global: 8, local: 40 }),
      blockSparseMask({ blockSize: 50, queryBlocks: 4, keyBlocks: 4, layout }),
      unionMasks(prefixMask(3), intersectMasks(slidingWindowMask({ window: 60 }), blockSparseMask({ blockSize: 50, queryBlocks: 4, keyBlocks: 4, layout }))),
    ];
    for (const mask of masks) {
      const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true, mask }));
      const { output } = await pool.attention(q, k, v, shape, { causal: true, mask });
      expect(maxRelativeError(output, expected.output), mask.description).toBeLessThanOrEqual(1e-4);
    }
  });

  it('keeps a NaN or ±Inf in a masked key out of every row it is hidden from (prefill and split-K decode)', async () => {
    // The hand-written mask has no spec and cannot cross to a worker.
    const cases = poisonCases().filter((testCase) => testCase.options.mask?.spec !== undefined || testCase.options.mask === undefined);
    for (const testCase of cases) {
      for (const kernel of ['flash', 'decode'] as const) {
        const run = (q: Float32Array, k: Float32Array, v: Float32Array, shape: typeof testCase.shape, options: typeof testCase.options) =>
          pool.attention(q, k, v, shape, { ...options, kernel, backend: 'wasm', splitK: 64 });
        expectClean(await checkPoisonCase(testCase, run, `pool ${kernel}`));
      }
    }
  });

  it('runs the committed worker bundle, which matches the current source (run `pnpm build` after editing)', async () => {
    // @ts-expect-error -- plain .mjs helper without types
    const { bundleWorker } = (await import('../../scripts/bundle-worker.mjs')) as { bundleWorker: () => Promise<string> };
    expect(await bundleWorker()).toBe(ATTENTION_WORKER_SOURCE);
  });
});
