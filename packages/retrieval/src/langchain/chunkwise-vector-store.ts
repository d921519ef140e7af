import { ChunkwiseError } from '@chunkwise/core';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { VectorStore, type MaxMarginalRelevanceSearchOptions } from '@langchain/core/vectorstores';
import { describeValue, isPlainObject, requireArray } from '../argument-checks.js';
import { maximalMarginalRelevance } from '../fusion/mmr.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { RecordMeta, Store, StoreRecord } from '../stores/store.js';
import { fromRecordMeta, toRecordMeta } from './document-metadata.js';

export interface ChunkwiseVectorStoreArgs {
  /** The Chunkwise store that keeps texts, metadata and vectors; default a new MemoryStore. */
  store?: Store;
}

/** `addDocuments` / `addVectors` options: the ids to write (default each document's `id`, else a random UUID). */
export interface ChunkwiseAddOptions {
  ids?: string[];
}

/** `delete` parameters: these ids (an unknown id is NOT_FOUND and nothing is deleted), or every record of a `source`. */
export interface ChunkwiseDeleteParams {
  ids?: string[];
  source?: string;
}

/**
 * A LangChain `VectorStore` over any Chunkwise `Store`: LangChain chains, `asRetriever()` and MMR
 * over a MemoryStore, a SQLite file or Postgres. A document becomes a record: `pageContent` is the
 * text (also indexed by BM25, so ChunkwiseRetriever's bm25 and hybrid modes work on the same
 * store), flat metadata values are record metadata (filters match them), nested values are kept
 * as JSON under `lc_metadata` and come back as they were. Records that Chunkwise wrote (ingestSource,
 * `chunkwise index`) come back with their `source`, `start` and `end`.
 */
export class ChunkwiseVectorStore extends VectorStore {
  declare FilterType: RecordMeta;
  readonly store: Store;

  static override lc_name(): string {
    return 'ChunkwiseVectorStore';
  }

  constructor(embeddings: EmbeddingsInterface, args: ChunkwiseVectorStoreArgs = {}) {
    if (embeddings === null || typeof embeddings !== 'object' || typeof embeddings.embedDocuments !== 'function' || typeof embeddings.embedQuery !== 'function') {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'ChunkwiseVectorStore needs LangChain Embeddings (embedDocuments and embedQuery); a Chunkwise Embedder converts with toLangChainEmbeddings from @chunkwise/providers/langchain.');
    }
    if (!isPlainObject(args as unknown)) throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkwiseVectorStore options must be { store? }, got ${describeValue(args)}.`);
    super(embeddings, args);
    const store = args.store ?? new MemoryStore();
    for (const method of ['upsert', 'searchVector', 'get', 'delete', 'replaceSource'] as const) {
      if (typeof (store as Partial<Store>)[method] !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `store must be a Chunkwise Store (MemoryStore, SqliteStore, PostgresStore): it has no ${method}().`);
    }
    this.store = store;
  }

  _vectorstoreType(): string {
    return 'chunkwise';
  }

  async addDocuments(documents: DocumentInterface[], options?: ChunkwiseAddOptions): Promise<string[]> {
    const texts = requireArray<DocumentInterface>(documents, 'documents').map((doc, i) => textOf(doc, i));
    const vectors = texts.length === 0 ? [] : await this.embeddings.embedDocuments(texts);
    return this.addVectors(vectors, documents, options);
  }

  /** Writes the documents with these vectors in one transaction (all or nothing); returns their ids. */
  async addVectors(vectors: number[][], documents: DocumentInterface[], options?: ChunkwiseAddOptions): Promise<string[]> {
    requireArray(vectors, 'vectors');
    requireArray(documents, 'documents');
    if (vectors.length !== documents.length) throw new ChunkwiseError('INVALID_ARGUMENT', `Got ${vectors.length} vectors for ${documents.length} documents; give one vector per document.`);
    const ids = options?.ids ?? documents.map((doc) => (typeof doc.id === 'string' && doc.id !== '' ? doc.id : globalThis.crypto.randomUUID()));
    if (!Array.isArray(ids) || ids.length !== documents.length || ids.some((id) => typeof id !== 'string' || id === '')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `options.ids must be ${documents.length} non-empty strings, one per document.`);
    }
    if (new Set(ids).size !== ids.length) throw new ChunkwiseError('INVALID_ARGUMENT', 'options.ids must not repeat an id: one record per document.');
    const records: StoreRecord[] = documents.map((doc, i) => ({ id: ids[i] as string, text: textOf(doc, i), meta: toRecordMeta(doc.metadata), vector: vectors[i] as number[] }));
    await this.store.upsert(records);
    return ids;
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: RecordMeta): Promise<[Document, number][]> {
    const hits = await this.store.searchVector(query, { k, ...(filter !== undefined && { filter }) });
    const out: [Document, number][] = [];
    for (const hit of hits) {
      const record = await this.store.get(hit.id);
      // A record deleted between the search and the read is skipped, as hitsToContext does.
      if (record) out.push([new Document({ id: record.id, pageContent: record.text, metadata: fromRecordMeta(record.meta) }), hit.score]);
    }
    return out;
  }

  /** Maximal marginal relevance over the `fetchK` nearest records (retrieval's MMR, cosine). */
  override async maxMarginalRelevanceSearch(query: string, options: MaxMarginalRelevanceSearchOptions<RecordMeta>): Promise<Document[]> {
    const { k = 4, fetchK = 20, lambda = 0.5, filter } = options ?? {};
    const vector = await this.embeddings.embedQuery(query);
    const hits = await this.store.searchVector(vector, { k: Math.max(k, fetchK), ...(filter !== undefined && { filter }) });
    const records = (await Promise.all(hits.map((hit) => this.store.get(hit.id)))).filter((r) => r?.vector !== undefined);
    const byId = new Map(records.map((r) => [r!.id, r!]));
    const picked = maximalMarginalRelevance(vector, records.map((r) => ({ id: r!.id, vector: r!.vector! })), { k, lambda });
    return picked.map(({ id }) => {
      const record = byId.get(id)!;
      return new Document({ id, pageContent: record.text, metadata: fromRecordMeta(record.meta) });
    });
  }

  override async delete(params?: ChunkwiseDeleteParams): Promise<void> {
    if (!isPlainObject(params) || (params.ids === undefined) === (params.source === undefined)) {
      throw new ChunkwiseError('INVALID_ARGUMENT', 'delete needs { ids } or { source }.');
    }
    if (params.ids !== undefined) return this.store.delete(requireArray<string>(params.ids, 'ids'));
    if (typeof params.source !== 'string' || params.source === '') throw new ChunkwiseError('INVALID_ARGUMENT', `source must be a non-empty string, got ${describeValue(params.source)}.`);
    await this.store.replaceSource(params.source, []);
  }

  static override async fromTexts(texts: string[], metadatas: object[] | object, embeddings: EmbeddingsInterface, args: ChunkwiseVectorStoreArgs = {}): Promise<ChunkwiseVectorStore> {
    requireArray<string>(texts, 'texts');
    if (Array.isArray(metadatas) && metadatas.length !== texts.length) throw new ChunkwiseError('INVALID_ARGUMENT', `Got ${metadatas.length} metadatas for ${texts.length} texts; give one per text, or one object for all.`);
    const docs = texts.map((pageContent, i) => new Document({ pageContent, metadata: (Array.isArray(metadatas) ? metadatas[i] : metadatas) as Record<string, unknown> }));
    return ChunkwiseVectorStore.fromDocuments(docs, embeddings, args);
  }

  static override async fromDocuments(docs: DocumentInterface[], embeddings: EmbeddingsInterface, args: ChunkwiseVectorStoreArgs = {}): Promise<ChunkwiseVectorStore> {
    const store = new ChunkwiseVectorStore(embeddings, args);
    await store.addDocuments(docs);
    return store;
  }
}

function textOf(doc: DocumentInterface, i: number): string {
  if (doc === null || typeof doc !== 'object' || typeof doc.pageContent !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `documents[${i}] must be a Document with a pageContent string, got ${describeValue(doc)}.`);
  return doc.pageContent;
}
