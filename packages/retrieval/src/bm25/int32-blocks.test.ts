import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK, Int32Blocks } from './int32-blocks.js';
import { PendingTfs } from './pending-tfs.js';

describe('Int32Blocks', () => {
  it('reads back what was appended, across block boundaries, and its pieces concatenate to it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: BLOCK + 3 }), { minLength: 1, maxLength: 6 }), fc.integer(), (sizes, seed) => {
        const blocks = new Int32Blocks();
        let length = 0;
        for (const size of sizes) {
          blocks.reserve(length, length + size);
          for (let i = length; i < length + size; i++) blocks.set(i, (i * 31 + seed) | 0);
          length += size;
        }
        expect(blocks.capacity).toBeGreaterThanOrEqual(length);
        // Every block but the last is full: index i is always in block i / BLOCK.
        blocks.blocks.slice(0, -1).forEach((block) => expect(block.length).toBe(BLOCK));
        for (let i = 0; i < length; i += 997) expect(blocks.get(i)).toBe((i * 31 + seed) | 0);
        if (length > 0) expect(blocks.get(length - 1)).toBe(((length - 1) * 31 + seed) | 0);
        const pieces = blocks.pieces(length);
        expect(pieces.reduce((n, piece) => n + piece.length, 0)).toBe(length);
        let at = 0;
        for (const piece of pieces) {
          expect(piece[0]).toBe(piece.length > 0 ? (at * 31 + seed) | 0 : undefined);
          at += piece.length;
        }
      }),
      { numRuns: 12, seed: 18 },
    );
  });

  it('never writes into the array it views, and grows past it', () => {
    for (const length of [0, 5, BLOCK, BLOCK + 17, 2 * BLOCK]) {
      const source = Int32Array.from({ length }, (_, i) => i ^ 0x5a5a);
      const copy = source.slice();
      const blocks = Int32Blocks.viewOf(source);
      blocks.reserve(length, length + 3);
      for (let i = length; i < length + 3; i++) blocks.set(i, -i - 1);
      expect(source).toEqual(copy);
      for (const i of [0, length >> 1, length - 1, length, length + 2]) if (i >= 0) expect(blocks.get(i)).toBe(i < length ? i ^ 0x5a5a : -i - 1);
      // Rewriting a viewed entry (a compacted index does not, but the blocks allow it) copies first.
      if (length > 0) {
        blocks.reserve(0, 1);
        blocks.set(0, 7);
        expect(source[0]).toBe(copy[0]);
        expect(blocks.get(0)).toBe(7);
      }
    }
  });
});

describe('PendingTfs', () => {
  it('keeps any tf, one byte each below 255 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 500 }), fc.integer({ min: 0, max: 2 * 2 ** 20 }), (tfs, offset) => {
        const pending = new PendingTfs();
        pending.reserve(offset + tfs.length);
        tfs.forEach((tf, i) => pending.set(offset + i, tf));
        tfs.forEach((tf, i) => expect(pending.get(offset + i)).toBe(tf));
      }),
      { numRuns: 40 },
    );
  });
});
