import { pinUnicodeClasses } from './unicode/pinned-pattern.js';

/**
 * Splits text into the pieces BPE runs on. Every pattern of tiktoken's encodings matches at least one
 * code point at any position, so pieces tile the text and a splitter only has to say where the
 * piece that starts at `start` ends.
 */
export interface PreTokenizer {
  /** End (exclusive, UTF-16 index) of the piece starting at `start`; `text` ends where the segment ends. */
  pieceEnd(text: string, start: number): number;
}

/**
 * A pre-tokenizer driven by a sticky JavaScript regular expression (`test` allocates no match
 * array). Its `\p{…}` classes are pinned to Unicode 16.0, as the scanners' are.
 */
export class RegexPreTokenizer implements PreTokenizer {
  private readonly regex: RegExp;

  constructor(source: string) {
    this.regex = new RegExp(pinUnicodeClasses(source), 'uy');
  }

  pieceEnd(text: string, start: number): number {
    const regex = this.regex;
    regex.lastIndex = start;
    if (regex.test(text) && regex.lastIndex > start) return regex.lastIndex;
    // Unreachable for tiktoken's patterns; step one code point so a custom pattern cannot loop forever.
    const code = text.charCodeAt(start);
    return code >= 0xd800 && code <= 0xdbff && start + 1 < text.length ? start + 2 : start + 1;
  }
}
