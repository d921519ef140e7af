import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { runStoreContract, type OpenStore } from '../__fixtures__/store-contract.js';
import { indexedDBStore } from './indexeddb-store.js';
import { memoryStore } from './memory-store.js';
import { sqliteStore } from './sqlite-store.js';

// The same checks run in headless Chromium against the real IndexedDB (indexeddb-browser.test.ts).
let databases = 0;
const stores: Record<string, OpenStore> = {
  memoryStore: (now) => memoryStore({ maxBytes: 1 << 20, now }),
  sqliteStore: (now) => sqliteStore({ path: ':memory:', now }),
  'indexedDBStore (fake-indexeddb)': (now) => indexedDBStore({ name: `contract-${databases++}`, indexedDB: new IDBFactory(), now }),
};

describe.each(Object.entries(stores))('%s meets the store contract', (_, open) => {
  it('passes every check', async () => {
    const results = await runStoreContract(open);
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
  });
});
