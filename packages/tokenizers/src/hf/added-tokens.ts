import type { AddedTokenJson } from './tokenizer-json.js';
import { pinnedRegExp } from '../unicode/pinned-pattern.js';

/** A piece of text between added tokens (id -1) or an added token's match, in UTF-16 units. */
export interface AddedSplit {
  start: number;
  end: number;
  id: number;
}

const WORD = pinnedRegExp('^[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]$');
const SPACE = pinnedRegExp('^\\p{White_Space}$');

/** Whether the code point ending at `at` (before) or starting at `at` (after) is a word character. */
function wordBefore(text: string, at: number): boolean {
  const width = at >= 2 && (text.charCodeAt(at - 1) & 0xfc00) === 0xdc00 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800 ? 2 : 1;
  return WORD.test(text.slice(at - width, at));
}
function wordAfter(text: string, at: number): boolean {
  return WORD.test(String.fromCodePoint(text.codePointAt(at)!));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds added tokens in text as tokenizers' AddedVocabulary::find_matches does: leftmost-longest
 * matches; a `single_word` token only where no word character (Rust's Unicode \w) touches it; an
 * `lstrip`/`rstrip` token also takes the whitespace on its left/right (not already taken by the
 * previous match).
 */
export class AddedTokenMatcher {
  private readonly regex: RegExp | null;
  private readonly byPattern = new Map<string, AddedTokenJson>();

  /** `patternOf` gives the text to look for: the content, or its normalized form for `normalized` tokens. */
  constructor(tokens: AddedTokenJson[], patternOf: (token: AddedTokenJson) => string) {
    for (const token of tokens) {
      const pattern = patternOf(token);
      if (pattern && !this.byPattern.has(pattern)) this.byPattern.set(pattern, token);
    }
    // Longest first, so the leftmost match is also the longest, as tokenizers' Aho-Corasick finds it.
    const alternatives = [...this.byPattern.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
    this.regex = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : null;
  }

  /** Splits covering `text`, in order; empty text gives one empty split. */
  split(text: string): AddedSplit[] {
    if (!this.regex) return [{ start: 0, end: text.length, id: -1 }];
    const splits: AddedSplit[] = [];
    let offset = 0;
    const regex = this.regex;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      const token = this.byPattern.get(match[0])!;
      let start = match.index;
      let end = start + match[0].length;
      if (token.single_word) {
        const alone = (start === 0 || !wordBefore(text, start)) && (end === text.length || !wordAfter(text, end));
        if (!alone) continue;
      }
      if (token.lstrip) {
        while (start > offset && SPACE.test(text[start - 1]!)) start--;
      }
      if (token.rstrip) {
        while (end < text.length && SPACE.test(text[end]!)) end++;
        regex.lastIndex = end;
      }
      if (offset < start) splits.push({ start: offset, end: start, id: -1 });
      splits.push({ start, end, id: token.id });
      offset = end;
    }
    if (offset < text.length || splits.length === 0) splits.push({ start: offset, end: text.length, id: -1 });
    return splits;
  }
}
