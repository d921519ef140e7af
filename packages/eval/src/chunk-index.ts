import type { Chunker } from '@chunkwise/chunking';
import { ChunkwiseError, createProgress, throwIfAborted, type Chunk, type Embedder, type ProgressCallback } from '@chunkwise/core';
import { BM25Index, embeddingText, VectorIndex, type EmbeddingTextOptions } from '@chunkwise/retrieval';
import { describeValue, invalid, isObject, requireFunction, requireInteger, requireSignal } from './argument-checks.js';
import { corpusIds, corpusText, type Corpora } from './dataset.js';

/** One corpus chunked and indexed: chunk `i` has id `String(i)` in both indexes. */
export interface IndexedCorpus {
  text: string;
  chunks: Chunk[];
  bm25: BM25Index;
  /** Present when the index was built with an embedder. */
  vectors?: VectorIndex;
  /** The embedder that made `vectors`; questions about this corpus are embedded with it. */
  embedder?: Embedder;
}

/**
 * An embedder, or a function that makes one for a corpus from the texts it will embed (the chunk
 * texts, or `embedText`'s windows and prefixes): a SIF embedder fitted on what is indexed (word
 * frequencies, principal component) is fitted per corpus this way.
 */
export type EmbedderSource = Embedder | ((chunkTexts: readonly string[], corpusId: string) => Embedder | Promise<Embedder>);

/** Corpora chunked once and indexed, to evaluate several retrievers and strategies on the same chunks. */
export interface ChunkIndex {
  chunker: Chunker;
  corpora: Map<string, IndexedCorpus>;
  /** Chunks over all corpora. */
  chunks: number;
  /** Wall time spent chunking, building BM25, and embedding + building the vector index (ms). */
  chunkMs: number;
  bm25Ms: number;
  embedMs: number;
  /** Chunks the embedder gave a zero vector (nothing it knows): only BM25 can find them. */
  zeroVectors: number;
}

export interface BuildChunkIndexOptions {
  corpora: Corpora;
  chunker: Chunker;
  /** Adds a dense (cosine) index of the chunks for the `dense` and `hybrid` retrievers. */
  embedder?: EmbedderSource;
  /**
   * What the embedder sees for each chunk (retrieval's `embeddingText`): `situated` embeds the
   * chunk's `meta.context` window (a chunker made with `contextTokens`), `metadataPrefix` puts
   * `key: value; …` from `chunkMeta` before it. BM25 always indexes the plain chunk text.
   */
  embedText?: EmbeddingTextOptions;
  /** A chunk's metadata for `embedText.metadataPrefix`, e.g. the title of the document it lies in. */
  chunkMeta?: (chunk: Chunk, corpusId: string) => Readonly<Record<string, unknown>> | undefined;
  /** Only these corpora (default: all). */
  corpusIds?: Iterable<string>;
  /** Texts per `embed` call; default 64. */
  embedBatch?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Chunks every corpus, indexes the chunks with BM25 and, given an embedder, with a flat vector index. */
export async function buildChunkIndex(options: BuildChunkIndexOptions): Promise<ChunkIndex> {
  if (!isObject(options)) invalid(`buildChunkIndex needs options { corpora, chunker }, got ${describeValue(options)}.`);
  const { corpora, chunker, embedder, embedText, chunkMeta, embedBatch = 64, signal, onProgress } = options;
  requireFunction(chunkMeta, 'chunkMeta');
  if (!isObject(chunker) || typeof chunker.chunk !== 'function') invalid(`buildChunkIndex needs a chunker (e.g. new RecursiveChunker({ maxTokens: 400 })), got ${describeValue(chunker)}.`);
  requireInteger(embedBatch, 'embedBatch', 1);
  requireSignal(signal);
  checkEmbedderSource(embedder);
  if (embedText !== undefined && !isObject(embedText)) invalid(`embedText must be { situated?, metadataPrefix? }, got ${describeValue(embedText)}.`);
  const ids = options.corpusIds === undefined ? corpusIds(corpora) : idsOf(options.corpusIds);
  const index: ChunkIndex = { chunker, corpora: new Map(), chunks: 0, chunkMs: 0, bm25Ms: 0, embedMs: 0, zeroVectors: 0 };
  const progress = createProgress(onProgress, 'index', { total: ids.length, unit: 'corpora' });
  for (const id of ids) {
    throwIfAborted(signal);
    const text = corpusText(corpora, id);
    if (text === undefined) throw new ChunkwiseError('NOT_FOUND', `No corpus named ${JSON.stringify(id)}.`, { details: { corpusId: id } });
    let t = performance.now();
    const chunks = await chunker.chunk(text, signal ? { signal } : {});
    index.chunkMs += performance.now() - t;
    t = performance.now();
    const bm25 = new BM25Index();
    bm25.addAll(chunks.map((chunk, i) => ({ id: String(i), doc: chunk.text })));
    index.bm25Ms += performance.now() - t;
    const corpus: IndexedCorpus = { text, chunks, bm25 };
    if (embedder) {
      t = performance.now();
      const texts = embedText === undefined ? chunks.map((c) => c.text) : chunks.map((chunk) => embeddingText({ chunk, source: text, meta: chunkMeta?.(chunk, id) }, embedText));
      const made = typeof embedder === 'function' ? await embedder(texts, id) : embedder;
      if (typeof embedder === 'function') checkEmbedderSource(made);
      const vectors = new VectorIndex({ dimensions: made.dimensions });
      for (let from = 0; from < chunks.length; from += embedBatch) {
        throwIfAborted(signal);
        const embedded = await made.embed(texts.slice(from, from + embedBatch), signal ? { signal } : {});
        embedded.forEach((vector, i) => {
          // A zero vector (a chunk with no word the embedder knows) has no cosine: dense search skips it.
          if (isZero(vector)) index.zeroVectors++;
          else vectors.add(String(from + i), vector);
        });
      }
      corpus.vectors = vectors;
      corpus.embedder = made;
      index.embedMs += performance.now() - t;
    }
    index.corpora.set(id, corpus);
    index.chunks += chunks.length;
    progress.advance();
  }
  progress.finish();
  return index;
}

function idsOf(value: unknown): string[] {
  if (typeof value === 'string' || !(isObject(value) || Array.isArray(value)) || typeof (value as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    invalid(`corpusIds must be a list of corpus ids, got ${describeValue(value)}.`);
  }
  const ids: unknown[] = [...(value as Iterable<unknown>)];
  for (const id of ids) if (typeof id !== 'string') invalid(`corpusIds must hold strings, got ${describeValue(id)}.`);
  return ids as string[];
}

/** An Embedder (embed + a positive integer width), or a function that makes one per corpus. */
function checkEmbedderSource(embedder: unknown): void {
  if (embedder === undefined || typeof embedder === 'function') return;
  if (!isObject(embedder) || typeof embedder.embed !== 'function') invalid(`embedder must be an Embedder (embed(texts) and dimensions) or a function making one per corpus, got ${describeValue(embedder)}.`);
  requireInteger(embedder.dimensions, 'embedder.dimensions', 1);
}

/** True when every component is 0. */
export function isZero(vector: ArrayLike<number>): boolean {
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) return false;
  return true;
}
