import { ChunkwiseError } from '@chunkwise/core';
import { checkInteger, checkMask, checkObject } from '../argument-checks.js';
import type { AttentionShape } from '../attention-shape.js';
import type { ResolvedOptions } from '../attention-options.js';
import { TileCoverage } from '../masks/attention-mask.js';
import { KeySelection } from '../masks/key-selection.js';

/**
 * (query, key) pairs a call really computes, summed over heads: the useful work behind
 * GFLOP/s = 4·headDim·pairs / time (2 FLOPs per multiply-add, once for Q·Kᵀ and once for P·V).
 * Counted per row with the mask's own tile coverage, so it stays cheap at 32k keys.
 */
export function visiblePairs(shape: AttentionShape, options: Pick<ResolvedOptions, 'queryOffset' | 'causal' | 'mask' | 'combinedMask'>): number {
  checkObject(shape, 'shape');
  checkObject(options, 'options');
  const { heads, seqQ, seqK } = shape;
  const { queryOffset, causal, mask, combinedMask } = options;
  for (const [name, value] of [['shape.heads', heads], ['shape.seqQ', seqQ], ['shape.seqK', seqK]] as const) checkInteger(value, name, 1);
  checkInteger(queryOffset, 'options.queryOffset', 0);
  if (mask !== undefined) checkMask(mask, 'options.mask');
  if (combinedMask !== undefined) checkMask(combinedMask, 'options.combinedMask');
  // Counting walks every row (and, for masks, every 64-key tile of it).
  const steps = (mask ? heads : 1) * seqQ * (mask ? Math.ceil(seqK / 64) : 1);
  if (steps > MAX_STEPS) throw new ChunkwiseError('LIMIT_EXCEEDED', `Counting visible pairs for this shape takes ${steps} steps, more than ${MAX_STEPS}.`);
  if (!combinedMask) return heads * seqQ * seqK;
  if (!mask) {
    let pairs = 0;
    for (let i = 0; i < seqQ; i++) pairs += Math.max(0, Math.min(seqK, queryOffset + i + 1));
    return heads * pairs;
  }
  let total = 0;
  const perHead = mask instanceof KeySelection && mask.headsPerGroup === heads ? 1 : heads;
  for (let h = 0; h < perHead; h++) {
    for (let i = 0; i < seqQ; i++) {
      const position = queryOffset + i;
      const end = causal ? Math.min(seqK, position + 1) : seqK;
      if (mask instanceof KeySelection) {
        const keys = mask.keysFor(h, position, position + 1);
        total += upperBound(keys, end);
        continue;
      }
      for (let k0 = 0; k0 < end; k0 += 64) {
        const k1 = Math.min(end, k0 + 64);
        const coverage = mask.tile(h, position, position + 1, k0, k1);
        if (coverage === TileCoverage.Full) total += k1 - k0;
        else if (coverage === TileCoverage.Partial) for (let key = k0; key < k1; key++) if (mask.allows(h, position, key)) total++;
      }
    }
  }
  return perHead === 1 ? total * heads : total;
}

const MAX_STEPS = 2 ** 28;

/** Number of sorted entries below `limit`. */
function upperBound(sorted: Int32Array, limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
