import type { Command } from 'commander';
import {
  STRATEGIES,
  SemanticChunker,
  codeLanguageForFile,
  createChunker,
  summarizeChunks,
  type BaseChunkerOptions,
  type ChunkSizeSummary,
  type Chunker,
} from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { addTokenizerOption } from '../tokenizer-option.js';
import { readInput } from '../input.js';
import { jsonLine, print, writeJson, type GlobalOptions } from '../output.js';
import { ProgressUI } from '../progress-ui.js';

interface ChunkOptions {
  strategy: string;
  maxTokens: number;
  overlap: number;
  tokenizer: string;
  context: number;
  language?: string;
  embeddingModel?: string;
  jsonl?: boolean;
}

/** What `--strategy` accepts: the model-free strategies plus those that need an embedding model. */
const CLI_STRATEGIES = [...STRATEGIES, 'semantic', 'late'];

const LATE_UNAVAILABLE =
  'the late strategy pools token-level embeddings of the whole document (a TokenEmbedder, e.g. a long-context model such as jina-embeddings-v3), and no Chunkwise provider returns token-level vectors yet; use LateChunker from @chunkwise/chunking with your own TokenEmbedder.';

const SEMANTIC_NEEDS_MODEL =
  'the semantic strategy needs an embedding model, and Chunkwise ships none (nothing is ever downloaded): pass --embedding-model <dir>, a local transformers.js model folder (config.json, tokenizer.json, onnx/model.onnx).';

export function registerChunk(program: Command): void {
  const command = program
    .command('chunk')
    .description('split a text into chunks with exact offsets and a hard token limit')
    .argument('<file>', 'UTF-8 text or Markdown file, or - for stdin')
    .option('-s, --strategy <name>', `one of ${CLI_STRATEGIES.join(', ')}`, 'recursive')
    .addOption(integerOption('-m, --max-tokens <n>', 'hard limit per chunk, overlap included', { min: 1, default: 512 }))
    .addOption(integerOption('--overlap <n>', 'tokens repeated from the previous chunk (below --max-tokens)', { min: 0, default: 0 }))
    .addOption(integerOption('--context <n>', 'attach meta.context: a window of about n tokens on each side', { min: 0, default: 0 }))
    .option('--language <name>', 'code: grammar name or extension (typescript, py, …); default from the file name')
    .option('--embedding-model <dir>', 'semantic: local transformers.js model folder')
    .option('--jsonl', 'one JSON chunk per line on stdout');
  addTokenizerOption(command, { description: 'tokenizer that counts --max-tokens' }).action(async (file: string, options: ChunkOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const { strategy } = options;
    if (!CLI_STRATEGIES.includes(strategy)) {
      throw new UsageError(`--strategy must be one of ${CLI_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}.`);
    }
    if (strategy === 'late') throw new UsageError(LATE_UNAVAILABLE);
    if (strategy === 'semantic' && options.embeddingModel === undefined) throw new UsageError(SEMANTIC_NEEDS_MODEL);
    if (options.language !== undefined && strategy !== 'code') throw new UsageError('--language applies to --strategy code only.');
    if (options.embeddingModel !== undefined && strategy !== 'semantic') throw new UsageError('--embedding-model applies to --strategy semantic only.');
    const { maxTokens, overlap, context: contextTokens } = options;
    const base: BaseChunkerOptions = { tokenizer: options.tokenizer, maxTokens, overlap, contextTokens };
    const chunker = await chunkerFor(strategy, base, file, options);
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
      print(chunks.map((chunk) => jsonLine(chunk) + '\n').join(''));
      return;
    }
    if (globals.json) {
      writeJson({ source: input.name, strategy: options.strategy, tokenizer: options.tokenizer, maxTokens, overlap, summary, chunks });
      return;
    }
    print(renderSummary(input.name, options.strategy, maxTokens, summary));
  });
}

async function chunkerFor(strategy: string, base: BaseChunkerOptions, file: string, options: ChunkOptions): Promise<Chunker> {
  if (strategy === 'semantic') {
    // Loaded only here: transformers.js is an optional peer of @chunkwise/providers.
    const { transformersEmbedder } = await import('@chunkwise/providers/transformers');
    return new SemanticChunker({ ...base, embedder: transformersEmbedder({ modelPath: options.embeddingModel ?? '' }) });
  }
  if (strategy === 'code') {
    const language = options.language ?? (file === '-' ? undefined : codeLanguageForFile(file));
    return createChunker(strategy, { ...base, ...(language === undefined ? {} : { language }) });
  }
  return createChunker(strategy, base);
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
