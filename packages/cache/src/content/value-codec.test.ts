import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './value-codec.js';

describe('value codec', () => {
  it('round-trips JSON values exactly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON itself maps -0 to 0; everything else comes back equal.
        expect(decodeValue(encodeValue(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('stores a Float32Array compactly: 3 header bytes + 4 bytes per element, bit-exact', () => {
    fc.assert(
      fc.property(fc.float32Array({ maxLength: 64 }), (vector) => {
        const encoded = encodeValue(vector);
        expect(encoded.length).toBe(3 + vector.length * 4);
        const decoded = decodeValue(encoded);
        expect(decoded).toBeInstanceOf(Float32Array);
        expect(new Uint8Array((decoded as Float32Array).buffer)).toEqual(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
      }),
    );
  });

  it('keeps the typed array kind and reads only the viewed part of a buffer', () => {
    const backing = new Int32Array([7, -1, 2, 7]);
    const decoded = decodeValue(encodeValue(backing.subarray(1, 3)));
    expect(decoded).toBeInstanceOf(Int32Array);
    expect(Array.from(decoded as Int32Array)).toEqual([-1, 2]);
    expect(decodeValue(encodeValue(new Float64Array([Math.PI])))).toEqual(new Float64Array([Math.PI]));
  });

  it.each([
    ['undefined', undefined],
    ['NaN', { a: Number.NaN }],
    ['a Map', new Map()],
    ['a nested typed array', { v: new Float32Array(2) }],
    ['a BigInt64Array', new BigInt64Array(1)],
    ['a function', () => 1],
  ])('rejects %s with INVALID_ARGUMENT instead of storing something else', (_label, value) => {
    expect(() => encodeValue(value)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('rejects bytes it did not write with CORRUPT_DATA', () => {
    for (const bytes of [new Uint8Array([]), new TextEncoder().encode('hello'), new Uint8Array([0xc7, 9, 0]), new Uint8Array([0xc7, 1, 99]), new Uint8Array([0xc7, 1, 7, 1, 2])]) {
      try {
        decodeValue(bytes, 'ns:k');
        expect.unreachable();
      } catch (error) {
        expect(isChunkwiseError(error, 'CORRUPT_DATA')).toBe(true);
      }
    }
  });
});
