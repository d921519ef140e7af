import type { InvertedIndex } from './inverted-index.js';

/** A query term as every search path scores it. */
export interface QueryTerm {
  term: number;
  qtf: number;
  idf: number;
  /** qtf · idf */
  weight: number;
  /** Upper bound of weight · saturate(tf) over the term's postings (for MaxScore). */
  bound: number;
}

/**
 * The BM25(F) formula, written once for every search path (and mirrored operation for operation by
 * the Postgres store's SQL, so that scores are bit-identical everywhere):
 *
 *   idf(t)  = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   one field:  qtf·idf · (x·(k1+1)) / (x + k1·(1 − b + b·dl/avgdl)),  x = w·tf
 *   BM25F:      qtf·idf · (c·(k1+1)) / (c + k1),  c = Σ_f w_f·tf_f / (1 − b + b·dl_f/avgdl_f)
 */
export class BM25Scoring {
  /** Scratch for multi-field scoring. */
  private readonly fieldTf: Float64Array;
  private readonly fieldLength: Float64Array;

  constructor(
    readonly k1: number,
    readonly b: number,
    readonly weights: Float64Array,
  ) {
    this.fieldTf = new Float64Array(weights.length);
    this.fieldLength = new Float64Array(weights.length);
  }

  /**
   * Unique known query terms with their query frequency, idf and bound, in summation order:
   * qtf·idf descending, ties in query order. The order depends only on live statistics (never on
   * bounds left stale by removals), so every search path adds a document's terms the same way.
   */
  plan<M>(index: InvertedIndex<M>, tokens: readonly string[]): QueryTerm[] {
    const N = index.size;
    const byTerm = new Map<number, QueryTerm>();
    for (const token of tokens) {
      const term = index.termIds.get(token);
      if (term === undefined) continue;
      const df = index.df[term] as number;
      if (df === 0) continue;
      const existing = byTerm.get(term);
      if (existing) {
        existing.qtf++;
        continue;
      }
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
      byTerm.set(term, { term, qtf: 1, idf, weight: 0, bound: 0 });
    }
    const plan = [...byTerm.values()];
    const avg = index.averageLengths();
    const F = this.weights.length;
    const arena = index.arena;
    for (const q of plan) {
      q.weight = q.qtf * q.idf;
      const at = q.term * F;
      q.bound = q.weight * this.saturate(arena.maxTf.subarray(at, at + F), arena.minLen.subarray(at, at + F), avg);
    }
    return plan.sort((a, b) => b.weight - a.weight);
  }

  /** tf·(k1+1)/(tf + k1·norm), BM25F-combined across fields; monotone in tf, antitone in length. */
  saturate(tf: ArrayLike<number>, lengths: ArrayLike<number>, avg: Float64Array): number {
    const { k1, b } = this;
    if (avg.length === 1) {
      const x = (this.weights[0] as number) * (tf[0] as number);
      if (x === 0) return 0;
      return (x * (k1 + 1)) / (x + k1 * (1 - b + (b * (lengths[0] as number)) / (avg[0] as number)));
    }
    let combined = 0;
    for (let f = 0; f < avg.length; f++) {
      const t = tf[f] as number;
      if (t === 0) continue;
      combined += ((this.weights[f] as number) * t) / (1 - b + (b * (lengths[f] as number)) / (avg[f] as number));
    }
    return combined === 0 ? 0 : (combined * (k1 + 1)) / (combined + k1);
  }

  /** qtf·idf·saturate(tf) of the posting at arena index i (document `slot`) of term q. */
  contribution<M>(index: InvertedIndex<M>, q: QueryTerm, i: number, slot: number, avg: Float64Array): number {
    const tfs = index.arena.tfs;
    if (avg.length === 1) {
      // The single-field case, written out: this is the hot loop of every query.
      const x = (this.weights[0] as number) * ((tfs[0] as Int32Array)[i] as number);
      const { k1, b } = this;
      return (q.weight * (x * (k1 + 1))) / (x + k1 * (1 - b + (b * ((index.lengths[0] as Int32Array)[slot] as number)) / (avg[0] as number)));
    }
    const F = avg.length;
    const tf = this.fieldTf;
    const lengths = this.fieldLength;
    for (let f = 0; f < F; f++) {
      tf[f] = (tfs[f] as Int32Array)[i] as number;
      lengths[f] = (index.lengths[f] as Int32Array)[slot] as number;
    }
    return q.weight * this.saturate(tf, lengths, avg);
  }
}
