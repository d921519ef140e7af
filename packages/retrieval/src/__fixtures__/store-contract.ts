import { isChunkwiseError } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import type { Store, StoreRecord } from '../stores/store.js';

export interface ContractOptions {
  /** Whether vector search is available on this backend. */
  vectors: boolean;
}

const records: StoreRecord[] = [
  { id: 'ch1', text: 'Call me Ishmael. Some years ago, never mind how long precisely.', meta: { chapter: 1, book: 'moby' }, vector: [1, 0, 0] },
  { id: 'ch2', text: 'I stuffed a shirt or two into my old carpet-bag and started for Cape Horn.', meta: { chapter: 2, book: 'moby' }, vector: [0, 1, 0] },
  { id: 'ch3', text: 'Entering that gable-ended Spouter-Inn, you found yourself in a wide, low, straggling entry.', meta: { chapter: 3, book: 'moby' }, vector: [0, 0, 1] },
  { id: 'sotu', text: 'The state of the union is strong, and the whale fishery is part of our commerce.', meta: { chapter: 0, book: 'sotu' }, vector: [0.7, 0.7, 0] },
];

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return isChunkwiseError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return 'no error';
};

/** The behaviour every Store shares, run against each backend. */
export function storeContract(name: string, open: () => Promise<Store>, options: ContractOptions): void {
  describe(`${name} (Store contract)`, () => {
    it('round-trips records and counts them', async () => {
      const store = await open();
      await store.upsert(options.vectors ? records : records.map(({ vector: _v, ...r }) => r));
      expect(await store.count()).toBe(4);
      const back = await store.get('ch2');
      expect(back).toMatchObject({ id: 'ch2', text: records[1]?.text, meta: { chapter: 2, book: 'moby' } });
      if (options.vectors) expect(Array.from(back?.vector ?? [])).toEqual([0, 1, 0]);
      expect(await store.get('nope')).toBeUndefined();
      await store.close();
    });

    it('finds text, with metadata filters', async () => {
      const store = await open();
      await store.upsert(records.map(({ vector: _v, ...r }) => r));
      expect((await store.searchText('Ishmael years'))[0]?.id).toBe('ch1');
      expect((await store.searchText('whale commerce union'))[0]?.id).toBe('sotu');
      const filtered = await store.searchText('whale commerce union Ishmael', { filter: { book: 'moby' } });
      expect(filtered.map((h) => h.id)).toEqual(['ch1']);
      await store.close();
    });

    if (options.vectors) {
      it('finds nearest vectors, with metadata filters', async () => {
        const store = await open();
        await store.upsert(records);
        expect((await store.searchVector([0.9, 0.1, 0], { k: 2 })).map((h) => h.id)).toEqual(['ch1', 'sotu']);
        expect((await store.searchVector([0.9, 0.1, 0], { k: 2, filter: { book: 'sotu' } })).map((h) => h.id)).toEqual(['sotu']);
        expect(await codeOf(store.upsert([{ id: 'bad', text: 'two dims', vector: [1, 2] }]))).toBe('DIMENSION_MISMATCH');
        expect(await codeOf(store.upsert([{ id: 'nan', text: 'not a number', vector: [1, Number.NaN, 0] }]))).toBe('INVALID_ARGUMENT');
        expect(await store.count()).toBe(4);
        await store.close();
      });
    }

    it('updates duplicate ids instead of duplicating them', async () => {
      const store = await open();
      await store.upsert([{ id: 'a', text: 'first version about harpoons' }]);
      await store.upsert([{ id: 'a', text: 'second version about lances' }]);
      expect(await store.count()).toBe(1);
      expect((await store.get('a'))?.text).toBe('second version about lances');
      expect(await store.searchText('harpoons')).toEqual([]);
      await store.close();
    });

    it('writes all or nothing, and reports bad input with typed errors', async () => {
      const store = await open();
      await store.upsert([{ id: 'keep', text: 'a record that stays' }]);
      expect(await codeOf(store.upsert([{ id: 'x', text: 'fine' }, { id: 'empty', text: ' ... ' }]))).toBe('INVALID_ARGUMENT');
      expect(await store.count()).toBe(1);
      expect(await store.get('x')).toBeUndefined();
      expect(await codeOf(store.delete(['keep', 'missing']))).toBe('NOT_FOUND');
      expect(await store.count()).toBe(1);
      expect(await codeOf(store.searchText('   '))).toBe('INVALID_ARGUMENT');
      await store.delete(['keep']);
      expect(await store.count()).toBe(0);
      await store.close();
    });
  });
}
