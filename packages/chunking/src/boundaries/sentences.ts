import { ChunkwiseError, type Span } from '@chunkwise/core';
import { validateRange } from '../chunk-options.js';
import { followsBlankLine } from './paragraphs.js';

/**
 * Chunkwise's one sentence splitter (chunking packs its sentences, summarization ranks them).
 * UAX #29 via `Intl.Segmenter`, with the repairs prose needs, each chosen where chunking's and
 * summarization's former splitters disagreed on Moby Dick and the SOTU addresses:
 * - a single line break is a space (hard-wrapped prose, verse), a blank line always ends a sentence,
 *   and so does a line break before a list item, heading, quote or table row (or after a heading);
 * - no break after titles, common abbreviations and initials ("Mr. Smith", "e.g. X", "J. R. R.
 *   Tolkien", "U.S. Congress") or before a number after "No."/"Vol."/"p.";
 * - no break where a lower-case word follows "?" or "!" and closing quotes (`"Where away?" demanded
 *   the captain`): UAX #29 breaks there (its SB8 covers "." only);
 * - a piece with no letter or digit (a footnote "*", a stray quote) joins the sentence before it.
 * Ellipses, decimals and quotes after a full stop follow UAX #29.
 */
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'rev', 'gen', 'col', 'capt', 'lt', 'sgt', 'gov', 'sen',
  'rep', 'hon', 'pres', 'messrs', 'mme', 'mlle', 'e.g', 'i.e', 'etc', 'vs', 'cf', 'al', 'approx', 'inc', 'ltd',
  'corp', 'co', 'jan', 'feb', 'mar', 'apr', 'aug', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.s.a', 'viz', 'ft',
]);

/** Abbreviations that are also ordinary words ("no.", "art."): only when a number follows. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'vol', 'vols', 'fig', 'figs', 'p', 'pp', 'ch', 'chap', 'sec', 'art']);

const LETTER_OR_DOT = /[\p{L}.]/u;
const SINGLE_UPPER = /^\p{Lu}$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const LETTER_OR_DIGIT_SCAN = /[\p{L}\p{N}]/gu;
const LOWERCASE = /\p{Ll}/u;
const OPENING = /[\s"'“”‘’(]/u;

/** True when the text just before `position` (whitespace aside) ends in an abbreviation or an initial. */
export function endsInAbbreviation(text: string, position: number): boolean {
  let end = position;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  if (text[end - 1] !== '.') return false;
  let start = end - 1;
  while (start > 0 && LETTER_OR_DOT.test(text[start - 1] ?? '')) start--;
  const word = text.slice(start, end - 1);
  // "31st." or "2nd." ends a number, not an abbreviation.
  if (word.length === 0 || /\p{N}/u.test(text[start - 1] ?? '')) return false;
  if (SINGLE_UPPER.test(word) && word !== 'I') return true;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  return NUMBER_ABBREVIATIONS.has(lower) && /^\s*\d/.test(text.slice(position, position + 8));
}

/** True when the first word at `position` (past spaces, quotes and brackets) starts lower-case. */
export function continuesInLowercase(text: string, position: number): boolean {
  const limit = Math.min(text.length, position + 16);
  for (let at = position; at < limit; at++) {
    const code = text.charCodeAt(at);
    // ASCII without a regex (this runs at every candidate sentence end): skip spaces, quotes and "(".
    if (code < 128) {
      if ((code >= 9 && code <= 13) || code === 32 || code === 34 || code === 39 || code === 40) continue;
      return code >= 97 && code <= 122;
    }
    const char = text[at] ?? '';
    if (!OPENING.test(char)) return LOWERCASE.test(char);
  }
  return LOWERCASE.test(text[limit] ?? '');
}

/** Characters segmented per `Intl.Segmenter` call: V8's segmenter slows down with the string's length. */
const BLOCK = 4096;
/** Characters read past a range's end to decide the cuts near it. */
const LOOKAHEAD = 64;
/** A likely sentence end: terminal punctuation, closers, whitespace, then a capital (UAX #29 always breaks there). */
const LIKELY_END = /[.!?]["'”’)\]]*\s+(?=["“'‘(]?\p{Lu})/gu;
/** Line starts that open a new block in plain text and Markdown: list items, headings, quotes, table rows. */
const BLOCK_MARKER = /^[ \t]{0,3}(?:[-*+•](?=[ \t])|\d{1,9}[.)](?=[ \t])|#{1,6}(?=[ \t\r\n]|$)|>|\|)/u;
const HEADING_LINE = /^[ \t]{0,3}#{1,6}[ \t]/u;

/**
 * Sentence boundaries strictly inside `(start, end)`, in order; whitespace after a sentence stays
 * with it. Cuts are the text's, not the range's: a range that starts mid-sentence cuts where the
 * whole text does (a stream resuming at a chunk end relies on this).
 */
export function sentenceSplits(text: string, start: number, end: number): number[] {
  const context = segmentStart(text, start);
  // Whether a sentence ends just before `end` can depend on what follows ("etc. 5 apples"), as can
  // whether the last piece has a letter: read a little past the range, keep only cuts inside it.
  const limit = Math.min(text.length, end + LOOKAHEAD);
  const candidates: number[] = [];
  const structural = new Set<number>();
  for (let from = context; from < limit; ) {
    const { to, seam } = blockEnd(text, from, limit);
    collectBlock(text, from, to, candidates, structural);
    if (seam) candidates.push(to);
    from = to;
  }
  const cuts = settle(text, context, limit, candidates, structural);
  return cuts.filter((cut) => cut > start && cut < end);
}

/** Candidate breaks of `[from, to)`: UAX #29 on the block with single line breaks read as spaces, plus block-marker lines. */
function collectBlock(text: string, from: number, to: number, candidates: number[], structural: Set<number>): void {
  let flat = '';
  let copied = from;
  for (let newline = text.indexOf('\n', from); newline !== -1 && newline < to; newline = text.indexOf('\n', newline + 1)) {
    if (isSingleLineBreak(text, newline)) {
      // Same length, so offsets stay exact: "\n" (and a CR before it) becomes spaces.
      const crlf = text.charCodeAt(newline - 1) === 13 && newline - 1 >= copied ? 1 : 0;
      flat += text.slice(copied, newline - crlf) + (crlf ? '  ' : ' ');
      copied = newline + 1;
      const next = newline + 1;
      const lineStart = text.lastIndexOf('\n', newline - 1) + 1;
      if (BLOCK_MARKER.test(text.slice(next, next + 16)) || HEADING_LINE.test(text.slice(lineStart, lineStart + 10))) {
        candidates.push(next);
        structural.add(next);
      }
    }
  }
  flat += text.slice(copied, to);
  for (const segment of sentenceSegmenter.segment(flat)) if (segment.index > 0) candidates.push(from + segment.index);
}

/** A line break that is neither part of a blank-line run nor the text's first or last character. */
function isSingleLineBreak(text: string, newline: number): boolean {
  let before = newline - 1;
  while (before >= 0 && isInlineSpace(text.charCodeAt(before))) before--;
  if (before < 0 || text.charCodeAt(before) === 10) return false;
  let after = newline + 1;
  while (after < text.length && isInlineSpace(text.charCodeAt(after))) after++;
  return after < text.length && text.charCodeAt(after) !== 10;
}

function isInlineSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/**
 * Turns candidates into cuts: each moved past the whitespace after it, repaired (abbreviations,
 * lower-case continuations) unless it is structural (a blank line or a block marker), and pieces
 * with no letter or digit joined to the sentence before them (or after, at a paragraph start).
 */
function settle(text: string, context: number, end: number, candidates: number[], structural: Set<number>): number[] {
  candidates.sort((a, b) => a - b);
  const kept: number[] = [];
  const hard = new Set<number>();
  // Candidates are sorted: one inside the whitespace run the previous one was moved across lands
  // where it did, so each character is scanned once (whitespace-only text has a candidate per line).
  let scannedFrom = -1;
  let scannedTo = -1;
  for (const candidate of candidates) {
    let cut = candidate;
    if (candidate >= scannedFrom && candidate <= scannedTo) cut = scannedTo;
    else while (cut < end && /\s/u.test(text[cut] ?? '')) cut++;
    scannedFrom = candidate;
    scannedTo = cut;
    if (cut <= context || cut >= end || cut === kept[kept.length - 1]) continue;
    const isHard = structural.has(candidate) || followsBlankLine(text, cut);
    if (!isHard && (endsInAbbreviation(text, cut) || continuesInLowercase(text, cut))) continue;
    if (isHard) hard.add(cut);
    kept.push(cut);
  }
  // Join pieces without a letter or digit to a neighbour, so no "sentence" is only punctuation.
  const cuts: number[] = [];
  let pieceStart = context;
  // Piece starts only grow: remember the next letter or digit instead of searching from each one.
  let contentAt = -1;
  const hasContent = (from: number, to: number): boolean => {
    if (contentAt < from) contentAt = nextLetterOrDigit(text, from);
    return contentAt < to;
  };
  const startIsHard = (position: number): boolean => position === context ? followsBlankLine(text, position) : hard.has(position);
  for (let i = 0; i <= kept.length; i++) {
    const pieceEnd = kept[i] ?? end;
    const content = hasContent(pieceStart, pieceEnd);
    // The first piece of a range that starts mid-paragraph has a sentence before it too.
    const hasBefore = cuts[cuts.length - 1] === pieceStart || (pieceStart === context && context > 0);
    if (!content && !startIsHard(pieceStart) && hasBefore) {
      if (cuts[cuts.length - 1] === pieceStart) cuts.pop(); // joins the sentence before
    } else if (!content && i < kept.length && !hard.has(pieceEnd)) {
      continue; // joins the sentence after: its end is not a cut (pieceStart stays)
    }
    if (i < kept.length) cuts.push(pieceEnd);
    pieceStart = pieceEnd;
  }
  return cuts;
}

/** The position of the first letter or digit at or after `start` (the text length when none). */
function nextLetterOrDigit(text: string, start: number): number {
  LETTER_OR_DIGIT_SCAN.lastIndex = start;
  const found = LETTER_OR_DIGIT_SCAN.exec(text);
  return found === null ? text.length : found.index;
}

/** Where to start segmenting for a range at `start`: a paragraph break, a likely sentence end or a space up to a block before. */
function segmentStart(text: string, start: number): number {
  if (start <= 0) return 0;
  const from = Math.max(0, start - BLOCK);
  const window = text.slice(from, start);
  const blank = /\n[ \t\r]*\n\s*/gu;
  // Start at the break itself, not after its whitespace: a range starting inside that whitespace
  // still gets the cut where the whitespace ends.
  let found = -1;
  for (const match of window.matchAll(blank)) found = from + match.index;
  if (found < 0) for (const match of window.matchAll(LIKELY_END)) found = from + match.index;
  if (found < 0 && from > 0) {
    const space = window.lastIndexOf(' ');
    found = space < 0 ? from : from + space + 1;
  }
  return found < 0 ? 0 : Math.min(found, start);
}

/**
 * The end of the block that starts at `from`: `end` when near, else a paragraph start or a likely
 * sentence end in the second half of the block (a true break, so `seam` is true), else a space.
 */
function blockEnd(text: string, from: number, end: number): { to: number; seam: boolean } {
  if (end - from <= BLOCK) return { to: end, seam: false };
  const windowStart = from + BLOCK / 2;
  const window = text.slice(windowStart, from + BLOCK);
  let cut = -1;
  for (const match of window.matchAll(/\n[ \t\r]*\n\s*/gu)) cut = windowStart + match.index + match[0].length;
  if (cut < 0) for (const match of window.matchAll(LIKELY_END)) cut = windowStart + match.index + match[0].length;
  if (cut > from && cut < from + BLOCK) return { to: cut, seam: true };
  const space = window.lastIndexOf(' ');
  if (space >= 0) return { to: windowStart + space + 1, seam: false };
  let to = from + BLOCK;
  if ((text.charCodeAt(to) & 0xfc00) === 0xdc00) to--;
  return { to, seam: false };
}

/** The sentences of `[start, end)` as spans that tile it (whitespace stays with the sentence before). */
export function sentenceSpans(text: string, start = 0, end = typeof text === 'string' ? text.length : 0): Span[] {
  validateRange(text, start, end, 'sentenceSpans()');
  const spans: Span[] = [];
  let from = start;
  for (const split of sentenceSplits(text, start, end)) {
    spans.push({ start: from, end: split });
    from = split;
  }
  if (from < end) spans.push({ start: from, end });
  return spans;
}

/**
 * The sentences of `text`, in order, as spans with exact UTF-16 offsets: `text.slice(start, end)` is
 * the sentence without the whitespace around it. Text with no letter or digit between paragraphs
 * (a `* * *` scene break, a rule) is not a sentence and has no span; everything else is in one.
 */
export function splitSentences(text: string): Span[] {
  if (typeof text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `splitSentences() takes a string, got ${text === null ? 'null' : typeof text}.`);
  }
  const spans: Span[] = [];
  for (const piece of sentenceSpans(text)) {
    let { start, end } = piece;
    while (start < end && /\s/u.test(text[start] ?? '')) start++;
    while (end > start && /\s/u.test(text[end - 1] ?? '')) end--;
    if (end > start && LETTER_OR_DIGIT.test(text.slice(start, end))) spans.push({ start, end });
  }
  return spans;
}
