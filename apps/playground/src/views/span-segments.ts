import type { Span } from '@chunkwise/core';

/** A run of text covered by the same set of spans (chunks may overlap, so a run can have several). */
export interface Segment extends Span {
  /** Indices (into the spans given) of every span covering this run, ascending. */
  owners: number[];
}

/**
 * Cuts `[0, length)` at every span edge, so each span is a whole number of segments and each
 * segment knows which spans cover it. Text outside every span gets a segment with no owners, so
 * the segments always tile the text exactly.
 */
export function segmentBySpans(length: number, spans: readonly Span[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const { start, end } of spans) {
    if (start < 0 || end > length || start > end) throw new RangeError(`Span [${String(start)}, ${String(end)}) is outside [0, ${String(length)}).`);
    cuts.add(start);
    cuts.add(end);
  }
  const edges = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const start = edges[i]!;
    const end = edges[i + 1]!;
    const owners: number[] = [];
    spans.forEach((span, index) => {
      if (span.start <= start && end <= span.end) owners.push(index);
    });
    segments.push({ start, end, owners });
  }
  return segments;
}
