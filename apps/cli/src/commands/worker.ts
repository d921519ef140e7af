import { Option, type Command } from 'commander';
import { EMBEDDER_HELP, parseEmbedderSpec } from '../embedder-option.js';
import { integerOption } from '../flags.js';
import { DEFAULT_QUEUE_NAME } from '../ingest/ingest-queue.js';
import { runIngestWorker, type WorkerOptions } from '../ingest/ingest-worker.js';
import { withInterrupts } from '../interrupt.js';
import { print, writeJson, type GlobalOptions } from '../output.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('process the sources `chunkwise index --queue` enqueued: read, chunk, embed through the shared cache, replace each source in one transaction, acknowledge')
    .requiredOption('--db <url>', 'the index to write: postgres://user:pass@host/db (the same database and table as the index command)')
    .option('--table <name>', 'table of the postgres:// index (default chunkwise_records)')
    .requiredOption('--queue <url>', 'the job queue: redis://host:port or redis+cluster://host:port[,host:port…]')
    .option('--queue-name <name>', 'name of the queue (the one `index --queue-name` used)', DEFAULT_QUEUE_NAME)
    .addOption(
      new Option(
        '--embedder <spec>',
        `embed every chunk and record the embedder with the index (the first worker records it; a worker with another one is refused; left out, the index's recorded one is used): ${EMBEDDER_HELP}. GloVe in workers keeps the SIF weights of the vocabulary-rank prior (no worker sees the whole corpus)`,
      ).argParser((value: string) => parseEmbedderSpec(value)),
    )
    .option('--cache <url|file>', 'content cache for embeddings, shared by workers: redis://…, redis+cluster://… or a SQLite file')
    .option('--cache-namespace <name>', 'key prefix of the embeddings in the cache', 'chunkwise-embeddings')
    .addOption(integerOption('--concurrency <n>', 'sources processed at once by this worker', { min: 1, max: 64, default: 1 }))
    .addOption(integerOption('--max-bytes <n>', 'files larger than this go to the dead-letter list unread', { min: 1, default: 64 * 1024 * 1024 }))
    .addOption(integerOption('--lock-ms <n>', 'a job whose worker died (no lock renewal) runs again after this many milliseconds', { min: 1000, default: 30_000 }))
    .addOption(new Option('--exit-when-idle', 'exit once nothing is queued, retrying or running anywhere (for batch jobs and tests)'))
    .action(async (options: WorkerOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      let interrupted: unknown;
      const summary = await withInterrupts(async (signal) => {
        const result = await runIngestWorker(options, { quiet: globals.quiet === true || globals.json === true, signal });
        interrupted = signal.aborted ? signal.reason : undefined;
        return result;
      });
      if (globals.json) writeJson(summary);
      else {
        const { jobs, chunks, embedded, wallMs } = summary;
        print(`worker: ${jobs.done} sources done (${jobs.skipped} unchanged), ${jobs.failed} failed, ${chunks} chunks, ${embedded} texts embedded, ${(wallMs / 1000).toFixed(1)} s\n`);
      }
      // Stopped by SIGINT/SIGTERM after the jobs in progress: exit 130/143 as every command does.
      if (interrupted !== undefined) throw interrupted;
    });
}
