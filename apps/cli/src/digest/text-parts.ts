import type { Span } from '@chunkwise/core';
import type { SourceDocument } from './document.js';
import { PART_CHARS } from './section-splitter.js';

/**
 * Up to this many characters (32 MiB of memory) the summary and the suggested questions read the
 * whole text, as summarization's `summarize` and `suggestQuestions` take it: one string. A longer
 * book is read in parts of whole sections (see {@link readParts}): on the 74 MB book the two calls
 * alone peaked at 494 MiB and 411 MiB with the whole text.
 */
export const WHOLE_TEXT_CHARS = 16 * 1024 * 1024;

/** Consecutive sections read together, with their spans relative to the part's text. */
export interface TextPart {
  /** Offset of `text` in the whole text. */
  start: number;
  text: string;
  sections: Span[];
}

/**
 * The document in parts of consecutive whole pieces, each at most `partChars` characters (a longer
 * piece is a part of its own: pieces are at most PART_CHARS): one part in memory at a time.
 */
export async function* readParts(document: SourceDocument, partChars = PART_CHARS): AsyncGenerator<TextPart> {
  let part: TextPart | undefined;
  for await (const { piece, text } of document.read()) {
    if (part && part.text.length + text.length > partChars) {
      yield part;
      part = undefined;
    }
    part ??= { start: piece.start, text: '', sections: [] };
    if (piece.section >= 0) part.sections.push({ start: part.text.length, end: part.text.length + text.length });
    part.text += text;
  }
  if (part) yield part;
}
