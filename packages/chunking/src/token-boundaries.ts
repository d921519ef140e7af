import { ChunkwiseError, type Tokenizer } from '@chunkwise/core';

/**
 * Where a text's tokens end, from one tokenization pass. Tokens that share a code point (byte-level
 * BPE splits a multi-byte character over several tokens) are fused into one group, so every
 * position listed here is a place a chunk may end without introducing U+FFFD.
 */
export interface TokenBoundaries {
  /** Total tokens of the whole text. */
  readonly total: number;
  /**
   * Tokens of the whole-text pass that end at or before `position`. `prefix(b) - prefix(a)`
   * estimates `count(text.slice(a, b))`, exactly for most tokenizers when a and b are stops;
   * chunkers plan with it and verify each chunk once with `count`.
   */
  prefix(position: number): number;
  /** The last stop `<= position`. */
  floorStop(position: number): number;
  /** The last stop whose prefix is `<= tokens`. */
  stopForTokens(tokens: number): number;
  /** The first stop whose prefix is `>= tokens` (the text length when none). */
  firstStopWithTokens(tokens: number): number;
  /** The first stop `> position` (the text length when none). */
  nextStop(position: number): number;
}

/**
 * Token spans (UTF-16) per token, from the tokenizer's `encodeWithOffsets` (core's `Tokenizer`
 * contract) or derived by decoding. Without reported starts, each token is taken to start where
 * the previous one ended.
 */
function tokenSpans(tokenizer: Tokenizer, text: string): { starts: ArrayLike<number> | undefined; ends: ArrayLike<number> } {
  // Special-token text is chunked as ordinary text, as `count` sees it.
  const offsets = tokenizer.encodeWithOffsets?.(text, { allowedSpecial: [], disallowedSpecial: [] });
  if (offsets) return { starts: offsets.starts, ends: offsets.ends };
  return { starts: undefined, ends: endsByDecoding(tokenizer, text) };
}

/** UTF-16 end offset of each token of `text` (tokens that split a character share its end). */
export function tokenEndOffsets(tokenizer: Tokenizer, text: string): ArrayLike<number> {
  return tokenSpans(tokenizer, text).ends;
}

/**
 * Fallback for tokenizers without offsets: decode token by token and walk a cursor through the
 * text. A cut after a token is real only when decoding both sides apart gives the same string as
 * decoding them together (byte-level BPE tokens that split a character fail this: each side then
 * decodes to U+FFFD). Costs a few decodes per token, once.
 */
function endsByDecoding(tokenizer: Tokenizer, text: string): Uint32Array {
  const ids = tokenizer.encode(text);
  const ends = new Uint32Array(ids.length);
  let cursor = 0;
  let pendingFrom = 0;
  for (let i = 0; i < ids.length; i++) {
    const left = tokenizer.decode(ids.subarray(pendingFrom, i + 1));
    const lookahead = Math.min(ids.length, i + 5);
    const separable =
      lookahead === i + 1 || left + tokenizer.decode(ids.subarray(i + 1, lookahead)) === tokenizer.decode(ids.subarray(pendingFrom, lookahead));
    if (separable && text.startsWith(left, cursor)) {
      cursor += left.length;
      for (let k = pendingFrom; k <= i; k++) ends[k] = cursor;
      pendingFrom = i + 1;
    } else if (i + 1 - pendingFrom >= 16 || i + 1 === ids.length) {
      throw new ChunkwiseError(
        'UNSUPPORTED',
        `Tokenizer "${tokenizer.name}" does not round-trip this text (decode(encode(s)) !== s), so chunk offsets cannot be derived; give it an encodeWithOffsets method.`,
        { details: { tokenizer: tokenizer.name, at: cursor } },
      );
    }
  }
  return ends;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** True when a chunk may start or end at `position` without cutting a surrogate pair. */
export function isCodePointBoundary(text: string, position: number): boolean {
  if (position <= 0 || position >= text.length) return true;
  return !(isLowSurrogate(text.charCodeAt(position)) && isHighSurrogate(text.charCodeAt(position - 1)));
}

/**
 * Records where token groups end, from token spans already computed (a slice counter's pass) or
 * by tokenizing `text` once.
 */
export function computeTokenBoundaries(
  tokenizer: Tokenizer,
  text: string,
  spans: { starts: ArrayLike<number> | undefined; ends: ArrayLike<number> } = tokenSpans(tokenizer, text),
): TokenBoundaries {
  const { starts, ends } = spans;
  const count = ends.length;
  // Typed arrays sized for the worst case (one stop per token): no per-token allocation.
  const stops = new Uint32Array(count + 2);
  const tokensAt = new Uint32Array(count + 2);
  let size = 1;
  let last = 0;
  for (let i = 0; i < count; i++) {
    const end = Math.min(ends[i] ?? 0, text.length);
    // A group closes only where the next token starts at or after it and no code point is cut.
    const nextStartsAfter = i + 1 === count || (starts ? (starts[i + 1] ?? 0) >= end : (ends[i + 1] ?? 0) > end);
    if (end > last && nextStartsAfter && isCodePointBoundary(text, end)) {
      stops[size] = end;
      tokensAt[size] = i + 1;
      size++;
      last = end;
    }
  }
  if (last < text.length) {
    stops[size] = text.length;
    tokensAt[size] = count;
    size++;
  } else if (count > 0) {
    tokensAt[size - 1] = count;
  }
  return boundariesFrom(stops.subarray(0, size), tokensAt.subarray(0, size), count);
}

/** Walks back over equal values so the first of a run is found. */
function firstIndexOf(values: Uint32Array, value: number, from: number): number {
  let i = from;
  while (i > 0 && values[i - 1] === value) i--;
  return i;
}

function boundariesFrom(stops: Uint32Array, tokensAt: Uint32Array, total: number): TokenBoundaries {
  const lastIndexAtMost = (values: Uint32Array, limit: number): number => {
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((values[mid] ?? 0) <= limit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    total,
    prefix: (position) => tokensAt[lastIndexAtMost(stops, position)] ?? 0,
    floorStop: (position) => stops[lastIndexAtMost(stops, position)] ?? 0,
    stopForTokens: (tokens) => stops[lastIndexAtMost(tokensAt, tokens)] ?? 0,
    firstStopWithTokens: (tokens) => {
      const i = lastIndexAtMost(tokensAt, tokens);
      const at = tokensAt[i] ?? 0;
      return at >= tokens ? (stops[firstIndexOf(tokensAt, at, i)] ?? 0) : (stops[i + 1] ?? stops[stops.length - 1] ?? 0);
    },
    nextStop: (position) => stops[lastIndexAtMost(stops, position) + 1] ?? stops[stops.length - 1] ?? 0,
  };
}

/** Boundaries for the character tokenizer: every code-point boundary is a stop. */
export function characterBoundaries(text: string): TokenBoundaries {
  const floor = (position: number): number => {
    const p = Math.max(0, Math.min(position, text.length));
    return isCodePointBoundary(text, p) ? p : p - 1;
  };
  const ceil = (position: number): number => {
    const p = Math.max(0, Math.min(position, text.length));
    return isCodePointBoundary(text, p) ? p : p + 1;
  };
  return {
    total: text.length,
    prefix: (position) => position,
    floorStop: floor,
    stopForTokens: floor,
    firstStopWithTokens: ceil,
    nextStop: (position) => ceil(position + 1),
  };
}
