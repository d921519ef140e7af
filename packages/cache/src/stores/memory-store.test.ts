import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('memoryStore', () => {
  it('returns what was stored, and undefined for absent keys', () => {
    const store = memoryStore({ maxBytes: 10_000 });
    store.set('a', bytes(1, 2, 3));
    expect(store.get('a')).toEqual(bytes(1, 2, 3));
    expect(store.get('b')).toBeUndefined();
    expect(store.getMany(['b', 'a'])).toEqual([undefined, bytes(1, 2, 3)]);
    expect(() => store.getMany('a' as unknown as string[])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect(store.get('a')).toBeUndefined();
  });

  it('copies on write, so the caller reusing its buffer does not change the entry', () => {
    const store = memoryStore({ maxBytes: 10_000 });
    const buffer = bytes(1, 2, 3);
    store.set('a', buffer);
    buffer[0] = 9;
    expect(store.get('a')).toEqual(bytes(1, 2, 3));
  });

  it('expires entries at expiresAt', () => {
    let time = 1000;
    const store = memoryStore({ maxBytes: 10_000, now: () => time });
    store.set('a', bytes(1), 1500);
    time = 1499;
    expect(store.get('a')).toEqual(bytes(1));
    time = 1500;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('evicts least recently used entries to stay under maxBytes (checked against a brute-force LRU)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 3000 }),
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 12 }), size: fc.integer({ min: 0, max: 400 }) }),
            fc.record({ op: fc.constant('get' as const), key: fc.integer({ min: 0, max: 12 }) }),
            fc.record({ op: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 12 }) }),
          ),
          { maxLength: 120 },
        ),
        (maxBytes, ops) => {
          const store = memoryStore({ maxBytes });
          // Reference: an array ordered from least to most recently used.
          let model: { key: string; size: number; fill: number }[] = [];
          const cost = (key: string, size: number) => size + key.length * 2 + 96;
          let step = 0;
          for (const op of ops) {
            step++;
            const key = `k${op.key}`;
            if (op.op === 'set') {
              const size = cost(key, op.size);
              if (size > maxBytes) {
                expect(() => store.set(key, new Uint8Array(op.size))).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
                continue;
              }
              store.set(key, new Uint8Array(op.size).fill(step & 255));
              model = model.filter((e) => e.key !== key);
              model.push({ key, size, fill: step & 255 });
              let total = model.reduce((s, e) => s + e.size, 0);
              while (total > maxBytes) total -= model.shift()!.size;
            } else if (op.op === 'get') {
              const entry = model.find((e) => e.key === key);
              const got = store.get(key);
              if (!entry) expect(got).toBeUndefined();
              else {
                expect(got?.length).toBe(entry.size - key.length * 2 - 96);
                if (got && got.length > 0) expect(got[0]).toBe(entry.fill);
                model = model.filter((e) => e.key !== key);
                model.push(entry);
              }
            } else {
              expect(store.delete(key)).toBe(model.some((e) => e.key === key));
              model = model.filter((e) => e.key !== key);
            }
            expect(store.keys()).toEqual(model.map((e) => e.key));
            expect(store.bytes).toBe(model.reduce((s, e) => s + e.size, 0));
            expect(store.bytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rejects bad arguments with INVALID_ARGUMENT', () => {
    expect(() => memoryStore({ maxBytes: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    const store = memoryStore({ maxBytes: 1000 });
    for (const call of [
      () => store.set('', bytes(1)),
      () => store.set('a', [1, 2] as unknown as Uint8Array),
      () => store.set('a', bytes(1), Number.NaN),
    ]) {
      try {
        call();
        expect.unreachable();
      } catch (error) {
        expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });
});
