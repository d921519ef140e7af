import type { Span } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunksTouching, precisionOmega, spanScores } from './span-scores.js';
import { unionSpans } from './span-set.js';

/** The reference computation: every span as a set of character positions. */
function positions(spans: readonly Span[]): Set<number> {
  const set = new Set<number>();
  for (const { start, end } of spans) for (let i = start; i < end; i++) set.add(i);
  return set;
}

function naiveScores(retrieved: readonly Span[], references: readonly Span[]) {
  const r = positions(retrieved);
  const g = positions(references);
  const shared = [...r].filter((i) => g.has(i)).length;
  const union = new Set([...r, ...g]).size;
  if (r.size === 0 || g.size === 0) return { recall: 0, precision: 0, iou: 0 };
  return { recall: shared / g.size, precision: shared / r.size, iou: shared / union };
}

const span = (max = 200) => fc.tuple(fc.nat(max), fc.nat(60)).map(([start, length]): Span => ({ start, end: start + length }));
const spans = (max = 200) => fc.array(span(max), { maxLength: 8 });

describe('spanScores', () => {
  it('equals the per-character set computation for any spans (overlaps counted once)', () => {
    fc.assert(
      fc.property(spans(), spans(), (retrieved, references) => {
        const got = spanScores(retrieved, references);
        const want = naiveScores(retrieved, references);
        expect(got.recall).toBeCloseTo(want.recall, 12);
        expect(got.precision).toBeCloseTo(want.precision, 12);
        expect(got.iou).toBeCloseTo(want.iou, 12);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a worked example by hand', () => {
    // R = [0, 10) ∪ [5, 15) = [0, 15), G = [10, 30): shared 5, |R| 15, |G| 20, union 30.
    expect(spanScores([{ start: 0, end: 10 }, { start: 5, end: 15 }], [{ start: 10, end: 30 }])).toEqual({ recall: 0.25, precision: 1 / 3, iou: 5 / 30 });
  });

  it('scores empty retrieval and missing references 0, never NaN', () => {
    expect(spanScores([], [{ start: 0, end: 4 }])).toEqual({ recall: 0, precision: 0, iou: 0 });
    expect(spanScores([{ start: 0, end: 4 }], [])).toEqual({ recall: 0, precision: 0, iou: 0 });
    expect(spanScores([{ start: 3, end: 3 }], [{ start: 0, end: 4 }])).toEqual({ recall: 0, precision: 0, iou: 0 });
  });

  it('refuses spans that are not ranges', () => {
    expect(() => spanScores([{ start: 5, end: 2 }], [])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => spanScores([{ start: -1, end: 2 }], [])).toThrow(/0 ≤ start ≤ end/);
    expect(() => spanScores([], [{ start: 0.5, end: 2 }])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('unions spans into sorted disjoint ranges covering the same positions', () => {
    fc.assert(
      fc.property(spans(), (input) => {
        const set = unionSpans(input);
        expect(positions(set)).toEqual(positions(input));
        for (let i = 1; i < set.length; i++) expect(set[i]!.start).toBeGreaterThan(set[i - 1]!.end);
      }),
    );
  });
});

describe('precisionOmega', () => {
  it('is the precision of every chunk that shares a character with a reference', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), spans(300), (sizes, references) => {
        // A chunking: consecutive chunks of the given sizes.
        let at = 0;
        const chunks = sizes.map((size) => ({ start: at, end: (at += size) }));
        const g = positions(references);
        const touching = chunks.filter((c) => [...positions([c])].some((i) => g.has(i)));
        expect(chunksTouching(chunks, references)).toEqual(touching);
        expect(precisionOmega(chunks, references)).toBeCloseTo(naiveScores(touching, references).precision, 12);
      }),
    );
  });

  it('drops when chunks grow around the same evidence', () => {
    const evidence = [{ start: 100, end: 120 }];
    const small = Array.from({ length: 50 }, (_, i) => ({ start: i * 20, end: i * 20 + 20 }));
    const large = Array.from({ length: 5 }, (_, i) => ({ start: i * 200, end: i * 200 + 200 }));
    expect(precisionOmega(small, evidence)).toBe(1);
    expect(precisionOmega(large, evidence)).toBe(0.1);
  });
});
