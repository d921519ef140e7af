import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobyDickChapterTexts } from '../__fixtures__/corpora.js';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import { hfModel, HF_MODELS } from '../__fixtures__/hf-reference.js';
import { wellFormedText } from '../__fixtures__/text-arbitraries.js';
import { errorCode } from '../__fixtures__/error-code.js';
import { HfTokenizer } from './hf-tokenizer.js';

// tokenizers.js uses JavaScript's \s (with U+FEFF, without U+0085); Hugging Face's Rust library and
// we use Unicode White_Space. Generated text leaves those two characters out of the comparison.
const comparable = wellFormedText.map((text) => text.replace(/[\ufeff\u0085]/g, ' '));

describe.each(HF_MODELS)('HfTokenizer.fromJSON(%s tokenizer.json) matches @huggingface/tokenizers', (model) => {
  const { json, reference } = hfModel(model);
  const ours = HfTokenizer.fromJSON(json, { name: model });

  it('on Moby Dick, chapter by chapter, with and without special tokens', () => {
    // Llama 2 and Gemma 3 do not pre-tokenize: a chapter is one word, and tokenizers.js merges it slowly.
    const chapters = mobyDickChapterTexts().slice(0, model === 'llama2' || model === 'gemma3' ? 4 : 15);
    for (const chapter of chapters) {
      expect([...ours.encode(chapter)]).toEqual(reference.encode(chapter).ids);
    }
    expect([...ours.encode(chapters[1]!, { addSpecialTokens: false })]).toEqual(reference.encode(chapters[1]!, { add_special_tokens: false }).ids);
  });

  it('on generated text from all planes, emoji, marks, CJK, code and special-token look-alikes', () => {
    fc.assert(
      fc.property(comparable, (text) => {
        expect([...ours.encode(text)]).toEqual(reference.encode(text).ids);
      }),
      { numRuns: 80 },
    );
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(comparable, (text) => {
        const expected = model === 'qwen3' ? text.normalize('NFC') : text;
        // SentencePiece (llama2) decoding strips the one space its normalizer prepended.
        expect(ours.decode(ours.encode(text, { addSpecialTokens: false }))).toBe(expected);
      }),
      { numRuns: 80 },
    );
  });
});

describe('HfTokenizer.fromJSON with a WordLevel tokenizer.json', () => {
  it('looks each Whitespace word up, [UNK] otherwise, as @huggingface/tokenizers does', () => {
    const words = [...new Set(mobyDickChapterTexts().slice(0, 20).join(' ').match(/\w+|[^\w\s]+/g))].slice(0, 5000);
    const json = {
      added_tokens: [{ id: 0, content: '[UNK]', special: true, normalized: false, lstrip: false, rstrip: false, single_word: false }],
      normalizer: null,
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', unk_token: '[UNK]', vocab: Object.fromEntries(['[UNK]', ...words].map((word, id) => [word, id])) },
    };
    const ours = HfTokenizer.fromJSON(json);
    const reference = new HfReference(json, { unk_token: '[UNK]' });
    // ASCII chapters: tokenizers.js's Whitespace uses JavaScript's ASCII \w, tokenizers' is Unicode.
    const paragraphs = mobyDickChapterTexts()
      .slice(15, 30)
      .flatMap((chapter) => chapter.split(/\n\s*\n/))
      .filter((text) => /^[\x20-\x7e\s]+$/.test(text));
    expect(paragraphs.length).toBeGreaterThan(100);
    for (const paragraph of paragraphs) {
      expect([...ours.encode(paragraph)]).toEqual(reference.encode(paragraph).ids);
    }
    expect([...ours.encode('Call me Zqxwv.')]).toContain(0);
    expect(ours.decode(ours.encode('Call me Ishmael.'))).toBe('Call me Ishmael .');
  });
});

describe('HfTokenizer.fromJSON errors', () => {
  it('rejects JSON without a model and models it cannot run', () => {
    expect(errorCode(() => HfTokenizer.fromJSON('{'))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => HfTokenizer.fromJSON('{"added_tokens": []}'))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => HfTokenizer.fromJSON({ model: { type: 'WordPiece', vocab: {} } }))).toBe('UNSUPPORTED');
    expect(errorCode(() => HfTokenizer.fromJSON({ model: { type: 'Unigram', vocab: [['<unk>', 0]] } }))).toBe('UNSUPPORTED'); // no unk_id
    expect(errorCode(() => HfTokenizer.fromJSON({ model: { type: 'WordLevel', vocab: {} } }))).toBe('UNSUPPORTED'); // no [UNK]
    expect(errorCode(() => HfTokenizer.fromJSON({ model: { type: 'CharLevel', vocab: {} } }))).toBe('UNSUPPORTED');
    // Malformed files: INVALID_ARGUMENT, never a TypeError.
    for (const model of [
      { type: 'BPE' },
      { type: 'BPE', vocab: [] },
      { type: 'BPE', vocab: { a: -1 } },
      { type: 'BPE', vocab: { a: 0 }, merges: 'a b' },
      { type: 'BPE', vocab: { a: 0, b: 1 }, byte_fallback: true, merges: ['a b c'] },
      { type: 'BPE', vocab: { a: 0, b: 1 }, byte_fallback: true, merges: [['a']] },
      { type: 'Unigram', vocab: { a: 0 }, unk_id: 0 },
      { type: 'Unigram', vocab: [['a']], unk_id: 0 },
      { type: 'Unigram', vocab: [['a', -1]], unk_id: 5 },
    ]) {
      expect(errorCode(() => HfTokenizer.fromJSON({ model } as never)), JSON.stringify(model)).toBe('INVALID_ARGUMENT');
    }
    // A BPE without ByteLevel pre-tokenizer or byte fallback runs on characters; one it lacks, with no unknown token, is NOT_FOUND.
    const characters = HfTokenizer.fromJSON({ model: { type: 'BPE', vocab: { '▁a': 0, b: 1 }, merges: [] } });
    expect([...characters.encode('b')]).toEqual([1]);
    expect(errorCode(() => characters.encode('a'))).toBe('NOT_FOUND');
  });

  it('throws NOT_FOUND when decoding an unknown id', () => {
    const ours = HfTokenizer.fromJSON(hfModel('qwen3').json);
    expect(() => ours.decode([10_000_000])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
