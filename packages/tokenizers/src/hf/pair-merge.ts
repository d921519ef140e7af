import { positionOf, rankOf, type PackedHeap } from '../packed-heap.js';

/**
 * Hugging Face BPE merging (tokenizers `Word::merge_all`): merges are ranked pairs of token ids,
 * applied lowest rank first, leftmost on ties, through a heap over a linked list of symbols with
 * stale entries skipped. Unlike tiktoken's rule, only listed merges apply.
 */
const ID_SCALE = 2 ** 21;

export class PairMerges {
  /** (left id · 2²¹ + right id) → rank · 2²¹ + merged id. */
  private readonly pairs = new Map<number, number>();

  add(left: number, right: number, rank: number, merged: number): void {
    const key = left * ID_SCALE + right;
    if (!this.pairs.has(key)) this.pairs.set(key, rank * ID_SCALE + merged);
  }

  /** Packed rank and merged id, or -1. */
  lookup(left: number, right: number): number {
    return this.pairs.get(left * ID_SCALE + right) ?? -1;
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
