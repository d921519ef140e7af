import { astralFlags, bmpFlags, LETTER, LOWERISH, NUMBER, SPACE, UPPERISH } from './char-classes.js';
import type { PreTokenizer } from './pre-tokenizer.js';

/**
 * Hand-written scanners equivalent to tiktoken's split patterns (split-patterns.ts holds the regex
 * form, and the tests check the two agree). In JS, most of a tokenizer's time is the split regex
 * (tiktoken's own comment: "Most of the time is spent in regex"); a
 * scanner over a class table does the same leftmost-first alternation without backtracking search
 * or match objects. llama.cpp does the same for known patterns (`unicode_regex_split_custom`).
 */

const APOSTROPHE = 0x27;
const SPACE_CHAR = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const SLASH = 0x2f;

/** Width (1 or 2 code units) of the code point read by the last `flagsAt` call. */
let width = 1;

/** Class flags of the code point at `i` (< end); sets `width`. Unpaired surrogates have no class. */
function flagsAt(text: string, i: number, end: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdfff) {
    width = 1;
    return bmpFlags(code);
  }
  if (code <= 0xdbff && i + 1 < end) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      width = 2;
      return astralFlags(0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00));
    }
  }
  width = 1;
  return 0;
}

/** End of a run of code points having any of `mask`, from `i`. */
function runEnd(text: string, i: number, end: number, mask: number): number {
  while (i < end) {
    // ASCII letters and digits dominate prose and code: skip the call for them.
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if ((bmpFlags(code) & mask) === 0) return i;
      i++;
      continue;
    }
    if ((flagsAt(text, i, end) & mask) === 0) return i;
    i += width;
  }
  return i;
}

/** Whitespace (and \r\n, all BMP single units) tail shared by every pattern. Called with a space at `start`. */
function whitespaceEnd(text: string, start: number, end: number, crlfAlternative: boolean): number {
  const q = runEnd(text, start, end, SPACE);
  if (crlfAlternative) {
    // `\s*[\r\n]+`: the run up to and including its last \r or \n, if it has one.
    for (let k = q - 1; k >= start; k--) {
      const code = text.charCodeAt(k);
      if (code === CR || code === LF) return k + 1;
    }
  }
  // `\s+(?!\S)`: all of it at the end of input, else all but the last; `\s+`: a single space.
  if (q === end) return q;
  return q - start >= 2 ? q - 1 : q;
}

/** Length of a contraction at `i` (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`), or 0. */
function contractionLength(text: string, i: number, end: number, ignoreCase: boolean): number {
  if (i + 1 >= end || text.charCodeAt(i) !== APOSTROPHE) return 0;
  let c = text.charCodeAt(i + 1);
  if (ignoreCase) {
    // Rust's (?i) uses simple case folding: ſ (U+017F) folds to s.
    if (c === 0x17f) return 2;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
  }
  if (c === 0x73 || c === 0x74 || c === 0x6d || c === 0x64) return 2; // s t m d
  if (i + 2 >= end) return 0;
  let d = text.charCodeAt(i + 2);
  if (ignoreCase && d >= 0x41 && d <= 0x5a) d += 0x20;
  if ((c === 0x72 || c === 0x76) && d === 0x65) return 3; // re ve
  if (c === 0x6c && d === 0x6c) return 3; // ll
  return 0;
}

/** Flags for "other": not whitespace, letter or number. */
function isOther(flags: number): boolean {
  return (flags & (SPACE | LETTER | NUMBER)) === 0;
}

/** `'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` (r50k, p50k). */
export function r50kPieceEnd(text: string, start: number): number {
  const end = text.length;
  // Case-sensitive, so no ſ and no upper case.
  const contraction = contractionLength(text, start, end, false);
  if (contraction) return start + contraction;
  let flags = flagsAt(text, start, end);
  let body = start;
  if (text.charCodeAt(start) === SPACE_CHAR && start + 1 < end) {
    const next = flagsAt(text, start + 1, end);
    if ((next & (LETTER | NUMBER)) !== 0 || isOther(next)) {
      flags = next;
      body = start + 1;
    } else {
      flags = SPACE;
    }
  }
  if (flags & LETTER) return runEnd(text, body, end, LETTER);
  if (flags & NUMBER) return runEnd(text, body, end, NUMBER);
  if (isOther(flags)) {
    let i = body;
    while (i < end && isOther(flagsAt(text, i, end))) i += width;
    return i;
  }
  return whitespaceEnd(text, start, end, false);
}

/** cl100k_base's pattern; see split-patterns.ts. */
export function cl100kPieceEnd(text: string, start: number): number {
  const end = text.length;
  const first = text.charCodeAt(start);
  if (first === APOSTROPHE) {
    const contraction = contractionLength(text, start, end, true);
    if (contraction) return start + contraction;
  }
  const flags = flagsAt(text, start, end);
  const firstWidth = width;
  // `[^\r\n\p{L}\p{N}]?\p{L}+`
  if (flags & LETTER) return runEnd(text, start + firstWidth, end, LETTER);
  if ((flags & NUMBER) === 0 && first !== CR && first !== LF && start + firstWidth < end) {
    if (flagsAt(text, start + firstWidth, end) & LETTER) return runEnd(text, start + firstWidth, end, LETTER);
  }
  // `\p{N}{1,3}`
  if (flags & NUMBER) {
    let i = start + firstWidth;
    for (let n = 1; n < 3 && i < end; n++) {
      if ((flagsAt(text, i, end) & NUMBER) === 0) break;
      i += width;
    }
    return i;
  }
  // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
  let body = -1;
  if (isOther(flags)) body = start;
  else if (first === SPACE_CHAR && start + 1 < end && isOther(flagsAt(text, start + 1, end))) body = start + 1;
  if (body >= 0) {
    let i = body;
    while (i < end && isOther(flagsAt(text, i, end))) i += width;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code !== CR && code !== LF) break;
      i++;
    }
    return i;
  }
  return whitespaceEnd(text, start, end, true);
}

/** o200k's word alternatives from `s`: `[U]*[W]+contraction?` (`lowerFirst`) or `[U]+[W]*contraction?`; -1 if no match. */
function o200kWordEnd(text: string, s: number, end: number, lowerFirst: boolean): number {
  // U* greedy, remembering where the last code point that is also in W ends (for backtracking).
  let i = s;
  let lastLower = -1;
  while (i < end) {
    const flags = flagsAt(text, i, end);
    if ((flags & UPPERISH) === 0) break;
    i += width;
    if (flags & LOWERISH) lastLower = i;
  }
  const upperEnd = i;
  const lowerEnd = runEnd(text, upperEnd, end, LOWERISH);
  let wordEnd: number;
  if (lowerFirst) {
    if (lowerEnd > upperEnd) wordEnd = lowerEnd;
    else if (lastLower > 0) wordEnd = lastLower; // backtrack: W+ takes the last W in the U run
    else return -1;
  } else {
    if (upperEnd === s) return -1;
    wordEnd = lowerEnd;
  }
  return wordEnd + contractionLength(text, wordEnd, end, true);
}

/** o200k_base's pattern; see split-patterns.ts. */
export function o200kPieceEnd(text: string, start: number): number {
  const end = text.length;
  const first = text.charCodeAt(start);
  const flags = flagsAt(text, start, end);
  const firstWidth = width;
  // The optional prefix `[^\r\n\p{L}\p{N}]` is tried first, then without it, for each alternative.
  const prefixable = (flags & (LETTER | NUMBER)) === 0 && first !== CR && first !== LF && start + firstWidth < end;
  if (flags & (LETTER | UPPERISH | LOWERISH) || prefixable) {
    let wordEnd = prefixable ? o200kWordEnd(text, start + firstWidth, end, true) : -1;
    if (wordEnd < 0) wordEnd = o200kWordEnd(text, start, end, true);
    if (wordEnd < 0 && prefixable) wordEnd = o200kWordEnd(text, start + firstWidth, end, false);
    if (wordEnd < 0) wordEnd = o200kWordEnd(text, start, end, false);
    if (wordEnd >= 0) return wordEnd;
  }
  // `\p{N}{1,3}`
  if (flags & NUMBER) {
    let i = start + firstWidth;
    for (let n = 1; n < 3 && i < end; n++) {
      if ((flagsAt(text, i, end) & NUMBER) === 0) break;
      i += width;
    }
    return i;
  }
  // ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
  let body = -1;
  if (isOther(flags)) body = start;
  else if (first === SPACE_CHAR && start + 1 < end && isOther(flagsAt(text, start + 1, end))) body = start + 1;
  if (body >= 0) {
    let i = body;
    while (i < end && isOther(flagsAt(text, i, end))) i += width;
    while (i < end) {
      const code = text.charCodeAt(i);
      if (code !== CR && code !== LF && code !== SLASH) break;
      i++;
    }
    return i;
  }
  return whitespaceEnd(text, start, end, true);
}

/** A PreTokenizer backed by one of the scanners above. */
export class ScannerPreTokenizer implements PreTokenizer {
  readonly pieceEnd: (text: string, start: number) => number;

  constructor(pieceEnd: (text: string, start: number) => number) {
    this.pieceEnd = pieceEnd;
  }
}
