import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainBlockHashes } from './block-hash.js';
import { RadixPrefixCache } from './radix-prefix-cache.js';

describe('RadixPrefixCache', () => {
  it('matches the longest cached prefix and returns its blocks', () => {
    const cache = new RadixPrefixCache({ capacityTokens: 100 });
    cache.insert([1, 2, 3, 4], [10, 11, 12, 13]);
    cache.insert([1, 2, 5], [10, 11, 14]);
    expect(cache.match([1, 2, 3, 9])).toMatchObject({ length: 3, blocks: [10, 11, 12] });
    expect(cache.match([1, 2, 5, 6])).toMatchObject({ length: 3, blocks: [10, 11, 14] });
    expect(cache.match([7])).toMatchObject({ length: 0, blocks: [] });
    expect(cache.size).toBe(5);
  });

  it('matches whole pages only when pageSize > 1', () => {
    const cache = new RadixPrefixCache({ capacityTokens: 100, pageSize: 2 });
    expect(cache.insert([1, 2, 3, 4, 5], [7, 8])).toEqual({ insertedTokens: 4, duplicateBlocks: [] });
    expect(cache.match([1, 2, 3, 9])).toMatchObject({ length: 2, blocks: [7] });
    expect(cache.match([1, 2, 3, 4, 5, 6])).toMatchObject({ length: 4, blocks: [7, 8] });
    expect(cache.insert([1, 2, 6, 6], [9, 10])).toEqual({ insertedTokens: 2, duplicateBlocks: [9] });
  });

  it('evicts least recently used unlocked leaves beyond capacity, releasing their blocks', () => {
    const released: number[] = [];
    const cache = new RadixPrefixCache({ capacityTokens: 6, release: (b) => released.push(b) });
    cache.insert([1, 2, 3], [1, 2, 3]);
    cache.insert([4, 5, 6], [4, 5, 6]);
    const locked = cache.match([1, 2, 3]);
    cache.lock(locked);
    cache.insert([7, 8], [7, 8]); // over by 2: [4,5,6] is the LRU unlocked leaf
    expect(released).toEqual([4, 5, 6]);
    expect(cache.match([4, 5, 6]).length).toBe(0);
    cache.insert([9, 9], [9, 10]); // [1,2,3] is locked, so [7,8] goes
    expect(released).toEqual([4, 5, 6, 7, 8]);
    expect(cache.match([1, 2, 3]).length).toBe(3);
    cache.unlock(locked);
    expect(() => cache.unlock(locked)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(cache.evict(100)).toBe(5);
    expect(cache.size).toBe(0);
  });

  it('a match counts as a use: the least recently matched leaf goes first, not the least recently inserted', () => {
    const released: number[] = [];
    const cache = new RadixPrefixCache({ capacityTokens: 6, release: (b) => released.push(b) });
    cache.insert([1, 2, 3], [1, 2, 3]);
    cache.insert([4, 5, 6], [4, 5, 6]);
    expect(cache.match([1, 2, 3, 7]).length).toBe(3); // [1,2,3] is now the most recently used
    cache.insert([8, 9], [8, 9]); // over by 2: [4,5,6] is the least recently used
    expect(released).toEqual([4, 5, 6]);
    expect(cache.match([1, 2, 3]).length).toBe(3);
    expect(cache.match([8, 9]).length).toBe(2);
  });

  it('equals a brute-force longest-prefix search on random traces, by tokens and by block hashes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 14 }), { maxLength: 15 }),
        (pageSize, inserts, queries) => {
          const cache = new RadixPrefixCache({ capacityTokens: 1_000_000, pageSize });
          // Brute force: page-aligned prefix → the block of its last page (first insert wins).
          const owner = new Map<string, number>();
          let nextBlock = 0;
          for (const tokens of inserts) {
            const pages = Math.floor(tokens.length / pageSize);
            const blocks = Array.from({ length: pages }, () => nextBlock++);
            const duplicates: number[] = [];
            for (let p = 0; p < pages; p++) {
              const prefix = tokens.slice(0, (p + 1) * pageSize).join(',');
              if (owner.has(prefix)) duplicates.push(blocks[p]!);
              else owner.set(prefix, blocks[p]!);
            }
            expect(cache.insert(tokens, blocks).duplicateBlocks).toEqual(duplicates);
          }
          for (const query of [...queries, ...inserts]) {
            let length = 0;
            const blocks: number[] = [];
            while (length + pageSize <= query.length && owner.has(query.slice(0, length + pageSize).join(','))) {
              blocks.push(owner.get(query.slice(0, length + pageSize).join(','))!);
              length += pageSize;
            }
            const match = cache.match(query);
            expect({ length: match.length, blocks: match.blocks }).toEqual({ length, blocks });
            expect(cache.matchHashes(chainBlockHashes(query, pageSize))).toEqual({ length, blocks });
          }
          expect(cache.size).toBe(owner.size * pageSize);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps blocks balanced under eviction: every retained block is released exactly once, locked paths survive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.tuple(fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 10 }), fc.boolean()), { maxLength: 30 }),
        (capacity, trace) => {
          const held = new Map<number, number>();
          const cache = new RadixPrefixCache({
            capacityTokens: capacity,
            retain: (b) => held.set(b, (held.get(b) ?? 0) + 1),
            release: (b) => {
              expect(held.get(b)).toBe(1);
              held.delete(b);
            },
          });
          let nextBlock = 0;
          const locks: { tokens: number[]; match: ReturnType<RadixPrefixCache['match']> }[] = [];
          for (const [tokens, lock] of trace) {
            cache.insert(tokens, tokens.map(() => nextBlock++));
            if (lock) {
              const match = cache.match(tokens);
              cache.lock(match);
              locks.push({ tokens, match });
            }
            // Locked prefixes are never evicted.
            for (const { match, tokens: locked } of locks) expect(cache.match(locked).length).toBeGreaterThanOrEqual(match.length);
            const lockedTokens = new Set(locks.flatMap(({ match }) => match.blocks)).size;
            expect(cache.size).toBeLessThanOrEqual(Math.max(capacity, lockedTokens));
            expect(held.size).toBe(cache.size);
          }
          for (const { match } of locks) cache.unlock(match);
          cache.evict(Number.MAX_SAFE_INTEGER);
          expect(held.size).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives different hashes to equal blocks under different prefixes or keys', () => {
    const [a1, a2] = chainBlockHashes([1, 2, 3, 4], 2);
    const [b1, b2] = chainBlockHashes([9, 9, 3, 4], 2);
    expect(a1).not.toBe(b1);
    expect(a2).not.toBe(b2);
    expect(chainBlockHashes([1, 2], 2, 'model-a')).not.toEqual(chainBlockHashes([1, 2], 2, 'model-b'));
    expect(chainBlockHashes([1, 2, 3], 2)).toHaveLength(1);
  });
});
