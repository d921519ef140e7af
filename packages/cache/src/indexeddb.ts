// Browser entry: the IndexedDB store (also runs in Node given an IDBFactory such as fake-indexeddb's).
export { indexedDBStore } from './stores/indexeddb-store.js';
export type { IndexedDBStore, IndexedDBStoreOptions } from './stores/indexeddb-store.js';
