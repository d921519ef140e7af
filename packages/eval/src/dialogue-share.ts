import type { Span } from '@chunkwise/core';
import { requireString } from './argument-checks.js';

const WORD_CHAR = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/**
 * The ranges of `text` that are quoted speech or quotation: between double quotes (straight or
 * “curly”), between ‘ and ’ when ‘ opens after a non-letter and ’ closes before one (so "don’t" is
 * no quote), and lines that open with an em or horizontal dash (the dialogue dash of French,
 * Russian or Spanish prose). A quote still open at a paragraph break (a blank line) ends there:
 * novels reopen a long speech on every paragraph instead of closing it. A straight quote's
 * direction comes from its neighbours (after a space it opens, before one it closes), so an
 * unclosed quote in one extracted sentence cannot flip the rest of a summary: an opening quote
 * met while a quote is open ends that quote and starts a new one. Straight single quotes are left
 * alone; in English they are mostly apostrophes.
 */
export function quotedSpans(text: string): Span[] {
  requireString(text, 'quotedSpans() text');
  const spans: Span[] = [];
  let open = -1;
  let closer = '';
  const close = (at: number) => {
    if (open >= 0 && at > open) spans.push({ start: open, end: at });
    open = -1;
  };
  const start = (at: number, mark: string) => {
    close(at);
    open = at;
    closer = mark;
  };
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      // A blank line (only whitespace up to the next newline) is a paragraph break.
      const next = text.indexOf('\n', i + 1);
      if (next !== -1 && text.slice(i + 1, next).trim() === '') close(i);
      if (closer === 'line') close(i);
      lineStart = true;
      continue;
    }
    if (lineStart && (c === ' ' || c === '\t')) continue;
    const atLineStart = lineStart;
    lineStart = false;
    if (c === '"') {
      const direction = straightQuoteDirection(text, i);
      if (direction === 'open' || (direction === 'either' && open < 0)) start(i, '"');
      else if (open >= 0) close(i + 1);
    } else if (c === '“') start(i, '”');
    else if (c === '”' && open >= 0) close(i + 1);
    else if (c === '‘' && !LETTER.test(text[i - 1] ?? ' ')) start(i, '’');
    else if (c === '’' && closer === '’' && open >= 0 && !LETTER.test(text[i + 1] ?? ' ')) close(i + 1);
    else if (atLineStart && (c === '—' || c === '―')) start(i, 'line');
  }
  close(text.length);
  return spans;
}

const SPACE_BEFORE_OPEN = /[\s([{\u2014\u2013-]/u;

/** A straight double quote opens after a space or bracket and closes before a space or punctuation. */
function straightQuoteDirection(text: string, i: number): 'open' | 'close' | 'either' {
  const before = text[i - 1];
  const after = text[i + 1];
  const opensAfter = before === undefined || SPACE_BEFORE_OPEN.test(before);
  const closesBefore = after === undefined || /[\s.,;:!?)\]}\u2014\u2013-]/u.test(after);
  if (opensAfter && !closesBefore) return 'open';
  if (closesBefore && !opensAfter) return 'close';
  return 'either';
}

/**
 * The share of a text's letters and digits that sit inside quotation or dialogue (`quotedSpans`):
 * 0 for narration only, 1 for dialogue only, 0 for a text without letters. The digest's first
 * extractive summary of Moby Dick was mostly dialogue lines; this number catches that.
 */
export function dialogueShare(text: string): number {
  requireString(text, 'dialogueShare() text');
  let total = 0;
  let quoted = 0;
  const spans = quotedSpans(text);
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    if (!WORD_CHAR.test(text[i] as string)) continue;
    total++;
    while (s < spans.length && (spans[s] as Span).end <= i) s++;
    if (s < spans.length && (spans[s] as Span).start <= i) quoted++;
  }
  return total === 0 ? 0 : quoted / total;
}
