import { ChunkwiseError, hashKey, throwIfAborted, type Chunk, type Embedder } from '@chunkwise/core';
import { checkEmbeddingTextOptions, embeddingText, embedsMoreThanText, type EmbeddingTextOptions } from '../embedding/embedding-text.js';
import { chunksToRecords } from '../stores/chunk-records.js';
import type { RecordMeta, SourceSyncResult, Store, StoreRecord } from '../stores/store.js';

/** What ingestSource needs of a store: reading one record and replacing a source. */
export type IngestTarget = Pick<Store, 'get' | 'replaceSource'>;

export interface IngestSourceOptions {
  /** Cuts the text into chunks with exact offsets: a chunker's `chunk(text, { signal })`. */
  chunk: (text: string, options: { signal?: AbortSignal }) => readonly Chunk[] | Promise<readonly Chunk[]>;
  /** Embeds every chunk; wrap it in `cachedEmbedder` (@chunkwise/cache) so no text is embedded twice. */
  embedder?: Embedder;
  /**
   * What the embedder sees for a chunk (see `embeddingText`): `situated` embeds the chunk's
   * `meta.context` window (chunk with `contextTokens`), `metadataPrefix` puts `key: value; …` from
   * the record's metadata before it. Records keep the plain chunk text, which BM25 indexes.
   */
  embedText?: EmbeddingTextOptions;
  /**
   * What else decides the chunks and vectors (chunker, limits, tokenizer, embedder model): part of
   * the content hash, so a change of settings ingests the source again. Default ''.
   */
  settings?: string;
  /** Extra metadata per chunk; `source`, `start`, `end`, `index`, `tokens` and `contentHash` are set here. */
  meta?: (chunk: Chunk) => RecordMeta;
  /** Texts longer than this many UTF-16 code units are refused with LIMIT_EXCEEDED before any work. */
  maxChars?: number;
  /** Texts per `embed` call (default 256): bounds one request's size and memory. */
  embedBatch?: number;
  signal?: AbortSignal;
}

/** Milliseconds spent in each step of one ingest. */
export interface IngestTimings {
  hash: number;
  chunk: number;
  embed: number;
  write: number;
}

export interface IngestResult extends SourceSyncResult {
  chunks: number;
  /** True when the store already held exactly this content with these settings: nothing was chunked, embedded or written. */
  skipped: boolean;
  /** SHA-256 (hex) of the text and settings, kept as `meta.contentHash` on every chunk. */
  contentHash: string;
  timings: IngestTimings;
}

const clock = () => performance.now();

/**
 * The per-source step of an ingest, the same in a loop, in worker threads or in `chunkwise worker`
 * processes on many machines: chunk, embed, and make the source's records exactly these chunks in
 * one transaction (`replaceSource`). It is idempotent by source and content hash: when the store's
 * first chunk of the source already carries this text's hash (with these settings), nothing is
 * done, so a job that runs twice (a retry, a worker that died after writing but before
 * acknowledging) costs one read. A writer killed mid-way leaves the source as it was.
 */
export async function ingestSource(store: IngestTarget, source: string, text: string, options: IngestSourceOptions): Promise<IngestResult> {
  if (store === null || typeof store !== 'object' || typeof store.replaceSource !== 'function' || typeof store.get !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'ingestSource needs a Store (MemoryStore, SqliteStore, PostgresStore).');
  }
  if (typeof source !== 'string' || source === '') throw new ChunkwiseError('INVALID_ARGUMENT', 'ingestSource needs a source name (a non-empty string).');
  if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `The text of ${JSON.stringify(source)} must be a string.`);
  if (options === null || typeof options !== 'object' || typeof options.chunk !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'ingestSource needs options.chunk, a function (text) => chunks, such as a chunker’s chunk method.');
  }
  const { embedder, settings = '', meta, maxChars, embedBatch = 256, signal } = options;
  const embedText = checkEmbeddingTextOptions(options.embedText);
  if (embedder !== undefined && (embedder === null || typeof embedder.embed !== 'function' || !Number.isInteger(embedder.dimensions))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'options.embedder must be an Embedder ({ dimensions, embed }).');
  }
  if (meta !== undefined && typeof meta !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', 'options.meta must be a function (chunk) => metadata.');
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', 'options.signal must be an AbortSignal.');
  if (typeof settings !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'options.settings must be a string describing the chunker and embedder.');
  if (!Number.isInteger(embedBatch) || embedBatch < 1) throw new ChunkwiseError('INVALID_ARGUMENT', `options.embedBatch must be a positive integer, got ${String(embedBatch)}.`);
  if (maxChars !== undefined && !(Number.isInteger(maxChars) && maxChars >= 0)) throw new ChunkwiseError('INVALID_ARGUMENT', `options.maxChars must be an integer ≥ 0, got ${String(maxChars)}.`);
  if (maxChars !== undefined && text.length > maxChars) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `${source} has ${text.length} characters, over the limit of ${maxChars}; split it or raise the limit.`, { details: { source, characters: text.length, maxChars } });
  }
  throwIfAborted(signal);
  const timings: IngestTimings = { hash: 0, chunk: 0, embed: 0, write: 0 };

  let start = clock();
  // What is embedded is part of the content: switching situated or prefix on re-embeds the source.
  const contentHash = await hashKey({ text, settings, embedder: embedder?.dimensions ?? 0, ...(embedsMoreThanText(embedText) && { embedText: { situated: embedText.situated === true, metadataPrefix: embedText.metadataPrefix ?? [] } }) });
  timings.hash = clock() - start;
  start = clock();
  const first = await store.get(`${source}#0`);
  if (first?.meta?.source === source && first.meta.contentHash === contentHash) {
    timings.write = clock() - start;
    // The source is complete: replaceSource writes a source's chunks in one transaction.
    const chunks = typeof first.meta.chunks === 'number' ? first.meta.chunks : 0;
    return { source, added: 0, updated: 0, removed: 0, unchanged: chunks, chunks, skipped: true, contentHash, timings };
  }
  timings.write = clock() - start;

  start = clock();
  const chunks = await options.chunk(text, signal === undefined ? {} : { signal });
  timings.chunk = clock() - start;
  if (!Array.isArray(chunks)) throw new ChunkwiseError('INVALID_ARGUMENT', `options.chunk must return an array of chunks, got ${typeof chunks}.`);
  const records: StoreRecord[] = chunksToRecords(source, chunks, (chunk) => ({ ...meta?.(chunk), contentHash, chunks: chunks.length }));

  if (embedder !== undefined && records.length > 0) {
    start = clock();
    for (let from = 0; from < records.length; from += embedBatch) {
      throwIfAborted(signal);
      const batch = records.slice(from, from + embedBatch);
      const vectors = await embedder.embed(
        batch.map((r, i) => (embedsMoreThanText(embedText) ? embeddingText({ chunk: chunks[from + i] as Chunk, source: text, meta: r.meta }, embedText) : r.text)),
        signal === undefined ? undefined : { signal },
      );
      if (!Array.isArray(vectors) || vectors.length !== batch.length) {
        throw new ChunkwiseError('UPSTREAM', `The embedder returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${batch.length} chunks of ${source}.`);
      }
      batch.forEach((record, i) => {
        const vector = vectors[i] as Float32Array;
        // A static embedder maps a chunk with no known word to the zero vector, which has no cosine
        // to anything: that chunk is stored without a vector (BM25 still finds it).
        if (vector.some((value) => value !== 0)) record.vector = vector;
      });
    }
    timings.embed = clock() - start;
  }

  throwIfAborted(signal);
  start = clock();
  const result = await store.replaceSource(source, records);
  timings.write += clock() - start;
  return { ...result, chunks: chunks.length, skipped: false, contentHash, timings };
}
