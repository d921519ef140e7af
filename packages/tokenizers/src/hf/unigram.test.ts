import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import { mobyDickChapterTexts } from '../__fixtures__/corpora.js';
import { wellFormedText } from '../__fixtures__/text-arbitraries.js';
import { unigramTokenizerJson } from '../__fixtures__/unigram-tokenizer-json.js';
import { HfTokenizer } from './hf-tokenizer.js';

describe('HfTokenizer.fromJSON with a Unigram tokenizer.json matches @huggingface/tokenizers', () => {
  const json = unigramTokenizerJson();
  const ours = HfTokenizer.fromJSON(JSON.stringify(json), { name: 'unigram-test' });
  const reference = new HfReference(json, {});

  it('on Moby Dick paragraphs', () => {
    const paragraphs = mobyDickChapterTexts()
      .slice(100, 103)
      .flatMap((chapter) => chapter.split(/\n\s*\n/));
    for (const paragraph of paragraphs) {
      expect([...ours.encode(paragraph)]).toEqual(reference.encode(paragraph).ids);
    }
  });

  it('on generated text, with unknown characters fused into one <unk>', () => {
    fc.assert(
      fc.property(wellFormedText, (text) => {
        expect([...ours.encode(text)]).toEqual(reference.encode(text).ids);
      }),
      { numRuns: 150 },
    );
  });

  it('fuses a run of unknown characters into one <unk>, as tokenizers does', () => {
    const ids = [...ours.encode('whale 鯨鯨鯨 whale')];
    expect(ids.filter((id) => id === 0)).toHaveLength(1);
    expect(ids).toEqual(reference.encode('whale 鯨鯨鯨 whale').ids);
  });

  it('decodes known words back to the text', () => {
    const text = 'Call me Ishmael. Some years ago';
    expect(ours.decode(ours.encode(text))).toBe(text);
  });
});
