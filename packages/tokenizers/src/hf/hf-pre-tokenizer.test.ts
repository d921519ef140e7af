import { describe, expect, it } from 'vitest';
import { errorCode } from '../__fixtures__/error-code.js';
import { alignedText, originalSpan } from './aligned-text.js';
import { preTokenizeSteps } from './hf-pre-tokenizer.js';
import type { PreTokenizerJson } from './tokenizer-json.js';

/** Pieces and their original spans, as tokenizers' get_splits(Original) lists them. */
function splits(json: PreTokenizerJson, text: string): [string, [number, number]][] {
  let pieces = [alignedText(text, true)];
  for (const step of preTokenizeSteps(json)) pieces = step(pieces);
  return pieces.map((piece) => [piece.text, originalSpan(piece, 0, piece.text.length)]);
}

// Expected splits are those of tokenizers' own unit tests (pre_tokenizers/*.rs).
describe('tokenizer.json pre-tokenizers', () => {
  const whitespaceRegex = { Regex: '\\w+|[^\\w\\s]+' };
  it.each([
    ['Removed', [['How', [0, 3]], ['are', [4, 7]], ['you', [8, 11]], ['doing', [12, 17]], ['?', [17, 18]]]],
    ['Isolated', [['How', [0, 3]], [' ', [3, 4]], ['are', [4, 7]], [' ', [7, 8]], ['you', [8, 11]], [' ', [11, 12]], ['doing', [12, 17]], ['?', [17, 18]]]],
    ['MergedWithPrevious', [['How ', [0, 4]], ['are ', [4, 8]], ['you ', [8, 12]], ['doing', [12, 17]], ['?', [17, 18]]]],
    ['MergedWithNext', [['How', [0, 3]], [' are', [3, 7]], [' you', [7, 11]], [' doing', [11, 17]], ['?', [17, 18]]]],
    ['Contiguous', [['How', [0, 3]], [' ', [3, 4]], ['are', [4, 7]], [' ', [7, 8]], ['you', [8, 11]], [' ', [11, 12]], ['doing?', [12, 18]]]],
  ])('Split, inverted, %s', (behavior, expected) => {
    expect(splits({ type: 'Split', pattern: whitespaceRegex, behavior, invert: true }, 'How are you doing?')).toEqual(expected);
  });

  it('Split with a string pattern, and invert', () => {
    const bySpace = splits({ type: 'Split', pattern: { String: ' ' }, behavior: 'Removed', invert: false }, 'Hello Hello Hello');
    expect(bySpace).toEqual(splits({ type: 'Split', pattern: { String: 'Hello' }, behavior: 'Removed', invert: true }, 'Hello Hello Hello'));
    expect(bySpace.map(([piece]) => piece)).toEqual(['Hello', 'Hello', 'Hello']);
    expect(splits({ type: 'Split', pattern: { Regex: '\\s+' }, behavior: 'Removed', invert: false }, 'Hey, man!')).toEqual(
      splits({ type: 'Split', pattern: { String: ' ' }, behavior: 'Removed', invert: false }, 'Hey, man!'),
    );
  });

  it('Whitespace and WhitespaceSplit', () => {
    expect(splits({ type: 'Whitespace' }, 'Hey man!')).toEqual([['Hey', [0, 3]], ['man', [4, 7]], ['!', [7, 8]]]);
    expect(splits({ type: 'Whitespace' }, 'Hey, man, Good?')).toEqual([['Hey', [0, 3]], [',', [3, 4]], ['man', [5, 8]], [',', [8, 9]], ['Good', [10, 14]], ['?', [14, 15]]]);
    // Rust's \w is Unicode: accented and CJK letters stay in words.
    expect(splits({ type: 'Whitespace' }, 'naïve 鯨')).toEqual([['naïve', [0, 5]], ['鯨', [6, 7]]]);
    expect(splits({ type: 'WhitespaceSplit' }, 'Hey, man, Good?')).toEqual([['Hey,', [0, 4]], ['man,', [5, 9]], ['Good?', [10, 15]]]);
    expect(splits({ type: 'WhitespaceSplit' }, '\u3000a\u00a0b\n')).toEqual([['a', [1, 2]], ['b', [3, 4]]]);
  });

  it('Punctuation isolates each mark', () => {
    expect(splits({ type: 'Punctuation' }, 'Hey friend!     How are you?!?')).toEqual([
      ['Hey friend', [0, 10]],
      ['!', [10, 11]],
      ['     How are you', [11, 27]],
      ['?', [27, 28]],
      ['!', [28, 29]],
      ['?', [29, 30]],
    ]);
  });

  it('Digits, grouped or one by one', () => {
    expect(splits({ type: 'Digits', individual_digits: false }, 'Hey 123 friend!')).toEqual([['Hey ', [0, 4]], ['123', [4, 7]], [' friend!', [7, 15]]]);
    expect(splits({ type: 'Digits', individual_digits: true }, 'Hey 123 friend!')).toEqual([
      ['Hey ', [0, 4]],
      ['1', [4, 5]],
      ['2', [5, 6]],
      ['3', [6, 7]],
      [' friend!', [7, 15]],
    ]);
  });

  it('CharDelimiterSplit and Metaspace', () => {
    expect(splits({ type: 'CharDelimiterSplit', delimiter: '-' }, 'the-final--countdown')).toEqual([['the', [0, 3]], ['final', [4, 9]], ['countdown', [11, 20]]]);
    // The prepended ▁ has no original text: its piece starts where the text does.
    expect(splits({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true }, 'Hey   friend!')).toEqual([
      ['▁Hey', [0, 3]],
      ['▁', [3, 4]],
      ['▁', [4, 5]],
      ['▁friend!', [5, 13]],
    ]);
  });

  it('throws UNSUPPORTED for pre-tokenizers it does not know and bad Split settings', () => {
    expect(errorCode(() => preTokenizeSteps({ type: 'UnicodeScripts' }))).toBe('UNSUPPORTED');
    expect(errorCode(() => preTokenizeSteps({ type: 'Split', pattern: { Regex: 'a' }, behavior: 'Sideways' }))).toBe('UNSUPPORTED');
    expect(errorCode(() => preTokenizeSteps({ type: 'Split', pattern: { Regex: '(?<=a' }, behavior: 'Isolated' }))).toBe('UNSUPPORTED');
  });
});
