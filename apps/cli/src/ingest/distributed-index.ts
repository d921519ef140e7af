import { Option, type Command } from 'commander';
import type { EmbedderSpec } from '../embedder-option.js';
import { UsageError } from '../errors.js';
import { checkSameEmbedder, readIndexEmbedder } from '../index-embedder.js';
import { integerOption } from '../flags.js';
import { collectSources } from '../index-sources.js';
import { print, printNote, writeJson, type GlobalOptions } from '../output.js';
import { openIndexSettings, redactDb } from '../store-target.js';
import { DEFAULT_QUEUE_NAME, enqueueSources, openIngestQueue, queueStatus, type QueuedSource, type QueueStatus } from './ingest-queue.js';
import { indexIdentity } from './ingest-store.js';
import { parseRedisTarget, redactRedis } from './redis-target.js';

/** The flags `index` takes for scale-out: a job queue, its status, and local worker threads. */
export interface ScaleOutOptions {
  db?: string;
  table?: string;
  maxTokens: number;
  tokenizer: string;
  prune?: boolean;
  /** With --queue: checked against the embedder the index records (the workers embed). */
  embedder?: EmbedderSpec;
  queue?: string;
  queueName: string;
  status?: boolean;
  workers: number;
  attempts: number;
  backoffMs: number;
  maxBytes: number;
}

export function addScaleOutOptions(command: Command): Command {
  return command
    .option('--queue <url>', 'enqueue the sources for `chunkwise worker` processes instead of indexing here: redis://host:port or redis+cluster://host:port[,…]')
    .option('--queue-name <name>', 'name of the job queue', DEFAULT_QUEUE_NAME)
    .addOption(new Option('--status', 'print the queue’s progress ({ queued, active, done, failed } and the dead-letter list) and exit; needs --queue'))
    .addOption(integerOption('--workers <n>', 'index with n worker threads (the code path of `chunkwise worker`)', { min: 1, max: 256, default: 1 }))
    .addOption(integerOption('--attempts <n>', 'with --queue: runs of a job before it goes to the dead-letter list', { min: 1, max: 100, default: 5 }))
    .addOption(integerOption('--backoff-ms <n>', 'with --queue: wait before the second run of a failed job, doubling after each', { min: 0, default: 2000 }))
    .addOption(integerOption('--max-bytes <n>', 'with --workers: files larger than this are refused', { min: 1, default: 64 * 1024 * 1024 }));
}

/**
 * `--status` and `--queue`, which replace indexing in this process; returns false when neither is
 * given (index here, with or without `--workers`). Otherwise checks the arguments indexing needs.
 */
export async function runQueueModes(paths: readonly string[], options: ScaleOutOptions, globals: GlobalOptions): Promise<boolean> {
  if (options.status) {
    if (options.queue === undefined) throw new UsageError('--status reads a job queue: add --queue redis://… (the one the sources were enqueued on).');
    const queue = openIngestQueue(parseRedisTarget(options.queue, '--queue'), options.queueName);
    try {
      printStatus(await queueStatus(queue.queue), globals);
    } finally {
      await queue.close();
    }
    return true;
  }
  if (paths.length === 0) throw new UsageError('index needs at least one file, folder, glob or - (stdin).');
  if (options.db === undefined) throw new UsageError("index needs --db: a SQLite file or postgres://… (required option '--db <path|url>' not specified).");
  if (options.queue === undefined) return false;
  if (options.prune) throw new UsageError('--prune works without --queue: run `chunkwise index <folders> --db … --prune` once the workers are done.');
  if (options.workers > 1) throw new UsageError('--workers starts threads here; with --queue, start `chunkwise worker` processes instead.');
  const target = parseRedisTarget(options.queue, '--queue');
  const index = indexIdentity(options.db, options.table);
  if (options.embedder !== undefined) await checkRecordedEmbedder(options.db, options.table, options.embedder);
  const { sources } = await collectSources(paths);
  if (sources.some((source) => source.path === undefined)) throw new UsageError('workers read sources by path: standard input (-) cannot be queued; index it without --queue.');
  const jobs: QueuedSource[] = sources.map((source) => ({ source: source.name, path: source.path as string, maxTokens: options.maxTokens, tokenizer: options.tokenizer, index }));
  const queue = openIngestQueue(target, options.queueName);
  try {
    const { added } = await enqueueSources(queue.queue, jobs, { attempts: options.attempts, backoffMs: options.backoffMs });
    const status = await queueStatus(queue.queue);
    if (globals.json) writeJson({ queue: redactRedis(options.queue), queueName: options.queueName, db: redactDb(options.db), index, sources: jobs.length, added, status });
    else {
      print(`${redactRedis(options.queue)}: ${added} new jobs for ${jobs.length} sources of ${index} (unchanged files are not queued again)\n`);
      printNote(`run \`chunkwise worker --db … --queue ${redactRedis(options.queue)}\` on any machine; watch with \`chunkwise index --status --queue ${redactRedis(options.queue)}\`\n`);
    }
  } finally {
    await queue.close();
  }
  return true;
}

/**
 * `index --queue --embedder X`: the workers embed, but an index that records another embedder is
 * refused here (DIMENSION_MISMATCH), before anything is queued, rather than by every worker.
 */
async function checkRecordedEmbedder(db: string, table: string | undefined, embedder: EmbedderSpec): Promise<void> {
  const index = await openIndexSettings(db, table);
  try {
    const record = await readIndexEmbedder(index);
    if (record !== undefined) checkSameEmbedder(record, embedder, index.label);
  } finally {
    await index.close();
  }
}

function printStatus(status: QueueStatus, globals: GlobalOptions): void {
  if (globals.json) {
    writeJson(status);
    return;
  }
  print(`queued ${status.queued}, active ${status.active}, done ${status.done}, failed ${status.failed}\n`);
  for (const dead of status.dead) print(`failed: ${dead.source} after ${dead.attempts} ${dead.attempts === 1 ? 'run' : 'runs'}: ${dead.reason}\n`);
}
