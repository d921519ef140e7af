import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ChunkwiseError, isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { SourceSyncResult, Store, StoreRecord } from '@chunkwise/retrieval';
import type { IndexSource } from '../index-sources.js';
import type { SourceJobResult } from './source-job.js';
import { serializeError, type FromThread, type ThreadError, type ToThread } from './thread-messages.js';

export interface ThreadedIndexOptions {
  workers: number;
  maxTokens: number;
  tokenizer: string;
  /** Files larger than this are refused (LIMIT_EXCEEDED). */
  maxBytes: number;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
}

/** One indexed file, in the shape `chunkwise index` reports. */
export interface ThreadedIndexed extends Omit<SourceSyncResult, 'source'> {
  file: string;
  chunks: number;
}

// Built: dist/ingest-thread.js beside dist/main.js; from source: src/ingest/ingest-thread.ts.
const THREAD_URL = new URL(`./ingest-thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/** A thread running ingest-thread; from source it first registers tsx, whose hooks Node 20 does not pass on to threads. */
function startThread(workerData: { maxBytes: number }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(THREAD_URL, { workerData });
  // The ESM build of tsx's API (its CommonJS build fails to register from a thread).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(THREAD_URL.href)}); })`, { eval: true, workerData });
}

const rebuild = (error: ThreadError) => new ChunkwiseError(error.code, error.message, error.details === undefined ? {} : { details: error.details });

/**
 * `chunkwise index --workers N`: N worker threads each run the per-source job of `chunkwise worker`
 * (read, chunk, ingestSource), taking the next file when done; their store calls come back here,
 * to the one store this thread opened (SQLite takes one writer at a time anyway; a Postgres
 * connection queues them). A file found in a folder that is not UTF-8 is skipped, as without
 * threads; any other failure stops the run once the files in progress are written.
 */
export async function indexInThreads(store: Store, sources: readonly IndexSource[], options: ThreadedIndexOptions, skipped: { file: string; reason: string }[]): Promise<ThreadedIndexed[]> {
  const files = sources.filter((source): source is IndexSource & { path: string } => source.path !== undefined);
  if (files.length < sources.length) throw new ChunkwiseError('INVALID_ARGUMENT', '--workers indexes files; index standard input (-) without --workers.');
  const results: (ThreadedIndexed | undefined)[] = new Array<ThreadedIndexed | undefined>(files.length);
  let next = 0;
  let done = 0;
  let failure: unknown;
  const threads = Array.from({ length: Math.min(options.workers, Math.max(1, files.length)) }, () => startThread({ maxBytes: options.maxBytes }));
  try {
    await Promise.all(
      threads.map(
        (thread) =>
          new Promise<void>((resolve, reject) => {
            const send = (message: ToThread) => thread.postMessage(message);
            const dispatch = () => {
              if (failure !== undefined || options.signal.aborted || next >= files.length) return resolve();
              const seq = next++;
              const file = files[seq] as IndexSource & { path: string };
              send({ type: 'job', seq, job: { source: file.name, path: file.path, maxTokens: options.maxTokens, tokenizer: options.tokenizer } });
            };
            thread.on('error', reject);
            thread.on('exit', (code) => (code === 0 ? resolve() : reject(new ChunkwiseError('STORE', `An index worker thread exited with code ${code}.`))));
            thread.on('message', (message: FromThread) => {
              if (message.type === 'ready') dispatch();
              else if (message.type === 'call') {
                const [source, arg] = message.args as [string, unknown];
                const answer = message.method === 'get' ? store.get(source) : store.replaceSource(source, arg as StoreRecord[]);
                (answer as Promise<unknown>).then(
                  (value) => send({ type: 'answer', id: message.id, value }),
                  (error: unknown) => send({ type: 'answer', id: message.id, error: serializeError(error) }),
                );
              } else if (message.type === 'done') {
                const { source: file, added, updated, removed, unchanged, chunks } = message.result as SourceJobResult;
                results[message.seq] = { file, chunks, added, updated, removed, unchanged };
                options.onProgress(++done, files.length);
                dispatch();
              } else {
                const file = files[message.seq] as IndexSource;
                const error = rebuild(message.error);
                if (file.folder !== undefined && isChunkwiseError(error, 'INVALID_ARGUMENT')) skipped.push({ file: file.name, reason: 'not UTF-8 text' });
                else failure ??= error;
                options.onProgress(++done, files.length);
                dispatch();
              }
            });
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
  if (failure !== undefined) throw failure;
  throwIfAborted(options.signal);
  return results.filter((result): result is ThreadedIndexed => result !== undefined);
}
