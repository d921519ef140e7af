import { ChunkwiseError, type Embedder } from '@chunkwise/core';
import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { describeValue, isPlainObject, positiveInteger } from '../argument-checks.js';
import type { BM25Index } from '../bm25/bm25-index.js';
import type { ScoredId } from '../bm25/top-k-heap.js';
import { selectContext } from '../context/select-context.js';
import type { ContextHit, SelectContextOptions } from '../context/types.js';
import { reciprocalRankFusion } from '../fusion/rrf.js';
import { recordToContextHit } from '../stores/context-hits.js';
import { validateFilter } from '../stores/search-options.js';
import type { RecordMeta, Store, StoredRecord } from '../stores/store.js';
import type { HNSWIndex } from '../vector/hnsw-index.js';
import type { VectorIndex } from '../vector/vector-index.js';
import { fromRecordMeta } from './document-metadata.js';
import { indexSource, storeSource, type IndexedDocument, type SearchSource } from './search-source.js';

export const RETRIEVER_MODES = ['bm25', 'dense', 'hybrid'] as const;
export type RetrieverMode = (typeof RETRIEVER_MODES)[number];

export interface ChunkwiseRetrieverFields extends BaseRetrieverInput {
  /** Search a Chunkwise store (MemoryStore, SqliteStore, PostgresStore)… */
  store?: Store;
  /** …or an in-memory BM25Index, with `documents` to read each hit back. */
  index?: BM25Index;
  /** Dense and hybrid search over `index`: the vectors of the same ids. */
  vectors?: VectorIndex | HNSWIndex;
  /** The text and metadata of an `index` id (a BM25Index keeps no text). */
  documents?: (id: string) => IndexedDocument | undefined;
  /** 'bm25' (default), 'dense' (needs `embedder`) or 'hybrid' (RRF of both). */
  mode?: RetrieverMode;
  /** Embeds the query for 'dense' and 'hybrid'; the same model that embedded the records. */
  embedder?: Embedder;
  /** Documents returned (without `context`); default 4, as LangChain's retrievers. */
  k?: number;
  /** Only records whose metadata has exactly these values. */
  filter?: RecordMeta;
  /** Ranked hits offered to `selectContext` (with `context`); default 50. */
  candidates?: number;
  /**
   * Hybrid: how many hits of each ranking are fused; default 10 (at least k). Deeper lists let
   * chunks that both rank middling outrank the one BM25 ranks first: on the quality bench, 50-deep
   * lists halved hybrid recall (docs/benchmarks.md, quality-retrievers).
   */
  fusionDepth?: number;
  /** Hybrid: RRF weights of the BM25 and the dense ranking; default [1, 1]. */
  weights?: readonly [number, number];
  /** The RRF rank constant; default 60. */
  rrfK?: number;
  /**
   * Fill a token budget with `selectContext` instead of returning the top k: one document per
   * passage, in document order, each citing its source and offsets.
   */
  context?: SelectContextOptions;
}

/**
 * A LangChain retriever over Chunkwise search: exact BM25, dense (any Chunkwise `Embedder`) or
 * hybrid (reciprocal rank fusion), over a store or a BM25Index, optionally packing a token budget
 * with `selectContext`. Each `Document` carries the record's metadata (`source`, `start`, `end`
 * as chunksToRecords and ingestSource write them, so `text.slice(start, end)` is the passage) and
 * `score`; with `context`, also `ids` (the chunks a passage covers) and `tokens`.
 */
export class ChunkwiseRetriever extends BaseRetriever {
  static override lc_name(): string {
    return 'ChunkwiseRetriever';
  }

  override lc_namespace = ['chunkwise', 'retrievers'];
  readonly mode: RetrieverMode;
  readonly k: number;
  readonly candidates: number;
  private readonly source: SearchSource;
  private readonly embedder: Embedder | undefined;
  private readonly filter: RecordMeta | undefined;
  private readonly rrfK: number;
  private readonly fusionDepth: number;
  private readonly weights: readonly [number, number] | undefined;
  private readonly context: SelectContextOptions | undefined;

  constructor(fields: ChunkwiseRetrieverFields) {
    if (!isPlainObject(fields as unknown)) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkwiseRetriever needs { store } or { index, documents }, got ${describeValue(fields)}.`);
    const { store, index, vectors, documents, mode = 'bm25', embedder, k = 4, filter, candidates = 50, fusionDepth = 10, weights, rrfK = 60, context, ...base } = fields;
    super(base);
    if ((store === undefined) === (index === undefined)) throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkwiseRetriever searches either a store or an index: give exactly one.');
    if (!(RETRIEVER_MODES as readonly string[]).includes(mode)) throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown mode ${describeValue(mode)}: use 'bm25', 'dense' or 'hybrid'.`);
    this.source = store !== undefined ? storeSource(store) : indexSource(index as BM25Index, vectors, documents);
    if (mode !== 'bm25') {
      if (embedder === null || typeof embedder !== 'object' || typeof embedder.embed !== 'function') {
        throw new ChunkwiseError('INVALID_ARGUMENT', `The ${mode} mode needs an embedder (a Chunkwise Embedder, the one that embedded the records).`);
      }
      if (this.source.searchVector === undefined) throw new ChunkwiseError('INVALID_ARGUMENT', `The ${mode} mode over a BM25Index needs vectors (a VectorIndex or HNSWIndex of the same ids).`);
    }
    if (context !== undefined && !isPlainObject(context as unknown)) throw new ChunkwiseError('INVALID_ARGUMENT', `context must be selectContext's options { budgetTokens, tokenizer, … }, got ${describeValue(context)}.`);
    if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) throw new ChunkwiseError('INVALID_ARGUMENT', `rrfK must be a finite number ≥ 0, got ${describeValue(rrfK)}.`);
    this.mode = mode;
    this.k = positiveInteger(k, 'k');
    this.candidates = positiveInteger(candidates, 'candidates');
    this.embedder = embedder;
    this.filter = validateFilter(filter);
    this.rrfK = rrfK;
    this.fusionDepth = positiveInteger(fusionDepth, 'fusionDepth');
    if (weights !== undefined && (!Array.isArray(weights) || weights.length !== 2 || weights.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `weights must be two finite numbers ≥ 0 (BM25, dense), got ${describeValue(weights)}.`);
    }
    this.weights = weights;
    this.context = context;
  }

  override async _getRelevantDocuments(query: string, _runManager?: CallbackManagerForRetrieverRun): Promise<Document[]> {
    if (typeof query !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `A retriever query must be a string, got ${describeValue(query)}.`);
    const keep = this.context === undefined ? this.k : Math.max(this.k, this.candidates);
    const hits = await this.rank(query, keep);
    const records = await Promise.all(hits.map((hit) => this.source.record(hit.id)));
    const found = hits.flatMap((hit, i) => (records[i] === undefined ? [] : [{ hit, record: records[i] }]));
    if (this.context === undefined) return found.map(({ hit, record }) => toDocument(record, hit.score));
    return this.assemble(found, this.context);
  }

  /** The best `keep` hits of the mode's ranking; hybrid fuses each ranking's top max(k, fusionDepth). */
  private async rank(query: string, keep: number): Promise<ScoredId[]> {
    const depth = this.mode === 'hybrid' ? Math.max(this.k, this.fusionDepth) : keep;
    const lexical = () => this.source.searchText(query, depth, this.filter);
    if (this.mode === 'bm25') return lexical();
    const [vector] = await (this.embedder as Embedder).embed([query]);
    // A query with no word the embedder knows embeds to zeros, which has no cosine: lexical hits only.
    const dense = vector === undefined || vector.every((x) => x === 0) ? Promise.resolve([]) : (this.source.searchVector as NonNullable<SearchSource['searchVector']>)(vector, depth, this.filter);
    if (this.mode === 'dense') return dense;
    const lists = await Promise.all([lexical(), dense]);
    return reciprocalRankFusion(lists, { k: this.rrfK, limit: keep, ...(this.weights && { weights: this.weights }) });
  }

  private assemble(found: { hit: ScoredId; record: StoredRecord }[], context: SelectContextOptions): Document[] {
    const byId = new Map(found.map(({ record }) => [record.id, record]));
    const hits: ContextHit[] = found.map(({ hit, record }) => recordToContextHit(record, hit.score));
    const { passages } = selectContext(hits, context);
    return passages.map((passage) => {
      const meta = fromRecordMeta(byId.get(passage.id)?.meta);
      const citation = { source: passage.docId, start: passage.start, end: passage.end };
      return new Document({ id: passage.id, pageContent: passage.text, metadata: { ...meta, ...citation, ids: passage.ids, score: passage.score, tokens: passage.tokens } });
    });
  }
}

function toDocument(record: StoredRecord, score: number): Document {
  return new Document({ id: record.id, pageContent: record.text, metadata: { ...fromRecordMeta(record.meta), score } });
}
