// Content cache: hashKey-addressed values in a pluggable store (memory here; SQLite and Redis
// behind the ./sqlite and ./redis subpaths so this entry stays browser-safe).
export { createCache } from './content/create-cache.js';
export type { Cache, CacheOptions, SetOptions } from './content/create-cache.js';
export { encodeValue, decodeValue } from './content/value-codec.js';
export type { CacheValue, JsonValue, BinaryValue } from './content/value-codec.js';
export { memoryStore } from './stores/memory-store.js';
export type { MemoryStore, MemoryStoreOptions } from './stores/memory-store.js';
export type { CacheStore, SyncCacheStore, StoreEntry, MaybePromise } from './stores/cache-store.js';
