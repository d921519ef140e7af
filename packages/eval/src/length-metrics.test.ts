import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULER_LENGTH_BUCKETS, compressionRatioDelta, lengthMatch, lengthMatchTable, relativeLengthError, rulerWordCount } from './length-metrics.js';

describe('length metrics', () => {
  it('relative error and ΔCR are signed and in the right units', () => {
    expect(relativeLengthError(110, 100)).toBeCloseTo(0.1, 12);
    expect(relativeLengthError(90, 100)).toBeCloseTo(-0.1, 12);
    // A 40-word source asked down to 20 words, got 24: ΔCR = 60% − 50% = +10 points.
    expect(compressionRatioDelta(24, 20, 40)).toBe(10);
    expect(() => relativeLengthError(5, 0)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => compressionRatioDelta(Number.NaN, 1, 2)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('relative error and ΔCR equal their definitions for any lengths', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 20000 }), (actual, target, source) => {
        expect(relativeLengthError(actual, target) * target).toBeCloseTo(actual - target, 9);
        // ΔCR is the difference of the two compression ratios, in points.
        expect(compressionRatioDelta(actual, target, source)).toBeCloseTo((actual / source) * 100 - (target / source) * 100, 9);
      }),
    );
  });

  it('uses Ruler’s ranges: lower bound exclusive, upper inclusive', () => {
    const b150 = RULER_LENGTH_BUCKETS.find((b) => b.target === '150')!;
    expect(lengthMatch(130, b150)).toEqual({ precise: false, flexible: true });
    expect(lengthMatch(131, b150)).toEqual({ precise: true, flexible: true });
    expect(lengthMatch(170, b150)).toEqual({ precise: true, flexible: true });
    expect(lengthMatch(200, b150)).toEqual({ precise: false, flexible: true });
    expect(lengthMatch(201, b150)).toEqual({ precise: false, flexible: false });
    const over = RULER_LENGTH_BUCKETS.find((b) => b.target === '>800')!;
    expect(lengthMatch(5000, over).precise).toBe(true);
    expect(lengthMatch(800, over).precise).toBe(false);
  });

  it('PM ⊆ FM for every bucket and length', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULER_LENGTH_BUCKETS), fc.nat(2000), (bucket, length) => {
        const match = lengthMatch(length, bucket);
        if (match.precise) expect(match.flexible).toBe(true);
      }),
    );
  });

  it('tabulates PM / FM per bucket, per level and over all, as the direct count', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...RULER_LENGTH_BUCKETS), fc.nat(1200)), { minLength: 1, maxLength: 40 }), (pairs) => {
        const table = lengthMatchTable(pairs.map(([b, length]) => ({ target: b.target, length })));
        const all = table.find((r) => r.name === 'all')!;
        expect(all.count).toBe(pairs.length);
        const pm = pairs.filter(([b, l]) => l > b.precise[0] && l <= b.precise[1]).length;
        const fm = pairs.filter(([b, l]) => l > b.flexible[0] && l <= b.flexible[1]).length;
        expect(all.precise).toBeCloseTo(pm / pairs.length, 12);
        expect(all.flexible).toBeCloseTo(fm / pairs.length, 12);
        for (const level of [0, 1, 2]) {
          const members = pairs.filter(([b]) => b.level === level);
          const row = table.find((r) => r.name === `level ${level}`);
          expect(row?.count ?? 0).toBe(members.length);
        }
      }),
    );
    expect(() => lengthMatchTable([{ target: '42', length: 3 }])).toThrow(/Unknown target length "42"/);
  });

  it('counts words as Ruler’s \\w+ does', () => {
    expect(rulerWordCount("It's a well-known snake_case fact: 3.5 ÷ 2")).toBe(10);
  });
});
