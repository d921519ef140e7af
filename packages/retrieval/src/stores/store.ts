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

/** What `replaceSource` changed: record counts of the source before and after. */
export interface SourceSyncResult {
  source: string;
  /** Records of the source that did not exist before (by id). */
  added: number;
  /** Records that existed with other content (text, fields, meta or vector). */
  updated: number;
  /** Records of the source that are gone. */
  removed: number;
  /** Records that existed with exactly this content: not written again. */
  unchanged: number;
}

export interface StoreRecordsOptions {
  /** Records read per round trip; default 500. */
  batchSize?: number;
  /** Stops the iteration with ABORTED between batches. */
  signal?: AbortSignal;
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
  /**
   * Every stored record, ordered by id (code point order, which is SQLite's and Postgres' "C"
   * order of UTF-8), read in batches: for export, migration and verification. A record that exists
   * for the whole iteration is yielded exactly once; one written meanwhile may or may not be.
   */
  records(options?: StoreRecordsOptions): AsyncIterable<StoredRecord>;
  /**
   * Makes the records whose `meta.source === source` exactly `records` (each must carry that
   * source), in ONE transaction: records of the source that are not given are deleted, unchanged
   * ones are not written again. Re-indexing a file that shrank leaves no stale chunks.
   */
  replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult>;
  /** Distinct string `meta.source` values present, sorted in code point order. */
  sources(): Promise<string[]>;
  close(): Promise<void>;
}
