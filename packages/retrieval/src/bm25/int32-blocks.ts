const SHIFT = 20;
/** Entries per block (4 MiB). */
export const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
const FIRST = 1024;

/**
 * A growable Int32 array kept as blocks of BLOCK entries (the last one may be shorter; it grows by
 * doubling up to BLOCK), so that growing never copies more than one block. A contiguous array that
 * grows by 1.25× leaves about four times its final size behind as garbage over a bulk build, and
 * each growth needs the old and the new array at once; on the 74 MB digest that garbage, not the
 * index, set the peak memory.
 *
 * Blocks may be views of a loaded snapshot: those are never written; a write to one copies it first.
 */
export class Int32Blocks {
  /** Every block but the last holds BLOCK entries. */
  readonly blocks: Int32Array[];
  /** views[k]: block k is a view of someone else's bytes (copied before it is written). */
  private readonly views: boolean[];

  constructor(blocks: Int32Array[] = [new Int32Array(FIRST)], views: boolean[] = blocks.map(() => false)) {
    this.blocks = blocks;
    this.views = views;
  }

  /** Views of `array` (no copy), which is never written through them. */
  static viewOf(array: Int32Array): Int32Blocks {
    const blocks: Int32Array[] = [];
    for (let at = 0; at < array.length; at += BLOCK) blocks.push(array.subarray(at, Math.min(array.length, at + BLOCK)));
    if (blocks.length === 0) return new Int32Blocks();
    return new Int32Blocks(
      blocks,
      blocks.map(() => true),
    );
  }

  get capacity(): number {
    return (this.blocks.length - 1) * BLOCK + (this.blocks[this.blocks.length - 1] as Int32Array).length;
  }

  get(i: number): number {
    return (this.blocks[i >>> SHIFT] as Int32Array)[i & MASK] as number;
  }

  /** Only for entries a reserve() made writable. */
  set(i: number, value: number): void {
    (this.blocks[i >>> SHIFT] as Int32Array)[i & MASK] = value;
  }

  /** Makes entries [from, to) writable, growing as needed. */
  reserve(from: number, to: number): void {
    const blocks = this.blocks;
    while (this.capacity < to) {
      const last = blocks.length - 1;
      const block = blocks[last] as Int32Array;
      if (block.length < BLOCK) {
        const grown = new Int32Array(Math.min(BLOCK, Math.max(block.length * 2, to - last * BLOCK, FIRST)));
        grown.set(block);
        blocks[last] = grown;
        this.views[last] = false;
      } else {
        blocks.push(new Int32Array(Math.min(BLOCK, Math.max(FIRST, to - blocks.length * BLOCK))));
        this.views.push(false);
      }
    }
    if (to <= from) return;
    for (let k = from >>> SHIFT; k <= (to - 1) >>> SHIFT; k++) {
      if (!this.views[k]) continue;
      blocks[k] = (blocks[k] as Int32Array).slice();
      this.views[k] = false;
    }
  }

  /** Views of entries [0, length), in order: their concatenation is the array's start. */
  pieces(length: number): Int32Array[] {
    const out: Int32Array[] = [];
    for (let k = 0; k * BLOCK < length; k++) out.push((this.blocks[k] as Int32Array).subarray(0, Math.min(BLOCK, length - k * BLOCK)));
    return out;
  }
}
