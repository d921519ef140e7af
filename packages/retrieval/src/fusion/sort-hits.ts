import type { ScoredId } from '../bm25/top-k-heap.js';

/** Sorts by score descending then id ascending, optionally keeping the first `limit`. */
export function sortHits(hits: ScoredId[], limit?: number): ScoredId[] {
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return limit === undefined ? hits : hits.slice(0, limit);
}
