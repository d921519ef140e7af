import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinParts, packStrings, snapshotParts, unpackSnapshot, unpackStrings, type SnapshotArray } from './snapshot-codec.js';

const arrays = fc.array(
  fc.oneof(
    fc.array(fc.integer(), { maxLength: 40 }).map((a) => Int32Array.from(a)),
    fc.array(fc.double(), { maxLength: 40 }).map((a) => Float64Array.from(a)),
    fc.array(fc.float({ noNaN: true }), { maxLength: 40 }).map((a) => Float32Array.from(a)),
    fc.uint8Array({ maxLength: 41 }),
  ) as fc.Arbitrary<SnapshotArray>,
  { maxLength: 8 },
);

describe('snapshot codec', () => {
  it('round-trips any header and typed arrays, from parts or joined (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), arrays, (header, list) => {
        const parts = snapshotParts(header, list);
        expect(parts.every((part) => part.byteLength % 4 === 0)).toBe(true);
        const back = unpackSnapshot(joinParts(parts));
        expect(back.header).toEqual(JSON.parse(JSON.stringify(header)) as unknown);
        expect(back.arrays.map((a) => [a.constructor.name, Array.from(a)])).toEqual(list.map((a) => [a.constructor.name, Array.from(a)]));
      }),
      { numRuns: 200 },
    );
  });

  it('detects any changed byte, a cut and a misaligned copy (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), arrays, fc.nat(), fc.integer({ min: 1, max: 255 }), (header, list, where, flip) => {
        const bytes = joinParts(snapshotParts(header, list));
        const damaged = bytes.slice();
        const at = where % damaged.length;
        damaged[at] = (damaged[at] as number) ^ flip;
        expect(() => unpackSnapshot(damaged)).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
        expect(() => unpackSnapshot(bytes.subarray(0, bytes.length - 8))).toThrow(expect.objectContaining({ code: 'CORRUPT_DATA' }) as Error);
        // A copy at an odd offset still reads (copied to an aligned buffer first).
        const shifted = new Uint8Array(bytes.length + 1).subarray(1);
        shifted.set(bytes);
        expect(unpackSnapshot(shifted).arrays.length).toBe(list.length);
      }),
      { numRuns: 200 },
    );
  });

  it('packs any strings exactly, lone surrogates included (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.oneof(fc.constantFrom('\uD800', '\uDFFF', '🐳'), fc.string({ unit: 'grapheme', maxLength: 1 })) })), (strings) => {
        const [bytes, ends] = packStrings(strings);
        expect(unpackStrings(bytes, ends)).toEqual(strings);
      }),
      { numRuns: 200 },
    );
  });
});
