import { ChunkwiseError } from '@chunkwise/core';
import { validateRange } from '../chunk-options.js';
import { paragraphBreaks } from './paragraphs.js';
import { continuesInLowercase, endsInAbbreviation, sentenceSplits } from './sentences.js';

/**
 * One level of a splitting hierarchy: the places where `[start, end)` may be cut at this level,
 * strictly inside the range and in order. Levels only propose cuts; the chunker decides which to use.
 */
export interface Level {
  readonly name: string;
  splits(text: string, start: number, end: number): number[];
}

/** A level over a splitting function, answering a bad range with INVALID_ARGUMENT at the API edge. */
function checkedLevel(name: string, splits: (text: string, start: number, end: number) => number[]): Level {
  const label = `The ${name} level`;
  return {
    name,
    splits(text, start, end) {
      validateRange(text, start, end, label);
      return splits(text, start, end);
    },
  };
}

/**
 * Cuts where a regular expression matches: after the match (`'after'`) or before it (`'before'`).
 * Each level remembers where the first match after its last range was, so a run of ranges with no
 * match (a list-item pattern over a long book) is answered without searching the rest of the text
 * again: that search made the markdown recipe quadratic on a 10 MB book (21 s for the SOTU book).
 */
export function regexLevel(name: string, pattern: RegExp, side: 'before' | 'after'): Level {
  if (typeof name !== 'string' || !(pattern instanceof RegExp) || (side !== 'before' && side !== 'after')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', "regexLevel(name, pattern, side) takes a string, a RegExp and 'before' or 'after'.", {
      details: { name: typeof name, pattern: typeof pattern, side: typeof side },
    });
  }
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const regex = new RegExp(pattern.source, flags);
  // No match starts in [searchedFrom, nextMatch) of searchedText.
  let searchedText: string | undefined;
  let searchedFrom = 0;
  let nextMatch = 0;
  const label = `The ${name} level`;
  return {
    name,
    splits(text, start, end) {
      validateRange(text, start, end, label);
      if (text === searchedText && start >= searchedFrom && end <= nextMatch) return [];
      const splits: number[] = [];
      regex.lastIndex = start;
      for (;;) {
        // exec finds the leftmost match from lastIndex on: none starts in [from, match.index).
        const from = regex.lastIndex;
        const match = regex.exec(text);
        if (match === null || match.index >= end) {
          searchedText = text;
          searchedFrom = from;
          nextMatch = match?.index ?? text.length;
          return splits;
        }
        const cut = side === 'after' ? match.index + match[0].length : match.index;
        if (cut > start && cut < end && cut !== splits[splits.length - 1]) splits.push(cut);
        if (match[0].length === 0) regex.lastIndex++;
      }
    },
  };
}

/** Blank-line separated paragraphs; the blank lines (and the indentation after them) stay with the paragraph before. */
export const paragraphLevel: Level = checkedLevel('paragraphs', paragraphBreaks);

/** Single lines; the newline stays with its line. */
export const lineLevel = regexLevel('lines', /\n/, 'after');
/** Words: cut before each whitespace run, which is where BPE tokenizers start a new token (" whale"). */
export const wordLevel = regexLevel('words', /\s+/, 'before');
/** Sentences per UAX #29 with abbreviation repair (what `SentenceChunker` packs). */
export const sentenceLevel: Level = checkedLevel('sentences', sentenceSplits);

const SENTENCE_END = /[.!?…。！？]+["'’”)\]]*(?:[ \t]+|(?<=[。！？]))/g;
const SENTENCE_END_CHAR = /[.!?…。！？"'’”)\] \t]/u;

/**
 * A cheaper sentence level for recursive recipes, where sentences only split lines too long to
 * fit: cut after terminal punctuation (and closing quotes) followed by a space, or after a CJK full
 * stop, unless an abbreviation or initial ends there or a lower-case letter follows. `Intl.Segmenter` was half of
 * character-mode chunking time on Moby Dick.
 */
export const punctuationSentenceLevel: Level = {
  name: 'sentences (punctuation)',
  splits(text, start, end) {
    validateRange(text, start, end, 'The sentences (punctuation) level');
    const splits: number[] = [];
    // Start at the terminator run (". ") that `start` may be inside, so the cut after it is found.
    let from = start;
    while (from > 0 && SENTENCE_END_CHAR.test(text[from - 1] ?? '')) from--;
    SENTENCE_END.lastIndex = from;
    for (let match = SENTENCE_END.exec(text); match !== null && match.index < end; match = SENTENCE_END.exec(text)) {
      const cut = match.index + match[0].length;
      // The sentence splitter's repairs: a lower-case continuation ("Why?" she asked) or an abbreviation is no sentence end.
      if (cut > start && cut < end && !continuesInLowercase(text, cut) && !endsInAbbreviation(text, cut)) splits.push(cut);
    }
    return splits;
  },
};
