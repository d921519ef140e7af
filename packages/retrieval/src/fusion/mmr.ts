import { ChunkwiseError } from '@chunkwise/core';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { describeValue, optionsObject, requireArray, requireObject } from '../argument-checks.js';
import { prepareVector } from '../vector/metric.js';

export interface MMRCandidate {
  id: string;
  vector: ArrayLike<number>;
}

export interface MMROptions {
  /** How many to pick; default 10. */
  k?: number;
  /** 1 = pure relevance, 0 = pure diversity; default 0.5. */
  lambda?: number;
}

/**
 * Maximal Marginal Relevance (Carbonell & Goldstein, SIGIR 1998): greedily pick
 * argmax_{d∉S} λ·cos(d, q) − (1−λ)·max_{s∈S} cos(d, s), so near-duplicates of what is already
 * chosen lose to slightly less relevant but new passages. Returns hits in pick order, each with
 * its marginal score at the time it was picked; ties go to the smaller id.
 */
export function maximalMarginalRelevance(query: ArrayLike<number>, candidates: readonly MMRCandidate[], options: MMROptions = {}): ScoredId[] {
  const { k = 10, lambda = 0.5 } = optionsObject(options, 'MMR options');
  if (typeof lambda !== 'number' || !(lambda >= 0 && lambda <= 1)) throw new ChunkwiseError('INVALID_ARGUMENT', `lambda must be between 0 and 1, got ${describeValue(lambda)}.`);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `k must be a positive integer, got ${describeValue(k)}.`);
  for (const c of requireArray<MMRCandidate>(candidates, 'The MMR candidates')) {
    if (typeof requireObject(c, 'Each MMR candidate').id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'Each MMR candidate needs a string id.');
  }
  if (query === null || typeof query !== 'object' || typeof query.length !== 'number') throw new ChunkwiseError('INVALID_ARGUMENT', `The MMR query must be an array of numbers, got ${describeValue(query)}.`);
  const dimensions = query.length;
  const q = prepareVector(query, dimensions, 'cosine', 'The MMR query');
  const vectors = candidates.map((c) => prepareVector(c.vector, dimensions, 'cosine', `MMR candidate "${c.id}"`));
  const dot = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let i = 0; i < dimensions; i++) s += (a[i] as number) * (b[i] as number);
    return s;
  };
  const relevance = vectors.map((v) => dot(v, q));
  const maxSimilarity = new Float64Array(candidates.length).fill(Number.NEGATIVE_INFINITY);
  const picked = new Uint8Array(candidates.length);
  const out: ScoredId[] = [];
  while (out.length < Math.min(k, candidates.length)) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      if (picked[i]) continue;
      const redundancy = out.length === 0 ? 0 : (maxSimilarity[i] as number);
      const score = lambda * (relevance[i] as number) - (1 - lambda) * redundancy;
      if (score > bestScore || (score === bestScore && best >= 0 && (candidates[i] as MMRCandidate).id < (candidates[best] as MMRCandidate).id)) {
        best = i;
        bestScore = score;
      }
    }
    picked[best] = 1;
    out.push({ id: (candidates[best] as MMRCandidate).id, score: bestScore });
    const chosen = vectors[best] as Float32Array;
    for (let i = 0; i < candidates.length; i++) {
      if (!picked[i]) maxSimilarity[i] = Math.max(maxSimilarity[i] as number, dot(vectors[i] as Float32Array, chosen));
    }
  }
  return out;
}
