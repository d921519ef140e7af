/**
 * A bounded cache from a piece's bytes to its merged tokens, in typed arrays keyed by the FNV hash
 * the encoder already computed, so a hit costs one probe and a byte compare and allocates nothing.
 * Prose repeats its multi-token words (gpt-tokenizer keeps an LRU of 100,000 pieces, HF tokenizers
 * 10,000 words for the same reason). When the arena fills, the cache starts over: simpler than
 * LRU and, with a vocabulary of recurring words, nearly as good.
 */
// 32k slots and 256 KB of keys hold every distinct multi-token piece of Moby Dick (10,637 pieces,
// 93.5 KB) with room to spare, for ≈1 MB per encoding.
const SLOTS = 1 << 15;
const MAX_PROBES = 8;
const ARENA_BYTES = 1 << 18;
const ARENA_TOKENS = 1 << 16;
/** Longer pieces are rare and would crowd the arena. */
export const MAX_CACHED_PIECE = 64;

export class MergeCache {
  private readonly hashes = new Int32Array(SLOTS);
  private readonly keyStarts = new Int32Array(SLOTS);
  /** Key length + 1; 0 marks an empty slot. */
  private readonly keyLengths = new Uint8Array(SLOTS);
  private readonly tokenStarts = new Int32Array(SLOTS);
  private readonly tokenCounts = new Uint8Array(SLOTS);
  private readonly bytes = new Uint8Array(ARENA_BYTES);
  /** Cached token ranks; read `tokens[tokenStart(slot) .. + tokenCount(slot))`. */
  readonly tokens = new Uint32Array(ARENA_TOKENS);
  private bytesUsed = 0;
  private tokensUsed = 0;

  /** Slot holding `piece[0, length)`, or -1. */
  find(piece: Uint8Array, length: number, hash: number): number {
    const mask = SLOTS - 1;
    for (let probe = 0, slot = hash & mask; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
      const keyLength = this.keyLengths[slot]!;
      if (keyLength === 0) return -1;
      if (this.hashes[slot] !== hash || keyLength !== length + 1) continue;
      const start = this.keyStarts[slot]!;
      let i = 0;
      while (i < length && this.bytes[start + i] === piece[i]) i++;
      if (i === length) return slot;
    }
    return -1;
  }

  tokenStart(slot: number): number {
    return this.tokenStarts[slot]!;
  }

  tokenCount(slot: number): number {
    return this.tokenCounts[slot]!;
  }

  store(piece: Uint8Array, length: number, hash: number, ranks: Int32Array, count: number): void {
    if (length > MAX_CACHED_PIECE) return;
    if (this.bytesUsed + length > ARENA_BYTES || this.tokensUsed + count > ARENA_TOKENS) this.clear();
    const mask = SLOTS - 1;
    let slot = hash & mask;
    let probe = 0;
    while (this.keyLengths[slot] !== 0 && probe < MAX_PROBES) {
      slot = (slot + 1) & mask;
      probe++;
    }
    if (probe === MAX_PROBES) slot = hash & mask; // crowded: overwrite the home slot
    this.hashes[slot] = hash;
    this.keyStarts[slot] = this.bytesUsed;
    this.keyLengths[slot] = length + 1;
    this.bytes.set(piece.subarray(0, length), this.bytesUsed);
    this.bytesUsed += length;
    this.tokenStarts[slot] = this.tokensUsed;
    this.tokenCounts[slot] = count;
    for (let i = 0; i < count; i++) this.tokens[this.tokensUsed + i] = ranks[i]!;
    this.tokensUsed += count;
  }

  private clear(): void {
    this.keyLengths.fill(0);
    this.bytesUsed = 0;
    this.tokensUsed = 0;
  }
}
