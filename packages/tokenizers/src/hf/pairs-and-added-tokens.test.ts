import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tokenizer as HfReference } from '@huggingface/tokenizers';
import { trickyText } from '../__fixtures__/text-arbitraries.js';
import { wordPieceTokenizerJson } from '../__fixtures__/wordpiece-tokenizer-json.js';
import { HfTokenizer } from './hf-tokenizer.js';
import type { AddedTokenJson, TokenizerJson } from './tokenizer-json.js';

const words = fc.array(fc.constantFrom('Call', 'me', 'Ishmael', '.', ' ', 'whale', 'Ahab', '!', '鯨', 'naïve', '[MASK]', '  '), { maxLength: 12 }).map((parts) => parts.join(' '));

describe('HfTokenizer.encodePair', () => {
  it('BertProcessing: [CLS] a [SEP] b [SEP] with type ids 0 then 1, as @huggingface/tokenizers gives them', () => {
    const json = wordPieceTokenizerJson();
    const ours = HfTokenizer.fromJSON(json as TokenizerJson);
    const reference = new HfReference(json, {});
    fc.assert(
      // tokenizers.js drops an empty second text (it tests the pair for truthiness); tokenizers does not.
      // It also never pads supplementary-plane CJK ideographs (see wordpiece.test.ts).
      fc.property(trickyText.map((text) => text.replace(/[\u{20000}-\u{2FA1F}]/gu, '鯨')), words.filter(Boolean), (first, second) => {
        const pair = ours.encodePair(first, second);
        const expected = reference.encode(first, { text_pair: second, return_token_type_ids: true });
        expect([...pair.ids]).toEqual(expected.ids);
        expect([...pair.typeIds]).toEqual(expected.token_type_ids);
        expect([...ours.encodePair(first, second, { addSpecialTokens: false }).ids]).toEqual(reference.encode(first, { text_pair: second, add_special_tokens: false }).ids);
      }),
      { numRuns: 60 },
    );
  });

  it('encodePairWithOffsets: spans in each text, sequence ids, (0, 0) for special tokens', () => {
    const ours = HfTokenizer.fromJSON(wordPieceTokenizerJson() as TokenizerJson);
    fc.assert(
      fc.property(trickyText, words, (first, second) => {
        const pair = ours.encodePairWithOffsets(first, second);
        expect([...pair.ids]).toEqual([...ours.encodePair(first, second).ids]);
        expect([...pair.typeIds]).toEqual([...ours.encodePair(first, second).typeIds]);
        [first, second].forEach((text, sequence) => {
          const single = ours.encodeWithOffsets(text, { addSpecialTokens: false });
          const mine = [...pair.sequenceIds].flatMap((id, i) => (id === sequence ? [[pair.ids[i], pair.starts[i], pair.ends[i]]] : []));
          expect(mine).toEqual(Array.from(single.ids, (id, i) => [id, single.starts[i], single.ends[i]]));
        });
        [...pair.sequenceIds].forEach((id, i) => {
          if (id === -1) expect([pair.starts[i], pair.ends[i]]).toEqual([0, 0]);
        });
      }),
      { numRuns: 60 },
    );
    const question = 'Who is the captain?';
    const context = 'The captain is Ahab.';
    const result = ours.encodePairWithOffsets(question, context);
    const answer = [...result.sequenceIds].flatMap((id, i) => (id === 1 && context.slice(result.starts[i], result.ends[i]) === 'Ahab' ? [i] : []));
    expect(answer).toHaveLength(1);
  });

  it("TemplateProcessing's pair template, with its type ids", () => {
    const template = {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    };
    const json = { ...(wordPieceTokenizerJson() as TokenizerJson), post_processor: template } as TokenizerJson;
    const ours = HfTokenizer.fromJSON(json);
    const reference = new HfReference(json, {});
    for (const [first, second] of [
      ['Call me Ishmael.', 'Some years ago'],
      ['', 'whale'],
      ['鯨 🐋', '  naïve\n'],
    ] as const) {
      const expected = reference.encode(first, { text_pair: second, return_token_type_ids: true });
      const pair = ours.encodePair(first, second);
      expect([...pair.ids]).toEqual(expected.ids);
      expect([...pair.typeIds]).toEqual(expected.token_type_ids);
    }
  });

  it('RobertaProcessing: <s> a </s></s> b </s>, every type id 0 (tokenizers’ roberta.rs)', () => {
    const json = { ...(wordPieceTokenizerJson() as TokenizerJson), post_processor: { type: 'RobertaProcessing', cls: ['[CLS]', 2], sep: ['[SEP]', 3], trim_offsets: true, add_prefix_space: false } } as TokenizerJson;
    const ours = HfTokenizer.fromJSON(json);
    const plain = (text: string) => [...ours.encode(text, { addSpecialTokens: false })];
    expect([...ours.encode('Call me Ishmael.')]).toEqual([2, ...plain('Call me Ishmael.'), 3]);
    const pair = ours.encodePair('Call me', 'Ishmael');
    expect([...pair.ids]).toEqual([2, ...plain('Call me'), 3, 3, ...plain('Ishmael'), 3]);
    expect([...pair.typeIds]).toEqual(new Array<number>(pair.ids.length).fill(0));
    expect([...ours.encodePair('Call me', 'Ishmael', { addSpecialTokens: false }).ids]).toEqual([...plain('Call me'), ...plain('Ishmael')]);
    // The same ids as tokenizers.js's RobertaProcessing.
    const reference = new HfReference(json, {});
    expect([...pair.ids]).toEqual(reference.encode('Call me', { text_pair: 'Ishmael' }).ids);
  });
});

describe('added tokens', () => {
  const withAdded = (tokens: Partial<AddedTokenJson>[]) => {
    const json = wordPieceTokenizerJson() as TokenizerJson;
    const size = Object.keys(json.model.vocab).length;
    const added = tokens.map((token, i) => ({ id: size + i, content: '', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false, ...token }));
    return { ...json, added_tokens: [...json.added_tokens!, ...added] } as TokenizerJson;
  };

  it('lstrip/rstrip take the whitespace beside them; normalized tokens match the normalized text', () => {
    const json = withAdded([
      { content: '<left>', lstrip: true },
      { content: '<right>', rstrip: true },
      { content: 'Moby-Dick!', normalized: true },
    ]);
    const ours = HfTokenizer.fromJSON(json);
    const reference = new HfReference(json, {});
    for (const text of ['the   <left>  whale', 'a <right>   b', '<left><right> MOBY-DICK! moby-dick!x', 'x<left>', '<right>']) {
      expect([...ours.encode(text)], text).toEqual(reference.encode(text).ids);
    }
    const mobyId = json.added_tokens!.at(-1)!.id;
    expect([...ours.encode('MOBY-DICK!', { addSpecialTokens: false })]).toEqual([mobyId]);
    // The span of an lstrip token covers the spaces it took.
    const text = 'the   <left> whale';
    const result = ours.encodeWithOffsets(text, { addSpecialTokens: false });
    const at = [...result.ids].indexOf(json.added_tokens!.at(-3)!.id);
    expect(text.slice(result.starts[at]!, result.ends[at]!)).toBe('   <left>');
  });

  it('single_word tokens only match with no word character beside them (Unicode \\w, as Rust)', () => {
    const json = withAdded([{ content: 'zq', single_word: true }]);
    const id = json.added_tokens!.at(-1)!.id;
    const ours = HfTokenizer.fromJSON(json);
    const without = HfTokenizer.fromJSON(wordPieceTokenizerJson() as TokenizerJson);
    expect([...ours.encode('zq whale', { addSpecialTokens: false })][0]).toBe(id);
    expect([...ours.encode('a,zq.', { addSpecialTokens: false })]).toContain(id);
    for (const text of ['xzq', 'zqx', 'ézq', 'zq1', '_zq']) {
      expect([...ours.encode(text)], text).toEqual([...without.encode(text)]);
    }
  });
});
