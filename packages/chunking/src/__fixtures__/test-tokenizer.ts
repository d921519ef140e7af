import type { Tokenizer } from '@chunkwise/core';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PIECES = /\s?\p{L}+|\s?\p{N}{1,3}|\s+(?!\S)|\s+|[^\s\p{L}\p{N}]+/gu;

/**
 * A small deterministic byte-level tokenizer for unit tests: tiktoken-style pre-tokenization, then
 * each piece's UTF-8 bytes in tokens of up to 3 bytes. Like real BPE it splits multi-byte
 * characters across tokens and is not additive (count("abcd") + count("ef") > count("abcdef")).
 */
export class ByteTripletTokenizer implements Tokenizer {
  readonly name = 'byte-triplets';

  encode(text: string): Uint32Array {
    return Uint32Array.from(this.tokens(text).map((token) => token.id));
  }

  decode(ids: ArrayLike<number>): string {
    const bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? 0;
      const length = id >>> 24;
      for (let k = 0; k < length; k++) bytes.push((id >>> (16 - 8 * k)) & 0xff);
    }
    return decoder.decode(new Uint8Array(bytes));
  }

  count(text: string): number {
    return this.tokens(text).length;
  }

  protected tokens(text: string): { id: number; start: number; end: number }[] {
    const out: { id: number; start: number; end: number }[] = [];
    for (const match of text.matchAll(PIECES)) {
      const piece = match[0];
      // UTF-16 offset of each byte's code point, so a token ending mid-character spans all of it.
      const bytes: number[] = [];
      const unitStart: number[] = [];
      const unitEnd: number[] = [];
      let offset = match.index;
      for (const char of piece) {
        const encoded = encoder.encode(char);
        for (const byte of encoded) {
          bytes.push(byte);
          unitStart.push(offset);
          unitEnd.push(offset + char.length);
        }
        offset += char.length;
      }
      for (let i = 0; i < bytes.length; i += 3) {
        const length = Math.min(3, bytes.length - i);
        let id = length << 24;
        for (let k = 0; k < length; k++) id |= (bytes[i + k] ?? 0) << (16 - 8 * k);
        out.push({ id: id >>> 0, start: unitStart[i] ?? 0, end: unitEnd[i + length - 1] ?? 0 });
      }
    }
    return out;
  }
}

/** The same tokenizer, also reporting UTF-16 spans per token like `@chunkwise/tokenizers` does. */
export class OffsetByteTripletTokenizer extends ByteTripletTokenizer {
  encodeWithOffsets(text: string): { ids: Uint32Array; starts: Uint32Array; ends: Uint32Array } {
    const tokens = this.tokens(text);
    return {
      ids: Uint32Array.from(tokens.map((token) => token.id)),
      starts: Uint32Array.from(tokens.map((token) => token.start)),
      ends: Uint32Array.from(tokens.map((token) => token.end)),
    };
  }
}
