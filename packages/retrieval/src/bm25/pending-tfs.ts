const SHIFT = 20;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;
/** A byte holding this means "look the tf up in `large`". */
const ESCAPE = 255;

/**
 * The term frequencies of postings waiting to be appended to the arena, one byte each in blocks
 * (almost every tf is below 255; the rest are kept in a map). A bulk build keeps every posting
 * here until its first read, so this is a quarter of what Int32 tfs would hold at that moment.
 */
export class PendingTfs {
  private readonly blocks: Uint8Array[] = [new Uint8Array(1024)];
  private readonly large = new Map<number, number>();

  /** Makes entries [0, to) writable. */
  reserve(to: number): void {
    const blocks = this.blocks;
    for (;;) {
      const last = blocks.length - 1;
      const block = blocks[last] as Uint8Array;
      if (last * BLOCK + block.length >= to) return;
      if (block.length < BLOCK) {
        const grown = new Uint8Array(Math.min(BLOCK, Math.max(block.length * 2, to - last * BLOCK)));
        grown.set(block);
        blocks[last] = grown;
      } else blocks.push(new Uint8Array(Math.min(BLOCK, to - blocks.length * BLOCK)));
    }
  }

  set(i: number, tf: number): void {
    if (tf >= ESCAPE) this.large.set(i, tf);
    (this.blocks[i >>> SHIFT] as Uint8Array)[i & MASK] = tf >= ESCAPE ? ESCAPE : tf;
  }

  get(i: number): number {
    const tf = (this.blocks[i >>> SHIFT] as Uint8Array)[i & MASK] as number;
    return tf === ESCAPE ? (this.large.get(i) as number) : tf;
  }
}
