import { ChunkwiseError, type Span, type Tokenizer } from '@chunkwise/core';
import { describeValue, invalid, isObject, requireString } from './argument-checks.js';
import { scoresFromSizes, chunksTouching, type SpanScores } from './span-scores.js';
import { unionSpans, type SpanSet } from './span-set.js';

/** The UTF-16 span of every token of one text, in order (core's `TokenOffsets` without the ids). */
export interface TokenSpans {
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
}

/**
 * Token spans of `text`: the tokenizer's own `encodeWithOffsets` when it has one; otherwise each
 * token decoded alone, which is exact whenever the decoded pieces concatenate back to the text.
 * A tokenizer whose tokens split characters and has no offsets cannot be scored by tokens.
 */
export function tokenSpans(text: string, tokenizer: Tokenizer): TokenSpans {
  requireString(text, 'tokenSpans() text');
  const t = tokenizer as Partial<Tokenizer> | null;
  if (!isObject(t) || typeof t.encode !== 'function' || typeof t.decode !== 'function' || (t.encodeWithOffsets !== undefined && typeof t.encodeWithOffsets !== 'function')) {
    invalid(`tokenSpans() needs a Tokenizer with encode and decode (e.g. getEncoding('o200k_base') from @chunkwise/tokenizers), got ${describeValue(tokenizer)}.`);
  }
  if (tokenizer.encodeWithOffsets) {
    const { starts, ends } = tokenizer.encodeWithOffsets(text);
    return { starts, ends };
  }
  const ids = tokenizer.encode(text);
  const starts = new Uint32Array(ids.length);
  const ends = new Uint32Array(ids.length);
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const piece = tokenizer.decode([ids[i] as number]);
    if (text.startsWith(piece, at) === false) {
      throw new ChunkwiseError(
        'UNSUPPORTED',
        `Tokenizer ${tokenizer.name} splits characters across tokens and has no encodeWithOffsets, so token spans cannot be derived; use a tokenizer with offsets (e.g. @chunkwise/tokenizers).`,
      );
    }
    starts[i] = at;
    at += piece.length;
    ends[i] = at;
  }
  return { starts, ends };
}

/**
 * Marks which tokens touch a span set. Token starts never decrease, so one pass with a pointer into
 * the sorted set suffices; a token belongs to the set when it shares a character with it. A token
 * with an empty span (the later byte pieces of a character that byte-level BPE split, which
 * o200k's offsets place at the character's end) belongs to the character(s) of the token before it.
 */
function markTokens(tokens: TokenSpans, set: SpanSet): Uint8Array {
  const n = tokens.starts.length;
  const marks = new Uint8Array(n);
  let j = 0;
  let start = 0;
  let end = 0;
  for (let i = 0; i < n; i++) {
    if ((tokens.ends[i] as number) > (tokens.starts[i] as number) || i === 0) {
      start = tokens.starts[i] as number;
      end = tokens.ends[i] as number;
    }
    // Ranges that end at or before this token's start cannot touch it or any later token.
    while (j < set.length && (set[j] as Span).end <= start) j++;
    // The first range left ends after this token's start: they touch when it begins before the token ends.
    if (j < set.length && (set[j] as Span).start < end && end > start) marks[i] = 1;
  }
  return marks;
}

/** Token spans as `tokenSpans` makes them: equal-length lists of integer offsets, starts never decreasing. */
function assertTokens(tokens: TokenSpans): void {
  const isList = (value: unknown): value is ArrayLike<unknown> => (Array.isArray(value) || ArrayBuffer.isView(value)) && !(value instanceof DataView);
  if (!isObject(tokens) || !isList(tokens.starts) || !isList(tokens.ends)) invalid(`Token spans must be { starts, ends } lists (tokenSpans(corpus, tokenizer)), got ${describeValue(tokens)}.`);
  const { starts, ends } = tokens;
  if (starts.length !== ends.length) invalid(`Token spans need as many ends as starts, got ${starts.length} and ${ends.length}.`);
  let previous = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = ends[i];
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end) || start < previous || end < start) {
      invalid(`Token ${i} has the span [${describeValue(start)}, ${describeValue(end)}): token spans need integer offsets, starts in order and end ≥ start.`);
    }
    previous = start;
  }
}

/**
 * Recall, precision and IoU counted in tokens instead of characters: a token is retrieved (or
 * evidence) when any of its characters is (an empty-span token shares its predecessor's). This is the token-level IoU of Chroma's chunking
 * evaluation; `tokens` are the spans of the whole corpus text (`tokenSpans(corpus, tokenizer)`).
 */
export function tokenSpanScores(retrieved: readonly Span[], references: readonly Span[], tokens: TokenSpans): SpanScores {
  assertTokens(tokens);
  const r = markTokens(tokens, unionSpans(retrieved, 'A retrieved span'));
  const g = markTokens(tokens, unionSpans(references, 'A reference span'));
  let shared = 0;
  let inR = 0;
  let inG = 0;
  for (let i = 0; i < r.length; i++) {
    inR += r[i] as number;
    inG += g[i] as number;
    shared += (r[i] as number) & (g[i] as number);
  }
  return scoresFromSizes(shared, inR, inG);
}

/** Precision-Ω counted in tokens: the token precision of retrieving every chunk that touches a reference. */
export function tokenPrecisionOmega(chunks: readonly Span[], references: readonly Span[], tokens: TokenSpans): number {
  return tokenSpanScores(chunksTouching(chunks, references), references, tokens).precision;
}
