import type { ScoredId } from '../bm25/top-k-heap.js';
import { IndexedRecords, type IndexedStoreOptions } from './indexed-records.js';
import type { Store, StoredRecord, StoreRecord, StoreSearchOptions } from './store.js';

export type MemoryStoreOptions = IndexedStoreOptions;

/** A Store that lives in memory: exact BM25 plus flat (or HNSW) vectors. Works in browsers. */
export class MemoryStore implements Store {
  private readonly records: IndexedRecords;

  constructor(options: MemoryStoreOptions = {}) {
    this.records = new IndexedRecords(options);
  }

  upsert(records: Iterable<StoreRecord>): Promise<void> {
    return run(() => this.records.apply(this.records.validateAll(records)));
  }

  delete(ids: readonly string[]): Promise<void> {
    return run(() => {
      this.records.assertAllExist(ids);
      this.records.remove(ids);
    });
  }

  get(id: string): Promise<StoredRecord | undefined> {
    return run(() => this.records.get(id));
  }

  count(): Promise<number> {
    return Promise.resolve(this.records.size);
  }

  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.records.searchText(query, options));
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.records.searchVector(vector, options));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Runs synchronously and turns a throw into a rejected promise, as an async store would. */
function run<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
