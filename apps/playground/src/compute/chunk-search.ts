import type { Chunk, Tokenizer } from '@chunkwise/core';
import {
  chunksToRecords,
  hitsToContext,
  MemoryStore,
  reciprocalRankFusion,
  selectContext,
  type ContextHit,
  type ContextPassage,
  type ContextStrategy,
  type ScoredId,
} from '@chunkwise/retrieval';
import type { DenseIndex, LoadedVectorTable, VectorTableInfo } from './dense-index.js';
import { queryTerms, termMarks } from './query-marks.js';

export const RETRIEVERS = ['bm25', 'dense', 'hybrid'] as const;
export type Retriever = (typeof RETRIEVERS)[number];

/** The source name of the text's chunks in the store: hits cite it as their `docId`. */
export const TEXT_SOURCE = 'text';

export interface SearchRequest {
  query: string;
  k: number;
  retriever: Retriever;
  budgetTokens: number;
  strategy: ContextStrategy;
}

/** A ranked chunk, with the words of its text that match a query term. */
export interface SearchHit extends ContextHit {
  chunkIndex: number;
  start: number;
  end: number;
  marks: [number, number][];
}

export interface ContextReport {
  passages: (ContextPassage & { marks: [number, number][] })[];
  tokens: number;
  budgetTokens: number;
}

export interface DenseReport extends VectorTableInfo {
  /** Chunks in the dense index, and chunks without a known word (left out of dense search). */
  embedded: number;
  withoutVector: number;
  /** Fitting SIF on the chunks and embedding them, in milliseconds. */
  embedMs: number;
  /** False when no word of the query is in the table (dense search then finds nothing). */
  queryKnown: boolean;
}

export interface SearchReport {
  chunkCount: number;
  terms: string[];
  hits: SearchHit[];
  context: ContextReport | null;
  dense: DenseReport | null;
}

/** Opens the word-vector table; the worker fetches it from the page's data/ folder, tests read the built file. */
export type VectorTableSource = () => Promise<LoadedVectorTable>;

/**
 * Search over one set of chunks, wired as an app uses the packages: the chunks become store records
 * (`chunksToRecords`) in a `MemoryStore` with the english analyzer; BM25 hits, dense hits or their
 * reciprocal rank fusion go back to context hits with `hitsToContext`; `selectContext` assembles the
 * cited context under the budget. The dense index is built on the first dense or hybrid query.
 */
export class ChunkSearch {
  readonly #store = new MemoryStore({ analyzer: 'english' });
  readonly #ready: Promise<void>;
  #dense: Promise<{ index: DenseIndex; table: VectorTableInfo }> | undefined;

  constructor(
    readonly chunks: readonly Chunk[],
    private readonly tokenizer: Tokenizer,
    private readonly vectorTable: VectorTableSource,
  ) {
    this.#ready = this.#store.upsert(chunksToRecords(TEXT_SOURCE, chunks));
  }

  /** `onProgress` hears what a first dense query is waiting for (loading the table, fitting, embedding). */
  async search(request: SearchRequest, onProgress?: (message: string) => void): Promise<SearchReport> {
    await this.#ready;
    const { query, k, retriever } = request;
    const terms = queryTerms(query);
    const lexical = retriever === 'dense' ? [] : await this.#store.searchText(query, { k });
    let dense: DenseReport | null = null;
    let semantic: ScoredId[] = [];
    if (retriever !== 'bm25') {
      const { index, table } = await this.#denseIndex(onProgress);
      const found = await index.search(query, k);
      semantic = found ?? [];
      dense = { ...table, embedded: index.embedded, withoutVector: index.withoutVector, embedMs: index.embedMs, queryKnown: found !== null };
    }
    const scored = retriever === 'bm25' ? lexical : retriever === 'dense' ? semantic : reciprocalRankFusion([lexical, semantic], { limit: k });
    const termSet = new Set(terms);
    const hits = (await hitsToContext(this.#store, scored)).map((hit): SearchHit => ({
      ...hit,
      chunkIndex: hit.chunkIndex!,
      start: hit.start!,
      end: hit.end!,
      marks: termMarks(hit.text, termSet),
    }));
    let context: ContextReport | null = null;
    if (hits.length > 0) {
      const selected = selectContext(hits, { budgetTokens: request.budgetTokens, tokenizer: this.tokenizer, strategy: request.strategy });
      context = {
        passages: selected.passages.map((passage) => ({ ...passage, marks: termMarks(passage.text, termSet) })),
        tokens: selected.tokens,
        budgetTokens: selected.budgetTokens,
      };
    }
    return { chunkCount: this.chunks.length, terms, hits, context, dense };
  }

  #denseIndex(onProgress?: (message: string) => void): Promise<{ index: DenseIndex; table: VectorTableInfo }> {
    this.#dense ??= (async () => {
      onProgress?.('Loading the GloVe word vectors…');
      const [{ DenseIndex }, table] = await Promise.all([import('./dense-index.js'), this.vectorTable()]);
      const ids = chunksToRecords(TEXT_SOURCE, this.chunks).map((record) => record.id);
      const index = await DenseIndex.build(table.vectors, ids, this.chunks.map((chunk) => chunk.text), onProgress);
      return { index, table: { words: table.words, dimensions: table.dimensions, bytes: table.bytes, loadMs: table.loadMs } };
    })();
    this.#dense.catch(() => (this.#dense = undefined));
    return this.#dense;
  }
}
