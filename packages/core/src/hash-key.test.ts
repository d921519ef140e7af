import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEncode, hashKey, toHex } from './hash-key.js';
import { isChunkwiseError } from './errors.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Arbitrary JSON-like values including binary data, without `undefined` in arrays. */
const { value: dataValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.string({ unit: 'binary' }),
    fc.bigInt(),
    fc.uint8Array({ maxLength: 8 }),
    fc.float32Array({ maxLength: 4 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
}));

function shuffledKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shuffledKeys);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) out[k] = shuffledKeys(v);
    return out;
  }
  return value;
}

describe('hashKey', () => {
  it('is the hex SHA-256 of the canonical encoding (checked with node:crypto)', async () => {
    await fc.assert(
      fc.asyncProperty(dataValue, async (value) => {
        expect(await hashKey(value)).toBe(sha256(canonicalEncode(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('pins the encoding: a known value has a known key', async () => {
    // If this changes, every stored cache key changes: bump the encoding version instead.
    const bytes = canonicalEncode({ b: [1, 'x'], a: null });
    expect(toHex(bytes)).toBe(
      'cb01' + '08' + '00000002' + '00000001' + '61' + '01' + '00000001' + '62' + '07' + '00000002' + '04' + '3ff0000000000000' + '06' + '00000001' + '78',
    );
    expect(await hashKey({ b: [1, 'x'], a: null })).toBe(sha256(bytes));
  });

  it('ignores object key order', async () => {
    await fc.assert(
      fc.asyncProperty(dataValue, async (value) => {
        expect(await hashKey(shuffledKeys(value))).toBe(await hashKey(value));
      }),
      { numRuns: 100 },
    );
  });

  it('gives different keys to different data', async () => {
    const values: unknown[] = [
      null, undefined, false, true, 0, 1, -1, Number.POSITIVE_INFINITY, '', '0', '1', 'a', ['a'], [['a']], {}, [], { a: 1 },
      { a: '1' }, { '': 1 }, [1, 2], [2, 1], '\uD800', '\uFFFD', '\uDC00\uD800', '\uD83D\uDE00', 1n, '1n',
      new Uint8Array([1, 0, 0, 0]), new Uint32Array([1]), new Float32Array([1]), new Int32Array([1]), new Date(0),
      new Uint8Array([]), new ArrayBuffer(0), { a: [] }, { a: {} }, [null], [undefined],
    ];
    const keys = await Promise.all(values.map(hashKey));
    expect(new Set(keys).size).toBe(values.length);
  });

  it('treats -0 as 0, every NaN as one NaN, and undefined-valued keys as absent', async () => {
    expect(await hashKey(-0)).toBe(await hashKey(0));
    expect(await hashKey(Number.NaN)).toBe(await hashKey(0 / 0));
    expect(await hashKey({ a: 1, b: undefined })).toBe(await hashKey({ a: 1 }));
  });

  it('keeps lone surrogates distinct from U+FFFD (WTF-8, not lossy UTF-8)', async () => {
    expect(await hashKey('a\uD800b')).not.toBe(await hashKey('a\uFFFDb'));
    expect(await hashKey('\uDBFF')).not.toBe(await hashKey('\uDFFF'));
  });

  it('encodes well-formed strings as UTF-8', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const bytes = canonicalEncode(text);
        expect(Buffer.from(bytes.subarray(7)).toString('utf8')).toBe(text);
      }),
    );
  });

  it('hashes a typed array by its values, independent of the buffer around it', async () => {
    const backing = new Float32Array([9, 1, 2, 9]);
    expect(await hashKey(backing.subarray(1, 3))).toBe(await hashKey(new Float32Array([1, 2])));
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a Map', new Map()],
    ['a class instance', new (class Point {})()],
    ['an invalid Date', new Date(Number.NaN)],
  ])('rejects %s with INVALID_ARGUMENT', async (_label, value) => {
    await expect(hashKey({ nested: [value] })).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT'));
  });

  it('rejects circular structures instead of overflowing the stack', async () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    await expect(hashKey(a)).rejects.toThrow(/circular reference cannot be hashed at self\./);
  });

  it('rejects a 100,000-deep array with INVALID_ARGUMENT instead of overflowing the stack', async () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await expect(hashKey(deep)).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT'));
  });

  it('hashes values nested 500 levels deep', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 500; i++) deep = { next: deep };
    expect(await hashKey(deep)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the same object twice when it is not a cycle', async () => {
    const shared = { x: 1 };
    expect(await hashKey([shared, shared])).toBe(await hashKey([{ x: 1 }, { x: 1 }]));
  });

  it('hashes a 5 MB string', async () => {
    const text = 'whale '.repeat(900_000);
    expect(await hashKey(text)).toBe(sha256(canonicalEncode(text)));
  });
});
