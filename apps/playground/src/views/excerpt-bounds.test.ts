import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordEndBefore, wordStartAfter } from './excerpt-bounds.js';

const text = 'Business taxes are similarly distorted because inflation exaggerates reported profits.';

describe('excerpt bounds', () => {
  it('start after a space and end before one, so no word is cut', () => {
    expect(text.slice(wordStartAfter(text, 12, 40))).toMatch(/^are similarly/);
    expect(text.slice(0, wordEndBefore(text, 33, 10))).toBe('Business taxes are similarly');
  });

  it('stay inside their limits, at the text’s own ends', () => {
    expect(wordStartAfter(text, -5, 20)).toBe(0);
    expect(wordEndBefore(text, text.length + 5, 20)).toBe(text.length);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n') }), fc.nat(), fc.nat(), (sample, a, b) => {
        const at = a % (sample.length + 1);
        const limit = Math.max(at, b % (sample.length + 1));
        const start = wordStartAfter(sample, at, limit);
        expect(start).toBeGreaterThanOrEqual(Math.min(at, limit));
        expect(start).toBeLessThanOrEqual(limit);
        if (start > 0 && start < limit) expect(sample[start - 1]).toMatch(/\s/);
        const end = wordEndBefore(sample, limit, at);
        expect(end).toBeGreaterThanOrEqual(at);
        expect(end).toBeLessThanOrEqual(limit);
        if (end > at && end < sample.length) expect(sample[end]).toMatch(/\s/);
      }),
    );
  });
});
