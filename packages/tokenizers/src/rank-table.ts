import { ChunkwiseError } from '@chunkwise/core';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over `bytes[start, end)`; the encoder computes the same hash while it writes a piece's UTF-8. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}
export { FNV_OFFSET, FNV_PRIME };

/**
 * A BPE vocabulary: token bytes in rank order plus an open-addressing hash table from bytes to rank.
 * Everything lives in typed arrays, so a lookup allocates nothing and never builds a string
 * (string hashing is most of a JS tokenizer's time after the regex).
 */
export class RankTable {
  /** All token bytes, concatenated in rank order. */
  readonly bytes: Uint8Array;
  /** `bytes.subarray(starts[r], starts[r] + lengths[r])` is the token with rank r. */
  readonly starts: Uint32Array;
  /** Token length in bytes per rank; 0 where no token has that rank. */
  readonly lengths: Uint8Array | Uint32Array;
  /** Number of rank slots (highest rank + 1). */
  readonly size: number;
  /** Rank of each single byte (every byte is a token in tiktoken's encodings). */
  readonly byteRanks: Int32Array;
  /** Rank of every two-byte token, indexed by `first << 8 | second`, or -1: the merge's hottest lookup. */
  readonly pairRanks: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  private constructor(bytes: Uint8Array, starts: Uint32Array, lengths: Uint8Array | Uint32Array) {
    this.bytes = bytes;
    this.starts = starts;
    this.lengths = lengths;
    this.size = lengths.length;
    let capacity = 1;
    // Load factor ≤ 0.4 keeps linear probing short.
    while (capacity < this.size * 2.5) capacity <<= 1;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.byteRanks = new Int32Array(256).fill(-1);
    this.pairRanks = new Int32Array(65536).fill(-1);
    for (let rank = 0; rank < this.size; rank++) {
      const length = lengths[rank]!;
      if (length === 0) continue;
      const start = starts[rank]!;
      if (length === 1) this.byteRanks[bytes[start]!] = rank;
      else if (length === 2) this.pairRanks[(bytes[start]! << 8) | bytes[start + 1]!] = rank;
      let slot = fnv1a(bytes, start, start + length) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = rank + 1;
    }
    for (let b = 0; b < 256; b++) {
      if (this.byteRanks[b] === -1) {
        throw new ChunkwiseError('CORRUPT_DATA', `Rank data has no token for byte 0x${b.toString(16)}; every byte must be a token.`);
      }
    }
  }

  /** Parses the CWR1 format written by scripts/generate-data.mjs. */
  static fromBinary(data: Uint8Array): RankTable {
    if (data.length < 8 || data[0] !== 0x43 || data[1] !== 0x57 || data[2] !== 0x52 || data[3] !== 0x31) {
      throw new ChunkwiseError('CORRUPT_DATA', 'Rank data does not start with the CWR1 magic; regenerate it with scripts/generate-data.mjs.');
    }
    const size = (data[4]! | (data[5]! << 8) | (data[6]! << 16) | (data[7]! << 24)) >>> 0;
    const lengths = data.subarray(8, 8 + size);
    const bytes = data.subarray(8 + size);
    const starts = new Uint32Array(size);
    let at = 0;
    for (let rank = 0; rank < size; rank++) {
      starts[rank] = at;
      at += lengths[rank]!;
    }
    if (at !== bytes.length) {
      throw new ChunkwiseError('CORRUPT_DATA', `Rank data is truncated or padded: lengths sum to ${at} bytes, found ${bytes.length}.`);
    }
    return new RankTable(bytes, starts, lengths);
  }

  /**
   * A table from token bytes indexed by rank (undefined: no token has that rank). Unlike the CWR1
   * format, a token may be longer than 255 bytes (some tokenizer.json vocabularies have such entries).
   */
  static fromTokens(tokens: readonly (Uint8Array | undefined)[]): RankTable {
    const size = tokens.length;
    const lengths = new Uint32Array(size);
    const starts = new Uint32Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      starts[rank] = total;
      lengths[rank] = tokens[rank]?.length ?? 0;
      total += lengths[rank]!;
    }
    const bytes = new Uint8Array(total);
    for (let rank = 0; rank < size; rank++) {
      const token = tokens[rank];
      if (token) bytes.set(token, starts[rank]!);
    }
    return new RankTable(bytes, starts, lengths);
  }

  /** Rank of the token equal to `buffer[start, end)` whose FNV-1a hash is `hash`, or -1. */
  rankOfHashed(buffer: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const bytes = this.bytes;
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) return -1;
      const rank = entry - 1;
      if (this.lengths[rank] === length) {
        let at = this.starts[rank]!;
        let i = start;
        while (i < end && bytes[at] === buffer[i]) {
          at++;
          i++;
        }
        if (i === end) return rank;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Rank of the token equal to `buffer[start, end)`, or -1. */
  rankOf(buffer: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 2) return this.pairRanks[(buffer[start]! << 8) | buffer[start + 1]!]!;
    if (length === 1) return this.byteRanks[buffer[start]!]!;
    return this.rankOfHashed(buffer, start, end, fnv1a(buffer, start, end));
  }

  /** True when some token has this rank. */
  has(rank: number): boolean {
    return rank >= 0 && rank < this.size && this.lengths[rank] !== 0;
  }
}
