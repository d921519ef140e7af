import type { ScoredId } from '../bm25/top-k-heap.js';

/** JSON-compatible metadata; stores filter on it by equality. */
export type RecordMeta = Record<string, string | number | boolean | null>;

/** What a store keeps per chunk. */
export interface StoreRecord {
  id: string;
  text: string;
  /** Extra BM25F fields, e.g. `{ title, context }` (they must be declared in the store's `fields`). */
  fields?: Record<string, string>;
  meta?: RecordMeta;
  vector?: ArrayLike<number>;
}

/** A record as read back: vectors come back as Float32Array. */
export interface StoredRecord extends Omit<StoreRecord, 'vector'> {
  vector?: Float32Array;
}

export interface StoreSearchOptions {
  /** Default 10. */
  k?: number;
  /** Keep only records whose meta has exactly these values. */
  filter?: RecordMeta;
}

/**
 * One interface from a browser tab to a Postgres cluster: the in-memory, SQLite and Postgres
 * stores all implement it, so moving up a tier changes one constructor call, not the code using it.
 */
export interface Store {
  /** Inserts or replaces records, all or nothing (one transaction). */
  upsert(records: Iterable<StoreRecord>): Promise<void>;
  /** Deletes records, all or nothing; an unknown id throws NOT_FOUND and deletes nothing. */
  delete(ids: readonly string[]): Promise<void>;
  get(id: string): Promise<StoredRecord | undefined>;
  count(): Promise<number>;
  /** Lexical search with exact BM25: every store returns the same hits and scores for the same records and options. */
  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]>;
  /** Nearest neighbours of a vector; scores are higher-is-better as in VectorIndex. */
  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]>;
  close(): Promise<void>;
}

export function metaFilter(filter: RecordMeta | undefined): ((id: string, meta: RecordMeta | undefined) => boolean) | undefined {
  if (filter === undefined) return undefined;
  const entries = Object.entries(filter);
  return (_id, meta) => entries.every(([key, value]) => meta !== undefined && meta[key] === value);
}
