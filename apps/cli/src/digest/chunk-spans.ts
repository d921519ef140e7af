/**
 * The digest's chunks as offsets only: start, end and token count of each, in three typed arrays
 * (12 bytes a chunk). Their texts are the document's characters [start, end), read again where a
 * stage needs them, so a 74 MB book's chunks cost about 1 MB instead of a second copy of the book.
 */
export class ChunkSpans {
  private data: Uint32Array;
  private size = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(Math.max(1, capacity) * 3);
  }

  get count(): number {
    return this.size;
  }

  push(start: number, end: number, tokenCount: number): void {
    if (this.size * 3 === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set([start, end, tokenCount], this.size * 3);
    this.size++;
  }

  start(i: number): number {
    return this.data[i * 3]!;
  }

  end(i: number): number {
    return this.data[i * 3 + 1]!;
  }

  tokenCount(i: number): number {
    return this.data[i * 3 + 2]!;
  }

  /** Token counts of every chunk, for the size histogram. */
  tokenCounts(): number[] {
    return Array.from({ length: this.size }, (_, i) => this.tokenCount(i));
  }

  /** The spans as one array (start, end, tokens per chunk), for the content cache. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.size * 3);
  }

  static fromArray(array: Uint32Array): ChunkSpans {
    const spans = new ChunkSpans(array.length / 3);
    spans.data.set(array);
    spans.size = Math.floor(array.length / 3);
    return spans;
  }
}
