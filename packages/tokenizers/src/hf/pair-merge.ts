import { positionOf, rankOf, type PackedHeap } from '../packed-heap.js';

/**
 * Hugging Face BPE merging (tokenizers `Word::merge_all`): merges are ranked pairs of token ids,
 * applied lowest rank first, leftmost on ties, through a heap over a linked list of symbols with
 * stale entries skipped. Unlike tiktoken's rule, only listed merges apply.
 */
const ID_SCALE = 2 ** 21;

export class PairMerges {
  // Open addressing over typed arrays: Map with keys above 2³¹ (boxed doubles) is several times slower.
  private lefts = new Int32Array(1024).fill(-1);
  private rights = new Int32Array(1024);
  private values = new Float64Array(1024);
  private mask = 1023;
  private count = 0;

  private slot(left: number, right: number): number {
    let at = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca6b)) & this.mask;
    while (this.lefts[at] !== -1 && (this.lefts[at] !== left || this.rights[at] !== right)) at = (at + 1) & this.mask;
    return at;
  }

  add(left: number, right: number, rank: number, merged: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    const at = this.slot(left, right);
    if (this.lefts[at] !== -1) return; // the first (lowest-ranked) merge of a pair wins
    this.lefts[at] = left;
    this.rights[at] = right;
    this.values[at] = rank * ID_SCALE + merged;
    this.count++;
  }

  /** Packed rank and merged id, or -1. */
  lookup(left: number, right: number): number {
    const at = this.slot(left, right);
    return this.lefts[at] === -1 ? -1 : this.values[at]!;
  }

  private grow(): void {
    const { lefts, rights, values } = this;
    const size = (this.mask + 1) * 2;
    this.lefts = new Int32Array(size).fill(-1);
    this.rights = new Int32Array(size);
    this.values = new Float64Array(size);
    this.mask = size - 1;
    for (let i = 0; i < lefts.length; i++) {
      if (lefts[i] === -1) continue;
      const at = this.slot(lefts[i]!, rights[i]!);
      this.lefts[at] = lefts[i]!;
      this.rights[at] = rights[i]!;
      this.values[at] = values[i]!;
    }
  }
}

/**
 * Merges `symbols[0, length)` in place; returns the number of symbols left, written to `symbols`.
 * With `positions`, also writes there the index of the first original symbol of each one left.
 */
export function mergePairs(merges: PairMerges, symbols: Int32Array, length: number, scratch: { next: Int32Array; prev: Int32Array; heap: PackedHeap }, positions?: Int32Array): number {
  if (scratch.next.length < length + 1) {
    scratch.next = new Int32Array(length * 2 + 1);
    scratch.prev = new Int32Array(length * 2 + 1);
  }
  const { next, prev, heap } = scratch;
  heap.reset(length * 3 + 3);

  for (let i = 0; i < length; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    if (i + 1 < length) {
      const found = merges.lookup(symbols[i]!, symbols[i + 1]!);
      if (found >= 0) heap.push(Math.floor(found / ID_SCALE), i);
    }
  }
  while (heap.size > 0) {
    const key = heap.pop();
    const rank = rankOf(key);
    const at = positionOf(key);
    if (symbols[at]! < 0) continue; // merged away
    const right = next[at]!;
    if (right >= length) continue;
    const found = merges.lookup(symbols[at]!, symbols[right]!);
    if (found < 0 || Math.floor(found / ID_SCALE) !== rank) continue; // stale
    symbols[at] = found % ID_SCALE;
    symbols[right] = -1;
    const after = next[right]!;
    next[at] = after;
    if (after < length) prev[after] = at;
    const before = prev[at]!;
    if (before >= 0) {
      const left = merges.lookup(symbols[before]!, symbols[at]!);
      if (left >= 0) heap.push(Math.floor(left / ID_SCALE), before);
    }
    if (after < length) {
      const following = merges.lookup(symbols[at]!, symbols[after]!);
      if (following >= 0) heap.push(Math.floor(following / ID_SCALE), at);
    }
  }
  let count = 0;
  for (let i = 0; i < length; i = next[i]!) {
    if (positions) positions[count] = i;
    symbols[count++] = symbols[i]!;
  }
  return count;
}
