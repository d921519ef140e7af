import { throwIfAborted } from '@chunkwise/core';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { IndexedRecords, type IndexedStoreOptions } from './indexed-records.js';
import { recordsBatchSize } from './records-options.js';
import { checkSource, planSourceSync, sourceRecords } from './source-sync-plan.js';
import type { SourceSyncResult, Store, StoredRecord, StoreRecord, StoreRecordsOptions, StoreSearchOptions } from './store.js';

export type MemoryStoreOptions = IndexedStoreOptions;

/** A Store that lives in memory: exact BM25 plus flat (or HNSW) vectors. Works in browsers. */
export class MemoryStore implements Store {
  private readonly indexed: IndexedRecords;

  constructor(options: MemoryStoreOptions = {}) {
    this.indexed = new IndexedRecords(options);
  }

  upsert(records: Iterable<StoreRecord>): Promise<void> {
    return run(() => this.indexed.apply(this.indexed.validateAll(records)));
  }

  delete(ids: readonly string[]): Promise<void> {
    return run(() => {
      this.indexed.assertAllExist(ids);
      this.indexed.remove(ids);
    });
  }

  get(id: string): Promise<StoredRecord | undefined> {
    return run(() => this.indexed.get(id));
  }

  count(): Promise<number> {
    return Promise.resolve(this.indexed.size);
  }

  searchText(query: string, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.indexed.searchText(query, options));
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): Promise<ScoredId[]> {
    return run(() => this.indexed.searchVector(vector, options));
  }

  async *records(options?: StoreRecordsOptions): AsyncIterable<StoredRecord> {
    const batchSize = recordsBatchSize(options);
    // The ids are listed once; records deleted meanwhile are skipped when their turn comes.
    const ids = this.indexed.sortedIds();
    for (let i = 0; i < ids.length; i += batchSize) {
      throwIfAborted(options?.signal);
      const batch = ids.slice(i, i + batchSize).map((id) => this.indexed.get(id));
      for (const record of batch) if (record) yield record;
    }
  }

  replaceSource(source: string, records: Iterable<StoreRecord>): Promise<SourceSyncResult> {
    return run(() => {
      checkSource(source);
      const incoming = this.indexed.validateAll(sourceRecords(source, records));
      const before = new Map(this.indexed.idsOfSource(source).map((id) => [id, this.indexed.get(id) as StoredRecord]));
      const plan = planSourceSync(source, incoming, before);
      // Synchronous, so no reader sees a half-replaced source.
      this.indexed.remove(plan.remove);
      this.indexed.apply(plan.write);
      return plan.result;
    });
  }

  sources(): Promise<string[]> {
    return Promise.resolve(this.indexed.sources());
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
