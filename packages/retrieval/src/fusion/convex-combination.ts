import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, optionsObject } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { checkHitLists, checkLimit } from './hit-lists.js';
import { checkWeights } from './rrf.js';
import { sortHits } from './sort-hits.js';

export interface ConvexCombinationOptions {
  /** One weight per list; default equal weights summing to 1. */
  weights?: readonly number[];
  /** 'min-max' (default) maps each list to [0, 1]; 'max' divides by the list's maximum. */
  normalization?: 'min-max' | 'max';
  limit?: number;
}

/**
 * Normalised convex combination (Bruch, Gai & Ingber, "An Analysis of Fusion Functions for Hybrid
 * Retrieval", TOIS 2023): each list's scores are normalised, then summed with weights; a document
 * missing from a list gets 0 there. Unlike RRF it keeps score gaps, which helps when one retriever
 * is confident.
 */
export function convexCombination(lists: readonly (readonly ScoredId[])[], options: ConvexCombinationOptions = {}): ScoredId[] {
  const { normalization = 'min-max', limit, weights: given } = optionsObject(options, 'convexCombination options');
  checkHitLists(lists);
  checkLimit(limit);
  if (normalization !== 'min-max' && normalization !== 'max') throw new ChunkwiseError('INVALID_ARGUMENT', `normalization must be 'min-max' or 'max', got ${describeValue(normalization)}.`);
  checkWeights(given, lists.length);
  const weights = given ?? lists.map(() => 1 / lists.length);
  const fused = new Map<string, number>();
  lists.forEach((list, i) => {
    if (list.length === 0) return;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const hit of list) {
      min = Math.min(min, hit.score);
      max = Math.max(max, hit.score);
    }
    const normalise =
      normalization === 'max'
        ? (s: number) => (max === 0 ? 0 : s / max)
        : (s: number) => (max === min ? 1 : (s - min) / (max - min)); // a single-valued list is all "best"
    const weight = weights[i] as number;
    const seen = new Set<string>();
    for (const hit of list) {
      if (seen.has(hit.id)) continue;
      seen.add(hit.id);
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + weight * normalise(hit.score));
    }
  });
  return sortHits([...fused].map(([id, score]) => ({ id, score })), limit);
}
