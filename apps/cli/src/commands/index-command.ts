import type { Command } from 'commander';
import { RecursiveChunker } from '@chunkwise/chunking';
import { chunksToRecords } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import { UsageError } from '../errors.js';
import { readInput } from '../input.js';
import { writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';

interface IndexOptions {
  db: string;
  maxTokens: string;
}

export function registerIndex(program: Command): void {
  program
    .command('index')
    .description('chunk files and add them to a SQLite search index (exact BM25)')
    .argument('<files...>', 'UTF-8 text or Markdown files')
    .requiredOption('--db <path>', 'SQLite index file (created if missing)')
    .option('-m, --max-tokens <n>', 'chunk size limit (o200k tokens)', '512')
    .action(async (files: string[], options: IndexOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (!/^\d+$/.test(options.maxTokens) || Number(options.maxTokens) < 1) {
        throw new UsageError(`--max-tokens must be a positive integer, got ${JSON.stringify(options.maxTokens)}.`);
      }
      const chunker = new RecursiveChunker({ maxTokens: Number(options.maxTokens), recipe: 'markdown' });
      const store = SqliteStore.open(options.db);
      const ui = new ProgressUI({ quiet: globals.quiet === true || globals.json === true });
      const indexed: { file: string; chunks: number }[] = [];
      try {
        for (const [i, file] of files.entries()) {
          const input = await readInput(file);
          const chunks = await chunker.chunk(input.text);
          // One transaction per file: a file is either fully indexed or not at all.
          await store.upsert(chunksToRecords(input.name, chunks));
          indexed.push({ file: input.name, chunks: chunks.length });
          ui.onProgress({ stage: 'index', done: i + 1, total: files.length, unit: 'files' });
        }
      } finally {
        ui.stop();
      }
      const total = await store.count();
      await store.close();
      if (globals.json) {
        writeJson({ db: options.db, files: indexed, records: total });
        return;
      }
      for (const { file, chunks } of indexed) process.stdout.write(`${file}: ${chunks} chunks\n`);
      process.stdout.write(`${options.db}: ${total} chunks in the index\n`);
    });
}
