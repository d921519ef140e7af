import { seededRandom } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TileCoverage, type AttentionMask } from './attention-mask.js';
import { attentionSinksMask } from './attention-sinks.js';
import { blockSparseMask } from './block-sparse.js';
import { causalMask } from './causal.js';
import { intersectMasks, unionMasks } from './combine-masks.js';
import { lambdaShapedMask } from './lambda-shaped.js';
import { prefixMask } from './prefix.js';
import { slidingWindowMask } from './sliding-window.js';

const random = seededRandom(5);
const layout = Uint8Array.from({ length: 2 * 6 * 6 }, () => (random() < 0.4 ? 1 : 0));

const masks: AttentionMask[] = [
  causalMask(),
  slidingWindowMask({ window: 7 }),
  prefixMask(5),
  attentionSinksMask({ sinks: 4, window: 9 }),
  lambdaShapedMask({ global: 3, local: 11 }),
  blockSparseMask({ blockSize: 8, queryBlocks: 6, keyBlocks: 6, layout, heads: 2 }),
  intersectMasks(causalMask(), slidingWindowMask({ window: 20 })),
  unionMasks(prefixMask(2), slidingWindowMask({ window: 3 })),
];

describe('tile coverage agrees with allows()', () => {
  for (const mask of masks) {
    it(`${mask.description}: Empty means none visible, Full means all visible`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 1 }),
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 1, max: 12 }),
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 1, max: 12 }),
          (head, q0, qn, k0, kn) => {
            let visible = 0;
            for (let q = q0; q < q0 + qn; q++) for (let k = k0; k < k0 + kn; k++) if (mask.allows(head, q, k)) visible++;
            const coverage = mask.tile(head, q0, q0 + qn, k0, k0 + kn);
            if (coverage === TileCoverage.Empty) expect(visible).toBe(0);
            if (coverage === TileCoverage.Full) expect(visible).toBe(qn * kn);
          },
        ),
        { numRuns: 300 },
      );
    });
  }

  it('is exact, not merely safe, for the structured masks on aligned tiles', () => {
    const window = slidingWindowMask({ window: 16 });
    expect(window.tile(0, 64, 80, 0, 16)).toBe(TileCoverage.Empty);
    expect(window.tile(0, 64, 80, 64, 80)).toBe(TileCoverage.Partial);
    expect(causalMask().tile(0, 64, 80, 0, 64)).toBe(TileCoverage.Full);
    expect(attentionSinksMask({ sinks: 4, window: 16 }).tile(0, 64, 80, 16, 32)).toBe(TileCoverage.Empty);
    expect(attentionSinksMask({ sinks: 4, window: 16 }).tile(0, 64, 80, 0, 4)).toBe(TileCoverage.Full);
  });
});

describe('mask semantics', () => {
  it('StreamingLLM keeps the sinks and the recent window only', () => {
    const mask = attentionSinksMask({ sinks: 4, window: 3 });
    const seen = Array.from({ length: 12 }, (_, key) => key).filter((key) => mask.allows(0, 10, key));
    expect(seen).toEqual([0, 1, 2, 3, 8, 9, 10]);
  });

  it('the Λ mask keeps global tokens and the local branch, never the future', () => {
    const mask = lambdaShapedMask({ global: 2, local: 4 });
    const seen = Array.from({ length: 20 }, (_, key) => key).filter((key) => mask.allows(0, 12, key));
    expect(seen).toEqual([0, 1, 9, 10, 11, 12]);
  });

  it('block-sparse layouts are per head when heads are given', () => {
    const mask = blockSparseMask({ blockSize: 2, queryBlocks: 1, keyBlocks: 2, layout: Uint8Array.from([1, 0, 0, 1]), heads: 2 });
    expect(mask.allows(0, 1, 0)).toBe(true);
    expect(mask.allows(0, 1, 2)).toBe(false);
    expect(mask.allows(1, 1, 0)).toBe(false);
    expect(mask.allows(1, 1, 3)).toBe(true);
    expect(() => blockSparseMask({ blockSize: 2, queryBlocks: 2, keyBlocks: 2, layout: new Uint8Array(3) })).toThrow(/layout/);
    expect(() => slidingWindowMask({ window: 0 })).toThrow(/window/);
  });
});

describe('mask specs', () => {
  it('rebuild every built-in mask with the same visibility (what crosses to worker threads)', async () => {
    const { maskFromSpec } = await import('./mask-from-spec.js');
    for (const mask of masks) {
      expect(mask.spec, mask.description).toBeDefined();
      const copy = maskFromSpec(structuredClone(mask.spec as NonNullable<typeof mask.spec>));
      for (let head = 0; head < 2; head++) {
        for (let q = 0; q < 48; q += 3) for (let k = 0; k < 48; k++) expect(copy.allows(head, q, k)).toBe(mask.allows(head, q, k));
      }
    }
  });

  it('leaves a mask without a spec when a part has none', () => {
    const handWritten: AttentionMask = { description: 'odd', allows: (_h, _q, k) => k % 2 === 1, tile: () => TileCoverage.Partial };
    expect(intersectMasks(causalMask(), handWritten).spec).toBeUndefined();
    expect(unionMasks(causalMask(), prefixMask(2)).spec).toEqual({ kind: 'union', masks: [{ kind: 'causal' }, { kind: 'prefix', length: 2 }] });
  });
});
