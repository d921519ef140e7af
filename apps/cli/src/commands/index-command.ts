import type { Command } from 'commander';
import { RecursiveChunker } from '@chunkwise/chunking';
import { chunksToRecords } from '@chunkwise/retrieval';
import { SqliteStore } from '@chunkwise/retrieval/sqlite';
import { integerOption } from '../flags.js';
import { readInput } from '../input.js';
import { print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';
import { addTokenizerOption } from '../tokenizer-option.js';

interface IndexOptions {
  db: string;
  maxTokens: number;
  tokenizer: string;
}

export function registerIndex(program: Command): void {
  const command = program
    .command('index')
    .description('chunk files and add them to a SQLite search index (exact BM25)')
    .argument('<files...>', 'UTF-8 text or Markdown files')
    .requiredOption('--db <path>', 'SQLite index file (created if missing)')
    .addOption(integerOption('-m, --max-tokens <n>', 'chunk size limit (tokens of --tokenizer)', { min: 1, default: 512 }));
  addTokenizerOption(command, { description: 'tokenizer that counts --max-tokens' })
    .action(async (files: string[], options: IndexOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const chunker = new RecursiveChunker({ maxTokens: options.maxTokens, tokenizer: options.tokenizer, recipe: 'markdown' });
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
      for (const { file, chunks } of indexed) print(`${file}: ${chunks} chunks\n`);
      print(`${options.db}: ${total} chunks in the index\n`);
    });
}
