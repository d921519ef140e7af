import { isChunkwiseError } from '@chunkwise/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../stores/code-point-order.js';
import type { Store, StoredRecord, StoreRecord } from '../stores/store.js';

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

/** A source's chunks as chunksToRecords shapes them. */
const chunkRecords = (source: string, texts: readonly string[], vectors: boolean): StoreRecord[] =>
  texts.map((text, index) => ({
    id: `${source}#${index}`,
    text,
    meta: { source, start: index * 100, end: index * 100 + text.length, index },
    ...(vectors && { vector: [index + 1, text.length, 1] }),
  }));

const collect = async (store: Store, batchSize?: number): Promise<StoredRecord[]> => {
  const out: StoredRecord[] = [];
  for await (const record of store.records(batchSize === undefined ? undefined : { batchSize })) out.push(record);
  return out;
};

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

    it('validates metadata filters and search options identically: wrong shapes are INVALID_ARGUMENT', async () => {
      const store = await open();
      await store.upsert(options.vectors ? records : records.map(({ vector: _v, ...r }) => r));
      const all = await store.searchText('whale union Ishmael Horn entry');
      expect(all.length).toBe(4);
      expect(await store.searchText('whale union Ishmael Horn entry', { filter: {} })).toEqual(all);
      expect((await store.searchText('whale union Ishmael Horn entry', { filter: { book: 'moby', chapter: 2 } })).map((h) => h.id)).toEqual(['ch2']);
      expect(await store.searchText('whale union Ishmael Horn entry', { filter: { book: 'nope' } })).toEqual([]);
      const badFilters: unknown[] = [[], ['book'], 'moby', 5, null, true, { book: ['moby'] }, { book: { $ne: 'x' } }, { chapter: Number.NaN }, new Map([['book', 'moby']])];
      for (const filter of badFilters) {
        expect([String(filter), await codeOf(store.searchText('whale', { filter: filter as never }))]).toEqual([String(filter), 'INVALID_ARGUMENT']);
        if (options.vectors) expect(await codeOf(store.searchVector([1, 0, 0], { filter: filter as never }))).toBe('INVALID_ARGUMENT');
      }
      for (const bad of [5, 'k', [], null, { k: 0 }, { k: 2.5 }, { k: '3' }]) {
        expect(await codeOf(store.searchText('whale', bad as never))).toBe('INVALID_ARGUMENT');
        if (options.vectors) expect(await codeOf(store.searchVector([1, 0, 0], bad as never))).toBe('INVALID_ARGUMENT');
      }
      await store.close();
    });

    it('stores and counts a record with no terms after analysis; no query matches it, get returns it', async () => {
      const store = await open();
      const empties = [' ... ', '🐳🐋 — !!', '', '\n\n'];
      await store.upsert([{ id: 'whale', text: 'the white whale and the sea' }, ...empties.map((text, i) => ({ id: `empty-${i}`, text, meta: { source: 'blank.md', index: i } }))]);
      await store.upsert([{ id: 'ship', text: 'the ship at sea' }]);
      expect(await store.count()).toBe(2 + empties.length);
      for (const [i, text] of empties.entries()) expect(await store.get(`empty-${i}`)).toEqual({ id: `empty-${i}`, text, meta: { source: 'blank.md', index: i } });
      const hits = await store.searchText('white whale sea ship', { k: 10 });
      expect(hits.map((h) => h.id).sort()).toEqual(['ship', 'whale']);
      expect(await store.searchText('')).toEqual([]);
      expect(await store.searchText('   ?! ')).toEqual([]);
      expect(await store.replaceSource('blank.md', [])).toMatchObject({ removed: empties.length });
      expect(await store.count()).toBe(2);
      await store.close();
    });

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
      expect(await codeOf(store.upsert([{ id: 'x', text: 'fine' }, { id: 'bad', text: 'bad meta', meta: { nested: {} as never } }]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.upsert([{ id: 'x', text: 'fine' }, { id: 'bad', text: null as never }]))).toBe('INVALID_ARGUMENT');
      // A lone surrogate has no UTF-8 form: no store may keep it (SQLite and Postgres would change it).
      for (const bad of [{ id: 'x\uD800', text: 'fine' }, { id: 'x', text: 'half a whale \uD83D' }, { id: 'x', text: 'fine', meta: { note: '\uDC33' } }]) {
        expect(await codeOf(store.upsert([bad]))).toBe('INVALID_ARGUMENT');
      }
      expect(await store.count()).toBe(1);
      expect(await store.get('x')).toBeUndefined();
      expect(await codeOf(store.delete(['keep', 'missing']))).toBe('NOT_FOUND');
      expect(await store.count()).toBe(1);
      expect(await codeOf(store.searchText(null as never))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.searchText(42 as never))).toBe('INVALID_ARGUMENT');
      await store.delete(['keep']);
      expect(await store.count()).toBe(0);
      await store.close();
    });

    it('lists every record in code point order of ids, in batches of any size', async () => {
      const store = await open();
      // U+FF01 sorts before an astral character in code point (UTF-8) order, after it in UTF-16 order.
      const ids = ['b', 'a', 'a\u{1F433}', 'a\uFF01', 'ab', 'A', 'z9', 'z10'];
      await store.upsert(ids.map((id, i) => ({ id, text: `record ${id} about whales number ${i}`, meta: { i }, ...(options.vectors && { vector: [i + 1, 1, 0] }) })));
      const expected = [...ids].sort(compareCodePoints);
      expect(expected.indexOf('a\uFF01')).toBeLessThan(expected.indexOf('a\u{1F433}'));
      for (const batchSize of [undefined, 1, 3, 8, 100]) {
        const listed = await collect(store, batchSize);
        expect(listed.map((r) => r.id)).toEqual(expected);
        for (const record of listed) expect(record).toEqual(await store.get(record.id));
      }
      expect(await codeOf(collect(store, 0))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(collect(store, 1.5))).toBe('INVALID_ARGUMENT');
      const controller = new AbortController();
      controller.abort();
      expect(await codeOf((async () => { for await (const _ of store.records({ signal: controller.signal })) void _; })())).toBe('ABORTED');
      await store.close();
    });

    it('replaces a source in one step: a shrunk source leaves no stale records, other sources stay', async () => {
      const store = await open();
      const v = options.vectors;
      expect(await store.sources()).toEqual([]);
      expect(await store.replaceSource('notes.md', chunkRecords('notes.md', ['the white whale', 'the try-works', 'a squall off Cape Horn'], v))).toEqual({ source: 'notes.md', added: 3, updated: 0, removed: 0, unchanged: 0 });
      await store.replaceSource('log.md', chunkRecords('log.md', ['the log and line'], v));
      await store.upsert([{ id: 'loose', text: 'a record without a source' }]);
      expect(await store.sources()).toEqual(['log.md', 'notes.md']);
      // notes.md shrank and its second chunk changed.
      const shrunk = chunkRecords('notes.md', ['the white whale', 'the grey squid'], v);
      expect(await store.replaceSource('notes.md', shrunk)).toEqual({ source: 'notes.md', added: 0, updated: 1, removed: 1, unchanged: 1 });
      expect(await store.count()).toBe(4);
      expect(await store.get('notes.md#2')).toBeUndefined();
      expect(await store.searchText('squall')).toEqual([]);
      expect((await store.searchText('squid')).map((h) => h.id)).toEqual(['notes.md#1']);
      expect((await store.get('log.md#0'))?.text).toBe('the log and line');
      // Unchanged content writes nothing and says so.
      expect(await store.replaceSource('notes.md', shrunk)).toEqual({ source: 'notes.md', added: 0, updated: 0, removed: 0, unchanged: 2 });
      // An empty source disappears.
      expect(await store.replaceSource('notes.md', [])).toEqual({ source: 'notes.md', added: 0, updated: 0, removed: 2, unchanged: 0 });
      expect(await store.sources()).toEqual(['log.md']);
      expect(await store.count()).toBe(2);
      await store.close();
    });

    it('replaces a source all or nothing, and only with records of that source', async () => {
      const store = await open();
      await store.replaceSource('a.txt', chunkRecords('a.txt', ['first text of a', 'second text of a'], false));
      const before = await collect(store);
      const foreign = chunkRecords('b.txt', ['text of b'], false);
      expect(await codeOf(store.replaceSource('a.txt', [...chunkRecords('a.txt', ['only one now'], false), ...foreign]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.replaceSource('a.txt', [{ id: 'a.txt#0', text: 'no meta' }]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.replaceSource('a.txt', [{ id: 'a.txt#0', text: 'a number', meta: { source: 'a.txt', n: { nested: 1 } as never } }]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.replaceSource('', []))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.replaceSource(7 as never, []))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.replaceSource('a.txt', null as never))).toBe('INVALID_ARGUMENT');
      expect(await collect(store)).toEqual(before);
      expect(await store.sources()).toEqual(['a.txt']);
      await store.close();
    });

    it('after any sequence of replaceSource calls holds exactly the last records of each source (property)', async () => {
      const store = await open();
      const words = ['whale', 'ship', 'sea', 'harpoon', 'captain', 'squall', 'line'];
      const model = new Map<string, string[]>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom('s1', 's2', 's3'), fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), { maxLength: 5 })), { minLength: 1, maxLength: 6 }),
          async (steps) => {
            for (const [source, chunks] of steps) {
              const texts = chunks.map((w) => w.join(' '));
              const previous = model.get(source) ?? [];
              const result = await store.replaceSource(source, chunkRecords(source, texts, options.vectors));
              const same = texts.filter((t, i) => previous[i] === t).length;
              expect(result).toEqual({ source, added: Math.max(0, texts.length - previous.length), updated: Math.min(texts.length, previous.length) - same, removed: Math.max(0, previous.length - texts.length), unchanged: same });
              if (texts.length === 0) model.delete(source);
              else model.set(source, texts);
            }
            const expected = [...model].flatMap(([source, texts]) => texts.map((text, i) => ({ id: `${source}#${i}`, text })));
            expect((await collect(store)).map((r) => ({ id: r.id, text: r.text }))).toEqual(expected.sort((a, b) => compareCodePoints(a.id, b.id)));
            expect(await store.sources()).toEqual([...model.keys()].sort(compareCodePoints));
            expect(await store.count()).toBe(expected.length);
          },
        ),
        { numRuns: 15, seed: 7 },
      );
      await store.close();
    });
  });
}
