import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentBySpans } from './span-segments.js';

/** The definition, checked segment by segment against every span: quadratic, for tests only. */
function segmentsByDefinition(length: number, spans: readonly { start: number; end: number }[]) {
  const edges = [...new Set([0, length, ...spans.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
  return edges.slice(0, -1).map((start, i) => {
    const end = edges[i + 1]!;
    return { start, end, owners: spans.flatMap((span, index) => (span.start <= start && end <= span.end ? [index] : [])) };
  });
}

describe('segmentBySpans', () => {
  it('tiles the whole text, gaps included', () => {
    const segments = segmentBySpans(20, [
      { start: 2, end: 8 },
      { start: 8, end: 15 },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 2, owners: [] },
      { start: 2, end: 8, owners: [0] },
      { start: 8, end: 15, owners: [1] },
      { start: 15, end: 20, owners: [] },
    ]);
  });

  it('marks the overlap of consecutive chunks as owned by both', () => {
    const segments = segmentBySpans(10, [
      { start: 0, end: 6 },
      { start: 4, end: 10 },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 4, owners: [0] },
      { start: 4, end: 6, owners: [0, 1] },
      { start: 6, end: 10, owners: [1] },
    ]);
  });

  it('rebuilds each span from its segments', () => {
    const spans = [
      { start: 0, end: 30 },
      { start: 25, end: 60 },
      { start: 50, end: 61 },
      { start: 70, end: 70 },
    ];
    const segments = segmentBySpans(80, spans);
    expect(segments[0]!.start).toBe(0);
    expect(segments.at(-1)!.end).toBe(80);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.start).toBe(segments[i - 1]!.end);
    spans.forEach((span, index) => {
      const own = segments.filter((segment) => segment.owners.includes(index));
      if (span.start === span.end) return expect(own).toEqual([]);
      expect(own[0]!.start).toBe(span.start);
      expect(own.at(-1)!.end).toBe(span.end);
    });
  });

  it('gives exactly the segments and owners of its definition, for any spans', () => {
    const spansIn = (length: number) => fc.array(fc.tuple(fc.nat(length), fc.nat(length)).map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })), { maxLength: 40 });
    fc.assert(
      fc.property(
        fc.nat(300).chain((length) => fc.tuple(fc.constant(length), spansIn(length))),
        ([length, spans]) => {
          expect(segmentBySpans(length, spans)).toEqual(segmentsByDefinition(length, spans));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('segments the 20,000 overlapping chunks of a book, each overlap owned by both neighbours', () => {
    // Chunks of 500 characters overlapping their neighbours by 50 (the definition above would make
    // 20,000 × 40,000 checks here).
    const spans = Array.from({ length: 20_000 }, (_, i) => ({ start: i * 450, end: i * 450 + 500 }));
    const segments = segmentBySpans(20_000 * 450 + 50, spans);
    expect(segments).toHaveLength(39_999);
    expect(segments.filter((segment) => segment.owners.length === 2)).toHaveLength(19_999);
  });

  it('rejects spans outside the text', () => {
    expect(() => segmentBySpans(5, [{ start: 3, end: 9 }])).toThrow(RangeError);
    expect(() => segmentBySpans(5, [{ start: 4, end: 2 }])).toThrow(RangeError);
  });
});
