import { ChunkwiseError } from '@chunkwise/core';
import { checkCount, checkNumberList, checkOptions } from '../argument-checks.js';

/**
 * H2O heavy-hitter eviction (arXiv 2306.14048) for one attention head: the cache holds at most
 * `budget` tokens, the `recent` newest always, and the rest are the tokens with the largest
 * accumulated attention (the sum of the softmax weights each received from every query so far).
 * When over budget it evicts, greedily and one at a time as in the paper, the non-recent token with
 * the lowest accumulated score (the older one on a tie).
 */
/** Tokens one `append` may add (each costs two array slots until evicted). */
const MAX_APPEND = 2 ** 24;

export class H2OEviction {
  readonly budget: number;
  readonly recent: number;
  private positions: number[] = [];
  private scores: number[] = [];
  private nextPosition = 0;

  constructor(options: { budget: number; recent: number }) {
    checkOptions('H2OEviction', options);
    const { budget, recent } = options;
    checkCount('H2OEviction', 'budget', budget, 1);
    checkCount('H2OEviction', 'recent', recent);
    if (recent > budget) throw new ChunkwiseError('INVALID_ARGUMENT', `H2OEviction: recent (${recent}) cannot exceed budget (${budget}).`);
    this.budget = budget;
    this.recent = recent;
  }

  /** Original positions currently cached, ascending (the order `observe` expects weights in). */
  kept(): Int32Array {
    return Int32Array.from(this.positions);
  }

  /** Accumulated score of each cached token, in `kept()` order. */
  accumulated(): Float64Array {
    return Float64Array.from(this.scores);
  }

  /** Adds `count` new tokens (score 0) at the end of the sequence. */
  append(count = 1): void {
    checkCount('H2OEviction.append', 'count', count);
    if (count > MAX_APPEND) throw new ChunkwiseError('LIMIT_EXCEEDED', `H2OEviction.append: ${count} tokens at once is over ${MAX_APPEND}; append in smaller steps and evict between them.`);
    for (let i = 0; i < count; i++) {
      this.positions.push(this.nextPosition++);
      this.scores.push(0);
    }
  }

  /**
   * Adds one query's attention weights over the cached tokens (in `kept()` order). Call once per
   * query row; for a prefill, once per row of the attention matrix.
   */
  observe(weights: ArrayLike<number>): void {
    checkNumberList('H2OEviction.observe', 'weights', weights);
    if (weights.length !== this.positions.length) {
      throw new ChunkwiseError('DIMENSION_MISMATCH', `H2OEviction.observe: ${weights.length} weights for ${this.positions.length} cached tokens.`);
    }
    for (let i = 0; i < weights.length; i++) this.scores[i]! += weights[i]!;
  }

  /** Evicts down to the budget; returns the evicted original positions in eviction order. */
  evict(): Int32Array {
    const evicted: number[] = [];
    while (this.positions.length > this.budget) {
      const candidates = this.positions.length - this.recent;
      let worst = 0;
      for (let i = 1; i < candidates; i++) if (this.scores[i]! < this.scores[worst]!) worst = i;
      evicted.push(this.positions[worst]!);
      this.positions.splice(worst, 1);
      this.scores.splice(worst, 1);
    }
    return Int32Array.from(evicted);
  }
}
