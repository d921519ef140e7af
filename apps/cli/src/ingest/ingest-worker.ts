import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Store } from '@chunkwise/retrieval';
import type { EmbedderSpec } from '../embedder-option.js';
import { UsageError, describeError } from '../errors.js';
import { printNote } from '../output.js';
import { openIngestEmbedder, workerEmbedder, type IngestEmbedder } from './ingest-embedder.js';
import { QUEUE_PREFIX, openIngestQueue, type QueuedSource } from './ingest-queue.js';
import { indexIdentity, openIngestIndex } from './ingest-store.js';
import { parseRedisTarget, queueConnection } from './redis-target.js';
import { isPermanentFailure, runSourceJob, type SourceJobResult } from './source-job.js';

export interface WorkerOptions {
  db: string;
  table?: string;
  queue: string;
  queueName: string;
  /** Parsed by the CLI's one parser; left out, the index's recorded embedder (if any) is used. */
  embedder?: EmbedderSpec;
  cache?: string;
  cacheNamespace: string;
  concurrency: number;
  maxBytes: number;
  lockMs: number;
  exitWhenIdle?: boolean;
}

/** What one worker did, printed when it stops: the figures behind docs/benchmarks.md's ingest table. */
export interface WorkerSummary {
  index: string;
  jobs: { done: number; skipped: number; failed: number; retried: number };
  chunks: number;
  /** Texts this worker's model computed (content-cache misses). */
  embedded: number;
  /** Milliseconds inside jobs, per step, summed over jobs. */
  timings: { read: number; hash: number; chunk: number; embed: number; write: number; ack: number };
  /** From the first job's start to the last job's end, and from start-up to exit. */
  busyMs: number;
  wallMs: number;
  /** When the first job started and the last one ended (ms since the epoch; 0 without jobs), to add up several workers. */
  firstJobAt: number;
  lastJobAt: number;
}

const IDLE_POLL_MS = 500;

/**
 * Runs a BullMQ worker on the ingest queue until interrupted (SIGINT/SIGTERM: the jobs in progress
 * finish first) or, with `exitWhenIdle`, until no job is waiting, retrying or active anywhere.
 * A job that fails on bad input (not UTF-8, over-size, missing) fails at once into the dead-letter
 * list; other failures are retried with the backoff the job was enqueued with. A worker that dies
 * stops renewing its job's lock and the job runs again elsewhere after `lockMs`; the rerun finds
 * whatever the dead worker committed (ingestSource is idempotent by content hash).
 */
export async function runIngestWorker(options: WorkerOptions, run: { quiet: boolean; signal: AbortSignal }): Promise<WorkerSummary> {
  const started = performance.now();
  const target = parseRedisTarget(options.queue, '--queue');
  const index = indexIdentity(options.db, options.table);
  // Load the model before taking jobs: a long synchronous load would hold up lock renewals.
  const ingest = await openIngestIndex(options.db, { ...(options.table !== undefined && { table: options.table }), connections: options.concurrency });
  let embedder: IngestEmbedder | undefined;
  let store: Store;
  try {
    if (ingest.kind === 'sqlite' && options.embedder !== undefined) throw new UsageError('a SQLite --db with an embedder is not supported by workers yet; use a postgres:// index.');
    // The index's recorded embedder, or this one recorded with it: settled before any job runs.
    const loaded = await workerEmbedder(ingest, options.embedder);
    if (loaded) embedder = await openIngestEmbedder(loaded, options.cache, options.cacheNamespace);
    store = await ingest.open(embedder?.embedder.dimensions);
  } catch (error) {
    await embedder?.close();
    await ingest.close();
    throw error;
  }
  const summary: WorkerSummary = { index, jobs: { done: 0, skipped: 0, failed: 0, retried: 0 }, chunks: 0, embedded: 0, timings: { read: 0, hash: 0, chunk: 0, embed: 0, write: 0, ack: 0 }, busyMs: 0, wallMs: 0, firstJobAt: 0, lastJobAt: 0 };
  let firstStart: number | undefined;
  let lastEnd = 0;
  let running = 0;
  const note = (text: string) => {
    if (!run.quiet) printNote(text);
  };

  const processor = async (job: Job<QueuedSource>): Promise<Omit<SourceJobResult, 'timings'>> => {
    if (firstStart === undefined) {
      firstStart = performance.now();
      summary.firstJobAt = Date.now();
    }
    running++;
    try {
      if (job.data.index !== index) {
        throw new UnrecoverableError(`this job belongs to the index ${job.data.index}, but this worker writes ${index}; give each index its own --queue-name.`);
      }
      const result = await runSourceJob(job.data, {
        store,
        maxBytes: options.maxBytes,
        signal: run.signal,
        ...(embedder && { embedder: embedder.embedder, embedderName: embedder.name }),
      });
      const flushed = performance.now();
      // Acknowledge only what a failover cannot take back: the embeddings reached a replica.
      await embedder?.flush();
      summary.timings.ack += performance.now() - flushed;
      summary.timings.read += result.readMs;
      for (const step of ['hash', 'chunk', 'embed', 'write'] as const) summary.timings[step] += result.timings[step];
      summary.chunks += result.chunks;
      summary.jobs.done++;
      if (result.skipped) summary.jobs.skipped++;
      const { timings: _timings, ...rest } = result;
      return rest;
    } catch (error) {
      if (error instanceof UnrecoverableError) throw error;
      if (isPermanentFailure(error)) throw new UnrecoverableError(describeError(error));
      summary.jobs.retried++;
      throw error;
    } finally {
      running--;
      lastEnd = performance.now();
      summary.lastJobAt = Date.now();
    }
  };

  const connection = queueConnection(target);
  const worker = new Worker<QueuedSource>(options.queueName, processor, {
    connection,
    prefix: QUEUE_PREFIX,
    concurrency: options.concurrency,
    lockDuration: options.lockMs,
    stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
    // A job can stall more than once when its worker dies and a failover follows.
    maxStalledCount: 3,
  });
  worker.on('failed', (job, error) => {
    if (job && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1))) {
      summary.jobs.failed++;
      note(`worker: ${job.data.source} failed for good: ${error.message}\n`);
    }
  });
  // Connection errors (a failover) are retried by the client; the job's lock and retries cover the rest.
  worker.on('error', () => {});

  const watcher = options.exitWhenIdle ? openIngestQueue(target, options.queueName) : undefined;
  try {
    await new Promise<void>((resolve) => {
      run.signal.addEventListener('abort', () => resolve(), { once: true });
      if (!watcher) return;
      let idleRounds = 0;
      const poll = async () => {
        if (run.signal.aborted) return;
        try {
          const counts = await watcher.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active');
          const pending = Object.values(counts).reduce((sum, n) => sum + n, 0);
          idleRounds = pending === 0 && running === 0 ? idleRounds + 1 : 0;
        } catch {
          idleRounds = 0; // Redis unreachable (a failover): not idle, ask again.
        }
        // Twice in a row: a job between "taken" and "active" is never mistaken for the end.
        if (idleRounds >= 2) resolve();
        else setTimeout(() => void poll(), IDLE_POLL_MS);
      };
      void poll();
    });
  } finally {
    await worker.close();
    // BullMQ leaves a connection it was given open.
    connection.disconnect();
    await watcher?.close();
    await embedder?.close();
    await ingest.close();
  }
  summary.embedded = embedder?.computed() ?? 0;
  summary.busyMs = firstStart === undefined ? 0 : lastEnd - firstStart;
  summary.wallMs = performance.now() - started;
  return summary;
}
