import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { ChunkwiseError } from '@chunkwise/core';
import { queueConnection, waitForReplicas, type RedisTarget } from './redis-target.js';
import type { SourceJob } from './source-job.js';

/**
 * Every key of the ingest queues starts with this. The braces are a Redis Cluster hash tag: all of
 * a queue's keys land in one slot, which BullMQ's multi-key scripts need on a cluster.
 */
export const QUEUE_PREFIX = '{chunkwise}';
export const DEFAULT_QUEUE_NAME = 'chunkwise-ingest';

/** A job's data: the source, how to chunk it, and which index it belongs to. */
export interface QueuedSource extends SourceJob {
  /** `indexIdentity` of the index that enqueued it; a worker of another index refuses the job. */
  index: string;
}

/** Retry policy of enqueued jobs: `attempts` runs in all, waiting backoffMs · 2^(n−1) before run n+1. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Counts a user watches from any machine, and the dead-letter list. */
export interface QueueStatus {
  /** Waiting (also while the queue is paused) or retrying after a backoff. */
  queued: number;
  active: number;
  done: number;
  /** Dead letters: jobs that failed permanently or ran out of attempts. */
  failed: number;
  dead: { source: string; reason: string; attempts: number }[];
}

/** A BullMQ queue and the connection it was given, which BullMQ leaves open on close(). */
export interface IngestQueue {
  queue: Queue<QueuedSource>;
  close(): Promise<void>;
}

export function openIngestQueue(target: RedisTarget, name: string): IngestQueue {
  const connection = queueConnection(target);
  const queue = new Queue<QueuedSource>(name, { connection, prefix: QUEUE_PREFIX });
  return {
    queue,
    async close() {
      await queue.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}

/**
 * The job id of a source's current version: the same file unchanged (path, size, mtime, chunking,
 * index) gives the same id, and BullMQ adds no second job under an id it holds, so enqueueing a
 * folder again only queues what changed. Hex only: BullMQ refuses ':' and plain integers in ids.
 */
async function jobIdOf(job: QueuedSource): Promise<string> {
  const info = await stat(job.path).catch((error: NodeJS.ErrnoException) => {
    throw new ChunkwiseError('NOT_FOUND', `Cannot read ${job.path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`, { cause: error });
  });
  const key = JSON.stringify([job.index, job.source, job.maxTokens, job.tokenizer, info.size, info.mtimeMs]);
  return `src-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** Enqueues the sources (in batches of 500) and waits until a replica holds them. Returns how many jobs are new. */
export async function enqueueSources(queue: Queue<QueuedSource>, jobs: readonly QueuedSource[], retry: RetryPolicy): Promise<{ added: number }> {
  let added = 0;
  for (let from = 0; from < jobs.length; from += 500) {
    const batch = jobs.slice(from, from + 500);
    const ids = await Promise.all(batch.map(jobIdOf));
    const known = await Promise.all(ids.map((id) => queue.getJob(id)));
    added += known.filter((job) => job === undefined).length;
    await queue.addBulk(
      batch.map((data, i) => ({
        name: 'source',
        data,
        opts: { jobId: ids[i] as string, attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs }, removeOnComplete: false, removeOnFail: false },
      })),
    );
  }
  await waitForReplicas(await queue.backend.client);
  return { added };
}

export async function queueStatus(queue: Queue<QueuedSource>, deadLimit = 100): Promise<QueueStatus> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'completed', 'failed');
  const failed = await queue.getFailed(0, deadLimit - 1);
  return {
    queued: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
    active: counts.active ?? 0,
    done: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    dead: failed.filter((job) => job !== undefined).map((job) => ({ source: job.data.source, reason: job.failedReason, attempts: job.attemptsMade })),
  };
}
