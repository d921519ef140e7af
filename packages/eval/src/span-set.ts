import { ChunkwiseError, type Span } from '@chunkwise/core';
import { describeValue, requireSpans } from './argument-checks.js';

/**
 * A set of UTF-16 positions held as sorted, disjoint, non-adjacent half-open ranges: the union of
 * the spans it was made from. Every span metric counts characters through one of these, so a
 * character covered by two overlapping spans is counted once.
 */
export type SpanSet = readonly Span[];

/** Checks one span at the API edge: integer offsets with 0 ≤ start ≤ end. */
export function assertSpan(span: Span, what: string): void {
  if (typeof span !== 'object' || span === null) throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a { start, end } object, got ${describeValue(span)}.`);
  const { start, end } = span;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must have integer offsets with 0 ≤ start ≤ end, got [${describeValue(start)}, ${describeValue(end)}).`, {
      details: { start: describeValue(start), end: describeValue(end) },
    });
  }
}

/** The union of `spans` as sorted disjoint ranges; empty spans vanish. */
export function unionSpans(spans: readonly Span[], what = 'A span'): SpanSet {
  if (typeof what !== 'string') what = 'A span';
  requireSpans(spans, `${what.replace(/^A /, '')}s`);
  for (const span of spans) assertSpan(span, what);
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const { start, end } of sorted) {
    const last = out[out.length - 1];
    // Touching ranges merge too: [0, 5) ∪ [5, 9) is [0, 9).
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else out.push({ start, end });
  }
  return out;
}

/** Number of positions in a span set. */
export function setSize(set: SpanSet): number {
  let size = 0;
  for (const s of set) size += s.end - s.start;
  return size;
}

/** Number of positions two span sets share (a linear merge of the two sorted lists). */
export function intersectionSize(a: SpanSet, b: SpanSet): number {
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const overlap = Math.min(x.end, y.end) - Math.max(x.start, y.start);
    if (overlap > 0) shared += overlap;
    if (x.end <= y.end) i++;
    else j++;
  }
  return shared;
}

/** True when the two spans share at least one position. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
