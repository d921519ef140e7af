import { checkOptions } from '../argument-checks.js';
import { ChunkwiseError } from '@chunkwise/core';
import { assertBytes, assertEntries, assertExpiresAt, assertKey, assertKeys, type CacheStore, type StoreEntry } from './cache-store.js';

export interface IndexedDBStoreOptions {
  /** Database name; one database per cache file, like `sqliteStore`'s path. */
  name: string;
  /**
   * The IndexedDB implementation. Default `globalThis.indexedDB` (browsers, workers); pass one
   * (e.g. `fake-indexeddb`'s) where there is none.
   */
  indexedDB?: IDBFactory;
  /**
   * Durability hint for write transactions. `'strict'` asks the browser to flush to disk before a
   * write is acknowledged; `'relaxed'` (faster) may lose the last writes on a power cut or OS crash,
   * never on a tab or browser crash. Default: the browser's own default.
   */
  durability?: 'strict' | 'relaxed' | 'default';
  /** Clock in milliseconds since the epoch; tests inject one. Default `Date.now`. */
  now?: () => number;
}

export interface IndexedDBStore extends CacheStore {
  readonly databaseName: string;
  get(key: string): Promise<Uint8Array | undefined>;
  getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  set(key: string, value: Uint8Array, expiresAt?: number): Promise<void>;
  setMany(entries: readonly StoreEntry[]): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Number of entries, expired ones included until pruned. */
  count(): Promise<number>;
  /** Deletes expired entries; returns how many. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

/** One stored entry: the bytes (kept as binary by the structured clone) and, if any, the deadline. */
interface Row {
  v: Uint8Array;
  e?: number;
}

const ENTRIES = 'chunkwise-cache/1';
const BY_EXPIRY = 'expires';

function storeError(action: string, name: string, cause: unknown): ChunkwiseError {
  if (cause instanceof ChunkwiseError) return cause;
  const domName = (cause as { name?: unknown } | null)?.name;
  const message = (cause as Error | null)?.message ?? String(cause);
  if (domName === 'QuotaExceededError') {
    return new ChunkwiseError('LIMIT_EXCEEDED', `indexedDBStore: the browser's storage quota for this origin is full, so "${name}" could not ${action}; prune() or store less.`, {
      cause,
      details: { database: name },
    });
  }
  return new ChunkwiseError('STORE', `indexedDBStore: could not ${action} in "${name}": ${message}`, { cause, details: { database: name, domError: domName } });
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Resolves when the transaction has committed: only then is a write acknowledged. */
function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

/** The structured clone copies a view's whole buffer: store exactly the view's bytes. */
function exactBytes(value: Uint8Array): Uint8Array {
  return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.constructor === Uint8Array ? value : new Uint8Array(value);
}

function isRow(row: unknown): row is Row {
  return typeof row === 'object' && row !== null && (row as Row).v instanceof Uint8Array && ((row as Row).e === undefined || typeof (row as Row).e === 'number');
}

/**
 * A content-cache store in the browser's IndexedDB: one object store of binary rows keyed by the
 * cache key, with an index on the expiry deadline for `prune`. A write resolves once its
 * transaction has committed, so an acknowledged entry survives a reload or a crashed tab.
 */
export function indexedDBStore(options: IndexedDBStoreOptions): IndexedDBStore {
  checkOptions('indexedDBStore', options);
  const { name, durability = 'default', now = Date.now } = options;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'indexedDBStore: `name` must be a non-empty database name.');
  }
  if (durability !== 'strict' && durability !== 'relaxed' && durability !== 'default') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `indexedDBStore: durability must be 'strict', 'relaxed' or 'default', got ${String(durability)}.`);
  }
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!factory || typeof factory.open !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'indexedDBStore: IndexedDB is not available here; pass `indexedDB` (for example from fake-indexeddb) or use memoryStore.');
  }

  let opening: Promise<IDBDatabase> | undefined;
  let closed = false;
  const open = (): Promise<IDBDatabase> => {
    if (closed) return Promise.reject(new ChunkwiseError('STORE', `indexedDBStore: "${name}" is closed.`));
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(name, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(ENTRIES).createIndex(BY_EXPIRY, 'e');
      };
      request.onblocked = () => reject(new ChunkwiseError('STORE', `indexedDBStore: "${name}" is held open at an older version by another tab; close it and retry.`));
      request.onerror = () => reject(request.error);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(ENTRIES)) {
          db.close();
          reject(
            new ChunkwiseError('CORRUPT_DATA', `indexedDBStore: database "${name}" belongs to another program (no "${ENTRIES}" object store); choose another name.`, {
              details: { database: name },
            }),
          );
          return;
        }
        // Another tab deleting or upgrading the database: let it, and reopen on the next call.
        db.onversionchange = () => {
          db.close();
          opening = undefined;
        };
        resolve(db);
      };
    }).catch((error: unknown) => {
      opening = undefined;
      throw storeError('open the cache', name, error);
    });
    return opening;
  };

  const transaction = async (mode: IDBTransactionMode): Promise<IDBObjectStore> => {
    const db = await open();
    const tx = mode === 'readwrite' && durability !== 'default' ? db.transaction(ENTRIES, mode, { durability }) : db.transaction(ENTRIES, mode);
    return tx.objectStore(ENTRIES);
  };

  /** The live bytes of a row read back, or undefined when absent, expired or not ours. */
  const live = (key: string, row: unknown, time: number, expired: string[]): Uint8Array | undefined => {
    if (row === undefined) return undefined;
    if (!isRow(row)) {
      throw new ChunkwiseError('CORRUPT_DATA', `indexedDBStore: the entry for "${key}" in "${name}" is not a cache row; another program writes to this database.`, {
        details: { database: name, key },
      });
    }
    if (row.e !== undefined && row.e <= time) {
      expired.push(key);
      return undefined;
    }
    return row.v;
  };

  /** Deletes entries found expired, if they still are (another tab may have refreshed them). */
  const dropExpired = async (keys: string[], time: number): Promise<void> => {
    if (keys.length === 0) return;
    try {
      const store = await transaction('readwrite');
      for (const key of keys) {
        const request = store.get(key);
        request.onsuccess = () => {
          const row: unknown = request.result;
          if (isRow(row) && row.e !== undefined && row.e <= time) store.delete(key);
        };
      }
      await committed(store.transaction);
    } catch {
      // The read is answered correctly either way: the entries are expired.
    }
  };

  const getMany = async (keys: readonly string[]): Promise<(Uint8Array | undefined)[]> => {
    for (const key of keys) assertKey('indexedDBStore', key);
    let rows: unknown[];
    try {
      const store = await transaction('readonly');
      rows = await Promise.all(keys.map((key) => settle(store.get(key))));
    } catch (error) {
      throw storeError('read', name, error);
    }
    const time = now();
    const expired: string[] = [];
    const values = rows.map((row, i) => live(keys[i]!, row, time, expired));
    await dropExpired(expired, time);
    return values;
  };

  const write = async (entries: readonly StoreEntry[], action: string): Promise<void> => {
    for (const entry of entries) {
      assertKey('indexedDBStore', entry.key);
      assertBytes('indexedDBStore', entry.value);
      assertExpiresAt('indexedDBStore', entry.expiresAt);
    }
    try {
      const store = await transaction('readwrite');
      for (const { key, value, expiresAt } of entries) {
        const row: Row = expiresAt === undefined ? { v: exactBytes(value) } : { v: exactBytes(value), e: expiresAt };
        store.put(row, key);
      }
      await committed(store.transaction);
    } catch (error) {
      throw storeError(action, name, error);
    }
  };

  return {
    name: 'indexeddb',
    databaseName: name,
    async get(key) {
      return (await getMany([key]))[0];
    },
    getMany(keys) {
      assertKeys('indexedDBStore', keys);
      return getMany(keys);
    },
    set(key, value, expiresAt) {
      return write([expiresAt === undefined ? { key, value } : { key, value, expiresAt }], 'write');
    },
    setMany(entries) {
      assertEntries('indexedDBStore', entries);
      return write(entries, 'write a batch');
    },
    async delete(key) {
      assertKey('indexedDBStore', key);
      try {
        const store = await transaction('readwrite');
        const existed = settle(store.count(key));
        store.delete(key);
        await committed(store.transaction);
        return (await existed) > 0;
      } catch (error) {
        throw storeError('delete', name, error);
      }
    },
    async count() {
      try {
        return await settle((await transaction('readonly')).count());
      } catch (error) {
        throw storeError('count', name, error);
      }
    },
    async prune() {
      try {
        const store = await transaction('readwrite');
        const time = now();
        let pruned = 0;
        // Ascending deadlines: delete until the first one still in the future.
        const cursor = store.index(BY_EXPIRY).openKeyCursor();
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at || (at.key as number) > time) return;
          store.delete(at.primaryKey);
          pruned++;
          at.continue();
        };
        await committed(store.transaction);
        return pruned;
      } catch (error) {
        throw storeError('prune', name, error);
      }
    },
    async close() {
      closed = true;
      const pending = opening;
      opening = undefined;
      if (!pending) return;
      try {
        (await pending).close();
      } catch {
        // It never opened: nothing to close.
      }
    },
  };
}
