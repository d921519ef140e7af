/**
 * One term's postings: the slots of the documents that contain it (ascending, since slots only
 * grow) and the term frequency in each field. Plain arrays of small integers: V8 grows them in
 * place, which for the ~30,000 mostly tiny lists of a real corpus builds ~2× faster than
 * doubling typed arrays (measured on SOTU passages), and reads them just as fast.
 */
export class Postings {
  readonly docs: number[] = [];
  /** tfs[field][i] is the term's frequency in that field of document docs[i]. */
  readonly tfs: number[][];
  /** Per-field maximum tf and minimum field length over the postings: an upper bound on any score. */
  readonly maxTf: number[];
  readonly minLen: number[];

  constructor(fieldCount: number) {
    this.tfs = Array.from({ length: fieldCount }, () => []);
    this.maxTf = new Array<number>(fieldCount).fill(0);
    this.minLen = new Array<number>(fieldCount).fill(Number.POSITIVE_INFINITY);
  }

  get length(): number {
    return this.docs.length;
  }

  push(slot: number, tf: ArrayLike<number>, lengths: ArrayLike<number>): void {
    this.docs.push(slot);
    for (let f = 0; f < this.tfs.length; f++) {
      const value = tf[f] ?? 0;
      (this.tfs[f] as number[]).push(value);
      if (value > (this.maxTf[f] as number)) this.maxTf[f] = value;
      const length = lengths[f] ?? 0;
      if (value > 0 && length < (this.minLen[f] as number)) this.minLen[f] = length;
    }
  }

  /** First index ≥ from whose slot is ≥ slot (galloping then binary search). */
  seek(from: number, slot: number): number {
    const docs = this.docs;
    const length = docs.length;
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
