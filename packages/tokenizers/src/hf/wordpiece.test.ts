import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import { mobyDickChapterTexts } from '../__fixtures__/corpora.js';
import { trickyText } from '../__fixtures__/text-arbitraries.js';
import { wordPieceTokenizerJson } from '../__fixtures__/wordpiece-tokenizer-json.js';
import { HfTokenizer } from './hf-tokenizer.js';

describe('HfTokenizer.fromJSON with a WordPiece (BERT-style) tokenizer.json matches @huggingface/tokenizers', () => {
  const json = wordPieceTokenizerJson();
  const ours = HfTokenizer.fromJSON(JSON.stringify(json), { name: 'wordpiece-test' });
  const reference = new HfReference(json, {});

  it('on Moby Dick chapters, with [CLS] … [SEP]', () => {
    for (const chapter of mobyDickChapterTexts().slice(0, 10)) {
      expect([...ours.encode(chapter)]).toEqual(reference.encode(chapter).ids);
    }
  });

  it('on generated text: accents, CJK, punctuation, control characters, emoji, unknown words', () => {
    // tokenizers.js walks UTF-16 code units when padding CJK ideographs, so it never pads the
    // supplementary-plane ones (U+20000…); BERT and HF's Rust library do, and so do we (tested below).
    const unusual = fc
      .oneof(trickyText, fc.constantFrom('Ahab\u0000 said\u200b: «Ça va?» 鯨鯨 e\u0301te\u0301 [MASK] zzzzqx'))
      .map((text) => text.replace(/[\u{20000}-\u{2FA1F}]/gu, '鯨'));
    fc.assert(
      fc.property(unusual, (text) => {
        expect([...ours.encode(text)]).toEqual(reference.encode(text).ids);
        expect([...ours.encode(text, { addSpecialTokens: false })]).toEqual(reference.encode(text, { add_special_tokens: false }).ids);
      }),
      { numRuns: 150 },
    );
  });

  it('pads supplementary-plane CJK ideographs like BERT does', () => {
    const [cls, first, second, sep] = ours.encode('𠀀x');
    expect([cls, sep]).toEqual([2, 3]);
    expect(first).toBe(ours.encode('𠀀', { addSpecialTokens: false })[0]);
    expect(second).toBe(ours.encode('x', { addSpecialTokens: false })[0]);
  });

  it('decodes like the reference', () => {
    for (const text of ['Call me Ishmael. Some years ago, never mind how long precisely.', "I don't know, whaling's odd!"]) {
      const ids = ours.encode(text);
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(reference.decode(Array.from(ids), { skip_special_tokens: true }));
    }
  });
});
