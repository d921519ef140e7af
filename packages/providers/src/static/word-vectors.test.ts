import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { randomTable } from './__fixtures__/corpus.js';
import { WordVectors } from './word-vectors.js';
import { WordVectorsBuilder } from './word-vectors-builder.js';

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const entries = (d: number) =>
  fc.uniqueArray(fc.tuple(word, fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: d, maxLength: d })), {
    minLength: 1,
    maxLength: 40,
    selector: ([w]) => w,
  });

describe('WordVectors (.cwv tables)', () => {
  it('finds every word it was built with and nothing else, float32 exactly, int8 within cosine 0.9999', () => {
    fc.assert(
      fc.property(entries(6), fc.constantFrom('int8' as const, 'float32' as const), word, (rows, encoding, stranger) => {
        const builder = new WordVectorsBuilder(6, { encoding });
        for (const [w, v] of rows) builder.add(w, v);
        const table = WordVectors.fromBytes(builder.build());
        expect(table.size).toBe(rows.length);
        rows.forEach(([w, v], id) => {
          expect(table.lookup(w)).toBe(id);
          expect(table.word(id)).toBe(w);
          const back = table.vector(id);
          if (encoding === 'float32') expect(Array.from(back)).toEqual(v.map((x) => Math.fround(x) + 0));
          else if (v.some((x) => x !== 0)) expect(cosine(back, v)).toBeGreaterThan(0.9999);
          else expect(Array.from(back)).toEqual([0, 0, 0, 0, 0, 0]);
        });
        if (!rows.some(([w]) => w === stranger)) expect(table.lookup(stranger)).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the first vector of a repeated word and reports the repeat', () => {
    const builder = new WordVectorsBuilder(2);
    expect(builder.add('sea', [1, 0])).toBe(true);
    expect(builder.add('sea', [0, 1])).toBe(false);
    const table = WordVectors.fromBytes(builder.build());
    expect(table.size).toBe(1);
    expect(cosine(table.vector(0), [1, 0])).toBeCloseTo(1, 6);
  });

  it('refuses vectors of the wrong length (DIMENSION_MISMATCH) and non-finite values (CORRUPT_DATA)', () => {
    const builder = new WordVectorsBuilder(3);
    expect(() => builder.add('a', [1, 2])).toThrow(expect.objectContaining({ code: 'DIMENSION_MISMATCH' }));
    expect(() => builder.add('a', [1, Number.NaN, 2])).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => builder.add('a', [1, Infinity, 2])).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
    expect(() => builder.build()).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('fails with CORRUPT_DATA on every truncation and on any damaged byte', () => {
    const { bytes } = randomTable(['call', 'me', 'ishmael', 'whale', 'sea'], 8);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (length) => {
        expect(() => WordVectors.fromBytes(bytes.slice(0, length))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const damaged = bytes.slice();
        damaged[at]! ^= flip;
        let error: unknown;
        try {
          WordVectors.fromBytes(damaged);
        } catch (caught) {
          error = caught;
        }
        expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a table from a misaligned view (a slice of a Node Buffer pool)', () => {
    const { bytes } = randomTable(['whale', 'ship'], 5);
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes, 1);
    const table = WordVectors.fromBytes(padded.subarray(1));
    expect(table.lookup('ship')).toBe(1);
  });

  it('gives the same id for the same bytes and a different id for other vectors', () => {
    const a = WordVectors.fromBytes(randomTable(['whale', 'ship'], 5, {}, 1).bytes);
    const b = WordVectors.fromBytes(randomTable(['whale', 'ship'], 5, {}, 1).bytes);
    const c = WordVectors.fromBytes(randomTable(['whale', 'ship'], 5, {}, 2).bytes);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });
});
