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
  constructor(private readonly text: string) {}

  isBoundary(position: number): boolean {
    const { text } = this;
    if (position <= 0 || position >= text.length) return true;
    const before = text.charCodeAt(position - 1);
    const after = text.charCodeAt(position);
    // Between two ASCII characters the only non-boundary is CR LF (GB3).
    if (before < 0x80 && after < 0x80) return !(before === 13 && after === 10);
    return this.clusterStart(position) === position;
  }

  /**
   * Start of the grapheme cluster containing `position`. `Segments.containing` on a long string
   * rescans from its start in V8, so a window of WINDOW code units around the position is
   * segmented instead; clusters (or regional-indicator runs) longer than that are the only case
   * where the window's own start could shift the answer.
   */
  clusterStart(position: number): number {
    const from = Math.max(0, position - WINDOW);
    const window = this.text.slice(from, Math.min(this.text.length, position + WINDOW));
    return from + (graphemeSegmenter.segment(window).containing(position - from)?.index ?? position - from);
  }

  /** The last grapheme boundary `<= position` and `> floor`, or -1 when there is none. */
  floor(position: number, floor: number): number {
    if (position <= floor) return -1;
    const start = this.isBoundary(position) ? position : this.clusterStart(position);
    return start > floor ? start : -1;
  }
}

const WINDOW = 128;

/** The first grapheme boundary `>= position`. */
export function graphemeCeil(boundaries: GraphemeBoundaries, text: string, position: number): number {
  for (let p = position; p < text.length; p++) if (boundaries.isBoundary(p)) return p;
  return text.length;
}
