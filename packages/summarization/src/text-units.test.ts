import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords } from './count-words.js';
import { textUnits } from './text-units.js';

const word = fc.constantFrom('whale', 'sea', 'Ahab', "don't", 'well-known', 'U.S', '3.5', 'ship', 'é');
const run = fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', ', ', '; ', ' — ', '. ', '\n', '\n\n', '! ')), { minLength: 1, maxLength: 400 });

describe('textUnits', () => {
  it('keeps sentences whole and cuts only long runs, every unit an exact span with its word count (property)', () => {
    fc.assert(
      fc.property(run, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 40 }), (parts, longWords, pieceWords) => {
        const text = parts.map(([w, sep]) => w + sep).join('');
        const units = textUnits(text, [{ start: 0, end: text.length }], longWords, pieceWords);
        let previousEnd = 0;
        let words = 0;
        for (const unit of units) {
          expect(unit.text).toBe(text.slice(unit.span.start, unit.span.end));
          expect(unit.span.start).toBeGreaterThanOrEqual(previousEnd);
          expect(unit.words).toBe(countWords(unit.text));
          if (unit.piece) expect(unit.words).toBeLessThanOrEqual(pieceWords);
          else expect(unit.words).toBeLessThanOrEqual(longWords);
          previousEnd = unit.span.end;
          words += unit.words;
        }
        // No word is lost between units.
        expect(words).toBe(countWords(text));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts an unpunctuated run into pieces of half to all of pieceWords, after a comma when one is near the end', () => {
    const text = Array.from({ length: 100 }, (_, i) => (i === 8 ? 'word,' : 'word')).join(' ');
    const units = textUnits(text, [{ start: 0, end: text.length }], 30, 20);
    expect(units.every((unit) => unit.piece)).toBe(true);
    expect(units[0]!.text.endsWith('word,')).toBe(true);
    expect(units[0]!.words).toBe(9);
    for (const unit of units.slice(1, -1)) expect(unit.words).toBeGreaterThanOrEqual(10);
    expect(new Set(units.map((unit) => unit.words)).size).toBeGreaterThan(1);
  });

  it('assigns each unit the section it starts in', () => {
    const text = 'One sentence here. Another one there.\n\nA third sentence. A fourth.';
    const units = textUnits(text, [{ start: 0, end: 39 }, { start: 39, end: text.length }], 50, 20);
    expect(units.map((unit) => unit.section)).toEqual([0, 0, 1, 1]);
  });
});
