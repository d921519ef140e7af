import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignedText } from './aligned-text.js';
import { errorCode } from '../__fixtures__/error-code.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { PrecompiledCharsmap } from './precompiled.js';
import type { TokenizerJson } from './tokenizer-json.js';

// Unigram models trained with Debian's spm_train (SentencePiece 0.1.97, nmt_nfkc normalization) and
// converted like transformers' SpmConverter; expected ids come from spm_encode. See
// src/__fixtures__/spm/README.md.
const dir = new URL('../__fixtures__/spm/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected-ids.json', dir), 'utf8')) as { texts: string[] } & Record<string, number[][]>;
const MODELS = ['unigram-nmt-nfkc', 'unigram-byte-fallback'] as const;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`${name}.tokenizer.json`, dir), 'utf8')) as TokenizerJson;
const charsmapOf = (json: TokenizerJson) => json.normalizer!.normalizers!.find((step) => step.type === 'Precompiled')!.precompiled_charsmap!;

/**
 * SentencePiece's own normalization: the longest charsmap key at each position. tokenizers' (and
 * our) Precompiled normalizer differs on purpose for some grapheme clusters (see precompiled.ts):
 * texts where the two disagree are checked on their own below.
 */
function sentencePieceNormalize(charsmap: PrecompiledCharsmap, text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let at = 0; at < bytes.length; ) {
    const match = charsmap.prefixMatch(bytes.subarray(at), true);
    if (match) {
      out += match[1];
      at += match[0];
      continue;
    }
    let width = 1;
    while (at + width < bytes.length && (bytes[at + width]! & 0xc0) === 0x80) width++;
    out += new TextDecoder().decode(bytes.subarray(at, at + width));
    at += width;
  }
  return out;
}

describe.each(MODELS)('HfTokenizer.fromJSON with the Precompiled normalizer (%s)', (name) => {
  const json = fixture(name);
  const ours = HfTokenizer.fromJSON(json, { name });
  const charsmap = new PrecompiledCharsmap(charsmapOf(json));

  it('gives spm_encode’s ids wherever SentencePiece and tokenizers normalize alike', () => {
    let compared = 0;
    expected.texts.forEach((text, i) => {
      const hf = charsmap.normalize(alignedText(text, false)).text;
      if (hf !== sentencePieceNormalize(charsmap, text)) return;
      compared++;
      expect([...ours.encode(text, { addSpecialTokens: false })], JSON.stringify(text)).toEqual(expected[name]![i]);
    });
    expect(compared).toBeGreaterThan(expected.texts.length * 0.75);
  });

  it('adds </s> through the TemplateProcessing, and decodes Moby Dick back', () => {
    const text = expected.texts[0]!;
    const ids = [...ours.encode(text)];
    expect(ids.at(-1)).toBe(2);
    expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(text);
  });

  it('offsets map the normalized pieces back to the original characters', () => {
    const text = 'ﬁne  ｆｕｌｌ width, Ⅻ whales';
    const result = ours.encodeWithOffsets(text, { addSpecialTokens: false });
    expect([...result.ids]).toEqual([...ours.encode(text, { addSpecialTokens: false })]);
    const pieces = Array.from(result.starts, (start, i) => text.slice(start, result.ends[i]));
    // Spans tile the text but for the spaces the normalizer collapsed, which lie between tokens.
    expect(pieces.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(pieces.join('').normalize('NFKC').replace(/\s+/g, '')).toBe(Array.from(result.ids, (id) => ours.decode([id])).join('').replace(/\s+/g, ''));
    // Ⅻ becomes X, I, I: the first token holds the character, the others an empty span at its end.
    const twelve = text.indexOf('Ⅻ');
    const at = Array.from(result.starts).findIndex((start, i) => start === twelve && result.ends[i]! > start);
    expect(pieces.slice(at, at + 3)).toEqual(['Ⅻ', '', '']);
    expect([result.starts[at + 1], result.starts[at + 2]]).toEqual([twelve + 1, twelve + 1]);
  });
});

describe('PrecompiledCharsmap', () => {
  const charsmap = new PrecompiledCharsmap(charsmapOf(fixture('unigram-nmt-nfkc')));
  const normalize = (text: string) => charsmap.normalize(alignedText(text, false)).text;

  it('applies nmt_nfkc: compatibility forms, control characters, odd spaces', () => {
    expect(normalize('ﬁne ｆｕｌｌ ① Ⅻ')).toBe('fine full 1 XII');
    expect(normalize('a\u00a0b\u3000c\u200bd')).toBe('a b c d');
    expect(normalize('plain ascii text')).toBe('plain ascii text');
  });

  it('keeps tokenizers’ grapheme rule: a cluster of 6+ UTF-8 bytes is normalized character by character', () => {
    // Halfwidth カ + voiced mark is one 6-byte grapheme: SentencePiece composes ガ, tokenizers maps
    // each character alone (カ + combining ゙).
    expect(normalize('ｶﾞ')).toBe('\u30ab\u3099');
    expect(sentencePieceNormalize(charsmap, 'ｶﾞ')).toBe('\u30ac');
  });

  it('rejects a charsmap that is not one', () => {
    expect(errorCode(() => new PrecompiledCharsmap('not base64!'))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => new PrecompiledCharsmap('AAAA'))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => new PrecompiledCharsmap('/////wAA'))).toBe('INVALID_ARGUMENT');
  });
});
