import { ChunkwiseError, type SliceCounter as SliceCounterContract } from '@chunkwise/core';
import { describeValue } from './describe-value.js';
import type { PreTokenizer } from './pre-tokenizer.js';
import { cl100kPieceEnd, o200kPieceEnd, r50kPieceEnd, ScannerPreTokenizer } from './split-scanners.js';
import { TokenBuffer } from './token-buffer.js';

/** Encodes `text[start, end)` as one piece: appends to `out` when given, returns the token count. */
export type PieceEncoder = (text: string, start: number, end: number, out: TokenBuffer | null) => number;

/**
 * How far past the end `q` of a piece a built-in scanner reads before it settles on `q`: the
 * contraction test after a word reads up to `q + 2`; `\s+(?!\S)` reads the code point after the
 * run (`q + 1`, and its low surrogate at `q + 2`). Cutting the text at `q + 1` can change the piece
 * (the run then touches the end of input, where `\s+(?!\S)` takes it all), so with this margin every
 * read stays inside the slice. The two scans that read further — o200k's upper-case run backing
 * off to its last lower-case-capable letter, and `\s*[\r\n]+` backing off to the run's last newline
 * — return the same `q` wherever the text is cut after `q + 2`. So a piece that ends at or before
 * `end - TRUNCATION_MARGIN` is the same piece in `text.slice(0, end)` (exhaustively tested on short
 * texts over exactly these characters: a margin of 1 fails).
 */
const TRUNCATION_MARGIN = 3;

/** Scanners known to look only forward with the margin above (tiktoken's patterns have no lookbehind). */
const FORWARD_SCANNERS = new Set<(text: string, start: number) => number>([r50kPieceEnd, cl100kPieceEnd, o200kPieceEnd]);

function isForwardScanner(preTokenizer: PreTokenizer): boolean {
  return preTokenizer instanceof ScannerPreTokenizer && FORWARD_SCANNERS.has(preTokenizer.pieceEnd);
}

/**
 * One tokenization pass over a text that then counts the tokens of any slice of it exactly:
 * `counter.count(start, end) === encoding.count(text.slice(start, end))`, usually in time
 * proportional to a few pieces (words) rather than to the slice.
 *
 * The pass keeps every pre-token (piece) boundary and the token count before it. A slice is
 * pre-tokenized afresh from `start` until one of its pieces ends on a whole-text boundary (piece
 * scans read only forward, so from there on the pieces agree); the pieces in between are read
 * from the prefix sums; the last few, whose scan could see the slice's end, are tokenized again.
 * Encodings with a pre-tokenizer not known to have that property count the slice directly.
 */
export class SliceCounter implements SliceCounterContract {
  /** Token ids of the whole text, special-token text encoded as ordinary text (as `count` does). */
  readonly ids: Uint32Array;
  /** UTF-16 span of each token, as in `Encoding.encodeWithOffsets`. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  /** Piece boundaries, ascending: 0, end of the first piece, …, text length. */
  private readonly boundaries: Uint32Array;
  /** Tokens before each boundary. */
  private readonly tokensBefore: Uint32Array;
  private readonly exact: boolean;

  /** Use `Encoding.sliceCounter(text)`. */
  constructor(
    readonly text: string,
    private readonly preTokenizer: PreTokenizer,
    private readonly encodePiece: PieceEncoder,
    tokenByteLength: (id: number) => number,
  ) {
    this.exact = isForwardScanner(preTokenizer);
    const length = text.length;
    // Ids through the encoder's cached path (offsets would bypass its merge cache); spans are then
    // rebuilt from each token's byte length, only for the pieces that are more than one token.
    const out = new TokenBuffer(length >> 2, false);
    let starts: Uint32Array<ArrayBuffer> = new Uint32Array(out.ids.length);
    let ends: Uint32Array<ArrayBuffer> = new Uint32Array(out.ids.length);
    const boundaries = new Uint32Array(length + 1);
    const tokensBefore = new Uint32Array(length + 1);
    let size = 1;
    let position = 0;
    while (position < length) {
      const pieceEnd = preTokenizer.pieceEnd(text, position);
      const first = out.length;
      encodePiece(text, position, pieceEnd, out);
      if (starts.length < out.ids.length) {
        starts = grown(starts, out.ids.length);
        ends = grown(ends, out.ids.length);
      }
      if (out.length === first + 1) {
        starts[first] = position;
        ends[first] = pieceEnd;
      } else {
        tokenSpans(text, position, pieceEnd, out.ids, first, out.length, tokenByteLength, starts, ends);
      }
      boundaries[size] = pieceEnd;
      tokensBefore[size] = out.length;
      size++;
      position = pieceEnd;
    }
    this.boundaries = boundaries.slice(0, size);
    this.tokensBefore = tokensBefore.slice(0, size);
    this.ids = out.ids.slice(0, out.length);
    this.starts = starts.slice(0, out.length);
    this.ends = ends.slice(0, out.length);
  }

  /** Tokens of the whole text. */
  get total(): number {
    return this.ids.length;
  }

  /** Exactly `encoding.count(text.slice(start, end))`. */
  count(start: number, end: number): number {
    const length = this.text.length;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > length) {
      throw new ChunkwiseError(
        'INVALID_ARGUMENT',
        `A slice needs integers 0 <= start <= end <= ${String(length)}, got [${describeValue(start)}, ${describeValue(end)}).`,
        { details: { start: describeValue(start), end: describeValue(end), length } },
      );
    }
    if (start === end) return 0;
    const slice = this.text.slice(start, end);
    if (!this.exact) return this.countPieces(slice, 0, end - start);
    const boundaries = this.boundaries;
    const stable = end - TRUNCATION_MARGIN;
    // Head: the slice's own pieces until one ends on a whole-text boundary that is still clear of
    // the end (a boundary within the margin does not help: the tail is scanned from there anyway).
    let i = this.boundaryAtMost(start);
    let position = start;
    let tokens = 0;
    while (position < end && !(boundaries[i] === position && position <= stable)) {
      const pieceEnd = start + this.preTokenizer.pieceEnd(slice, position - start);
      tokens += this.encodePiece(slice, position - start, pieceEnd - start, null);
      position = pieceEnd;
      while ((boundaries[i + 1] ?? Infinity) <= position) i++;
    }
    if (position >= end) return tokens;
    // Interior: whole-text pieces that end clear of the slice's end are the slice's pieces.
    const j = this.boundaryAtMost(stable);
    tokens += this.tokensBefore[j]! - this.tokensBefore[i]!;
    // Tail: pieces whose scan may have seen past `end` in the whole text.
    return tokens + this.countPieces(slice, boundaries[j]! - start, end - start);
  }

  /**
   * The last pre-token (piece) boundary `<= position`: tokenizing `text.slice(boundary)` gives this
   * pass' tokens from there on (apart from the last few characters' pieces, as for any slice). For a
   * pre-tokenizer not known to look only forward, `position` itself.
   */
  pieceStartAtMost(position: number): number {
    if (!Number.isInteger(position) || position < 0 || position > this.text.length) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `position must be an integer in [0, ${String(this.text.length)}], got ${describeValue(position)}.`);
    }
    return this.exact ? this.boundaries[this.boundaryAtMost(position)]! : position;
  }

  /** Tokens of `slice[from, to)` where `to` is the slice's end, pre-tokenized afresh. */
  private countPieces(slice: string, from: number, to: number): number {
    let tokens = 0;
    for (let position = from; position < to; ) {
      const pieceEnd = this.preTokenizer.pieceEnd(slice, position);
      tokens += this.encodePiece(slice, position, pieceEnd, null);
      position = pieceEnd;
    }
    return tokens;
  }

  /** Index of the last boundary `<= position`. */
  private boundaryAtMost(position: number): number {
    const boundaries = this.boundaries;
    let lo = 0;
    let hi = boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (boundaries[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function grown(array: Uint32Array, size: number): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(size);
  bigger.set(array);
  return bigger;
}

/**
 * UTF-16 spans of the tokens `ids[from, to)` of the piece `text[start, end)`, from their UTF-8
 * byte lengths, as `encodeWithOffsets` reports them: a character split across tokens belongs to the
 * token holding its first byte; a token of continuation bytes only gets an empty span at its end.
 */
function tokenSpans(
  text: string,
  start: number,
  end: number,
  ids: Uint32Array,
  from: number,
  to: number,
  tokenByteLength: (id: number) => number,
  starts: Uint32Array,
  ends: Uint32Array,
): void {
  let char = start; // first character starting at or after byte `byte`
  let byte = 0;
  let tokenEnd = 0;
  starts[from] = start;
  for (let t = from; t < to - 1; t++) {
    tokenEnd += tokenByteLength(ids[t]!);
    while (byte < tokenEnd) {
      // UTF-8 width of the character at `char`; lone surrogates are encoded as U+FFFD (3 bytes).
      const code = text.charCodeAt(char);
      if (code < 0x80) byte += 1;
      else if (code < 0x800) byte += 2;
      else if (code >= 0xd800 && code <= 0xdbff && char + 1 < end && (text.charCodeAt(char + 1) & 0xfc00) === 0xdc00) {
        byte += 4;
        char++;
      } else byte += 3;
      char++;
    }
    ends[t] = char;
    starts[t + 1] = char;
  }
  ends[to - 1] = end;
}
