/**
 * One term's postings: the slots of the documents that contain it (ascending, since slots only
 * grow) and the term frequency in each field. Typed arrays grown by doubling keep the hot loops
 * allocation-free.
 */
export class Postings {
  length = 0;
  docs: Int32Array;
  /** tfs[field][i] is the term's frequency in that field of document docs[i]. */
  tfs: Float64Array[];
  /** Per-field maximum tf and minimum field length over the postings: an upper bound on any score. */
  maxTf: Float64Array;
  minLen: Float64Array;

  constructor(fieldCount: number, capacity = 4) {
    this.docs = new Int32Array(capacity);
    this.tfs = Array.from({ length: fieldCount }, () => new Float64Array(capacity));
    this.maxTf = new Float64Array(fieldCount);
    this.minLen = new Float64Array(fieldCount).fill(Number.POSITIVE_INFINITY);
  }

  push(slot: number, tf: ArrayLike<number>, lengths: ArrayLike<number>): void {
    if (this.length === this.docs.length) this.grow();
    this.docs[this.length] = slot;
    for (let f = 0; f < this.tfs.length; f++) {
      const value = tf[f] ?? 0;
      (this.tfs[f] as Float64Array)[this.length] = value;
      if (value > (this.maxTf[f] as number)) this.maxTf[f] = value;
      const length = lengths[f] ?? 0;
      if (value > 0 && length < (this.minLen[f] as number)) this.minLen[f] = length;
    }
    this.length++;
  }

  /** First index ≥ from whose slot is ≥ slot (galloping then binary search). */
  seek(from: number, slot: number): number {
    const docs = this.docs;
    let hi = from;
    let step = 1;
    while (hi < this.length && (docs[hi] as number) < slot) {
      from = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > this.length) hi = this.length;
    let lo = from;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((docs[mid] as number) < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const capacity = this.docs.length * 2;
    const docs = new Int32Array(capacity);
    docs.set(this.docs);
    this.docs = docs;
    this.tfs = this.tfs.map((old) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    });
  }
}
