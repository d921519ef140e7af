import type { Span } from '@chunkwise/core';

/** A run of text covered by the same set of spans (chunks may overlap, so a run can have several). */
export interface Segment extends Span {
  /** Indices (into the spans given) of every span covering this run, ascending. */
  owners: number[];
}

/**
 * Cuts `[0, length)` at every span edge, so each span is a whole number of segments and each
 * segment knows which spans cover it. Text outside every span gets a segment with no owners, so
 * the segments always tile the text exactly. Each span visits only the segments it covers, so
 * chunks (which overlap their neighbours at most) cost linear time after the sort of the edges.
 */
export function segmentBySpans(length: number, spans: readonly Span[]): Segment[] {
  const cuts = new Set<number>([0, length]);
  for (const { start, end } of spans) {
    if (start < 0 || end > length || start > end) throw new RangeError(`Span [${String(start)}, ${String(end)}) is outside [0, ${String(length)}).`);
    cuts.add(start);
    cuts.add(end);
  }
  const edges = Float64Array.from(cuts).sort();
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) segments.push({ start: edges[i]!, end: edges[i + 1]!, owners: [] });
  spans.forEach(({ start, end }, index) => {
    for (let s = firstEdgeAtLeast(edges, start); s < segments.length && edges[s]! < end; s++) segments[s]!.owners.push(index);
  });
  return segments;
}

function firstEdgeAtLeast(edges: Float64Array, value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (edges[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
