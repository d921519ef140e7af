import { cosine, type TermVectors } from './term-vectors.js';

export interface SelectionInput {
  /** Word count of each sentence. */
  words: ArrayLike<number>;
  /** Relevance of each sentence, any non-negative scale (centrality × position prior). */
  relevance: ArrayLike<number>;
  vectors: TermVectors;
  /** Sentences that may not be picked (duplicates, fragments). */
  excluded?: ReadonlySet<number>;
  /**
   * A group per sentence (a part of the document): a sentence whose group already has a pick counts
   * as at least `groupSimilarity` similar to the picks, so the selection spreads over the groups.
   */
  groups?: ArrayLike<number>;
  groupSimilarity?: number;
}

export interface SelectionTarget {
  targetWords: number;
  /** Allowed relative deviation from the target, e.g. 0.1 for ±10%. */
  tolerance: number;
  /** MMR trade-off λ between relevance and novelty. */
  lambda: number;
}

/** How many of the best MMR-ranked sentences the exact repair step may combine. */
const REPAIR_POOL = 64;

/**
 * Picks sentences by Maximal Marginal Relevance (Carbonell & Goldstein 1998):
 * argmax λ·relevance − (1−λ)·max similarity to what is already picked, until the word target is
 * reached without passing target·(1+tolerance). Greedy MMR can get stuck below target·(1−tolerance)
 * when every remaining sentence is too long; then a subset-sum over the best-ranked sentences finds
 * a combination inside the window, preferring higher-ranked ones. Returns indices in document order.
 */
export function selectByMMR(input: SelectionInput, target: SelectionTarget): number[] {
  const n = input.words.length;
  const lower = Math.ceil(target.targetWords * (1 - target.tolerance));
  const upper = Math.floor(target.targetWords * (1 + target.tolerance));
  let maxRelevance = 0;
  for (let i = 0; i < n; i++) maxRelevance = Math.max(maxRelevance, input.relevance[i]!);
  const relevance = new Float64Array(n);
  for (let i = 0; i < n; i++) relevance[i] = maxRelevance > 0 ? input.relevance[i]! / maxRelevance : 0;

  const available = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (!input.excluded?.has(i) && input.words[i]! > 0 && input.words[i]! <= upper) available[i] = 1;

  const maxSimilarity = new Float64Array(n);
  const groupSimilarity = input.groups ? (input.groupSimilarity ?? 0) : 0;
  const order: number[] = [];
  const picked: number[] = [];
  let total = 0;
  // Rank by MMR until the target is met; short of it, every candidate is ranked for the repair step.
  while (order.length < n) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (!available[i]) continue;
      const score = target.lambda * relevance[i]! - (1 - target.lambda) * maxSimilarity[i]!;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) break;
    available[best] = 0;
    order.push(best);
    if (total < target.targetWords && total + input.words[best]! <= upper) {
      picked.push(best);
      total += input.words[best]!;
    }
    // At the target the window is met and the repair pool is never used: stop ranking.
    if (total >= target.targetWords) break;
    for (let i = 0; i < n; i++) {
      if (!available[i]) continue;
      const sameGroup = groupSimilarity > 0 && input.groups![i] === input.groups![best] ? groupSimilarity : 0;
      maxSimilarity[i] = Math.max(maxSimilarity[i]!, cosine(input.vectors, i, best), sameGroup);
    }
  }

  if (total < lower) {
    const repaired = subsetInWindow(order.slice(0, REPAIR_POOL), input.words, lower, upper, target.targetWords);
    if (repaired) return repaired.sort((a, b) => a - b);
  }
  return picked.sort((a, b) => a - b);
}

/**
 * Exact subset-sum over at most REPAIR_POOL ranked sentences: among subsets whose word total lies in
 * [lower, upper], the one closest to the target, ties to the one using better-ranked sentences.
 * Dynamic programming over totals (≤ upper), so the cost is pool × upper.
 */
function subsetInWindow(
  ranked: number[],
  words: ArrayLike<number>,
  lower: number,
  upper: number,
  targetWords: number,
): number[] | undefined {
  // cost[t] = smallest rank penalty reaching exactly t words; choice records the path.
  const cost = new Float64Array(upper + 1).fill(Number.POSITIVE_INFINITY);
  cost[0] = 0;
  const choice: Int32Array[] = [];
  ranked.forEach((sentence, r) => {
    const w = words[sentence]!;
    const took = new Int32Array(upper + 1).fill(-1);
    for (let t = upper; t >= w; t--) {
      const candidate = cost[t - w]! + r + 1;
      if (candidate < cost[t]!) {
        cost[t] = candidate;
        took[t] = r;
      }
    }
    choice.push(took);
  });
  let bestTotal = -1;
  for (let t = lower; t <= upper; t++) {
    if (cost[t] === Number.POSITIVE_INFINITY) continue;
    if (bestTotal < 0 || Math.abs(t - targetWords) < Math.abs(bestTotal - targetWords)) bestTotal = t;
  }
  if (bestTotal < 0) return undefined;
  // Walk back: the latest item that improved cost[t] at its step is on an optimal path.
  const result: number[] = [];
  let t = bestTotal;
  for (let r = ranked.length - 1; r >= 0 && t > 0; r--) {
    if (choice[r]![t] === r) {
      result.push(ranked[r]!);
      t -= words[ranked[r]!]!;
    }
  }
  return t === 0 ? result : undefined;
}
