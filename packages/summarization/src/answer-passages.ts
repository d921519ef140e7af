import { ChunkwiseError, type Span } from '@chunkwise/core';
import { describeValue } from './argument-checks.js';
import type { AnswerPassage, Citation } from './answer-types.js';
import { countWords } from './count-words.js';
import { termIdf } from './question-focus.js';
import { termIds, type TermIds } from './term-vectors.js';
import { textUnits } from './text-units.js';

/** Runs longer than this are cut into pieces (transcripts, megabyte lines)… */
const LONG_UNIT_WORDS = 120;
/** …of at most this many words. */
const PIECE_WORDS = 40;
/** A text given instead of passages is cut into passages of about this many words (whole paragraphs). */
const TEXT_PASSAGE_WORDS = 200;

/** A sentence of a passage (or a piece of a long run), the unit answers are made of. */
export interface PassageUnit {
  /** Index of its passage. */
  passage: number;
  /** Offsets in the passage's text. */
  span: Span;
  text: string;
  words: number;
}

/** The passages, their sentences, and the sentences' content terms with idf over all of them. */
export interface PassageIndex {
  passages: readonly AnswerPassage[];
  units: PassageUnit[];
  /** Units of each passage, in order. */
  unitsOf: number[][];
  tokens: TermIds;
  /** BM25's idf of each term id over the units: ln(1 + (N − df + 0.5) / (df + 0.5)). */
  idf: Float64Array;
}

/**
 * Sentences of every passage, runs over `longWords` cut into pieces of at most `pieceWords`
 * (answers shorter than a sentence are made of pieces: both set to the target).
 */
export function indexPassages(passages: readonly AnswerPassage[], longWords = LONG_UNIT_WORDS, pieceWords = PIECE_WORDS): PassageIndex {
  const units: PassageUnit[] = [];
  const unitsOf: number[][] = [];
  passages.forEach((passage, p) => {
    const own: number[] = [];
    for (const unit of textUnits(passage.text, [{ start: 0, end: passage.text.length }], longWords, pieceWords)) {
      own.push(units.length);
      units.push({ passage: p, span: unit.span, text: unit.text, words: unit.words });
    }
    unitsOf.push(own);
  });
  const tokens = termIds(units.map((unit) => unit.text));
  return { passages, units, unitsOf, tokens, idf: termIdf(tokens) };
}

/** A citation of `span` (offsets in the passage's text) under `marker`. */
export function citationOf(marker: number, passage: AnswerPassage, span: Span): Citation {
  const citation: Citation = { marker, sourceId: passage.id, start: span.start, end: span.end, text: passage.text.slice(span.start, span.end) };
  if (passage.docId !== undefined) citation.docId = passage.docId;
  if (passage.start !== undefined) {
    citation.documentStart = passage.start + span.start;
    citation.documentEnd = passage.start + span.end;
  }
  return citation;
}

/** The whole passage without surrounding whitespace, for a citation no sentence of it supports better. */
export function wholePassage(passage: AnswerPassage): Span {
  const start = passage.text.length - passage.text.trimStart().length;
  return { start, end: Math.max(start, passage.text.trimEnd().length) };
}

/**
 * A text given instead of passages, as passages: consecutive paragraphs (blank-line separated)
 * packed up to about 200 words, ids `p1`, `p2`…, with their offsets in the text as `start`.
 */
export function passagesOfText(text: string): AnswerPassage[] {
  const paragraphs: Span[] = [];
  let from = 0;
  for (const match of text.matchAll(/\n[ \t]*\n\s*/g)) {
    if (text.slice(from, match.index).trim()) paragraphs.push({ start: from, end: match.index });
    from = match.index + match[0].length;
  }
  if (text.slice(from).trim()) paragraphs.push({ start: from, end: text.length });
  const passages: AnswerPassage[] = [];
  let group: Span | undefined;
  let words = 0;
  const flush = () => {
    if (!group) return;
    passages.push({ id: `p${passages.length + 1}`, text: text.slice(group.start, group.end), start: group.start });
    group = undefined;
    words = 0;
  };
  for (const paragraph of paragraphs) {
    const count = countWords(text.slice(paragraph.start, paragraph.end));
    if (group && words + count > TEXT_PASSAGE_WORDS) flush();
    group = group ? { start: group.start, end: paragraph.end } : { ...paragraph };
    words += count;
  }
  flush();
  return passages;
}

/** Checks the passages an answer is asked from: what to change when they are not usable. */
export function validatePassages(passages: unknown): readonly AnswerPassage[] {
  const invalid = (message: string): never => {
    throw new ChunkwiseError('INVALID_ARGUMENT', message);
  };
  if (!Array.isArray(passages)) return invalid(`answer() takes the passages as an array of { id, text } or a text string, got ${describeValue(passages)}.`);
  if (passages.length === 0) invalid('answer() needs at least one passage to answer from; pass the passages your search returned, or the text itself.');
  const ids = new Set<string>();
  passages.forEach((passage: unknown, i) => {
    if (typeof passage !== 'object' || passage === null) invalid(`Passage ${i} must be an object { id, text }, got ${describeValue(passage)}.`);
    const { id, text, docId, start } = passage as Record<string, unknown>;
    if (typeof id !== 'string' || id.length === 0) invalid(`Passage ${i} needs a non-empty string id, got ${describeValue(id)}.`);
    if (ids.has(id as string)) invalid(`Passage id ${JSON.stringify(id)} appears twice; citations name passages by id, so ids must be unique.`);
    ids.add(id as string);
    if (typeof text !== 'string') invalid(`Passage ${JSON.stringify(id)} needs its text as a string, got ${describeValue(text)}.`);
    if (docId !== undefined && typeof docId !== 'string') invalid(`Passage ${JSON.stringify(id)}: docId must be a string, got ${describeValue(docId)}.`);
    if (start !== undefined && !(Number.isInteger(start) && (start as number) >= 0)) invalid(`Passage ${JSON.stringify(id)}: start must be a non-negative integer offset, got ${describeValue(start)}.`);
  });
  return passages as AnswerPassage[];
}
