import { TileCoverage, type AttentionMask } from '@chunkwise/attention';

/** A mask drawn as a grid of cells: each cell is the fraction of its (query, key) pairs kept. */
export interface MaskRaster {
  grid: number;
  /** Row-major `grid × grid`, queries top to bottom, keys left to right, values in [0, 1]. */
  cells: Float32Array;
  /** Exact number of (query, key) pairs the mask keeps over the whole `n × n` square. */
  kept: number;
}

/**
 * Rasterises head 0 of a mask over `n` positions (queries and keys alike, no query offset) into
 * at most `maxGrid` cells a side. It asks the mask's own tile description first, as the kernels
 * do, and counts `allows` only inside tiles the mask calls partial, so `kept` is exact.
 */
export function rasterizeMask(mask: AttentionMask, n: number, maxGrid = 256): MaskRaster {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${String(n)}.`);
  const grid = Math.min(n, maxGrid);
  const edge = (i: number): number => Math.round((i * n) / grid);
  const cells = new Float32Array(grid * grid);
  let kept = 0;
  for (let row = 0; row < grid; row++) {
    const q0 = edge(row);
    const q1 = edge(row + 1);
    for (let col = 0; col < grid; col++) {
      const k0 = edge(col);
      const k1 = edge(col + 1);
      const size = (q1 - q0) * (k1 - k0);
      const coverage = mask.tile(0, q0, q1, k0, k1);
      let inside = 0;
      if (coverage === TileCoverage.Full) inside = size;
      else if (coverage === TileCoverage.Partial) {
        for (let q = q0; q < q1; q++) for (let k = k0; k < k1; k++) if (mask.allows(0, q, k)) inside++;
      }
      cells[row * grid + col] = inside / size;
      kept += inside;
    }
  }
  return { grid, cells, kept };
}

/** (query, key) pairs a dense causal pass over `n` positions computes: the denominator papers use. */
export const causalPairs = (n: number): number => (n * (n + 1)) / 2;
