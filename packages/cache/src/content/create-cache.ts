import { ChunkwiseError, hashKey } from '@chunkwise/core';
import { checkOptions, describeValue } from '../argument-checks.js';
import type { CacheStore } from '../stores/cache-store.js';
import { decodeValue, encodeValue, type CacheValue } from './value-codec.js';

export interface CacheOptions {
  store: CacheStore;
  /** Prefix for every stored key, so several caches (or apps) can share one store. */
  namespace: string;
  /** Default time to live in milliseconds; absent means entries never expire. */
  ttl?: number;
  /**
   * When given, `getOrCompute` treats a failing store as a miss (reads) or skips the write, and
   * reports the error here instead of failing the computation. Without it store errors are thrown.
   */
  onStoreError?: (error: unknown) => void;
  /** Clock in milliseconds since the epoch; tests inject one. Default `Date.now`. */
  now?: () => number;
}

export interface SetOptions {
  /** Time to live in milliseconds for this entry, overriding the cache default. */
  ttl?: number;
}

/** A content-addressed cache: any hashable key (string, object, typed array) → JSON or binary value. */
export interface Cache<V extends CacheValue = CacheValue> {
  readonly namespace: string;
  /** The store key for `key`: `<namespace>:<hashKey(key)>`. */
  storeKey(key: unknown): Promise<string>;
  get(key: unknown): Promise<V | undefined>;
  /** The values of several keys, in order, read with the store's `getMany` (one SQLite read transaction, one Redis pipeline). */
  getMany(keys: readonly unknown[]): Promise<(V | undefined)[]>;
  set(key: unknown, value: V, options?: SetOptions): Promise<void>;
  delete(key: unknown): Promise<boolean>;
  /**
   * The cached value for `key`, or the result of `compute()`, stored before it is returned.
   * Concurrent calls for the same key share one `compute()` run (single-flight) and get the same
   * value; a failed compute is not cached and the next call retries.
   */
  getOrCompute(key: unknown, compute: () => V | Promise<V>, options?: SetOptions): Promise<V>;
}

/** Throws INVALID_ARGUMENT unless `cache` is a cache from `createCache` (or has its methods). */
export function checkCache(where: string, cache: unknown): void {
  const candidate = cache as Partial<Cache> | null;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.getMany !== 'function' || typeof candidate.getOrCompute !== 'function' || typeof candidate.set !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: the cache must come from createCache({ store, namespace }), got ${describeValue(cache)}.`);
  }
}

function checkTtl(ttl: unknown, where: string): void {
  if (ttl !== undefined && (typeof ttl !== 'number' || !(ttl > 0) || !Number.isFinite(ttl))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${where}: ttl must be a positive, finite number of milliseconds, got ${describeValue(ttl)}.`);
  }
}

export function createCache<V extends CacheValue = CacheValue>(options: CacheOptions): Cache<V> {
  checkOptions('createCache', options);
  const { store, namespace, ttl: defaultTtl, onStoreError, now = Date.now } = options;
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'createCache: `store` must be a CacheStore such as memoryStore({ maxBytes }).');
  }
  if (typeof namespace !== 'string' || namespace.length === 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'createCache: `namespace` must be a non-empty string, e.g. "embeddings:v1".');
  }
  checkTtl(defaultTtl, 'createCache');
  if (typeof now !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'createCache: now must be a function returning milliseconds.');
  if (onStoreError !== undefined && typeof onStoreError !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'createCache: onStoreError must be a function.');
  const inflight = new Map<string, Promise<V>>();

  const storeKey = async (key: unknown): Promise<string> => `${namespace}:${await hashKey(key)}`;
  const expiry = (setOptions: SetOptions | undefined): number | undefined => {
    checkTtl(setOptions?.ttl, 'cache.set');
    const ttl = setOptions?.ttl ?? defaultTtl;
    return ttl === undefined ? undefined : now() + ttl;
  };
  const read = async (id: string): Promise<V | undefined> => {
    const bytes = await store.get(id);
    return bytes === undefined ? undefined : (decodeValue(bytes, id) as V);
  };

  return {
    namespace,
    storeKey,
    async get(key) {
      return read(await storeKey(key));
    },
    async getMany(keys) {
      if (!Array.isArray(keys)) throw new ChunkwiseError('INVALID_ARGUMENT', 'cache.getMany: keys must be an array.');
      const ids = await Promise.all(keys.map(storeKey));
      const values = store.getMany ? await store.getMany(ids) : await Promise.all(ids.map((id) => store.get(id)));
      return values.map((bytes, i) => (bytes === undefined ? undefined : (decodeValue(bytes, ids[i]) as V)));
    },
    async set(key, value, setOptions) {
      const bytes = encodeValue(value);
      const expiresAt = expiry(setOptions);
      await store.set(await storeKey(key), bytes, expiresAt);
    },
    async delete(key) {
      return store.delete(await storeKey(key));
    },
    async getOrCompute(key, compute, setOptions) {
      if (typeof compute !== 'function') {
        throw new ChunkwiseError('INVALID_ARGUMENT', 'cache.getOrCompute: the second argument must be a function that computes the value.');
      }
      checkTtl(setOptions?.ttl, 'cache.getOrCompute');
      const id = await storeKey(key);
      // No await between this lookup and the registration below: that is what makes it single-flight.
      const running = inflight.get(id);
      if (running) return running;
      const run = (async () => {
        let cached: V | undefined;
        try {
          cached = await read(id);
        } catch (error) {
          if (!onStoreError || (error instanceof ChunkwiseError && error.code === 'CORRUPT_DATA')) throw error;
          onStoreError(error);
        }
        if (cached !== undefined) return cached;
        const value = await compute();
        const bytes = encodeValue(value);
        try {
          // The ttl runs from when the value exists, not from when it was asked for.
          await store.set(id, bytes, expiry(setOptions));
        } catch (error) {
          if (!onStoreError) throw error;
          onStoreError(error);
        }
        return value;
      })();
      inflight.set(id, run);
      try {
        return await run;
      } finally {
        if (inflight.get(id) === run) inflight.delete(id);
      }
    },
  };
}
