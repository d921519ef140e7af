/**
 * Hugging Face BPE merging (tokenizers `Word::merge_all`): merges are ranked pairs of token ids,
 * applied lowest rank first, leftmost on ties, through a heap over a linked list of symbols with
 * stale entries skipped. Unlike tiktoken's rule, only listed merges apply.
 */
const ID_SCALE = 2 ** 21;
const POSITION_SCALE = 2 ** 32;

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
export function mergePairs(merges: PairMerges, symbols: Int32Array, length: number, scratch: { next: Int32Array; prev: Int32Array; heap: Float64Array }, positions?: Int32Array): number {
  if (scratch.next.length < length + 1) {
    scratch.next = new Int32Array(length * 2 + 1);
    scratch.prev = new Int32Array(length * 2 + 1);
    scratch.heap = new Float64Array(length * 6 + 3);
  }
  const { next, prev, heap } = scratch;
  let heapSize = 0;
  const push = (rank: number, position: number): void => {
    const key = rank * POSITION_SCALE + position;
    let i = heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = key;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--heapSize]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  };

  for (let i = 0; i < length; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    if (i + 1 < length) {
      const found = merges.lookup(symbols[i]!, symbols[i + 1]!);
      if (found >= 0) push(Math.floor(found / ID_SCALE), i);
    }
  }
  while (heapSize > 0) {
    const key = pop();
    const rank = Math.floor(key / POSITION_SCALE);
    const at = key - rank * POSITION_SCALE;
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
      if (left >= 0) push(Math.floor(left / ID_SCALE), before);
    }
    if (after < length) {
      const following = merges.lookup(symbols[at]!, symbols[after]!);
      if (following >= 0) push(Math.floor(following / ID_SCALE), at);
    }
  }
  let count = 0;
  for (let i = 0; i < length; i = next[i]!) {
    if (positions) positions[count] = i;
    symbols[count++] = symbols[i]!;
  }
  return count;
}
