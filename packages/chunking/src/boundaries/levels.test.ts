import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paragraphLevel, punctuationSentenceLevel, regexLevel } from './levels.js';

describe('paragraphLevel', () => {
  it('cuts exactly where /(?:\\r?\\n[ \\t]*){2,}/ ends, on random text', () => {
    const reference = regexLevel('paragraphs', /(?:\r?\n[ \t]*){2,}/, 'after');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b ', '\n', '\r\n', ' ', '\t', '\n\n', '.'), { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect(paragraphLevel.splits(text, 0, text.length)).toEqual(reference.splits(text, 0, text.length));
      }),
      { numRuns: 300 },
    );
  });
});

describe('punctuationSentenceLevel', () => {
  it('cuts after terminal punctuation and CJK stops, not after abbreviations, initials or before a lower-case continuation', () => {
    const text = 'Mr. Smith left. "Why?" she asked. J. R. wrote it. 日本語の文です。二つ目。 End';
    const cuts = punctuationSentenceLevel.splits(text, 0, text.length);
    const pieces = [0, ...cuts].map((start, i) => text.slice(start, cuts[i] ?? text.length));
    expect(pieces).toEqual(['Mr. Smith left. ', '"Why?" she asked. ', 'J. R. wrote it. ', '日本語の文です。', '二つ目。 ', 'End']);
  });
});

describe('regexLevel', () => {
  it('gives the same cuts over a run of ranges as a fresh search of each range (the no-match memo is exact)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b ', '\n', '- item\n', ' ', 'x,', '\n\n'), { maxLength: 80 }).map((pieces) => pieces.join('')),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom(/^[ \t]{0,3}[-*+][ \t]/mu, /,/u, /\s+/u),
        fc.constantFrom('before' as const, 'after' as const),
        (text, marks, pattern, side) => {
          const cuts = [...new Set(marks.map((mark) => mark % (text.length + 1)))].sort((a, b) => a - b);
          const remembering = regexLevel('memo', pattern, side);
          let from = 0;
          for (const to of [...cuts, text.length]) {
            expect(remembering.splits(text, from, to)).toEqual(regexLevel('fresh', pattern, side).splits(text, from, to));
            from = to;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
