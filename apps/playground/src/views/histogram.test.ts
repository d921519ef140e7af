import { describe, expect, it } from 'vitest';
import { histogram, summarize } from './histogram.js';

describe('histogram', () => {
  it('puts every value in exactly one bin, bins starting at 0 with equal integer widths', () => {
    const values = [0, 1, 5, 63, 64, 127, 128, 128, 99, 17];
    const bins = histogram(values, 8);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(values.length);
    expect(bins[0]!.from).toBe(0);
    const width = bins[0]!.to - bins[0]!.from;
    expect(Number.isInteger(width)).toBe(true);
    bins.forEach((bin, i) => expect([bin.from, bin.to]).toEqual([i * width, (i + 1) * width]));
    for (const value of values) expect(bins.filter((bin) => bin.from <= value && value < bin.to)).toHaveLength(1);
  });

  it('never makes more bins than asked, and the largest value fits the last bin', () => {
    for (const max of [0, 1, 7, 19, 20, 21, 511, 512, 4096]) {
      const bins = histogram([max, Math.floor(max / 2)], 20);
      expect(bins.length).toBeLessThanOrEqual(20);
      expect(bins.at(-1)!.to).toBeGreaterThan(max);
      expect(bins.at(-1)!.count).toBeGreaterThanOrEqual(1);
    }
  });

  it('gives one bin per size when sizes are few', () => {
    expect(histogram([2, 2, 0], 10)).toEqual([
      { from: 0, to: 1, count: 1 },
      { from: 1, to: 2, count: 0 },
      { from: 2, to: 3, count: 2 },
    ]);
  });

  it('is empty for no values and rejects a bin count that is not a positive integer', () => {
    expect(histogram([])).toEqual([]);
    expect(() => histogram([1], 0)).toThrow(RangeError);
    expect(() => histogram([1], 2.5)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('reports min, mean and max', () => {
    expect(summarize(new Uint32Array([4, 8, 12]))).toEqual({ min: 4, mean: 8, max: 12 });
    expect(summarize([])).toBeNull();
  });
});
