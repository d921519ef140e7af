import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, isPlainObject } from '../argument-checks.js';
import type { RecordMeta, StoreSearchOptions } from './store.js';

/**
 * The one check of a metadata filter, shared by every store so that a filter means the same
 * everywhere: a plain object whose values are JSON scalars (a record matches when its meta has
 * each key with exactly that value; `{}` matches every record). Anything else — an array, a
 * string, a nested object — is INVALID_ARGUMENT, never "matches nothing" in one store and
 * "matches everything" in another.
 */
export function validateFilter(filter: unknown): RecordMeta | undefined {
  if (filter === undefined) return undefined;
  if (!isPlainObject(filter)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `A filter must be a plain object such as { source: 'notes.md' }, got ${describeValue(filter)}.`);
  }
  for (const [key, value] of Object.entries(filter)) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `filter.${key} must be a string, finite number, boolean or null (records match on equal values), got ${describeValue(value)}.`);
    }
  }
  return filter as RecordMeta;
}

/** Checks a store search's options; returns k (default 10) and the filter. */
export function validateSearchOptions(options: unknown): { k: number; filter: RecordMeta | undefined } {
  if (options === undefined) return { k: 10, filter: undefined };
  if (!isPlainObject(options)) throw new ChunkwiseError('INVALID_ARGUMENT', `Search options must be an object { k?, filter? }, got ${describeValue(options)}.`);
  const { k = 10, filter } = options as StoreSearchOptions;
  if (!Number.isInteger(k) || k < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `k must be a positive integer, got ${describeValue(k)}.`);
  return { k, filter: validateFilter(filter) };
}

/** The predicate form of a validated filter, for the in-memory indexes. */
export function metaFilter(filter: RecordMeta | undefined): ((id: string, meta: RecordMeta | undefined) => boolean) | undefined {
  if (filter === undefined) return undefined;
  const entries = Object.entries(filter);
  if (entries.length === 0) return undefined;
  return (_id, meta) => meta !== undefined && entries.every(([key, value]) => Object.hasOwn(meta, key) && meta[key] === value);
}
