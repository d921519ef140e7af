import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, requireArray } from '../argument-checks.js';
import type { ScoredId } from '../bm25/top-k-heap.js';

/** Checks what a fusion function is given: an array of hit lists, each hit `{ id: string, score: number }`. */
export function checkHitLists(lists: unknown): readonly (readonly ScoredId[])[] {
  for (const list of requireArray<unknown>(lists, 'The lists to fuse')) {
    for (const hit of requireArray<ScoredId>(list, 'Each list to fuse')) {
      if (hit === null || typeof hit !== 'object' || typeof hit.id !== 'string' || typeof hit.score !== 'number' || Number.isNaN(hit.score)) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `Each hit to fuse must be { id: string, score: number }, got ${describeValue(hit)}.`);
      }
    }
  }
  return lists as readonly (readonly ScoredId[])[];
}

/** Checks a `limit` option: undefined or an integer ≥ 0. */
export function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `limit must be an integer ≥ 0, got ${describeValue(limit)}.`);
  return limit;
}
