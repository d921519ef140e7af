import { ChunkwiseError, type TokenOffsets, type Tokenizer } from '@chunkwise/core';
import { bytePairMerge, MergeWorkspace } from './byte-pair-merge.js';
import { MergeCache } from './merge-cache.js';
import type { PreTokenizer } from './pre-tokenizer.js';
import { FNV_OFFSET, FNV_PRIME, type RankTable } from './rank-table.js';
import { SliceCounter } from './slice-count.js';
import { SpecialTokens, type SpecialTokenOptions } from './special-tokens.js';
import { createStreamingDecoder, type StreamingDecoder } from './streaming-decoder.js';
import { describeValue } from './describe-value.js';
import { TokenBuffer } from './token-buffer.js';

export type { SpecialTokenOptions } from './special-tokens.js';

/** Token ids with the UTF-16 span `[starts[i], ends[i])` of the source text each token covers: core's `TokenOffsets`. */
export type EncodedWithOffsets = TokenOffsets;

/** How `encodeWithOffsets` spans a token that starts or ends inside a character (see there). */
export type OffsetConvention = 'tile' | 'tiktoken';

export interface EncodeWithOffsetsOptions extends SpecialTokenOptions {
  /** Default `'tile'`: spans tile the text. `'tiktoken'`: tiktoken's decode_with_offsets starts, overlapping on split characters. */
  offsets?: OffsetConvention;
}

export interface EncodingDefinition {
  name: string;
  /** Called once, on first use: decoding and indexing the ranks is the encoding's load cost. */
  loadRanks: () => RankTable;
  preTokenizer: PreTokenizer;
  specialTokens: Record<string, number>;
}

const NO_LIMIT = Number.POSITIVE_INFINITY;

/**
 * A tiktoken-compatible BPE encoding: same ids as OpenAI's tiktoken for every input, including
 * lone surrogates (encoded as U+FFFD, as tiktoken does) and special-token rules.
 */
export class Encoding implements Tokenizer {
  readonly name: string;
  private readonly definition: EncodingDefinition;
  private readonly special: SpecialTokens;
  private ranks: RankTable | null = null;
  private readonly workspace = new MergeWorkspace();
  private readonly mergeCache = new MergeCache();
  /** UTF-8 of the current piece. */
  private pieceBytes = new Uint8Array(1024);
  /** For offsets: UTF-16 index, relative to the piece, of the first character starting at or after each byte. */
  private charIndex = new Int32Array(1025);
  private charStart = new Int32Array(1025);
  private readonly textDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(definition: EncodingDefinition) {
    checkDefinition(definition);
    this.name = definition.name;
    this.definition = definition;
    this.special = new SpecialTokens(definition.specialTokens);
  }

  /** Special tokens and their ids. */
  get specialTokens(): ReadonlyMap<string, number> {
    return this.special.ids;
  }

  /** One more than the highest id, special tokens included (tiktoken's `n_vocab`). */
  get vocabSize(): number {
    let max = this.table.size - 1;
    for (const id of this.special.ids.values()) max = Math.max(max, id);
    return max + 1;
  }

  /** The rank table, loaded on first use. */
  get table(): RankTable {
    return (this.ranks ??= this.definition.loadRanks());
  }

  /**
   * Token ids for `text`. Special tokens follow tiktoken: by default any special token in the text
   * throws `DISALLOWED_SPECIAL`; allow some to encode them as their ids.
   */
  encode(text: string, options: SpecialTokenOptions = {}): Uint32Array {
    checkText(text);
    const allowed = this.special.resolve(text, options);
    const out = new TokenBuffer(text.length >> 2, false);
    this.encodeWithSpecials(text, allowed, out);
    return out.ids.slice(0, out.length);
  }

  /** Token ids for `text`, treating special-token text as ordinary text. */
  encodeOrdinary(text: string): Uint32Array {
    checkText(text);
    const out = new TokenBuffer(text.length >> 2, false);
    this.encodeSegment(text, 0, text.length, out, NO_LIMIT);
    return out.ids.slice(0, out.length);
  }

  /**
   * Ids plus the UTF-16 span `[starts[i], ends[i])` of each token. Where a character's UTF-8 bytes
   * are split across tokens (emoji, CJK), two conventions exist; `offsets` picks one:
   *
   * - `'tile'` (default): spans tile the text (`starts[0] = 0`, `ends[i] = starts[i + 1]`, the last
   *   end is `text.length`). The character belongs to the token holding its first byte; a token of
   *   its remaining bytes only gets an empty span at the character's end. What chunkers and
   *   highlighting want: every character in exactly one span.
   * - `'tiktoken'`: tiktoken's `decode_with_offsets` convention: a token starts at the character
   *   holding its first byte and ends after the character holding its last byte, so tokens that
   *   share a character overlap on it (`starts[i]` is tiktoken's offset, in UTF-16 units instead of
   *   code points). This is core's `TokenOffsets` description.
   *
   * Both agree wherever no character is split.
   */
  encodeWithOffsets(text: string, options: EncodeWithOffsetsOptions = {}): TokenOffsets {
    checkText(text);
    const allowed = this.special.resolve(text, options);
    const convention = options.offsets ?? 'tile';
    if (convention !== 'tile' && convention !== 'tiktoken') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `offsets must be 'tile' or 'tiktoken', got ${describeValue(convention)}.`);
    }
    const out = new TokenBuffer(text.length >> 2, true);
    out.splitCharactersOverlap = convention === 'tiktoken';
    this.encodeWithSpecials(text, allowed, out);
    return { ids: out.ids.slice(0, out.length), starts: out.starts!.slice(0, out.length), ends: out.ends!.slice(0, out.length) };
  }

  /** Number of tokens `encodeOrdinary(text)` returns, without building the id array. */
  count(text: string): number {
    checkText(text);
    return this.encodeSegment(text, 0, text.length, null, NO_LIMIT);
  }

  /**
   * One pass over `text` (the ids and spans of `encodeWithOffsets`, special-token text as ordinary
   * text) that then counts any slice exactly: `counter.count(start, end) ===
   * this.count(text.slice(start, end))`, in time proportional to a few pieces near the slice's ends
   * instead of to its length. For chunkers that must know each chunk's exact count.
   */
  sliceCounter(text: string): SliceCounter {
    checkText(text);
    const { lengths } = this.table;
    return new SliceCounter(
      text,
      this.definition.preTokenizer,
      (piece, start, end, out) => this.encodePiece(piece, start, end, 0, out),
      (id) => lengths[id]!,
    );
  }

  /**
   * The token count when it is at most `limit`, else `false`. Stops as soon as the limit is passed,
   * so a check against a small budget costs little even on a huge text.
   */
  isWithinLimit(text: string, limit: number): number | false {
    checkText(text);
    if (!Number.isInteger(limit) || limit < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `limit must be a non-negative integer, got ${describeValue(limit)}.`);
    }
    const count = this.encodeSegment(text, 0, text.length, null, limit);
    return count <= limit ? count : false;
  }

  /** UTF-8 bytes of the tokens. Throws `NOT_FOUND` for an id that is not in the vocabulary. */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    checkIds(ids);
    const table = this.table;
    const { bytes, starts, lengths, size } = table;
    let total = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      // typeof first: comparing an array or object would run its toString.
      if (typeof id === 'number' && id === (id | 0) && id >= 0 && id < size && lengths[id] !== 0) total += lengths[id]!;
      else total += this.specialBytes(id).length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (typeof id === 'number' && id === (id | 0) && id >= 0 && id < size && lengths[id] !== 0) {
        const start = starts[id]!;
        const end = start + lengths[id]!;
        for (let j = start; j < end; j++) out[at++] = bytes[j]!;
      } else {
        const special = this.specialBytes(id);
        out.set(special, at);
        at += special.length;
      }
    }
    return out;
  }

  /**
   * Text of the tokens. Invalid UTF-8 (a sequence cut inside a character) becomes U+FFFD, as in
   * tiktoken's `decode(errors="replace")`; use `decodeBytes` or `createDecoder` to keep bytes exact.
   */
  decode(ids: ArrayLike<number>): string {
    return this.textDecoder.decode(this.decodeBytes(ids));
  }

  /** A decoder for ids that arrive in chunks; see {@link StreamingDecoder}. */
  createDecoder(): StreamingDecoder {
    return createStreamingDecoder((ids) => this.decodeBytes(ids));
  }

  private specialBytesCache = new Map<number, Uint8Array>();

  private specialBytes(id: number): Uint8Array {
    let bytes = this.specialBytesCache.get(id);
    if (bytes) return bytes;
    const text = this.special.texts.get(id);
    if (text === undefined) {
      throw new ChunkwiseError('NOT_FOUND', `Token id ${describeValue(id)} is not in ${this.name} (ids are integers from 0 to ${this.vocabSize - 1}).`, {
        details: { id: describeValue(id), encoding: this.name },
      });
    }
    bytes = new TextEncoder().encode(text);
    this.specialBytesCache.set(id, bytes);
    return bytes;
  }

  private encodeWithSpecials(text: string, allowed: ReadonlySet<string>, out: TokenBuffer): void {
    if (allowed.size === 0) {
      this.encodeSegment(text, 0, text.length, out, NO_LIMIT);
      return;
    }
    const regex = this.special.regexFor(allowed);
    regex.lastIndex = 0;
    let position = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      this.encodeSegment(text, position, match.index, out, NO_LIMIT);
      const id = this.special.ids.get(match[0])!;
      if (out.starts) out.pushWithSpan(id, match.index, match.index + match[0].length);
      else out.push(id);
      position = match.index + match[0].length;
    }
    this.encodeSegment(text, position, text.length, out, NO_LIMIT);
  }

  /**
   * Encodes `text[start, end)` as ordinary text. tiktoken splits the text between special tokens as
   * separate strings (so `\s+(?!\S)` sees the segment end as the end of input); a slice reproduces that.
   * Returns the number of tokens, stopping early once it exceeds `limit`.
   */
  private encodeSegment(text: string, start: number, end: number, out: TokenBuffer | null, limit: number): number {
    if (start === end) return 0;
    const segment = start === 0 && end === text.length ? text : text.slice(start, end);
    const preTokenizer = this.definition.preTokenizer;
    const length = segment.length;
    let count = 0;
    let position = 0;
    while (position < length) {
      const pieceEnd = preTokenizer.pieceEnd(segment, position);
      count += this.encodePiece(segment, position, pieceEnd, start, out);
      if (count > limit) return count;
      position = pieceEnd;
    }
    return count;
  }

  /** Encodes one piece, appending to `out` when given; returns its token count. */
  private encodePiece(text: string, start: number, end: number, base: number, out: TokenBuffer | null): number {
    const table = this.table;
    if (this.pieceBytes.length < (end - start) * 3) this.pieceBytes = new Uint8Array((end - start) * 3 + 1024);
    const bytes = this.pieceBytes;
    // UTF-8 and FNV-1a in one pass. Lone surrogates become U+FFFD (EF BF BD), as in tiktoken, whose
    // bindings receive the text as UTF-8.
    let hash = FNV_OFFSET;
    let n = 0;
    for (let i = start; i < end; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        bytes[n++] = code;
        hash = Math.imul(hash ^ code, FNV_PRIME);
        continue;
      }
      if (code < 0x800) {
        const b0 = 0xc0 | (code >> 6);
        const b1 = 0x80 | (code & 0x3f);
        bytes[n++] = b0;
        bytes[n++] = b1;
        hash = Math.imul(Math.imul(hash ^ b0, FNV_PRIME) ^ b1, FNV_PRIME);
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const low = i + 1 < end ? text.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          i++;
          const b0 = 0xf0 | (code >> 18);
          const b1 = 0x80 | ((code >> 12) & 0x3f);
          const b2 = 0x80 | ((code >> 6) & 0x3f);
          const b3 = 0x80 | (code & 0x3f);
          bytes[n++] = b0;
          bytes[n++] = b1;
          bytes[n++] = b2;
          bytes[n++] = b3;
          hash = Math.imul(Math.imul(Math.imul(Math.imul(hash ^ b0, FNV_PRIME) ^ b1, FNV_PRIME) ^ b2, FNV_PRIME) ^ b3, FNV_PRIME);
          continue;
        }
        code = 0xfffd;
      }
      const b0 = 0xe0 | (code >> 12);
      const b1 = 0x80 | ((code >> 6) & 0x3f);
      const b2 = 0x80 | (code & 0x3f);
      bytes[n++] = b0;
      bytes[n++] = b1;
      bytes[n++] = b2;
      hash = Math.imul(Math.imul(Math.imul(hash ^ b0, FNV_PRIME) ^ b1, FNV_PRIME) ^ b2, FNV_PRIME);
    }

    // Most pieces (≈90% of English prose) are a whole token: one probe, no merge.
    const whole = table.rankOfHashed(bytes, 0, n, hash);
    if (whole >= 0) {
      if (out) {
        if (out.starts) out.pushWithSpan(whole, base + start, base + end);
        else out.push(whole);
      }
      return 1;
    }

    // Offsets need each token's byte start, which the cache does not keep.
    if (!out?.starts) {
      const cache = this.mergeCache;
      const slot = cache.find(bytes, n, hash);
      if (slot >= 0) {
        const cached = cache.tokenCount(slot);
        if (out) {
          const tokens = cache.tokens;
          for (let t = cache.tokenStart(slot), stop = t + cached; t < stop; t++) out.push(tokens[t]!);
        }
        return cached;
      }
    }

    const workspace = this.workspace;
    const count = bytePairMerge(table, bytes, n, workspace);
    if (!out?.starts) this.mergeCache.store(bytes, n, hash, workspace.tokenRanks, count);
    if (!out) return count;
    const { tokenRanks, starts } = workspace;
    if (!out.starts) {
      for (let t = 0; t < count; t++) out.push(tokenRanks[t]!);
      return count;
    }
    const charIndex = this.mapBytesToChars(text, start, end, n);
    // tiktoken's convention starts a token at the character holding its first byte: the character
    // start at or before that byte.
    const from = out.splitCharactersOverlap ? this.charStart : charIndex;
    for (let t = 0; t < count; t++) {
      out.pushWithSpan(tokenRanks[t]!, base + start + from[starts[t]!]!, base + start + charIndex[starts[t + 1]!]!);
    }
    return count;
  }

  /**
   * Fills `charIndex[b]` = piece-relative UTF-16 index of the first character whose first byte is at
   * or after b, and `charStart[b]` = that of the character holding byte b.
   */
  private mapBytesToChars(text: string, start: number, end: number, byteLength: number): Int32Array {
    if (this.charIndex.length <= byteLength) {
      this.charIndex = new Int32Array(byteLength * 2 + 1);
      this.charStart = new Int32Array(byteLength * 2 + 1);
    }
    const charIndex = this.charIndex;
    const charStart = this.charStart;
    let b = 0;
    for (let i = start; i < end; i++) {
      const code = text.charCodeAt(i);
      let width: number;
      let units = 1;
      if (code < 0x80) width = 1;
      else if (code < 0x800) width = 2;
      else if (code >= 0xd800 && code <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        width = 4;
        units = 2;
      } else width = 3;
      charIndex[b] = i - start;
      charStart[b] = i - start;
      for (let k = 1; k < width; k++) {
        charIndex[b + k] = i - start + units;
        charStart[b + k] = i - start;
      }
      b += width;
      i += units - 1;
    }
    charIndex[byteLength] = end - start;
    return charIndex;
  }
}

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Expected text as a string, got ${describeValue(text)}.`);
  }
}

/** Ids must be an array-like (array, typed array) whose length is a safe integer; elements are checked as they are read. */
export function checkIds(ids: unknown): asserts ids is ArrayLike<number> {
  if (typeof ids !== 'object' || ids === null || !Number.isSafeInteger((ids as { length?: unknown }).length) || (ids as { length: number }).length < 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `Expected token ids as an array or typed array of integers, got ${describeValue(ids)}.`);
  }
}

function checkDefinition(definition: unknown): asserts definition is EncodingDefinition {
  const candidate = (typeof definition === 'object' && definition !== null ? definition : {}) as Partial<Record<keyof EncodingDefinition, unknown>>;
  const problem =
    typeof definition !== 'object' || definition === null
      ? `got ${describeValue(definition)}`
      : typeof candidate.name !== 'string'
        ? 'its name must be a string'
        : typeof candidate.loadRanks !== 'function'
          ? 'loadRanks must be a function returning a RankTable'
          : typeof candidate.preTokenizer !== 'object' || candidate.preTokenizer === null || typeof (candidate.preTokenizer as { pieceEnd?: unknown }).pieceEnd !== 'function'
            ? 'preTokenizer must have a pieceEnd(text, start) method'
            : typeof candidate.specialTokens !== 'object' ||
                candidate.specialTokens === null ||
                !Object.values(candidate.specialTokens).every((id) => Number.isInteger(id) && (id as number) >= 0)
              ? 'specialTokens must map token texts to non-negative integer ids'
              : undefined;
  if (problem !== undefined) throw new ChunkwiseError('INVALID_ARGUMENT', `An encoding definition needs name, loadRanks, preTokenizer and specialTokens: ${problem}.`);
}
