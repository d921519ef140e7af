/**
 * Every term's postings in one arena: term t owns docs[start[t] … start[t] + length[t]) (document
 * slots, ascending, since slots only grow) and the same range of tfs[field] (term frequency per
 * field). A term that outgrows its capacity moves to the end of the arena with 1.5× room; the arena
 * is re-laid out densely, in term order, with 1/8 room per term, when it runs out of space or a
 * quarter of it is abandoned, so it stays within about 1.3× of the postings it holds.
 *
 * Building an index used to allocate about five typed arrays per term (a posting list object per
 * term), which made bulk builds allocation- and GC-bound; here a build of any size allocates a
 * handful of arrays. The flat layout is also what the SQLite store persists as blobs.
 */
export class PostingsArena {
  readonly fieldCount: number;
  docs: Int32Array = new Int32Array(1024);
  /** tfs[field][i]: the term's frequency in that field of document docs[i]. */
  tfs: Int32Array[];
  start = new Int32Array(64);
  length = new Int32Array(64);
  capacity = new Int32Array(64);
  /** maxTf[t·F + f] and minLen[t·F + f]: per-field bounds over the term's postings (for MaxScore). */
  maxTf: Float64Array;
  minLen: Float64Array;
  terms = 0;
  /** End of the used part of the arena. */
  used = 0;
  /** Arena entries no term owns any more (left behind by moves). */
  private abandoned = 0;

  constructor(fieldCount: number) {
    this.fieldCount = fieldCount;
    this.tfs = Array.from({ length: fieldCount }, () => new Int32Array(1024));
    this.maxTf = new Float64Array(64 * fieldCount);
    this.minLen = new Float64Array(64 * fieldCount).fill(Number.POSITIVE_INFINITY);
  }

  /** A new, empty term; returns its id. */
  addTerm(): number {
    const term = this.terms++;
    if (term >= this.start.length) {
      const size = this.start.length * 2;
      this.start = grow(this.start, new Int32Array(size));
      this.length = grow(this.length, new Int32Array(size));
      this.capacity = grow(this.capacity, new Int32Array(size));
      this.maxTf = grow(this.maxTf, new Float64Array(size * this.fieldCount));
      this.minLen = grow(this.minLen, new Float64Array(size * this.fieldCount).fill(Number.POSITIVE_INFINITY));
    }
    return term;
  }

  /** Makes room for counts[t] more entries of every term in `touched`. */
  reserve(counts: Int32Array, touched: readonly number[]): void {
    let extra = 0;
    for (const term of touched) {
      const needed = (this.length[term] as number) + (counts[term] as number);
      const capacity = this.capacity[term] as number;
      if (needed > capacity) extra += grownCapacity(capacity, needed);
    }
    if (extra === 0) return;
    if (this.used + extra > this.docs.length || this.abandoned > this.docs.length / 4) {
      // Re-laid out terms keep 1/8 room (moves gave 1.5×): the arena stays near its contents. A
      // term that had no postings gets exactly its own, so a bulk build laid out at once is tight.
      const capacities = new Int32Array(this.terms);
      for (let term = 0; term < this.terms; term++) {
        const held = this.length[term] as number;
        const length = held + (counts[term] as number);
        capacities[term] = held === 0 ? length : length + (length >> 3);
      }
      this.relayout(capacities);
      return;
    }
    for (const term of touched) {
      const needed = (this.length[term] as number) + (counts[term] as number);
      const capacity = this.capacity[term] as number;
      if (needed <= capacity) continue;
      const from = this.start[term] as number;
      const to = this.used;
      const length = this.length[term] as number;
      this.docs.copyWithin(to, from, from + length);
      for (const tf of this.tfs) tf.copyWithin(to, from, from + length);
      this.start[term] = to;
      this.capacity[term] = grownCapacity(capacity, needed);
      this.used += this.capacity[term] as number;
      this.abandoned += capacity;
    }
  }

  /** Copies every term, in term order, into fresh arrays with the given capacities. */
  private relayout(capacities: Int32Array): void {
    let total = 0;
    for (let term = 0; term < this.terms; term++) total += capacities[term] as number;
    const size = total + (total >> 4) + 1024;
    const docs = new Int32Array(size);
    const tfs = this.tfs.map(() => new Int32Array(size));
    let at = 0;
    for (let term = 0; term < this.terms; term++) {
      const from = this.start[term] as number;
      const length = this.length[term] as number;
      if (length > 0) {
        docs.set(this.docs.subarray(from, from + length), at);
        tfs.forEach((tf, f) => tf.set((this.tfs[f] as Int32Array).subarray(from, from + length), at));
      }
      this.start[term] = at;
      this.capacity[term] = capacities[term] as number;
      at += capacities[term] as number;
    }
    this.docs = docs;
    this.tfs = tfs;
    this.used = at;
    this.abandoned = 0;
  }

  /**
   * Takes the arena of a snapshot: term t owns docs[start[t] … start[t] + length[t]) and the same
   * range of every tfs array. The big arrays are used as they are, without copying; they are never
   * written in place (every term's capacity is its length, so the first growth re-lays them out).
   */
  adopt(terms: number, start: Int32Array, length: Int32Array, used: number, docs: Int32Array, tfs: Int32Array[], maxTf: Float64Array, minLen: Float64Array): void {
    const F = this.fieldCount;
    const size = Math.max(64, terms);
    this.start = new Int32Array(size);
    this.length = new Int32Array(size);
    this.start.set(start);
    this.length.set(length);
    this.capacity = this.length.slice();
    this.maxTf = new Float64Array(size * F);
    this.minLen = new Float64Array(size * F).fill(Number.POSITIVE_INFINITY);
    this.maxTf.set(maxTf);
    this.minLen.set(minLen);
    this.docs = docs;
    this.tfs = tfs;
    this.terms = terms;
    this.used = used;
    let held = 0;
    for (let term = 0; term < terms; term++) held += length[term] as number;
    this.abandoned = used - held;
  }

  /** Keeps only entries whose slot maps to a new slot ≥ 0 (renumbered); recomputes the bounds. */
  compact(newSlot: Int32Array, lengths: readonly Int32Array[]): void {
    const F = this.fieldCount;
    let total = 0;
    const kept = new Int32Array(this.terms);
    for (let term = 0; term < this.terms; term++) {
      const from = this.start[term] as number;
      const end = from + (this.length[term] as number);
      let n = 0;
      for (let i = from; i < end; i++) if ((newSlot[this.docs[i] as number] as number) >= 0) n++;
      kept[term] = n;
      total += n;
    }
    const size = total + (total >> 4) + 1024;
    const docs = new Int32Array(size);
    const tfs = this.tfs.map(() => new Int32Array(size));
    let at = 0;
    for (let term = 0; term < this.terms; term++) {
      const from = this.start[term] as number;
      const end = from + (this.length[term] as number);
      this.start[term] = at;
      this.length[term] = kept[term] as number;
      this.capacity[term] = kept[term] as number;
      for (let f = 0; f < F; f++) {
        this.maxTf[term * F + f] = 0;
        this.minLen[term * F + f] = Number.POSITIVE_INFINITY;
      }
      for (let i = from; i < end; i++) {
        const to = newSlot[this.docs[i] as number] as number;
        if (to < 0) continue;
        docs[at] = to;
        for (let f = 0; f < F; f++) (tfs[f] as Int32Array)[at] = (this.tfs[f] as Int32Array)[i] as number;
        at++;
      }
    }
    this.docs = docs;
    this.tfs = tfs;
    this.used = at;
    this.abandoned = 0;
    for (let term = 0; term < this.terms; term++) this.updateBounds(term, this.start[term] as number, lengths);
  }

  /** Folds entries from `from` to the end of the term's postings into its bounds. */
  updateBounds(term: number, from: number, lengths: readonly Int32Array[]): void {
    const F = this.fieldCount;
    const end = (this.start[term] as number) + (this.length[term] as number);
    for (let f = 0; f < F; f++) {
      const tfs = this.tfs[f] as Int32Array;
      const fieldLengths = lengths[f] as Int32Array;
      let maxTf = this.maxTf[term * F + f] as number;
      let minLen = this.minLen[term * F + f] as number;
      for (let i = from; i < end; i++) {
        const tf = tfs[i] as number;
        if (tf === 0) continue;
        if (tf > maxTf) maxTf = tf;
        const length = fieldLengths[this.docs[i] as number] as number;
        if (length < minLen) minLen = length;
      }
      this.maxTf[term * F + f] = maxTf;
      this.minLen[term * F + f] = minLen;
    }
  }

  /** First arena index in [from, end of the term's postings) whose slot is ≥ slot (galloping, then binary search). */
  seek(term: number, from: number, slot: number): number {
    const docs = this.docs;
    const end = (this.start[term] as number) + (this.length[term] as number);
    let hi = from;
    let step = 1;
    while (hi < end && (docs[hi] as number) < slot) {
      from = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > end) hi = end;
    let lo = from;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((docs[mid] as number) < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A fresh term gets exactly what it needs (bulk builds stay tight); a growing one gets 1.5×. */
function grownCapacity(capacity: number, needed: number): number {
  return capacity === 0 ? needed : Math.max(needed, capacity + (capacity >> 1));
}

function grow<T extends Int32Array | Float64Array>(old: T, next: T): T {
  next.set(old.subarray(0, Math.min(old.length, next.length)));
  return next;
}
