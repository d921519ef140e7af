import { getEncoding } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { offsetsFromByteLengths } from './token-offsets.js';

const TEXTS = [
  'Call me Ishmael.',
  'Whales 🐋 and a family 👩‍👩‍👧 in 東京の鯨, naïve café, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, e\u0301 and x² ≠ y₂.\n\n  end',
  '',
  '🐋🐋🐋🐋🐋 ́́́ 鯨鯨鯨',
];

describe('offsetsFromByteLengths', () => {
  it.each(TEXTS)('gives the spans encodeWithOffsets gives for o200k (%j)', async (text) => {
    const o200k = await getEncoding('o200k_base');
    const expected = o200k.encodeWithOffsets(text);
    const lengths = Array.from(expected.ids, (id) => o200k.decodeBytes([id]).length);
    const derived = offsetsFromByteLengths(text, lengths);
    expect(derived).not.toBeNull();
    expect(Array.from(derived!.starts)).toEqual(Array.from(expected.starts));
    expect(Array.from(derived!.ends)).toEqual(Array.from(expected.ends));
  });

  it('refuses lengths that do not add up to the text', () => {
    expect(offsetsFromByteLengths('abc', [1, 1])).toBeNull();
    expect(offsetsFromByteLengths('é', [1, 1, 1])).toBeNull();
  });
});
