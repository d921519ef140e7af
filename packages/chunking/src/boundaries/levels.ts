import { sentenceSplits } from './sentences.js';

/**
 * One level of a splitting hierarchy: the places where `[start, end)` may be cut at this level,
 * strictly inside the range and in order. Levels only propose cuts; the chunker decides which to use.
 */
export interface Level {
  readonly name: string;
  splits(text: string, start: number, end: number): number[];
}

/** Cuts where a regular expression matches: after the match (`'after'`) or before it (`'before'`). */
export function regexLevel(name: string, pattern: RegExp, side: 'before' | 'after'): Level {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const regex = new RegExp(pattern.source, flags);
  return {
    name,
    splits(text, start, end) {
      const splits: number[] = [];
      regex.lastIndex = start;
      for (let match = regex.exec(text); match !== null && match.index < end; match = regex.exec(text)) {
        const cut = side === 'after' ? match.index + match[0].length : match.index;
        if (cut > start && cut < end && cut !== splits[splits.length - 1]) splits.push(cut);
        if (match[0].length === 0) regex.lastIndex++;
      }
      return splits;
    },
  };
}

/** Blank-line separated paragraphs; the blank lines stay with the paragraph before them. */
export const paragraphLevel = regexLevel('paragraphs', /(?:\r?\n[ \t]*){2,}/, 'after');
/** Single lines; the newline stays with its line. */
export const lineLevel = regexLevel('lines', /\n/, 'after');
/** Words: cut before each whitespace run, which is where BPE tokenizers start a new token (" whale"). */
export const wordLevel = regexLevel('words', /\s+/, 'before');
/** Sentences per UAX #29 with abbreviation repair. */
export const sentenceLevel: Level = { name: 'sentences', splits: sentenceSplits };
