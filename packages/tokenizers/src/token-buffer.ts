/** A growable list of token ids, with optional UTF-16 spans, that the encoder appends to. */
export class TokenBuffer {
  ids: Uint32Array;
  starts: Uint32Array | null;
  ends: Uint32Array | null;
  length = 0;
  /** Offsets in tiktoken's convention: a token inside a character starts at that character. */
  splitCharactersOverlap = false;

  constructor(capacity: number, withOffsets: boolean) {
    const size = Math.max(16, capacity);
    this.ids = new Uint32Array(size);
    this.starts = withOffsets ? new Uint32Array(size) : null;
    this.ends = withOffsets ? new Uint32Array(size) : null;
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const ids = new Uint32Array(size);
    ids.set(this.ids);
    this.ids = ids;
    if (this.starts && this.ends) {
      const starts = new Uint32Array(size);
      starts.set(this.starts);
      this.starts = starts;
      const ends = new Uint32Array(size);
      ends.set(this.ends);
      this.ends = ends;
    }
  }

  push(id: number): void {
    if (this.length === this.ids.length) this.grow();
    this.ids[this.length++] = id;
  }

  pushWithSpan(id: number, start: number, end: number): void {
    if (this.length === this.ids.length) this.grow();
    this.ids[this.length] = id;
    this.starts![this.length] = start;
    this.ends![this.length] = end;
    this.length++;
  }
}
