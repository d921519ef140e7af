/**
 * One term's postings: the slots of the documents that contain it (ascending, since slots only
 * grow) and the term frequency in each field, in exactly-sized typed arrays. Documents are first
 * collected in a shared pending buffer and appended here in bulk (`reserve` + `append`), so a
 * term's arrays are reallocated once per flush instead of doubling on every few documents.
 */
export class Postings {
  length = 0;
  docs = new Int32Array(0);
  /** tfs[field][i] is the term's frequency in that field of document docs[i]. */
  tfs: Float64Array[];
  /** Per-field maximum tf and minimum field length over the postings: an upper bound on any score. */
  readonly maxTf: Float64Array;
  readonly minLen: Float64Array;

  constructor(fieldCount: number) {
    this.tfs = Array.from({ length: fieldCount }, () => new Float64Array(0));
    this.maxTf = new Float64Array(fieldCount);
    this.minLen = new Float64Array(fieldCount).fill(Number.POSITIVE_INFINITY);
  }

  /** Makes room for `extra` more entries. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.docs.length) return;
    const docs = new Int32Array(needed);
    docs.set(this.docs.subarray(0, this.length));
    this.docs = docs;
    this.tfs = this.tfs.map((old) => {
      const next = new Float64Array(needed);
      next.set(old.subarray(0, this.length));
      return next;
    });
  }

  /** Appends one entry; call reserve() first. `lengths(f)` is the document's length in field f. */
  append(slot: number, tf: ArrayLike<number>, lengths: ArrayLike<number>): void {
    const at = this.length++;
    this.docs[at] = slot;
    for (let f = 0; f < this.tfs.length; f++) {
      const value = tf[f] as number;
      (this.tfs[f] as Float64Array)[at] = value;
      if (value > (this.maxTf[f] as number)) this.maxTf[f] = value;
      const length = lengths[f] as number;
      if (value > 0 && length < (this.minLen[f] as number)) this.minLen[f] = length;
    }
  }

  /** First index ≥ from whose slot is ≥ slot (galloping then binary search). */
  seek(from: number, slot: number): number {
    const docs = this.docs;
    const length = this.length;
    let hi = from;
    let step = 1;
    while (hi < length && (docs[hi] as number) < slot) {
      from = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > length) hi = length;
    let lo = from;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((docs[mid] as number) < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
