import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PagedKVCache } from './paged-kv-cache.js';

const kvDim = 2;
const keyOf = (tag: number) => [tag, tag + 0.5];
const valueOf = (tag: number) => [-tag, tag * 2];

/** Reads a sequence through its zero-copy view, the way a kernel would. */
function readThroughView(cache: PagedKVCache, seq: number): number[] {
  const view = cache.view(seq);
  const out: number[] = [];
  for (let t = 0; t < view.length; t++) {
    const at = (view.blockTable[(t / view.blockSize) | 0]! * view.blockSize + (t % view.blockSize)) * view.kvDim;
    out.push(view.keys[at]!);
    expect(view.values[at]).toBe(-view.keys[at]!);
  }
  return out;
}

describe('PagedKVCache', () => {
  it('appends into blocks, allocating one per blockSize tokens, readable through view and gather', () => {
    const cache = new PagedKVCache({ numBlocks: 4, blockSize: 3, kvDim });
    const seq = cache.createSequence();
    for (let t = 0; t < 7; t++) cache.append(seq, keyOf(t), valueOf(t));
    expect(cache.length(seq)).toBe(7);
    expect(Array.from(cache.blockTable(seq))).toEqual([0, 1, 2]);
    expect(cache.freeBlocks).toBe(1);
    expect(readThroughView(cache, seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const { keys, values } = cache.gather(seq);
    expect(Array.from(keys)).toEqual([0, 1, 2, 3, 4, 5, 6].flatMap(keyOf));
    expect(Array.from(values)).toEqual([0, 1, 2, 3, 4, 5, 6].flatMap(valueOf));
  });

  it('forks by sharing blocks and copies a shared block only when one side writes to it', () => {
    const cache = new PagedKVCache({ numBlocks: 8, blockSize: 4, kvDim });
    const parent = cache.createSequence();
    for (let t = 0; t < 6; t++) cache.append(parent, keyOf(t), valueOf(t));
    const child = cache.fork(parent);
    expect(Array.from(cache.blockTable(child))).toEqual(Array.from(cache.blockTable(parent)));
    expect(cache.usedBlocks).toBe(2);
    expect(cache.refCount(0)).toBe(2);
    cache.append(child, keyOf(100), valueOf(100));
    // The full first block stays shared; the partly filled second one was copied for the child.
    expect(cache.blockTable(child)[0]).toBe(cache.blockTable(parent)[0]);
    expect(cache.blockTable(child)[1]).not.toBe(cache.blockTable(parent)[1]);
    cache.append(parent, keyOf(200), valueOf(200));
    expect(readThroughView(cache, parent)).toEqual([0, 1, 2, 3, 4, 5, 200]);
    expect(readThroughView(cache, child)).toEqual([0, 1, 2, 3, 4, 5, 100]);
    cache.free(parent);
    cache.free(child);
    expect(cache.freeBlocks).toBe(8);
  });

  it('throws LIMIT_EXCEEDED and changes nothing when the pool runs out', () => {
    const cache = new PagedKVCache({ numBlocks: 2, blockSize: 2, kvDim });
    const seq = cache.createSequence();
    cache.extend(seq, 3);
    expect(() => cache.extend(seq, 2)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(cache.length(seq)).toBe(3);
    expect(cache.freeBlocks).toBe(0);
  });

  it('rejects misuse with typed errors', () => {
    const cache = new PagedKVCache({ numBlocks: 2, blockSize: 2, kvDim });
    const seq = cache.createSequence();
    const codes = [
      () => new PagedKVCache({ numBlocks: 0, blockSize: 2, kvDim }),
      () => cache.write(seq, 0, 0, keyOf(1), valueOf(1)),
      () => cache.append(seq, [1], [1]),
      () => cache.length(99),
      () => cache.release(1),
      () => cache.createSequence({ blocks: [0], length: 1 }),
    ].map((call) => {
      try {
        call();
        return 'none';
      } catch (error) {
        return isChunkwiseError(error) ? error.code : 'untyped';
      }
    });
    expect(codes).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'NOT_FOUND', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });

  it('never leaks or double-frees blocks, and every sequence reads back what it wrote (random traces vs a model)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const) }),
      fc.record({ kind: fc.constant('fork' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('overwrite' as const), pick: fc.nat(), at: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), pick: fc.nat(), at: fc.nat() }),
      fc.record({ kind: fc.constant('free' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('share' as const), pick: fc.nat() }),
      // A short mask repeated over the sequence: keeps some tokens of most blocks, so tokens move.
      fc.record({ kind: fc.constant('compact' as const), pick: fc.nat(), mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('compact' as const), pick: fc.nat(), mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 12 }), fc.array(op, { maxLength: 60, size: 'medium' }), (blockSize, numBlocks, ops) => {
        const cache = new PagedKVCache({ numBlocks, blockSize, kvDim });
        const model = new Map<number, number[]>();
        let tag = 1;
        const pick = (n: number) => [...model.keys()][n % Math.max(1, model.size)];
        for (const step of ops) {
          const seq = step.kind === 'create' ? undefined : pick(step.pick);
          if (step.kind !== 'create' && seq === undefined) continue;
          try {
            switch (step.kind) {
              case 'create':
                model.set(cache.createSequence(), []);
                break;
              case 'fork':
                model.set(cache.fork(seq!), model.get(seq!)!.slice());
                break;
              case 'share': {
                // What a prefix cache does: a new sequence on top of another's blocks.
                const table = Array.from(cache.blockTable(seq!));
                model.set(cache.createSequence({ blocks: table, length: cache.length(seq!) }), model.get(seq!)!.slice());
                break;
              }
              case 'append': {
                const start = cache.extend(seq!, step.count);
                for (let i = 0; i < step.count; i++) {
                  cache.write(seq!, start + i, 0, keyOf(tag), valueOf(tag));
                  model.get(seq!)!.push(tag++);
                }
                break;
              }
              case 'overwrite': {
                const content = model.get(seq!)!;
                if (content.length === 0) break;
                const at = step.at % content.length;
                cache.write(seq!, at, 0, keyOf(tag), valueOf(tag));
                content[at] = tag++;
                break;
              }
              case 'truncate': {
                const content = model.get(seq!)!;
                const at = step.at % (content.length + 1);
                cache.truncate(seq!, at);
                content.length = at;
                break;
              }
              case 'free':
                cache.free(seq!);
                model.delete(seq!);
                break;
              case 'compact': {
                const content = model.get(seq!)!;
                const keep = content.flatMap((_, i) => (step.mask[i % step.mask.length] ? [i] : []));
                const before = cache.freeBlocks;
                const result = cache.compact(seq!, keep);
                model.set(seq!, keep.map((i) => content[i]!));
                expect(result.length).toBe(keep.length);
                expect(result.freedBlocks).toBe(cache.freeBlocks - before);
                expect(cache.blockTable(seq!).length).toBe(Math.ceil(keep.length / blockSize));
                break;
              }
            }
          } catch (error) {
            // Running out of blocks is allowed, and must leave the sequence as it was.
            expect(isChunkwiseError(error, 'LIMIT_EXCEEDED')).toBe(true);
            if (seq !== undefined && (step.kind === 'append' || step.kind === 'compact')) expect(cache.length(seq)).toBe(model.get(seq)!.length);
          }
          // Reference counts equal the number of table entries pointing at each block.
          const expected = new Int32Array(numBlocks);
          for (const id of model.keys()) for (const block of cache.blockTable(id)) expected[block]!++;
          for (let b = 0; b < numBlocks; b++) expect(cache.refCount(b)).toBe(expected[b]);
          expect(cache.freeBlocks).toBe(expected.filter((r) => r === 0).length);
          for (const [id, content] of model) expect(readThroughView(cache, id)).toEqual(content);
        }
        for (const id of [...model.keys()]) cache.free(id);
        expect(cache.freeBlocks).toBe(numBlocks);
      }),
      { numRuns: 300 },
    );
  });

  it('compacts kept positions of every layer into fewer blocks, equal to a gather of those positions', () => {
    const layers = 2;
    const cache = new PagedKVCache({ numBlocks: 8, blockSize: 4, kvDim, layers });
    const seq = cache.createSequence();
    cache.extend(seq, 14);
    for (let t = 0; t < 14; t++) for (let layer = 0; layer < layers; layer++) cache.write(seq, t, layer, keyOf(t + 100 * layer), valueOf(t + 100 * layer));
    const before = Array.from({ length: layers }, (_, layer) => cache.gather(seq, layer));
    // StreamingLLM-style: 2 sinks + the last 4 tokens.
    const keep = [0, 1, 10, 11, 12, 13];
    expect(cache.compact(seq, keep)).toEqual({ length: 6, freedBlocks: 2, copiedBlocks: 0 });
    for (let layer = 0; layer < layers; layer++) {
      const after = cache.gather(seq, layer);
      const rows = (a: Float32Array) => keep.flatMap((t) => Array.from(a.subarray(t * kvDim, (t + 1) * kvDim)));
      expect(Array.from(after.keys)).toEqual(rows(before[layer]!.keys));
      expect(Array.from(after.values)).toEqual(rows(before[layer]!.values));
    }
    expect(Array.from(cache.blockTable(seq))).toEqual([0, 1]);
    expect(cache.freeBlocks).toBe(6);
  });

  it('never writes a shared block: unchanged shared blocks stay shared, changed ones are copied', () => {
    const cache = new PagedKVCache({ numBlocks: 6, blockSize: 2, kvDim });
    const parent = cache.createSequence();
    for (let t = 0; t < 6; t++) cache.append(parent, keyOf(t), valueOf(t));
    const child = cache.fork(parent);
    // Block 0 keeps its tokens (stays shared); block 1 gets tokens 3 and 5 (copied for the child).
    expect(cache.compact(child, [0, 1, 3, 5])).toEqual({ length: 4, freedBlocks: -1, copiedBlocks: 1 });
    expect(readThroughView(cache, child)).toEqual([0, 1, 3, 5]);
    expect(readThroughView(cache, parent)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cache.blockTable(child)[0]).toBe(cache.blockTable(parent)[0]);
    expect(cache.refCount(cache.blockTable(parent)[0]!)).toBe(2);
    expect(cache.refCount(cache.blockTable(parent)[2]!)).toBe(1);
  });

  it('throws LIMIT_EXCEEDED, changing nothing, when shared blocks need copies and none are free; INVALID_ARGUMENT for bad positions', () => {
    const cache = new PagedKVCache({ numBlocks: 2, blockSize: 2, kvDim });
    const seq = cache.createSequence();
    for (let t = 0; t < 4; t++) cache.append(seq, keyOf(t), valueOf(t));
    const other = cache.fork(seq);
    expect(() => cache.compact(other, [1, 3])).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(readThroughView(cache, other)).toEqual([0, 1, 2, 3]);
    expect(cache.refCount(0)).toBe(2);
    for (const keep of [[1, 1], [2, 0], [4], [-1], [0.5]]) expect(() => cache.compact(seq, keep)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // Dropping everything frees the sequence's blocks (the fork still holds them here).
    expect(cache.compact(seq, [])).toEqual({ length: 0, freedBlocks: 0, copiedBlocks: 0 });
    expect(cache.refCount(0)).toBe(1);
  });
});
