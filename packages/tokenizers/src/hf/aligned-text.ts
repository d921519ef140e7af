/**
 * Text that normalizers and pre-tokenizers have rewritten, with, for each UTF-16 unit, the span of
 * the original text it came from (tokenizers' NormalizedString alignments, in UTF-16 units). When
 * offsets are not wanted the span arrays are null and every step only builds strings.
 *
 * Conventions: a unit that replaces original text maps to the whole replaced span; a unit inserted
 * from nothing (a prepended "▁", a prefix space) maps to an empty span where it was inserted.
 */
export interface AlignedText {
  readonly text: string;
  /** Original start of each unit, or null when not tracking. */
  readonly starts: Int32Array | null;
  /** Original end of each unit, or null when not tracking. */
  readonly ends: Int32Array | null;
  /** Original offset where this text begins (for empty text and insertions at its start). */
  readonly origin: number;
  /** Index of this text's first unit in `starts`/`ends` (slices share their parent's arrays). */
  readonly base: number;
}

/** `text` as its own original (offset `origin` in the caller's text), tracking spans if asked. */
export function alignedText(text: string, track: boolean, origin = 0): AlignedText {
  if (!track) return { text, starts: null, ends: null, origin, base: 0 };
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    starts[i] = origin + i;
    ends[i] = origin + i + 1;
  }
  // A surrogate pair is one character: both units carry its whole span.
  for (let i = 0; i + 1 < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        ends[i] = origin + i + 2;
        starts[i + 1] = origin + i;
        i++;
      }
    }
  }
  return { text, starts, ends, origin, base: 0 };
}

/** Units [from, to) of `source`, spans included. */
export function sliceAligned(source: AlignedText, from: number, to: number): AlignedText {
  if (from === 0 && to === source.text.length) return source;
  const text = source.text.slice(from, to);
  if (!source.starts || !source.ends) return { text, starts: null, ends: null, origin: source.origin + from, base: 0 };
  return { text, starts: source.starts, ends: source.ends, origin: insertionPoint(source, from), base: source.base + from };
}

/** Original offset where the first unit of `source` starts (its origin when empty or untracked). */
export function originalStart(source: AlignedText): number {
  return source.starts && source.text.length > 0 ? source.starts[source.base]! : source.origin;
}

/** Original offset for something inserted before unit `at` of `source`. */
export function insertionPoint(source: AlignedText, at: number): number {
  if (!source.starts || !source.ends) return source.origin;
  if (at > 0) return source.ends[source.base + at - 1]!;
  return source.text.length > 0 ? source.starts[source.base]! : source.origin;
}

/** Original [start, end) of units [from, to) of `source`; empty at the insertion point when from === to. */
export function originalSpan(source: AlignedText, from: number, to: number): [number, number] {
  if (!source.starts || !source.ends) return [source.origin, source.origin];
  if (to <= from) {
    const at = insertionPoint(source, from);
    return [at, at];
  }
  let start = source.starts[source.base + from]!;
  let end = source.ends[source.base + to - 1]!;
  if (end < start) [start, end] = [end, start];
  return [start, end];
}

/** Appends the original span of units [from, to) of `source` to `starts`/`ends` (no tuple allocated). */
export function pushOriginalSpan(source: AlignedText, from: number, to: number, starts: number[], ends: number[]): void {
  if (!source.starts || !source.ends || to <= from) {
    const at = insertionPoint(source, from);
    starts.push(at);
    ends.push(at);
    return;
  }
  const start = source.starts[source.base + from]!;
  const end = source.ends[source.base + to - 1]!;
  starts.push(Math.min(start, end));
  ends.push(Math.max(start, end));
}

/** Builds a rewritten AlignedText from pieces of a source: copies, replacements and insertions. */
export class AlignedBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] | null;
  private readonly ends: number[] | null;

  constructor(private readonly source: AlignedText) {
    const track = source.starts !== null;
    this.starts = track ? [] : null;
    this.ends = track ? [] : null;
  }

  /** Source units [from, to) unchanged. */
  copy(from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(from === 0 && to === this.source.text.length ? this.source.text : this.source.text.slice(from, to));
    if (this.starts && this.ends) {
      const { starts, ends, base } = this.source;
      for (let i = base + from; i < base + to; i++) {
        this.starts.push(starts![i]!);
        this.ends.push(ends![i]!);
      }
    }
  }

  /** `text` in place of source units [from, to) (from === to inserts; empty text deletes). */
  replace(from: number, to: number, text: string): void {
    if (!text) return;
    this.parts.push(text);
    if (this.starts && this.ends) {
      const [start, end] = originalSpan(this.source, from, to);
      for (let i = 0; i < text.length; i++) {
        this.starts.push(start);
        this.ends.push(end);
      }
    }
  }

  build(): AlignedText {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    if (!this.starts || !this.ends) return { text, starts: null, ends: null, origin: this.source.origin, base: 0 };
    return { text, starts: Int32Array.from(this.starts), ends: Int32Array.from(this.ends), origin: this.source.origin, base: 0 };
  }
}

/** Rewrites each code point of `source` for which `map` returns a string (null keeps it). */
export function mapCodePoints(source: AlignedText, map: (char: string) => string | null): AlignedText {
  const { text } = source;
  let builder: AlignedBuilder | null = null;
  let copied = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const replacement = map(width === 1 ? text[i]! : text.slice(i, i + 2));
    if (replacement !== null) {
      builder ??= new AlignedBuilder(source);
      builder.copy(copied, i);
      builder.replace(i, i + width, replacement);
      copied = i + width;
    }
    i += width;
  }
  if (!builder) return source;
  builder.copy(copied, text.length);
  return builder.build();
}

/** Replaces every match of a global `regex` in `source` with what `replacement` returns for it. */
export function replaceMatches(source: AlignedText, regex: RegExp, replacement: (match: string) => string): AlignedText {
  const { text } = source;
  let builder: AlignedBuilder | null = null;
  let copied = 0;
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    builder ??= new AlignedBuilder(source);
    builder.copy(copied, match.index);
    builder.replace(match.index, match.index + match[0].length, replacement(match[0]));
    copied = match.index + match[0].length;
  }
  if (!builder) return source;
  builder.copy(copied, text.length);
  return builder.build();
}
