// Bundled by esbuild and run in headless Chromium by indexeddb-browser.test.ts: the store contract
// against the browser's own IndexedDB, and a write / read pair split across a browser restart.
import { createCache } from '../content/create-cache.js';
import { indexedDBStore } from '../indexeddb.js';
import { runStoreContract } from './store-contract.js';

const VECTOR = Array.from({ length: 768 }, (_, i) => Math.cos(i) * 10);

async function rawRow(database: string, key: string): Promise<{ type: string; bytes: number; deadline: unknown }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(database);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const name = db.objectStoreNames[0]!;
  const row = await new Promise<{ v: unknown; e?: unknown }>((resolve, reject) => {
    const request = db.transaction(name).objectStore(name).get(key);
    request.onsuccess = () => resolve(request.result as { v: unknown; e?: unknown });
    request.onerror = () => reject(request.error);
  });
  db.close();
  return { type: Object.prototype.toString.call(row.v), bytes: (row.v as Uint8Array).byteLength, deadline: row.e };
}

let contractRuns = 0;

Object.assign(globalThis, {
  chunkwiseChecks: {
    contract: () => runStoreContract((now) => indexedDBStore({ name: `contract-${contractRuns++}`, now, durability: 'strict' })),

    async write(): Promise<string> {
      const store = indexedDBStore({ name: 'restart', durability: 'strict' });
      const cache = createCache({ store, namespace: 'emb', ttl: 3_600_000 });
      await cache.set('whale', new Float32Array(VECTOR));
      await cache.set('doc', { title: 'Moby Dick', chapters: 135 });
      await store.set('gone', new Uint8Array([1]), Date.now() - 1);
      const key = await cache.storeKey('whale');
      await store.close();
      return key;
    },

    async read(key: string) {
      const store = indexedDBStore({ name: 'restart' });
      const cache = createCache({ store, namespace: 'emb' });
      const whale = await cache.get('whale');
      const result = {
        whaleIsFloat32: whale instanceof Float32Array,
        whaleMatches: whale instanceof Float32Array && whale.length === VECTOR.length && whale.every((x, i) => x === Math.fround(VECTOR[i]!)),
        doc: await cache.get('doc'),
        expired: await store.get('gone'),
        row: await rawRow('restart', key),
        count: await store.count(),
      };
      await store.close();
      return result;
    },
  },
});
