/** Rank and position are packed into one double, rank · 2³² + position, so ties pop leftmost. */
const POSITION_SCALE = 2 ** 32;

/**
 * A binary min-heap of (rank, position) pairs in a flat Float64Array, shared by the two merges
 * with a heap: tiktoken's long-piece merge (byte-pair-merge.ts) and Hugging Face's pair merge
 * (hf/pair-merge.ts). Callers skip stale entries themselves (lazy invalidation).
 */
export class PackedHeap {
  private keys = new Float64Array(0);
  size = 0;

  /** Empties the heap and makes room for `capacity` entries. */
  reset(capacity: number): void {
    if (this.keys.length < capacity) this.keys = new Float64Array(Math.max(capacity, this.keys.length * 2));
    this.size = 0;
  }

  push(rank: number, position: number): void {
    const keys = this.keys;
    const key = rank * POSITION_SCALE + position;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      i = parent;
    }
    keys[i] = key;
  }

  /** Removes the smallest entry; read it with `rankOf` / `positionOf`. */
  pop(): number {
    const keys = this.keys;
    const top = keys[0]!;
    const size = --this.size;
    const last = keys[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= last) break;
      keys[i] = keys[child]!;
      i = child;
    }
    keys[i] = last;
    return top;
  }
}

export function rankOf(key: number): number {
  return Math.floor(key / POSITION_SCALE);
}

export function positionOf(key: number): number {
  return key - Math.floor(key / POSITION_SCALE) * POSITION_SCALE;
}
