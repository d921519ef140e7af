import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { reference } from './__fixtures__/tiktoken-reference.js';
import { cl100k_base } from './cl100k_base.js';
import { getEncoding } from './get-encoding.js';
import { o200k_base } from './o200k_base.js';
import { o200k_harmony } from './o200k_harmony.js';
import { p50k_edit } from './p50k_edit.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isChunkwiseError(error) ? error.code : 'not a ChunkwiseError';
  }
  return undefined;
}

describe('special tokens follow tiktoken', () => {
  const text = 'hello <|endoftext|> world';

  it('throws DISALLOWED_SPECIAL by default when the text contains a special token', () => {
    expect(codeOf(() => cl100k_base.encode(text))).toBe('DISALLOWED_SPECIAL');
    expect(() => reference('cl100k_base').encode(text)).toThrow();
  });

  it('encodes an allowed special token as its id wherever it appears', () => {
    expect([...cl100k_base.encode(text, { allowedSpecial: ['<|endoftext|>'] })]).toEqual([...reference('cl100k_base').encode(text, ['<|endoftext|>'])]);
    expect([...cl100k_base.encode(text, { allowedSpecial: 'all' })]).toEqual([...reference('cl100k_base').encode(text, 'all')]);
  });

  it('encodes special-token text as ordinary text when nothing is disallowed', () => {
    expect([...cl100k_base.encode(text, { disallowedSpecial: [] })]).toEqual([...reference('cl100k_base').encode(text, [], [])]);
    expect([...cl100k_base.encodeOrdinary(text)]).toEqual([...reference('cl100k_base').encode_ordinary(text)]);
  });

  it('only checks the tokens listed in disallowedSpecial', () => {
    const fim = 'a <|fim_prefix|> b <|endoftext|>';
    expect(codeOf(() => cl100k_base.encode(fim, { disallowedSpecial: ['<|fim_prefix|>'] }))).toBe('DISALLOWED_SPECIAL');
    expect([...cl100k_base.encode(fim, { disallowedSpecial: ['<|fim_middle|>'] })]).toEqual([
      ...reference('cl100k_base').encode(fim, [], ['<|fim_middle|>']),
    ]);
  });

  it('uses OpenAI ids: o200k <|endofprompt|> is 200018', () => {
    expect([...o200k_base.encode('<|endofprompt|>', { allowedSpecial: 'all' })]).toEqual([200018]);
    expect(o200k_base.decode([200018])).toBe('<|endofprompt|>');
  });

  it('has the harmony and p50k_edit special tokens', () => {
    const harmony = '<|start|>user<|message|>Hi<|end|><|start|>assistant<|channel|>final<|message|>Hello<|return|>';
    expect([...o200k_harmony.encode(harmony, { allowedSpecial: 'all' })]).toEqual([...reference('o200k_harmony').encode(harmony, 'all')]);
    expect(o200k_harmony.vocabSize).toBe(201088);
    // As in tiktoken, the later entry wins the id-to-text direction.
    expect(o200k_harmony.decode([200018])).toBe('<|reserved_200018|>');
    expect([...p50k_edit.encode('<|fim_prefix|>x<|fim_suffix|>', { allowedSpecial: 'all' })]).toEqual([50281, 87, 50283]);
  });

  it('rejects unknown special-token names and bare strings as options', () => {
    expect(codeOf(() => cl100k_base.encode('x', { allowedSpecial: ['<|nope|>'] }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => cl100k_base.encode('x', { allowedSpecial: '<|endoftext|>' as unknown as string[] }))).toBe('INVALID_ARGUMENT');
  });
});

describe('decode', () => {
  it('throws NOT_FOUND for ids outside the vocabulary', () => {
    expect(codeOf(() => cl100k_base.decode([100256]))).toBe('NOT_FOUND'); // the gap before <|endoftext|>
    expect(codeOf(() => cl100k_base.decode([1, 2_000_000]))).toBe('NOT_FOUND');
    expect(codeOf(() => o200k_base.decode([-1]))).toBe('NOT_FOUND');
  });

  it('keeps a leading byte-order mark (cl100k token 98933 starts with EF BB BF)', () => {
    expect(cl100k_base.decode([98933, 271])).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(cl100k_base.decodeBytes([98933, 271])));
    expect(cl100k_base.decode([98933]).charCodeAt(0)).toBe(0xfeff);
  });

  it('replaces a cut character with U+FFFD and keeps the bytes exact in decodeBytes', () => {
    const ids = cl100k_base.encode('🐋');
    expect(ids.length).toBeGreaterThan(1);
    expect(cl100k_base.decode(ids.subarray(0, 1))).toBe('\uFFFD');
    expect([...cl100k_base.decodeBytes(ids)]).toEqual([...new TextEncoder().encode('🐋')]);
  });
});

describe('bad and unusual input, as tiktoken encodes it', () => {
  it.each([
    ['a lone high surrogate', 'a\uD800b'],
    ['a lone low surrogate', '\uDC00x'],
    ['reversed surrogates', '\uDC00\uD800'],
    ['NUL characters', 'a\u0000b\u0000\u0000'],
    ['NEL and BOM (whitespace in Rust, not in JS \\s)', 'a\u0085 b\uFEFF c \u0085\u0085x'],
    ['long s after an apostrophe', "it'ſ IT'ſ"],
    ['the empty string', ''],
  ])('%s', async (_label, text) => {
    for (const name of ['r50k_base', 'cl100k_base', 'o200k_base'] as const) {
      const encoding = await getEncoding(name);
      expect([...encoding.encodeOrdinary(text)]).toEqual([...reference(name).encode_ordinary(text)]);
    }
  });

  it('rejects non-string text with INVALID_ARGUMENT', () => {
    expect(codeOf(() => cl100k_base.encode(42 as unknown as string))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => cl100k_base.count(null as unknown as string))).toBe('INVALID_ARGUMENT');
  });
});

describe('count and isWithinLimit', () => {
  it('count equals the ordinary encoding length', () => {
    const text = 'The whale, the whale! <|endoftext|> 12345 🐳';
    expect(o200k_base.count(text)).toBe(reference('o200k_base').encode_ordinary(text).length);
  });

  it('isWithinLimit returns the count when within the limit and false beyond it', () => {
    const text = 'Call me Ishmael. Some years ago, never mind how long precisely.';
    const count = o200k_base.count(text);
    expect(o200k_base.isWithinLimit(text, count)).toBe(count);
    expect(o200k_base.isWithinLimit(text, count - 1)).toBe(false);
    expect(o200k_base.isWithinLimit('', 0)).toBe(0);
    expect(codeOf(() => o200k_base.isWithinLimit(text, -1))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => o200k_base.isWithinLimit(text, 1.5))).toBe('INVALID_ARGUMENT');
  });
});

describe('getEncoding', () => {
  it('returns the subpath instance', async () => {
    expect(await getEncoding('o200k_base')).toBe(o200k_base);
  });

  it('rejects unknown names with INVALID_ARGUMENT, as resolveTokenizer does', async () => {
    await expect(getEncoding('o300k' as 'o200k_base')).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT'));
  });
});
