import { attentionSinksMask, causalMask, lambdaShapedMask, slidingWindowMask, type AttentionMask } from '@chunkwise/attention';
import { describe, expect, it } from 'vitest';
import { causalPairs, rasterizeMask } from './mask-raster.js';

/** The straightforward count: ask the mask about every pair. */
function bruteForceKept(mask: AttentionMask, n: number): number {
  let kept = 0;
  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) if (mask.allows(0, q, k)) kept++;
  return kept;
}

describe('rasterizeMask', () => {
  it('counts a causal mask as n(n+1)/2 pairs and draws a lower triangle', () => {
    const { grid, cells, kept } = rasterizeMask(causalMask(), 100, 10);
    expect(kept).toBe(causalPairs(100));
    expect(grid).toBe(10);
    expect(cells[0 * 10 + 9]).toBe(0); // top right: future keys
    expect(cells[9 * 10 + 0]).toBe(1); // bottom left: all past
    expect(cells[3 * 10 + 3]).toBeCloseTo(55 / 100); // a diagonal cell keeps its lower triangle
  });

  it.each([
    ['sliding window', slidingWindowMask({ window: 17 })],
    ['sinks + window', attentionSinksMask({ sinks: 4, window: 9 })],
    ['Λ-shaped', lambdaShapedMask({ global: 5, local: 12 })],
  ])('keeps exactly the pairs the %s mask allows, at any grid size', (_name, mask) => {
    const expected = bruteForceKept(mask, 97);
    for (const maxGrid of [1, 7, 32, 97, 500]) {
      const raster = rasterizeMask(mask, 97, maxGrid);
      expect(raster.kept).toBe(expected);
      expect(raster.grid).toBe(Math.min(97, maxGrid));
    }
  });

  it('draws one cell per pair when the grid is as large as n', () => {
    const mask = slidingWindowMask({ window: 3 });
    const { cells } = rasterizeMask(mask, 6, 6);
    for (let q = 0; q < 6; q++) for (let k = 0; k < 6; k++) expect(cells[q * 6 + k]).toBe(mask.allows(0, q, k) ? 1 : 0);
  });

  it('rejects a length that is not a positive integer', () => {
    expect(() => rasterizeMask(causalMask(), 0)).toThrow(RangeError);
  });
});
