import type { Command } from 'commander';
import { STRATEGIES, createChunker, summarizeChunks, type ChunkSizeSummary } from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import { UsageError } from '../errors.js';
import { readInput } from '../input.js';
import { writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';

interface ChunkOptions {
  strategy: string;
  maxTokens: string;
  overlap: string;
  tokenizer: string;
  context: string;
  jsonl?: boolean;
}

function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(value)}.`);
  return Number(value);
}

export function registerChunk(program: Command): void {
  program
    .command('chunk')
    .description('split a text into chunks with exact offsets and a hard token limit')
    .argument('<file>', 'UTF-8 text or Markdown file, or - for stdin')
    .option('-s, --strategy <name>', `one of ${STRATEGIES.join(', ')}`, 'recursive')
    .option('-m, --max-tokens <n>', 'hard limit per chunk, overlap included', '512')
    .option('--overlap <n>', 'tokens repeated from the previous chunk', '0')
    .option('-t, --tokenizer <name>', "encoding (o200k_base, cl100k_base, …) or 'characters'", 'o200k_base')
    .option('--context <n>', 'attach meta.context: a window of about n tokens on each side', '0')
    .option('--jsonl', 'one JSON chunk per line on stdout')
    .action(async (file: string, options: ChunkOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (!(STRATEGIES as readonly string[]).includes(options.strategy)) {
        throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(options.strategy)}.`);
      }
      const maxTokens = parseCount(options.maxTokens, '--max-tokens');
      const overlap = parseCount(options.overlap, '--overlap');
      const contextTokens = parseCount(options.context, '--context');
      const chunker = createChunker(options.strategy, { tokenizer: options.tokenizer, maxTokens, overlap, contextTokens });
      const input = await readInput(file);
      const ui = new ProgressUI({ quiet: globals.quiet === true || options.jsonl === true });
      let chunks: Chunk[];
      try {
        ui.onProgress({ stage: 'chunk', done: 0, total: input.text.length, unit: 'chars' });
        chunks = await chunker.chunk(input.text);
        ui.onProgress({ stage: 'chunk', done: input.text.length, total: input.text.length, unit: 'chars' });
      } finally {
        ui.stop();
      }
      const summary = summarizeChunks(chunks, maxTokens);
      if (options.jsonl) {
        for (const chunk of chunks) process.stdout.write(JSON.stringify(chunk) + '\n');
        return;
      }
      if (globals.json) {
        writeJson({ source: input.name, strategy: options.strategy, tokenizer: options.tokenizer, maxTokens, overlap, summary, chunks });
        return;
      }
      process.stdout.write(renderSummary(input.name, options.strategy, maxTokens, summary));
    });
}

function renderSummary(name: string, strategy: string, maxTokens: number, summary: ChunkSizeSummary): string {
  const widest = Math.max(1, ...summary.histogram.map((bucket) => bucket.count));
  return [
    '',
    `${name}: ${summary.count.toLocaleString('en-US')} chunks (${strategy}, max ${String(maxTokens)} tokens)`,
    `  tokens  min ${String(summary.tokens.min)}  mean ${summary.tokens.mean.toFixed(1)}  max ${String(summary.tokens.max)}  total ${summary.tokens.total.toLocaleString('en-US')}`,
    ...summary.histogram.map(
      (bucket) => `  ${`${String(bucket.from)}–${String(bucket.to)}`.padStart(11)}  ${'█'.repeat(Math.round((bucket.count / widest) * 30)).padEnd(30)} ${String(bucket.count)}`,
    ),
    '',
  ].join('\n');
}
