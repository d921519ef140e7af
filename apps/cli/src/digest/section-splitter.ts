import { detectSections } from '@chunkwise/summarization';

/**
 * Longest piece of a section the digest holds at once (UTF-16 code units, 8 MiB of memory): a
 * longer section (a book without headings) is read in parts cut at line starts.
 */
export const PART_CHARS = 4 * 1024 * 1024;

/**
 * Length after which an unfinished line's heading status cannot change: summarization's heading
 * rule reads a marker (`#`, CHAPTER, BOOK, PART), spaces and a number, then the rest of the line.
 * Only a line opening with over a thousand spaces or digits would be judged before its end.
 */
const SETTLED_LINE = 1024;

/** A stretch of the text: a section by summarization's rule, or a part of a longer one. */
export interface TextPiece {
  /** UTF-16 offsets in the whole text. */
  start: number;
  end: number;
  text: string;
  /** True for a part that continues the section before it (cut at PART_CHARS, not at a heading). */
  continued: boolean;
}

/**
 * Cuts a text that arrives in pieces of any size into the sections summarization's
 * `detectSections` finds in the whole text (Markdown headings, CHAPTER/BOOK/PART lines), without
 * ever holding more than one section (or `partChars`) and the piece being read. A section longer
 * than `partChars` is cut at the last line start before that length whose line opens with a
 * non-space character, else before a run of spaces, so tokenizers split the parts exactly as they
 * split the whole (a newline never joins a token with what follows it; a space joins the word after
 * it); only a text with neither in the second half of the window is cut at `partChars` itself.
 *
 * Deterministic: the pieces depend on the text only, never on how it was handed in.
 */
export class SectionSplitter {
  private pending = '';
  /** Offset of `pending` in the whole text. */
  private offset = 0;
  private continued = false;

  constructor(private readonly partChars = PART_CHARS) {}

  /** Adds the next stretch of text; returns the pieces that are complete. */
  push(text: string): TextPiece[] {
    this.pending += text;
    return this.take(false);
  }

  /** The rest, once the text has ended. */
  end(): TextPiece[] {
    return this.take(true);
  }

  private take(final: boolean): TextPiece[] {
    const out: TextPiece[] = [];
    for (;;) {
      // Only whole lines can be judged ("Chapter 1" may still grow into "Chapter 12x", no heading),
      // unless the last line is longer than a part and than SETTLED_LINE: whether it is a heading
      // is decided by then (a heading's marker, spaces and number come first).
      const lineEnd = this.pending.lastIndexOf('\n') + 1;
      const judged = final || this.pending.length - lineEnd > Math.max(this.partChars, SETTLED_LINE) ? this.pending.length : lineEnd;
      const starts = judged === 0 ? [0] : detectSections(this.pending.slice(0, judged)).map((span) => span.start);
      // Every section but the last is whole; the last may go on in the text still to come.
      let consumed = 0;
      for (const start of starts.slice(1)) {
        this.emitSection(out, start - consumed);
        consumed = start;
      }
      if (judged - consumed > this.partChars) {
        this.emit(out, cutPoint(this.pending, this.partChars), true);
        continue;
      }
      if (final && this.pending.length > 0) this.emit(out, this.pending.length);
      return out;
    }
  }

  /** Emits a whole section of `length` characters: in parts when it is longer than a part. */
  private emitSection(out: TextPiece[], length: number): void {
    while (length > this.partChars) {
      const cut = cutPoint(this.pending, this.partChars);
      this.emit(out, cut, true);
      length -= cut;
    }
    this.emit(out, length);
  }

  /** Emits pending[0, end) as one piece. `cut` marks a cut inside a section: the next piece continues it. */
  private emit(out: TextPiece[], end: number, cut = false): void {
    const text = this.pending.slice(0, end);
    out.push({ start: this.offset, end: this.offset + end, text, continued: this.continued });
    this.offset += end;
    this.pending = this.pending.slice(end);
    this.continued = cut;
  }
}

/**
 * Where to cut an over-long section: the last line start in (limit/2, limit] whose line opens with
 * a non-space character, else the last start of a run of spaces there (the spaces go with the next
 * word, as tokenizers attach them), else `limit` (never inside a surrogate pair). Reads no further
 * than `text[limit]`, so the cut depends on the section's own text only.
 */
function cutPoint(text: string, limit: number): number {
  for (let newline = text.lastIndexOf('\n', limit - 1); newline >= limit / 2; newline = text.lastIndexOf('\n', newline - 1)) {
    const next = text.charCodeAt(newline + 1);
    if (!isSpace(next)) return newline + 1;
  }
  for (let i = limit; i > limit / 2; i--) if (isSpace(text.charCodeAt(i)) && !isSpace(text.charCodeAt(i - 1))) return i;
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

const isSpace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0b || code === 0x0c || code === 0xa0 || Number.isNaN(code);
