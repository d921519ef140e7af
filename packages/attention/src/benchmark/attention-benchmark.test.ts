import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../attention-options.js';
import { attentionSinksMask } from '../masks/attention-sinks.js';
import { slidingWindowMask } from '../masks/sliding-window.js';
import { dhsaSelect } from '../selectors/dhsa.js';
import { randomInputs } from '../__fixtures__/attention-inputs.js';
import { runAttentionBenchmark } from './attention-benchmark.js';
import { visiblePairs } from './visible-pairs.js';

function bruteForce(shape: { heads: number; seqQ: number; seqK: number }, options: ReturnType<typeof resolveOptions>): number {
  let pairs = 0;
  for (let h = 0; h < shape.heads; h++) {
    for (let i = 0; i < shape.seqQ; i++) {
      for (let j = 0; j < shape.seqK; j++) if (!options.combinedMask || options.combinedMask.allows(h, options.queryOffset + i, j)) pairs++;
    }
  }
  return pairs;
}

describe('visiblePairs', () => {
  const shape = { heads: 2, kvHeads: 1, seqQ: 150, seqK: 400, headDim: 4 };
  const { q, k } = randomInputs(shape, 5);

  it('counts exactly the pairs the mask lets through', () => {
    for (const options of [
      {},
      { causal: true },
      { causal: true, queryOffset: 10 },
      { causal: true, mask: slidingWindowMask({ window: 70 }) },
      { causal: true, mask: attentionSinksMask({ sinks: 3, window: 50 }) },
      { causal: true, mask: dhsaSelect(q, k, shape, { topTokens: 90, localTokens: 20 }) },
    ]) {
      const resolved = resolveOptions(shape, options);
      expect(visiblePairs(shape, resolved)).toBe(bruteForce(shape, resolved));
    }
  });
});

describe('runAttentionBenchmark', () => {
  it('reports dense rows per backend and sparse rows with kept fractions and speed-ups', () => {
    let ticks = 0;
    const report = runAttentionBenchmark({ lengths: [32], heads: 1, headDim: 4, sparseKeys: 256, sparseQueries: 64, repeats: 1, clock: () => ++ticks });
    const dense = report.rows.filter((row) => row.seqK === 32);
    expect(dense.map((row) => row.backend).sort()).toEqual(['js', 'wasm']);
    const sparse = report.rows.filter((row) => row.seqK === 256);
    expect(sparse).toHaveLength(8);
    for (const row of sparse.slice(1)) {
      expect(row.keptFraction).toBeGreaterThan(0);
      expect(row.keptFraction).toBeLessThanOrEqual(1);
      expect(row.speedup).toBeGreaterThan(0);
    }
    // Dynamic selectors also report their selection (1 ms here) and the speed-up that includes it.
    const selected = sparse.filter((row) => row.selectMs !== undefined);
    expect(selected.map((row) => row.mask)).toEqual(['DHSA top 4096', 'Squeezed Attention 10%', 'LongHeads 16 × 256']);
    for (const row of selected) expect(row.speedupWithSelection).toBe(0.5);
    expect(selected.map((row) => row.offlineMs)).toEqual([undefined, 1, undefined]);
    // With a clock that ticks once per reading every timed call lasts exactly 1 ms.
    expect(report.rows.every((row) => row.ms === 1)).toBe(true);
    expect(report.simdPeakGflops).toBeGreaterThan(0);
  });
});
