import { stat } from 'node:fs/promises';
import { RecursiveChunker } from '@chunkwise/chunking';
import { ChunkwiseError, isChunkwiseError, type Embedder } from '@chunkwise/core';
import { ingestSource, type IngestResult, type IngestTarget } from '@chunkwise/retrieval';
import { readInput } from '../input.js';

/** One source to index, as the `index` command enqueues it and any worker runs it. */
export interface SourceJob {
  /** The store's `meta.source`. */
  source: string;
  /** Where every worker reads it (a path on a disk all workers see). */
  path: string;
  maxTokens: number;
  tokenizer: string;
}

/** What a worker brings to every job: where to write, how to embed, what to refuse. */
export interface SourceJobContext {
  store: IngestTarget;
  embedder?: Embedder;
  /** Names the embedder in the content hash, so a change of model ingests every source again. */
  embedderName?: string;
  /** Files larger than this are refused (LIMIT_EXCEEDED) without being read. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** An ingest result plus the time spent reading the file. */
export interface SourceJobResult extends IngestResult {
  readMs: number;
}

const chunkers = new Map<string, RecursiveChunker>();

/** The `index` command's chunker (Markdown recipe), one per limit and tokenizer. */
function chunkerFor(job: SourceJob): RecursiveChunker {
  const key = `${job.maxTokens}|${job.tokenizer}`;
  let chunker = chunkers.get(key);
  if (!chunker) {
    chunker = new RecursiveChunker({ maxTokens: job.maxTokens, tokenizer: job.tokenizer, recipe: 'markdown' });
    chunkers.set(key, chunker);
  }
  return chunker;
}

/**
 * The one code path of a distributed or threaded ingest: read the file (refusing over-size and
 * non-UTF-8 files), then `ingestSource` (chunk, embed through the worker's cache, replaceSource,
 * idempotent by content hash). `chunkwise worker` runs it for BullMQ jobs and
 * `chunkwise index --workers N` in worker threads.
 */
export async function runSourceJob(job: SourceJob, context: SourceJobContext): Promise<SourceJobResult> {
  const started = performance.now();
  const size = (await stat(job.path).catch((error: NodeJS.ErrnoException) => {
    throw new ChunkwiseError('NOT_FOUND', `Cannot read ${job.path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`, { cause: error });
  })).size;
  if (size > context.maxBytes) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `${job.source} is ${size} bytes, over the worker's --max-bytes ${context.maxBytes}; split it or raise the limit.`, { details: { source: job.source, bytes: size } });
  }
  const { text } = await readInput(job.path);
  const readMs = performance.now() - started;
  const chunker = chunkerFor(job);
  const result = await ingestSource(context.store, job.source, text, {
    chunk: (input, options) => chunker.chunk(input, options),
    ...(context.embedder && { embedder: context.embedder }),
    settings: `recursive-markdown|${job.maxTokens}|${job.tokenizer}|${context.embedderName ?? 'bm25-only'}`,
    meta: () => ({ origin: 'file' }),
    ...(context.signal && { signal: context.signal }),
  });
  return { ...result, readMs };
}

/**
 * Errors that the same job would meet again on any worker: bad input (not UTF-8, over-size, a
 * missing file, a record the store refuses). They go to the dead-letter list at once; everything
 * else (a store or model server that is down, a timeout) is retried with backoff.
 */
export function isPermanentFailure(error: unknown): boolean {
  return isChunkwiseError(error, 'INVALID_ARGUMENT') || isChunkwiseError(error, 'LIMIT_EXCEEDED') || isChunkwiseError(error, 'NOT_FOUND') || isChunkwiseError(error, 'DIMENSION_MISMATCH');
}
