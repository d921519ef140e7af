import { isChunkwiseError, type Tokenizer } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

// Records which rank-data modules get imported: the lazy-loading promise is that none is, until an
// encoding is asked for.
const loadedTables = vi.hoisted(() => [] as string[]);
vi.mock('./generated/r50k_base.js', async (original) => (loadedTables.push('r50k_base'), original()));
vi.mock('./generated/p50k_base.js', async (original) => (loadedTables.push('p50k_base'), original()));
vi.mock('./generated/cl100k_base.js', async (original) => (loadedTables.push('cl100k_base'), original()));
vi.mock('./generated/o200k_base.js', async (original) => (loadedTables.push('o200k_base'), original()));

const { characterTokenizer, CharacterTokenizer, isCharacterTokenizer, resolveTokenizer, TOKENIZER_NAMES, ENCODING_NAMES, getEncoding } = await import('./index.js');

describe('resolveTokenizer', () => {
  it('loads no rank data until an encoding is asked for, then only that one', async () => {
    expect(await resolveTokenizer('characters')).toBe(characterTokenizer);
    const own: Tokenizer = { name: 'mine', encode: () => new Uint32Array(), decode: () => '', count: () => 0 };
    expect(await resolveTokenizer(own)).toBe(own);
    await expect(resolveTokenizer('o300k')).rejects.toThrow();
    expect(loadedTables).toEqual([]);
    const cl100k = await resolveTokenizer('cl100k_base');
    expect(cl100k).toBe(await getEncoding('cl100k_base'));
    expect(loadedTables).toEqual(['cl100k_base']);
  });

  it('accepts every listed name and defaults to o200k_base', async () => {
    expect(TOKENIZER_NAMES).toEqual(['characters', ...ENCODING_NAMES]);
    for (const name of TOKENIZER_NAMES) expect((await resolveTokenizer(name)).name).toBe(name);
    expect((await resolveTokenizer(undefined)).name).toBe('o200k_base');
  });

  it('rejects any other value with one code, INVALID_ARGUMENT, naming the accepted names', async () => {
    for (const bad of ['o300k', '', 'O200K_BASE', 'gpt-4o', null, 42, {}, { encode: 1 }, [], Symbol('x'), () => 1]) {
      const error: unknown = await resolveTokenizer(bad as never).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isChunkwiseError(error, 'INVALID_ARGUMENT'), String(bad as never)).toBe(true);
      if (typeof bad === 'string') expect((error as Error).message).toContain(TOKENIZER_NAMES.join(', '));
    }
  });
});

describe('characterTokenizer', () => {
  it('is a CharacterTokenizer whose ids are UTF-16 code units', () => {
    expect(isCharacterTokenizer(characterTokenizer)).toBe(true);
    expect(characterTokenizer).toBeInstanceOf(CharacterTokenizer);
    expect(Array.from(characterTokenizer.encode('a🐋'))).toEqual([0x61, 0xd83d, 0xdc0b]);
  });

  it('round-trips any string, lone surrogates included, and counts its length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(characterTokenizer.decode(characterTokenizer.encode(text))).toBe(text);
        expect(characterTokenizer.count(text)).toBe(text.length);
      }),
    );
    const long = 'x'.repeat(100_000);
    expect(characterTokenizer.decode(characterTokenizer.encode(long))).toBe(long);
  });

  it('refuses ids that are not code units', () => {
    expect(() => characterTokenizer.decode([0x10000])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => characterTokenizer.decode(null as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
