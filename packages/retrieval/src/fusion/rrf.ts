import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, optionsObject, requireArray } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { checkHitLists, checkLimit } from './hit-lists.js';
import { sortHits } from './sort-hits.js';

export interface RRFOptions {
  /** The rank constant; default 60 as in the paper. */
  k?: number;
  /** One weight per list; default 1 each. */
  weights?: readonly number[];
  /** How many fused hits to return; default all. */
  limit?: number;
}

/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ_i w_i / (k + rank_i(d))
 * with ranks starting at 1 and k = 60. Only ranks matter, so lists on incomparable scales (BM25,
 * cosine) fuse without normalisation. Note other engines' conventions: LanceDB ranks from 0,
 * Qdrant's default k is 2.
 */
export function reciprocalRankFusion(lists: readonly (readonly ScoredId[])[], options: RRFOptions = {}): ScoredId[] {
  const { k = 60, weights, limit } = optionsObject(options, 'RRF options');
  checkHitLists(lists);
  checkLimit(limit);
  if (typeof k !== 'number' || !Number.isFinite(k) || k < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `The RRF constant k must be a finite number ≥ 0, got ${describeValue(k)}.`);
  checkWeights(weights, lists.length);
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    const weight = weights?.[i] ?? 1;
    const seen = new Set<string>();
    list.forEach((hit, position) => {
      // A list that repeats an id only counts its best rank.
      if (seen.has(hit.id)) return;
      seen.add(hit.id);
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight / (k + position + 1));
    });
  });
  return sortHits([...fused].map(([id, score]) => ({ id, score })), limit);
}

export function checkWeights(weights: readonly number[] | undefined, lists: number): void {
  if (weights === undefined) return;
  requireArray(weights, 'weights');
  if (weights.length !== lists) throw new ChunkwiseError('INVALID_ARGUMENT', `Got ${weights.length} weights for ${lists} lists; give one weight per list.`);
  for (const w of weights) if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `Weights must be finite and ≥ 0, got ${describeValue(w)}.`);
}
