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

describe('sentenceSplits in blocks', () => {
  it('matches one Intl.Segmenter pass over the whole text (abbreviation repair aside)', async () => {
    const { sentenceSplits } = await import('./sentences.js');
    const { sotu } = await import('../__fixtures__/corpora.js');
    const text = sotu()[2]?.text.slice(0, 30_000) ?? '';
    const whole = new Intl.Segmenter('en', { granularity: 'sentence' });
    const blocks = sentenceSplits(text, 0, text.length);
    const reference = [...whole.segment(text)].map((segment) => segment.index).filter((index) => index > 0);
    // Every blockwise cut is a whole-text cut; the only ones missing are the abbreviation repairs.
    expect(blocks.every((cut) => reference.includes(cut))).toBe(true);
    expect(reference.length - blocks.length).toBeLessThan(reference.length * 0.05);
  });
});
