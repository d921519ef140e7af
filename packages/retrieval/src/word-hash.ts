/**
 * FNV-1a over 32-bit words in four interleaved lanes (word i goes to lane i mod 4), folded together
 * at the end. One FNV chain is bound by the latency of its multiply (about 1 ns a word); four
 * independent chains run about four times faster, which is what checking a large snapshot on every
 * open costs. Any change of a single word changes its lane (each step is a bijection) and so the
 * result.
 */
const OFFSET = 0x811c9dc5 | 0;
const PRIME = 0x01000193;

export class WordHash {
  private h0 = OFFSET;
  private h1 = OFFSET ^ 1;
  private h2 = OFFSET ^ 2;
  private h3 = OFFSET ^ 3;
  /** Words hashed so far (which lane the next word goes to). */
  private count = 0;

  update(words: Int32Array): this {
    let { h0, h1, h2, h3 } = this;
    let i = 0;
    const n = words.length;
    // Bring the next word to lane 0, then four words at a time.
    while (i < n && (this.count + i) % 4 !== 0) {
      const lane = (this.count + i) % 4;
      const w = words[i] as number;
      if (lane === 1) h1 = Math.imul(h1 ^ w, PRIME);
      else if (lane === 2) h2 = Math.imul(h2 ^ w, PRIME);
      else h3 = Math.imul(h3 ^ w, PRIME);
      i++;
    }
    const end = i + ((n - i) & ~3);
    for (; i < end; i += 4) {
      h0 = Math.imul(h0 ^ (words[i] as number), PRIME);
      h1 = Math.imul(h1 ^ (words[i + 1] as number), PRIME);
      h2 = Math.imul(h2 ^ (words[i + 2] as number), PRIME);
      h3 = Math.imul(h3 ^ (words[i + 3] as number), PRIME);
    }
    for (let lane = 0; i < n; i++, lane++) {
      const w = words[i] as number;
      if (lane === 0) h0 = Math.imul(h0 ^ w, PRIME);
      else if (lane === 1) h1 = Math.imul(h1 ^ w, PRIME);
      else h2 = Math.imul(h2 ^ w, PRIME);
    }
    Object.assign(this, { h0, h1, h2, h3 });
    this.count += n;
    return this;
  }

  /** Hashes bytes: whole words as words, a trailing 1–3 bytes as one more (zero-padded) word. */
  updateBytes(bytes: Uint8Array): this {
    const whole = bytes.byteLength >> 2;
    if (bytes.byteOffset % 4 === 0) this.update(new Int32Array(bytes.buffer, bytes.byteOffset, whole));
    else this.update(new Int32Array(bytes.slice(0, whole * 4).buffer));
    if (whole * 4 < bytes.byteLength) {
      const tail = new Uint8Array(4);
      tail.set(bytes.subarray(whole * 4));
      this.update(new Int32Array(tail.buffer));
    }
    return this;
  }

  digest(): number {
    let h = Math.imul(OFFSET ^ this.count, PRIME);
    for (const lane of [this.h0, this.h1, this.h2, this.h3]) h = Math.imul(h ^ lane, PRIME);
    return h >>> 0;
  }
}
