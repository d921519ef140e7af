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
