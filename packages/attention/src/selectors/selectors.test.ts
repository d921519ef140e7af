import fc from 'fast-check';
import { isChunkwiseError } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { attention } from '../attention.js';
import { resolveOptions } from '../attention-options.js';
import { referenceAttention64 } from '../reference-attention.js';
import { maxRelativeError, randomInputs } from '../__fixtures__/attention-inputs.js';
import { dhsaSelect, keyBoundaries } from './dhsa.js';
import { kMeans } from './kmeans.js';
import { longHeadsSelect } from './longheads.js';
import { buildKeyClusters, squeezedAttentionSelect } from './squeezed-attention.js';

const shape = { heads: 4, kvHeads: 2, seqQ: 256, seqK: 1024, headDim: 8 };
const { q, k, v } = randomInputs(shape, 77);

describe('DHSA', () => {
  it('keeps exactly the local tokens plus the top-token budget per query block, causally', () => {
    const selection = dhsaSelect(q, k, shape, { topTokens: 200, localTokens: 32, queryBlock: 64 });
    for (let block = 0; block < 4; block++) {
      const kept = selection.keptKeys(0, block);
      const end = 768 + (block + 1) * 64;
      expect(kept.length).toBe(200);
      expect(kept.every((key) => key < end)).toBe(true);
      for (let key = end - 32; key < end; key++) expect(selection.isKept(0, block, key)).toBe(true);
    }
    expect(selection.keptFraction()).toBeCloseTo((4 * 200) / (832 + 896 + 960 + 1024), 10);
  });

  it('computes boundaries that rise from 0 to seqK with chunks no shorter than minChunk (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 16 }), (seqK, maxChunks, minChunk) => {
        const keys = randomInputs({ heads: 1, kvHeads: 1, seqQ: 1, seqK, headDim: 3 }, seqK).k;
        const bounds = keyBoundaries(keys, seqK, 3, maxChunks, minChunk);
        expect(bounds[0]).toBe(0);
        expect(bounds[bounds.length - 1]).toBe(seqK);
        expect(bounds.length - 1).toBeLessThanOrEqual(maxChunks);
        for (let i = 1; i < bounds.length; i++) {
          const length = (bounds[i] as number) - (bounds[i - 1] as number);
          expect(length).toBeGreaterThan(0);
          if (bounds.length > 2) expect(length).toBeGreaterThanOrEqual(minChunk);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rejects bad boundaries and budgets with INVALID_ARGUMENT', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'none';
      } catch (error) {
        return isChunkwiseError(error) ? error.code : 'other';
      }
    };
    expect(code(() => dhsaSelect(q, k, shape, { topTokens: 0 }))).toBe('INVALID_ARGUMENT');
    expect(code(() => dhsaSelect(q, k, shape, { topTokens: 10, boundaries: Int32Array.from([0, 5, 5, 1024]) }))).toBe('INVALID_ARGUMENT');
    expect(code(() => dhsaSelect(q.subarray(1), k, shape, { topTokens: 10 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('Squeezed Attention', () => {
  const clusters = buildKeyClusters(k, shape, { clusters: 16, fixedContext: 900 });

  it('always keeps the user tokens after the fixed context and respects the budget', () => {
    const selection = squeezedAttentionSelect(q, k, shape, clusters, { keepFraction: 0.2, queryBlock: 64 });
    for (let kvHead = 0; kvHead < 2; kvHead++) {
      for (let block = 0; block < 4; block++) {
        const end = 768 + (block + 1) * 64;
        for (let key = 900; key < end; key++) expect(selection.isKept(kvHead, block, key)).toBe(true);
        const fixedKept = selection.keptKeys(kvHead, block).filter((key) => key < 900).length;
        expect(fixedKept).toBeGreaterThan(0);
        expect(fixedKept).toBeLessThan(900 * 0.2 + 200);
      }
    }
  });

  it('keeps more with a lower threshold and sparse attention equals the restricted reference', () => {
    const loose = squeezedAttentionSelect(q, k, shape, clusters, { threshold: 0 });
    const tight = squeezedAttentionSelect(q, k, shape, clusters, { threshold: 2 / 900 });
    expect(loose.keptFraction()).toBeGreaterThan(tight.keptFraction());
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true, mask: tight }));
    for (const backend of ['js', 'wasm'] as const) {
      const { output } = attention(q, k, v, shape, { causal: true, mask: tight, backend });
      expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('k-means assigns every point to its nearest centroid and sizes add up', () => {
    const points = randomInputs({ heads: 1, kvHeads: 1, seqQ: 1, seqK: 500, headDim: 4 }, 4).k;
    const result = kMeans(points, 500, 4, 7, { iterations: 5 });
    expect(Array.from(result.sizes).reduce((a, b) => a + b, 0)).toBe(500);
    for (let i = 0; i < 500; i += 37) {
      const dist = (c: number) => {
        let s = 0;
        for (let x = 0; x < 4; x++) s += ((points[i * 4 + x] as number) - (result.centroids[c * 4 + x] as number)) ** 2;
        return s;
      };
      for (let c = 0; c < 7; c++) expect(dist(result.labels[i] as number)).toBeLessThanOrEqual(dist(c) + 1e-9);
    }
  });
});

describe('LongHeads', () => {
  it('lets each head choose its own chunks within the budget, always with the first and local chunks', () => {
    const selection = longHeadsSelect(q, k, shape, { chunkSize: 64, maxChunks: 5, queryBlock: 64 });
    const perHead = [0, 1, 2, 3].map((h) => Array.from(selection.keptKeys(h, 3)).join(','));
    expect(new Set(perHead).size).toBeGreaterThan(1);
    for (let h = 0; h < 4; h++) {
      const kept = selection.keptKeys(h, 3);
      expect(kept.length).toBe(5 * 64);
      expect(selection.isKept(h, 3, 0)).toBe(true);
      expect(selection.isKept(h, 3, 1023)).toBe(true);
      expect(selection.isKept(h, 3, 900)).toBe(true);
    }
    const expected = referenceAttention64(q, k, v, shape, resolveOptions(shape, { causal: true, mask: selection }));
    const { output } = attention(q, k, v, shape, { causal: true, mask: selection });
    expect(maxRelativeError(output, expected.output)).toBeLessThanOrEqual(1e-4);
  });
});
