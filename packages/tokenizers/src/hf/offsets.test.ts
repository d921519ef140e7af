import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hfModel } from '../__fixtures__/hf-reference.js';
import { trickyText, wellFormedText } from '../__fixtures__/text-arbitraries.js';
import { unigramTokenizerJson } from '../__fixtures__/unigram-tokenizer-json.js';
import { wordPieceTokenizerJson } from '../__fixtures__/wordpiece-tokenizer-json.js';
import { HfTokenizer } from './hf-tokenizer.js';

/**
 * An independent derivation for byte-level models without a normalizer (what the playground did
 * before the package had offsets): spans from each token's UTF-8 byte length, a character going to
 * the token holding its first byte.
 */
function spansFromByteLengths(text: string, lengths: number[]): [number, number][] {
  const charAtByte: number[] = [];
  for (let unit = 0; unit < text.length; ) {
    const code = text.codePointAt(unit)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    const units = code > 0xffff ? 2 : 1;
    charAtByte.push(unit);
    for (let k = 1; k < width; k++) charAtByte.push(unit + units);
    unit += units;
  }
  charAtByte.push(text.length);
  let at = 0;
  return lengths.map((length) => {
    const span: [number, number] = [charAtByte[at]!, charAtByte[at + length]!];
    at += length;
    return span;
  });
}

function spans(result: { starts: Uint32Array; ends: Uint32Array }): [number, number][] {
  return Array.from(result.starts, (start, i) => [start, result.ends[i]!]);
}

/** Spans in order, never overlapping, inside the text. */
function expectOrdered(text: string, result: { starts: Uint32Array; ends: Uint32Array }): void {
  let previous = 0;
  for (let i = 0; i < result.starts.length; i++) {
    expect(result.starts[i]).toBeGreaterThanOrEqual(previous);
    expect(result.ends[i]).toBeGreaterThanOrEqual(result.starts[i]!);
    previous = result.ends[i]!;
  }
  expect(previous).toBeLessThanOrEqual(text.length);
}

/** Spans that tile the text: each starts where the last ended, from 0 to the end. */
function expectTiling(text: string, result: { starts: Uint32Array; ends: Uint32Array }): void {
  let previous = 0;
  for (let i = 0; i < result.starts.length; i++) {
    expect(result.starts[i]).toBe(previous);
    previous = result.ends[i]!;
  }
  expect(previous).toBe(text.length);
}

describe('HfTokenizer.encodeWithOffsets', () => {
  const llama3 = HfTokenizer.fromJSON(hfModel('llama3').json);
  const qwen3 = HfTokenizer.fromJSON(hfModel('qwen3').json);
  const llama2 = HfTokenizer.fromJSON(hfModel('llama2').json);

  it('byte-level BPE (Llama 3): the ids of encode, spans that tile the text and match the byte-length derivation', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const result = llama3.encodeWithOffsets(text, { addSpecialTokens: false });
        expect([...result.ids]).toEqual([...llama3.encode(text, { addSpecialTokens: false })]);
        expectTiling(text, result);
        const lengths = Array.from(result.ids, (id) => llama3.decodeBytes([id]).length);
        expect(spans(result)).toEqual(spansFromByteLengths(text, lengths));
      }),
      { numRuns: 150 },
    );
  });

  it('gives post-processor tokens empty spans, and added tokens found in the text their match', () => {
    const text = 'Call me <|eot_id|>Ishmael';
    const result = llama2.encodeWithOffsets(text);
    expect(result.ids[0]).toBe(1); // <s> from the TemplateProcessing
    expect([result.starts[0], result.ends[0]]).toEqual([0, 0]);
    const withAdded = llama3.encodeWithOffsets(text);
    const special = [...withAdded.ids].indexOf(128009); // <|eot_id|>
    expect(text.slice(withAdded.starts[special]!, withAdded.ends[special]!)).toBe('<|eot_id|>');
    expectTiling(text, withAdded);
  });

  it('maps a normalizer that changes length back to the original text (Qwen 3, NFC)', () => {
    const text = 'Cafe\u0301 e\u0301te\u0301 \u212b';
    const result = qwen3.encodeWithOffsets(text, { addSpecialTokens: false });
    expect([...result.ids]).toEqual([...qwen3.encode(text, { addSpecialTokens: false })]);
    expectTiling(text, result);
    const pieces = spans(result).map(([start, end]) => text.slice(start, end));
    expect(pieces.join('')).toBe(text);
    // Every piece, normalized, is what its token decodes to (nothing split inside a combining sequence).
    expect(pieces.map((piece) => piece.normalize('NFC'))).toEqual(Array.from(result.ids, (id) => qwen3.decode([id])));
    fc.assert(
      fc.property(wellFormedText, (generated) => {
        const offsets = qwen3.encodeWithOffsets(generated, { addSpecialTokens: false });
        expect([...offsets.ids]).toEqual([...qwen3.encode(generated, { addSpecialTokens: false })]);
        expectTiling(generated, offsets);
      }),
      { numRuns: 100 },
    );
  });

  it('SentencePiece BPE with byte fallback (Llama 2): the prepended ▁ has no text of its own; bytes split a character', () => {
    const text = 'Call me Ishmael 🐋';
    const result = llama2.encodeWithOffsets(text, { addSpecialTokens: false });
    expectTiling(text, result);
    const pieces = spans(result).map(([start, end]) => text.slice(start, end));
    const vocab = new Map(Object.entries((JSON.parse(hfModel('llama2').json) as { model: { vocab: Record<string, number> } }).model.vocab).map(([token, id]) => [id, token]));
    const tokens = Array.from(result.ids, (id) => vocab.get(id)!.replaceAll('▁', ' '));
    expect(tokens[0]).toBe(' Call');
    expect(pieces.slice(0, -4)).toEqual([tokens[0]!.slice(1), ...tokens.slice(1, -4)]);
    // 🐋 is not in the vocabulary: four <0xXX> tokens, the first holding the character.
    expect(pieces.slice(-4)).toEqual(['🐋', '', '', '']);
    fc.assert(
      fc.property(trickyText, (generated) => {
        const offsets = llama2.encodeWithOffsets(generated);
        expect([...offsets.ids]).toEqual([...llama2.encode(generated)]);
        expectOrdered(generated, offsets);
        expectTiling(generated, { starts: offsets.starts.subarray(1), ends: offsets.ends.subarray(1) });
      }),
      { numRuns: 100 },
    );
  });

  it('WordPiece (BERT): spans of words and ## pieces, dropped whitespace between them', () => {
    const bert = HfTokenizer.fromJSON(wordPieceTokenizerJson() as never);
    const text = 'Ishmael  said: CAFÉ\tnaïve';
    const result = bert.encodeWithOffsets(text);
    expectOrdered(text, result);
    const pieces = spans(result).map(([start, end]) => text.slice(start, end));
    expect(pieces[0]).toBe(''); // [CLS]
    expect(pieces.at(-1)).toBe(''); // [SEP]
    // Lowercased and accent-stripped tokens come from the original, accented text.
    const tokens = Array.from(result.ids, (id) => bert.decode([id]).replace(/^##/, ''));
    pieces.slice(1, -1).forEach((piece, i) => expect(piece.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase()).toBe(tokens[i + 1]));
    fc.assert(
      fc.property(trickyText, (generated) => {
        const offsets = bert.encodeWithOffsets(generated);
        expect([...offsets.ids]).toEqual([...bert.encode(generated)]);
        expectOrdered(generated, offsets);
      }),
      { numRuns: 100 },
    );
  });

  it('Unigram with Metaspace: spans are the words the pieces came from', () => {
    const json = unigramTokenizerJson() as { model: { vocab: [string, number][] } };
    const unigram = HfTokenizer.fromJSON(json as never);
    const text = 'Call me Ishmael. Some years ago';
    const result = unigram.encodeWithOffsets(text);
    expectTiling(text, result);
    const pieces = spans(result).map(([start, end]) => text.slice(start, end));
    const tokens = Array.from(result.ids, (id) => json.model.vocab[id]![0]);
    expect(['▁' + pieces[0]!, ...pieces.slice(1).map((piece) => piece.replaceAll(' ', '▁'))]).toEqual(tokens);
  });
});
