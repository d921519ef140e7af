import { ChunkwiseError, type Span } from '@chunkwise/core';

/**
 * Sentence spans for English prose: UAX #29 via `Intl.Segmenter`, then a pass that removes the
 * breaks UAX #29 gets wrong — after titles and common abbreviations ("Mr. Smith", "e.g. X"), after
 * initials ("J. R. R. Tolkien") and before numbers after "No.". Paragraph breaks (blank lines)
 * always end a sentence, single line breaks inside a paragraph never do (hard-wrapped text).
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'rev', 'gen', 'col', 'capt', 'lt', 'sgt', 'gov', 'sen',
  'rep', 'hon', 'pres', 'messrs', 'mme', 'mlle', 'e.g', 'i.e', 'etc', 'vs', 'cf', 'al', 'approx', 'inc', 'ltd',
  'corp', 'co', 'jan', 'feb', 'mar', 'apr', 'aug', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'u.s.a', 'viz', 'ft',
]);

/** Abbreviations that are also ordinary words ("no.", "art."): joined only when a number follows. */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'vol', 'vols', 'fig', 'figs', 'p', 'pp', 'ch', 'chap', 'sec', 'art']);

/**
 * `Intl.Segmenter` is quadratic in practice on very long strings (2.2 s for one 217k-character SOTU
 * address, 0.15 s for the same text in 20k pieces), so text is segmented in blocks of about this size.
 */
const BLOCK_CHARS = 16_000;

const LETTER_OR_DOT = /[\p{L}.]/u;
const SINGLE_UPPER = /^\p{Lu}$/u;

/** True when the text just before `position` ends in an abbreviation or an initial. */
function endsInAbbreviation(text: string, position: number): boolean {
  let end = position;
  while (end > 0 && /\s/.test(text[end - 1] ?? '')) end--;
  if (text[end - 1] !== '.') return false;
  let start = end - 1;
  while (start > 0 && LETTER_OR_DOT.test(text[start - 1] ?? '')) start--;
  const word = text.slice(start, end - 1);
  if (word.length === 0) return false;
  if (SINGLE_UPPER.test(word) && word !== 'I') return true;
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  return NUMBER_ABBREVIATIONS.has(lower) && /^\s*\d/.test(text.slice(position, position + 8));
}

/**
 * UAX #29 breaks after a closing quote that follows "?" or "!", but in prose a lower-case word
 * after it continues the sentence ("What?" said Peleg. / "Aye!" cried he.).
 */
function continuesInLowercase(text: string, position: number, end: number): boolean {
  let at = position;
  while (at < end && /[\s"'“”‘’(]/.test(text[at]!)) at++;
  return at < end && /\p{Ll}/u.test(text[at]!);
}

/** Paragraphs: `[start, end)` ranges separated by blank lines. */
function paragraphRanges(text: string): Span[] {
  const ranges: Span[] = [];
  const breaks = /\n[ \t]*\n\s*/g;
  let from = 0;
  for (const match of text.matchAll(breaks)) {
    if (match.index > from) ranges.push({ start: from, end: match.index });
    from = match.index + match[0].length;
  }
  if (from < text.length) ranges.push({ start: from, end: text.length });
  return ranges;
}

/** Cuts a long paragraph into blocks at likely sentence ends, so each block segments fast. */
function blockRanges(text: string, paragraph: Span): Span[] {
  const blocks: Span[] = [];
  let from = paragraph.start;
  while (paragraph.end - from > BLOCK_CHARS) {
    const window = text.slice(from + BLOCK_CHARS / 2, from + BLOCK_CHARS);
    let cut = -1;
    for (const match of window.matchAll(/[.!?]["'”’)\]]*\s+(?=["“'‘(]?\p{Lu})/gu)) cut = match.index + match[0].length;
    if (cut < 0) {
      const space = window.lastIndexOf(' ');
      cut = space < 0 ? window.length : space + 1;
    }
    blocks.push({ start: from, end: from + BLOCK_CHARS / 2 + cut });
    from += BLOCK_CHARS / 2 + cut;
  }
  blocks.push({ start: from, end: paragraph.end });
  return blocks;
}

/**
 * The sentences of `text` as spans, trimmed of surrounding whitespace, in order; spans without a
 * letter or digit (stray punctuation) are dropped. `text.slice(span.start, span.end)` is the sentence.
 */
export function splitSentences(text: string): Span[] {
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `splitSentences() takes a string, got ${text === null ? 'null' : typeof text}.`);
  const spans: Span[] = [];
  for (const paragraph of paragraphRanges(text)) {
    // Candidate breaks inside the paragraph; block edges count as candidates too.
    const breaks: number[] = [];
    for (const block of blockRanges(text, paragraph)) {
      // Same length as the block: a single newline becomes a space, so offsets stay exact.
      const flat = text.slice(block.start, block.end).replace(/\n/g, ' ');
      for (const segment of segmenter.segment(flat)) {
        if (segment.index > 0) breaks.push(block.start + segment.index);
      }
      if (block.end < paragraph.end) breaks.push(block.end);
    }
    let from = paragraph.start;
    for (const position of breaks) {
      if (endsInAbbreviation(text, position) || continuesInLowercase(text, position, paragraph.end)) continue;
      pushTrimmed(text, from, position, spans);
      from = position;
    }
    pushTrimmed(text, from, paragraph.end, spans);
  }
  return spans;
}

const CONTENT = /[\p{L}\p{N}]/u;

function pushTrimmed(text: string, start: number, end: number, spans: Span[]): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start && CONTENT.test(text.slice(start, end))) spans.push({ start, end });
}
