import { ChunkwiseError } from '@chunkwise/core';
import type { Analyzer, AnalyzerName } from '../analyzers/analyzer.js';
import { cjkAnalyzer } from '../analyzers/cjk.js';
import { englishAnalyzer } from '../analyzers/english.js';
import { simpleAnalyzer } from '../analyzers/simple.js';
import { BM25Index, type BM25Options } from '../bm25/bm25-index.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { HNSWIndex } from '../vector/hnsw-index.js';
import { assertDimensions, assertMetric, prepareVector, type Metric } from '../vector/metric.js';
import { VectorIndex } from '../vector/vector-index.js';
import { compareCodePoints } from './code-point-order.js';
import { describeValue, isPlainObject, optionsObject, requireArray, requireIterable } from '../argument-checks.js';
import { validateRecord } from './record-validation.js';
import { metaFilter, validateSearchOptions } from './search-options.js';
import type { RecordMeta, StoredRecord, StoreRecord, StoreSearchOptions } from './store.js';

export interface IndexedStoreOptions {
  analyzer?: Analyzer | AnalyzerName;
  /** BM25F field weights; `text` is always a field (default weight 1). */
  fields?: Record<string, number>;
  k1?: number;
  b?: number;
  /** Vector dimension; default: taken from the first vector stored. */
  dimensions?: number;
  metric?: Metric;
  /** Use HNSW instead of flat vector search, with these parameters. */
  hnsw?: { M?: number; efConstruction?: number; efSearch?: number };
}

/** Saved indexes of a store, as read back (IndexedRecords.snapshotParts writes them). */
export interface IndexSnapshot {
  bm25: Uint8Array;
  hnsw?: Uint8Array;
}

/**
 * The records of a store plus their in-memory BM25 and vector indexes. Writes are validated in
 * full before anything changes, so a bad record leaves the store as it was.
 */
export class IndexedRecords {
  private readonly records = new Map<string, StoredRecord>();
  private bm25: BM25Index<RecordMeta>;
  private readonly bm25Options: BM25Options;
  private vectors: VectorIndex<RecordMeta> | HNSWIndex<RecordMeta> | undefined;
  private readonly fieldWeights: Record<string, number>;
  private readonly declaredFields: ReadonlySet<string>;
  /** Ids of the records of each `meta.source` (strings only), for replaceSource and sources(). */
  private bySource = new Map<string, Set<string>>();

  /**
   * `keepRecords: false` keeps only the indexes (a store that reads records back from disk);
   * get() then answers undefined.
   */
  constructor(
    private readonly options: IndexedStoreOptions = {},
    private readonly keepRecords = true,
  ) {
    optionsObject(options, 'Store options');
    if (options.fields !== undefined && !isPlainObject(options.fields)) throw new ChunkwiseError('INVALID_ARGUMENT', `fields must be an object of weights, got ${describeValue(options.fields)}.`);
    optionsObject(options.hnsw, 'hnsw options');
    if (options.metric !== undefined) assertMetric(options.metric);
    if (options.dimensions !== undefined) assertDimensions(options.dimensions);
    this.fieldWeights = { text: 1, ...options.fields };
    this.declaredFields = new Set(Object.keys(this.fieldWeights));
    const bm25Options = { fields: this.fieldWeights, ...(options.analyzer !== undefined && { analyzer: options.analyzer }), ...(options.k1 !== undefined && { k1: options.k1 }), ...(options.b !== undefined && { b: options.b }) };
    this.bm25Options = bm25Options;
    this.bm25 = new BM25Index<RecordMeta>(bm25Options);
    if (options.dimensions !== undefined) this.vectors = this.createVectorIndex(options.dimensions);
  }

  get dimensions(): number | undefined {
    return this.vectors?.dimensions;
  }

  /** Checks one record and returns its normalised form; throws before anything is stored. */
  validate(record: StoreRecord, dimensions: number | undefined): StoredRecord {
    const { vector, ...valid } = validateRecord(record, this.declaredFields);
    const out: StoredRecord = valid;
    if (vector !== undefined) {
      const dims = dimensions ?? vector.length;
      // Validate as given (cosine normalisation happens inside the index; store what the user gave).
      prepareVector(vector, dims, this.options.metric ?? 'cosine', `Vector of record "${valid.id}"`);
      out.vector = Float32Array.from(vector);
    }
    return out;
  }

  /** Validates every record (and their vector dimensions against each other) without applying. */
  validateAll(records: Iterable<StoreRecord>): StoredRecord[] {
    let dimensions = this.dimensions;
    const out: StoredRecord[] = [];
    for (const record of requireIterable<StoreRecord>(records, 'The records')) {
      const valid = this.validate(record, dimensions);
      if (valid.vector) dimensions ??= valid.vector.length;
      out.push(valid);
    }
    return out;
  }

  /** Applies already-validated records. */
  apply(records: readonly StoredRecord[]): void {
    for (const record of records) {
      if (this.bm25.has(record.id)) this.untrack(record.id, this.bm25.meta(record.id));
      this.track(record.id, record.meta);
      this.bm25.add(record.id, { ...record.fields, text: record.text }, record.meta);
      if (this.vectors?.has(record.id)) this.vectors.remove(record.id);
      if (record.vector) {
        this.vectors ??= this.createVectorIndex(record.vector.length);
        this.vectors.add(record.id, record.vector, record.meta);
      }
      if (this.keepRecords) this.records.set(record.id, record);
    }
  }

  /**
   * The indexes as snapshot parts for a store to persist: BM25 always, the HNSW graph when HNSW is used
   * (flat vectors are rebuilt from the records, which is as fast as reading them). Undefined when
   * the analyzer is a custom function, which a snapshot could not check on reopening.
   */
  snapshotParts(): Record<string, Uint8Array[]> | undefined {
    const { analyzer } = this.options;
    if (typeof analyzer === 'function' && ![simpleAnalyzer, englishAnalyzer, cjkAnalyzer].includes(analyzer)) return undefined;
    // Parts, not one array: the large ones are views of the index (no copy of a big index).
    const bm25 = this.bm25.saveParts();
    return this.vectors instanceof HNSWIndex ? { bm25, hnsw: [this.vectors.save()] } : { bm25 };
  }

  /**
   * Loads the saved indexes of `count` committed records (`vectorCount` with vectors; flat vectors
   * are copied from `withVectors()`) instead of indexing them again, for a store that keeps no
   * records in memory. Throws (and changes nothing) if the snapshot does not match.
   */
  restore(snapshot: IndexSnapshot, count: number, vectorCount: number, withVectors: () => readonly StoredRecord[]): void {
    const bm25 = BM25Index.load<RecordMeta>(snapshot.bm25, this.bm25Options);
    let vectors = this.vectors;
    if (this.options.hnsw && snapshot.hnsw) {
      const hnsw = HNSWIndex.load<RecordMeta>(snapshot.hnsw);
      const { M = 16, efConstruction = 200, efSearch } = this.options.hnsw;
      if (hnsw.M !== M || hnsw.efConstruction !== efConstruction || hnsw.metric !== (this.options.metric ?? 'cosine') || hnsw.size !== vectorCount) {
        throw new ChunkwiseError('CORRUPT_DATA', 'The saved HNSW graph does not match the store options or its records.');
      }
      if (efSearch !== undefined) hnsw.efSearch = efSearch;
      vectors = hnsw;
    } else if (vectorCount > 0) {
      const rows = withVectors();
      vectors ??= this.createVectorIndex((rows[0]?.vector as Float32Array).length);
      for (const record of rows) {
        if (!bm25.has(record.id)) throw new ChunkwiseError('CORRUPT_DATA', 'The saved index does not match the committed records.');
        vectors.add(record.id, record.vector as Float32Array, record.meta);
      }
    }
    if (bm25.size !== count || (vectors?.size ?? 0) !== vectorCount) {
      throw new ChunkwiseError('CORRUPT_DATA', 'The saved index does not match the committed records.');
    }
    this.bm25 = bm25;
    this.vectors = vectors;
    this.bySource = new Map();
    for (const id of bm25.ids()) this.track(id, bm25.meta(id));
  }

  assertAllExist(ids: readonly string[]): void {
    for (const id of requireArray<string>(ids, 'The ids to delete')) {
      if (typeof id !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `Ids to delete must be strings, got ${describeValue(id)}.`);
      if (!this.bm25.has(id)) throw new ChunkwiseError('NOT_FOUND', `No record with id "${id}" to delete; nothing was deleted.`, { details: { id } });
    }
  }

  remove(ids: readonly string[]): void {
    for (const id of ids) {
      if (!this.bm25.has(id)) continue;
      this.untrack(id, this.bm25.meta(id));
      this.bm25.remove(id);
      if (this.vectors?.has(id)) this.vectors.remove(id);
      this.records.delete(id);
    }
  }

  get(id: string): StoredRecord | undefined {
    const record = this.records.get(id);
    return record && { ...record, ...(record.vector && { vector: record.vector.slice() }) };
  }

  get size(): number {
    return this.bm25.size;
  }

  has(id: string): boolean {
    return this.bm25.has(id);
  }

  /** Every id, in code point order. */
  sortedIds(): string[] {
    return this.bm25.ids().sort(compareCodePoints);
  }

  /** Distinct string meta.source values, in code point order. */
  sources(): string[] {
    return [...this.bySource.keys()].sort(compareCodePoints);
  }

  /** Ids of the records whose meta.source is `source`. */
  idsOfSource(source: string): string[] {
    return [...(this.bySource.get(source) ?? [])];
  }

  private track(id: string, meta: RecordMeta | undefined): void {
    const source = meta?.source;
    if (typeof source !== 'string') return;
    let ids = this.bySource.get(source);
    if (!ids) this.bySource.set(source, (ids = new Set()));
    ids.add(id);
  }

  private untrack(id: string, meta: RecordMeta | undefined): void {
    const source = meta?.source;
    if (typeof source !== 'string') return;
    const ids = this.bySource.get(source);
    ids?.delete(id);
    if (ids?.size === 0) this.bySource.delete(source);
  }

  searchText(query: string, options?: StoreSearchOptions): ScoredId[] {
    const { k, filter } = validateSearchOptions(options);
    const predicate = metaFilter(filter);
    return this.bm25.search(query, { k, ...(predicate && { filter: predicate }) });
  }

  searchVector(vector: ArrayLike<number>, options?: StoreSearchOptions): ScoredId[] {
    const { k, filter } = validateSearchOptions(options);
    if (!this.vectors) return [];
    const predicate = metaFilter(filter);
    return this.vectors.search(vector, { k, ...(predicate && { filter: predicate }) });
  }

  private createVectorIndex(dimensions: number): VectorIndex<RecordMeta> | HNSWIndex<RecordMeta> {
    const metric = this.options.metric ?? 'cosine';
    return this.options.hnsw ? new HNSWIndex<RecordMeta>({ dimensions, metric, ...this.options.hnsw }) : new VectorIndex<RecordMeta>({ dimensions, metric });
  }
}
