import { isChunkwiseError } from '@chunkwise/core';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { indexedDBStore } from './indexeddb-store.js';

// Fast checks on fake-indexeddb; indexeddb-browser.test.ts runs the store in headless Chromium.
function rawRows(factory: IDBFactory, name: string): Promise<Map<string, unknown>> {
  return new Promise((resolve, reject) => {
    const open = factory.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const store = db.transaction(db.objectStoreNames[0]!).objectStore(db.objectStoreNames[0]!);
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        db.close();
        resolve(new Map(keys.result.map((k, i) => [String(k), values.result[i]])));
      };
    };
  });
}

describe('indexedDBStore', () => {
  it('keeps each value as a binary row of exactly its bytes, with its deadline', async () => {
    const factory = new IDBFactory();
    const store = indexedDBStore({ name: 'rows', indexedDB: factory });
    const big = new Uint8Array(4096).map((_, i) => i & 255);
    await store.set('view', big.subarray(8, 24), 5_000_000_000_000);
    await store.set('plain', new Uint8Array([1, 2, 3]));
    await store.close();
    const rows = await rawRows(factory, 'rows');
    const view = rows.get('view') as { v: Uint8Array; e: number };
    expect(view.v).toBeInstanceOf(Uint8Array);
    // A stored subarray does not drag its 4 KiB buffer along.
    expect(view.v.buffer.byteLength).toBe(16);
    expect(Array.from(view.v)).toEqual(Array.from({ length: 16 }, (_, i) => i + 8));
    expect(view.e).toBe(5_000_000_000_000);
    expect(rows.get('plain')).toEqual({ v: new Uint8Array([1, 2, 3]) });
  });

  it('keeps entries across closing and reopening the database', async () => {
    const factory = new IDBFactory();
    const first = indexedDBStore({ name: 'persist', indexedDB: factory, durability: 'strict' });
    await first.setMany([
      { key: 'a', value: new Uint8Array([1]) },
      { key: 'b', value: new Uint8Array([2]) },
    ]);
    await first.close();
    await expect(first.get('a')).rejects.toSatisfy((e) => isChunkwiseError(e, 'STORE') && /closed/.test((e as Error).message));
    const second = indexedDBStore({ name: 'persist', indexedDB: factory });
    expect((await second.getMany(['a', 'b'])).map((v) => Array.from(v!))).toEqual([[1], [2]]);
    expect(await second.count()).toBe(2);
    await second.close();
  });

  it("reports another program's database or rows as CORRUPT_DATA and leaves them alone", async () => {
    const factory = new IDBFactory();
    await new Promise<void>((resolve) => {
      const open = factory.open('theirs', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('notes');
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
    });
    const foreign = indexedDBStore({ name: 'theirs', indexedDB: factory });
    await expect(foreign.get('k')).rejects.toSatisfy((e) => isChunkwiseError(e, 'CORRUPT_DATA') && /another program/.test((e as Error).message));

    const ours = indexedDBStore({ name: 'mixed', indexedDB: factory });
    await ours.set('fine', new Uint8Array([1]));
    await ours.close();
    await new Promise<void>((resolve) => {
      const open = factory.open('mixed');
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(db.objectStoreNames[0]!, 'readwrite');
        tx.objectStore(db.objectStoreNames[0]!).put({ text: 'not bytes' }, 'odd');
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    });
    const reopened = indexedDBStore({ name: 'mixed', indexedDB: factory });
    await expect(reopened.get('odd')).rejects.toSatisfy((e) => isChunkwiseError(e, 'CORRUPT_DATA'));
    expect(Array.from((await reopened.get('fine'))!)).toEqual([1]);
    await reopened.close();
  });

  it('rejects bad options with INVALID_ARGUMENT', () => {
    expect(() => indexedDBStore({ name: '' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => indexedDBStore({ name: 'x', indexedDB: new IDBFactory(), durability: 'eventually' as 'strict' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    // Node has no global indexedDB: the error says what to pass instead.
    expect(() => indexedDBStore({ name: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/fake-indexeddb|memoryStore/) }));
  });
});
