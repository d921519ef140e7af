import type { BM25Scoring, QueryTerm } from './bm25-scoring.js';
import type { InvertedIndex } from './inverted-index.js';
import { TopKHeap, type ScoredId } from './top-k-heap.js';

// Upper bounds are compared with this slack so that rounding can never prune a document that
// would have entered the top k.
const BOUND_SLACK = 1 + 1e-9;

export type SlotFilter<M> = (id: string, meta: M | undefined) => boolean;

/**
 * Top-k search over an InvertedIndex, exhaustive or with MaxScore pruning. Scratch arrays (partial
 * scores, touched marks, filter verdicts) live as long as the index and are reset per query by a
 * stamp instead of being allocated and zeroed, so a query costs what the postings it reads cost,
 * not the size of the collection.
 */
export class BM25Search<M> {
  private partial = new Float64Array(0);
  /** stamp[slot] === query: the slot was touched by the current query. */
  private stamp = new Int32Array(0);
  /** verdictStamp[slot] === query: verdict[slot] holds the filter's answer for this query (1 pass, 2 reject). */
  private verdictStamp = new Int32Array(0);
  private verdict = new Uint8Array(0);
  private query = 0;
  private touched = new Int32Array(1024);
  private touchedCount = 0;
  private values = new Float64Array(1024);

  constructor(
    private readonly index: InvertedIndex<M>,
    private readonly scoring: BM25Scoring,
  ) {}

  /** Term-at-a-time over every posting; sums each document's terms in plan order. */
  exhaustive(plan: readonly QueryTerm[], k: number, filter: SlotFilter<M> | undefined): ScoredId[] {
    this.begin();
    const { index, scoring } = this;
    const avg = index.averageLengths();
    const { docs, start, length } = index.arena;
    const alive = index.alive;
    for (const q of plan) {
      const end = (start[q.term] as number) + (length[q.term] as number);
      for (let i = start[q.term] as number; i < end; i++) {
        const slot = docs[i] as number;
        if (!alive[slot]) continue;
        this.add(slot, scoring.contribution(index, q, i, slot, avg));
      }
    }
    const heap = new TopKHeap(k);
    for (let t = 0; t < this.touchedCount; t++) {
      const slot = this.touched[t] as number;
      if (this.passes(slot, filter)) this.offer(heap, slot);
    }
    return heap.sorted();
  }

  /**
   * MaxScore in its term-at-a-time form (Turtle & Flood 1995; Moffat & Zobel's "continue"
   * strategy): accumulate the terms with the largest upper bounds first. Once the bounds of all
   * remaining terms together cannot lift a document past the current k-th partial score θ (a lower
   * bound of the final k-th score), stop scanning postings: only documents whose partial score plus
   * that remainder reaches θ can still enter, and just those are scored exactly, by probing the
   * remaining terms' postings. Exact scores are summed in plan order, bit-identical to exhaustive().
   */
  maxScore(plan: readonly QueryTerm[], k: number, filter: SlotFilter<M> | undefined): ScoredId[] {
    this.begin();
    const { index, scoring } = this;
    const avg = index.averageLengths();
    const arena = index.arena;
    const alive = index.alive;
    const m = plan.length;
    // remaining[j]: the most that terms plan[j..] can add to any document.
    const remaining = new Float64Array(m + 1);
    for (let j = m - 1; j >= 0; j--) remaining[j] = ((remaining[j + 1] as number) + (plan[j] as QueryTerm).bound) * BOUND_SLACK;
    let maxPartial = 0;
    let stopAt = m;
    let theta = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      if (j > 0 && this.touchedCount >= k && (remaining[j] as number) < maxPartial) {
        theta = this.kthLargest(k, filter);
        if ((remaining[j] as number) < theta) {
          stopAt = j;
          break;
        }
      }
      const q = plan[j] as QueryTerm;
      const docs = arena.docs;
      const end = (arena.start[q.term] as number) + (arena.length[q.term] as number);
      for (let i = arena.start[q.term] as number; i < end; i++) {
        const slot = docs[i] as number;
        if (!alive[slot]) continue;
        const value = this.add(slot, scoring.contribution(index, q, i, slot, avg));
        if (value > maxPartial) maxPartial = value;
      }
    }
    // Survivors: documents that could still reach θ. Their remaining terms are probed in plan
    // order, continuing the same sum, so scores equal the exhaustive path's bit for bit.
    const rest = remaining[stopAt] as number;
    const partial = this.partial;
    let survivors = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const slot = this.touched[t] as number;
      if ((partial[slot] as number) * BOUND_SLACK + rest >= theta && this.passes(slot, filter)) this.touched[survivors++] = slot;
    }
    // Native numeric sort of a typed array: probing in slot order lets each seek gallop forward.
    const survivorSlots = this.touched.subarray(0, survivors).sort();
    for (let j = stopAt; j < m; j++) {
      const q = plan[j] as QueryTerm;
      const end = (arena.start[q.term] as number) + (arena.length[q.term] as number);
      let cursor = arena.start[q.term] as number;
      for (let s = 0; s < survivors; s++) {
        const slot = survivorSlots[s] as number;
        cursor = arena.seek(q.term, cursor, slot);
        if (cursor < end && arena.docs[cursor] === slot) partial[slot] = (partial[slot] as number) + scoring.contribution(index, q, cursor, slot, avg);
      }
    }
    const heap = new TopKHeap(k);
    for (let s = 0; s < survivors; s++) this.offer(heap, survivorSlots[s] as number);
    return heap.sorted();
  }

  /** Starts a query: scratch sized to the slots, a fresh stamp. */
  private begin(): void {
    const slots = this.index.slotCount;
    if (this.partial.length < slots) {
      const size = Math.max(slots, this.partial.length * 2, 64);
      this.partial = new Float64Array(size);
      this.stamp = new Int32Array(size);
      this.verdictStamp = new Int32Array(size);
      this.verdict = new Uint8Array(size);
      this.query = 0;
    }
    if (this.query === 0x7fffffff) {
      this.stamp.fill(0);
      this.verdictStamp.fill(0);
      this.query = 0;
    }
    this.query++;
    this.touchedCount = 0;
  }

  /** Adds to a slot's partial score (the first touch starts it at 0); returns the new partial. */
  private add(slot: number, contribution: number): number {
    if (this.stamp[slot] !== this.query) {
      this.stamp[slot] = this.query;
      this.partial[slot] = contribution;
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = slot;
      return contribution;
    }
    const value = (this.partial[slot] as number) + contribution;
    this.partial[slot] = value;
    return value;
  }

  /** Whether the document passes the filter, asked at most once per query and slot. */
  private passes(slot: number, filter: SlotFilter<M> | undefined): boolean {
    if (!filter) return true;
    if (this.verdictStamp[slot] !== this.query) {
      this.verdictStamp[slot] = this.query;
      this.verdict[slot] = filter(this.index.slotIds[slot] as string, this.index.slotMeta[slot]) ? 1 : 2;
    }
    return this.verdict[slot] === 1;
  }

  private offer(heap: TopKHeap, slot: number): void {
    const score = this.partial[slot] as number;
    const id = this.index.slotIds[slot] as string;
    // Most candidates lose to the k-th hit: decide before allocating a hit object.
    if (heap.admits(score, id)) heap.offer({ id, score });
  }

  /** The k-th largest partial score among touched documents that pass the filter (−∞ if fewer than k). */
  private kthLargest(k: number, filter: SlotFilter<M> | undefined): number {
    if (this.values.length < this.touchedCount) this.values = new Float64Array(Math.max(this.touchedCount, this.values.length * 2));
    const values = this.values;
    let n = 0;
    for (let t = 0; t < this.touchedCount; t++) {
      const slot = this.touched[t] as number;
      if (this.passes(slot, filter)) values[n++] = this.partial[slot] as number;
    }
    if (n < k) return Number.NEGATIVE_INFINITY;
    // Quickselect for the element of rank k − 1 in descending order.
    let lo = 0;
    let hi = n - 1;
    const target = k - 1;
    while (lo < hi) {
      const pivot = values[(lo + hi) >>> 1] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((values[i] as number) > pivot) i++;
        while ((values[j] as number) < pivot) j--;
        if (i <= j) {
          const t = values[i] as number;
          values[i] = values[j] as number;
          values[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else break;
    }
    return values[target] as number;
  }
}
