import { ChunkwiseError } from '@chunkwise/core';
import { describeValue } from '../argument-checks.js';

export type MaybePromise<T> = T | Promise<T>;

/** One entry for a batched write. `expiresAt` is milliseconds since the epoch; absent means never. */
export interface StoreEntry {
  key: string;
  value: Uint8Array;
  expiresAt?: number;
}

/**
 * Where a content cache keeps its bytes. Memory and SQLite answer synchronously (a returned value,
 * not a promise), so hot loops pay no microtask per hit; Redis answers with promises.
 * Stores throw `ChunkwiseError` with code STORE when the backend fails, LIMIT_EXCEEDED for a value
 * over their size limit and INVALID_ARGUMENT for a key or value of the wrong type.
 */
export interface CacheStore {
  readonly name: string;
  /** The stored bytes, or undefined when absent or expired. */
  get(key: string): MaybePromise<Uint8Array | undefined>;
  /**
   * The stored bytes of each key, in order, in one round trip where the backend has one (a SQLite
   * read transaction, a Redis pipeline, an IndexedDB transaction). Optional for custom stores:
   * callers fall back to `get` per key.
   */
  getMany?(keys: readonly string[]): MaybePromise<(Uint8Array | undefined)[]>;
  set(key: string, value: Uint8Array, expiresAt?: number): MaybePromise<void>;
  /** Writes all entries at once (one transaction in SQLite, one pipeline in Redis). */
  setMany(entries: readonly StoreEntry[]): MaybePromise<void>;
  /** True when an entry was removed. */
  delete(key: string): MaybePromise<boolean>;
  close(): MaybePromise<void>;
}

export function assertKeys(store: string, keys: unknown): asserts keys is readonly string[] {
  if (!Array.isArray(keys)) throw new ChunkwiseError('INVALID_ARGUMENT', `${store}.getMany: keys must be an array of strings, got ${describe(keys)}.`);
}

/** Shared argument checks, so every store rejects the same mistakes with the same codes. */
export function assertKey(store: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${store}: a key must be a non-empty string, got ${describe(key)}.`);
  }
}

export function assertBytes(store: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `${store}: a stored value must be a Uint8Array (use createCache for JSON and typed arrays), got ${describe(value)}.`,
    );
  }
}

export function assertExpiresAt(store: string, expiresAt: unknown): asserts expiresAt is number | undefined {
  if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${store}: expiresAt must be a finite number of milliseconds since the epoch, got ${describe(expiresAt)}.`);
  }
}

/** Throws INVALID_ARGUMENT unless `entries` is an array of `{ key, value, expiresAt? }` objects. */
export function assertEntries(store: string, entries: unknown): asserts entries is readonly StoreEntry[] {
  if (!Array.isArray(entries) || entries.some((entry) => entry === null || typeof entry !== 'object')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `${store}.setMany: entries must be an array of { key, value, expiresAt? }, got ${describe(entries)}.`);
  }
}

const describe = describeValue;

/** A store that answers synchronously (memory, SQLite): usable in hot loops without awaiting. */
export interface SyncCacheStore extends CacheStore {
  get(key: string): Uint8Array | undefined;
  getMany(keys: readonly string[]): (Uint8Array | undefined)[];
  set(key: string, value: Uint8Array, expiresAt?: number): void;
  setMany(entries: readonly StoreEntry[]): void;
  delete(key: string): boolean;
  close(): void;
}
