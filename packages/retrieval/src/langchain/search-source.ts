import { ChunkwiseError } from '@chunkwise/core';
import { describeValue, isPlainObject } from '../argument-checks.js';
import type { BM25Index } from '../bm25/bm25-index.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { metaFilter, validateFilter } from '../stores/search-options.js';
import type { RecordMeta, Store, StoredRecord } from '../stores/store.js';
import type { HNSWIndex } from '../vector/hnsw-index.js';
import type { VectorIndex } from '../vector/vector-index.js';

/** A document of an index source, as `documents(id)` returns it: the text and its metadata (source, start, end…). */
export interface IndexedDocument {
  text: string;
  meta?: RecordMeta;
}

/** What the retriever searches: a store, or in-memory indexes with a way to read documents back. */
export interface SearchSource {
  searchText(query: string, k: number, filter: RecordMeta | undefined): Promise<ScoredId[]>;
  /** Undefined when this source has no vectors. */
  searchVector: ((vector: Float32Array, k: number, filter: RecordMeta | undefined) => Promise<ScoredId[]>) | undefined;
  record(id: string): Promise<StoredRecord | undefined>;
}

export function storeSource(store: Store): SearchSource {
  for (const method of ['searchText', 'searchVector', 'get'] as const) {
    if (typeof (store as Partial<Store>)[method] !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `store must be a Chunkwise Store (MemoryStore, SqliteStore, PostgresStore): it has no ${method}().`);
  }
  return {
    searchText: (query, k, filter) => store.searchText(query, { k, ...(filter && { filter }) }),
    searchVector: (vector, k, filter) => store.searchVector(vector, { k, ...(filter && { filter }) }),
    record: (id) => store.get(id),
  };
}

export function indexSource(bm25: BM25Index, vectors: VectorIndex | HNSWIndex | undefined, documents: ((id: string) => IndexedDocument | undefined) | undefined): SearchSource {
  if (bm25 === null || typeof bm25 !== 'object' || typeof bm25.search !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `index must be a BM25Index, got ${describeValue(bm25)}.`);
  if (vectors !== undefined && (vectors === null || typeof vectors !== 'object' || typeof vectors.search !== 'function')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `vectors must be a VectorIndex or HNSWIndex, got ${describeValue(vectors)}.`);
  }
  if (typeof documents !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'A retriever over a BM25Index needs documents: (id) => ({ text, meta }), to turn hits into documents (a BM25Index keeps no text).');
  }
  // A filter is checked on the metadata documents(id) gives, the same for both indexes.
  const options = (k: number, filter: RecordMeta | undefined) => {
    const matches = metaFilter(validateFilter(filter));
    return matches === undefined ? { k } : { k, filter: (id: string) => matches(id, documents(id)?.meta) };
  };
  return {
    searchText: (query, k, filter) => Promise.resolve(bm25.search(query, options(k, filter))),
    searchVector: vectors && ((vector, k, filter) => Promise.resolve(vectors.search(vector, options(k, filter)))),
    record: (id) => {
      const doc = documents(id);
      if (doc === undefined) return Promise.resolve(undefined);
      if (!isPlainObject(doc) || typeof doc.text !== 'string' || (doc.meta !== undefined && !isPlainObject(doc.meta))) {
        throw new ChunkwiseError('INVALID_ARGUMENT', `documents("${id}") must return { text: string, meta?: object } or undefined, got ${describeValue(doc)}.`);
      }
      return Promise.resolve({ id, text: doc.text, ...(doc.meta && { meta: doc.meta }) });
    },
  };
}
