import type { Span } from '@chunkwise/core';
import { splitSentences } from '@chunkwise/chunking';

/** A sentence, or a piece of one too long to choose whole, with what selection needs to know. */
export interface TextUnit {
  span: Span;
  text: string;
  words: number;
  /** Index of the section (chapter, heading block) the unit starts in. */
  section: number;
  /** True for a cut of a longer run (no sentence punctuation, or far over the length a summary can take). */
  piece: boolean;
}

/** Words as `countWords` counts them, with their offsets. */
const WORD = /[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu;
/** Punctuation a piece may end after, preferred to a bare word boundary. */
const CLAUSE_END = /[,;:—–)\]]$/u;

/**
 * The text as units: its sentences, with every run longer than `longWords` cut into pieces of at
 * most `pieceWords` words (about a third of that at the least). Transcripts without punctuation, one-word-per-line dumps and
 * megabyte lines are one "sentence" to a sentence splitter; cut into pieces they can still be
 * ranked and chosen, so a summary of a text with words is never empty.
 */
export function textUnits(text: string, sections: readonly Span[], longWords: number, pieceWords: number): TextUnit[] {
  const ordered = [...sections].sort((a, b) => a.start - b.start);
  let section = 0;
  const units: TextUnit[] = [];
  for (const span of splitSentences(text)) {
    while (section + 1 < ordered.length && ordered[section + 1]!.start <= span.start) section++;
    const sentence = text.slice(span.start, span.end);
    const words = countUpTo(sentence, longWords + 1);
    if (words <= longWords) {
      units.push({ span, text: sentence, words, section, piece: false });
      continue;
    }
    for (const piece of cutIntoPieces(text, span, sentence, pieceWords)) {
      units.push({ span: piece.span, text: text.slice(piece.span.start, piece.span.end), words: piece.words, section, piece: true });
    }
  }
  return units;
}

/** Words of `text` as `countWords` counts them, counting no further than `limit`. */
function countUpTo(text: string, limit: number): number {
  let count = 0;
  WORD.lastIndex = 0;
  while (count < limit && WORD.exec(text) !== null) count++;
  return count;
}

/**
 * Consecutive pieces covering every word of the span, in one pass over its words. Lengths cycle
 * through `maxWords / 2 … maxWords` so that pieces of different sizes exist and the selection can
 * land inside its word window; each piece ends after a clause mark (comma, semicolon, dash) in its
 * last third when one is there, else at a word, and runs on over the punctuation after its last word.
 */
function cutIntoPieces(text: string, span: Span, sentence: string, maxWords: number): { span: Span; words: number }[] {
  const least = Math.max(1, Math.ceil(maxWords / 2));
  const pieces: { span: Span; words: number }[] = [];
  // Offsets (into `text`) of the words of the piece being built.
  let starts: number[] = [];
  let ends: number[] = [];
  let cycle = 0;
  let size = least;
  const emit = (count: number, last: boolean) => {
    const start = pieces.length === 0 ? span.start : starts[0]!;
    let end = last ? span.end : ends[count - 1]!;
    while (end < span.end && /[^\s\p{L}\p{N}]/u.test(text[end]!)) end++;
    pieces.push({ span: { start, end }, words: count });
    starts = starts.slice(count);
    ends = ends.slice(count);
    size = least + (++cycle % (maxWords - least + 1));
  };
  WORD.lastIndex = 0;
  for (let match = WORD.exec(sentence); match !== null; match = WORD.exec(sentence)) {
    starts.push(span.start + match.index);
    ends.push(span.start + match.index + match[0].length);
    if (ends.length < size) continue;
    let count = size;
    for (let k = size - 1; k > Math.floor((2 * (size - 1)) / 3); k--) {
      if (CLAUSE_END.test(text.slice(ends[k]!, ends[k]! + 1))) {
        count = k + 1;
        break;
      }
    }
    emit(count, false);
  }
  while (ends.length > 0) emit(Math.min(ends.length, size), ends.length <= size);
  return pieces;
}
