/**
 * Grapheme-cluster boundaries (UAX #29) via `Intl.Segmenter`. Chunk ends are snapped to these so
 * an emoji ZWJ sequence, a flag or a letter with combining marks is never cut in two.
 */
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Answers "is `position` a grapheme boundary of `text`?" in O(1) for ASCII neighbours and with a
 * local ICU lookup otherwise, so a megabyte of text is not segmented up front.
 */
export class GraphemeBoundaries {
  private segments: Intl.Segments | undefined;

  constructor(private readonly text: string) {}

  isBoundary(position: number): boolean {
    const { text } = this;
    if (position <= 0 || position >= text.length) return true;
    const before = text.charCodeAt(position - 1);
    const after = text.charCodeAt(position);
    // Between two ASCII characters the only non-boundary is CR LF (GB3).
    if (before < 0x80 && after < 0x80) return !(before === 13 && after === 10);
    this.segments ??= graphemeSegmenter.segment(text);
    return this.segments.containing(position)?.index === position;
  }

  /** The last grapheme boundary `<= position` and `> floor`, or -1 when there is none. */
  floor(position: number, floor: number): number {
    for (let p = position; p > floor; p--) {
      if (this.isBoundary(p)) return p;
      // Jump straight to the cluster start instead of probing every code unit of a long cluster.
      if (this.text.charCodeAt(p) >= 0x80 || this.text.charCodeAt(p - 1) >= 0x80) {
        this.segments ??= graphemeSegmenter.segment(this.text);
        const start = this.segments.containing(p)?.index ?? p;
        if (start <= floor) return -1;
        return start;
      }
    }
    return -1;
  }
}

/** The first grapheme boundary `>= position`. */
export function graphemeCeil(boundaries: GraphemeBoundaries, text: string, position: number): number {
  for (let p = position; p < text.length; p++) if (boundaries.isBoundary(p)) return p;
  return text.length;
}

/** Grapheme boundaries strictly inside `[start, end)`, in order. */
export function graphemeSplits(text: string, start: number, end: number): number[] {
  const splits: number[] = [];
  for (const segment of graphemeSegmenter.segment(text.slice(start, end))) {
    if (segment.index > 0) splits.push(start + segment.index);
  }
  return splits;
}

/** Code-point boundaries strictly inside `[start, end)`: the last resort when one grapheme is over the limit. */
export function codePointSplits(text: string, start: number, end: number): number[] {
  const splits: number[] = [];
  for (let p = start + 1; p < end; p++) {
    const code = text.charCodeAt(p);
    if (!(code >= 0xdc00 && code <= 0xdfff && (text.charCodeAt(p - 1) & 0xfc00) === 0xd800)) splits.push(p);
  }
  return splits;
}
