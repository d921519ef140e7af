import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { describeValue, optionalNumber, type BaseChunkerOptions } from './chunk-options.js';
import type { Chunker } from './chunker.js';
import { CodeChunker } from './code-chunker.js';
import type { GrammarSource } from './code-grammars.js';
import { MarkdownChunker } from './markdown-chunker.js';
import { OptimalChunker } from './optimal-chunker.js';
import { PerplexityChunker } from './perplexity-chunker.js';
import { RecursiveChunker } from './recursive-chunker.js';
import { SentenceChunker } from './sentence-chunker.js';
import { TokenChunker } from './token-chunker.js';

/** One chunking strategy, as a command line, a config file or a settings screen offers it. */
export interface StrategyInfo {
  readonly name: string;
  /** The class that implements it. */
  readonly className: string;
  /** One line for a `--help` text or a select box. */
  readonly description: string;
  /** What a name alone cannot supply: an `Embedder` (semantic) or a `TokenEmbedder` (late). */
  readonly needs?: 'embedder' | 'token-embedder';
  /** Options it takes beyond `BaseChunkerOptions` (`tokenizer`, `maxTokens`, `overlap`, `contextTokens`), each with its meaning. */
  readonly options: Readonly<Record<string, string>>;
}

/** Every chunking strategy, in the order a menu lists them. */
export const CHUNKING_STRATEGIES = [
  { name: 'recursive', className: 'RecursiveChunker', description: 'paragraphs, then lines, sentences, words (the default)', options: { recipe: "'plain' (default), 'markdown', or your own levels" } },
  { name: 'markdown', className: 'MarkdownChunker', description: 'Markdown sections by heading; fences, tables and lists whole when they fit; meta.headings', options: {} },
  { name: 'sentence', className: 'SentenceChunker', description: 'whole sentences packed up to the limit', options: {} },
  { name: 'token', className: 'TokenChunker', description: 'fixed token windows', options: {} },
  {
    name: 'code',
    className: 'CodeChunker',
    description: 'source code by syntax tree (functions, classes, members), else by lines',
    options: { language: 'grammar name or file extension (typescript, py, …)', grammar: "the grammar's .wasm bytes or path" },
  },
  {
    name: 'semantic',
    className: 'SemanticChunker',
    description: 'cuts where the embedding similarity of neighbouring sentences drops',
    needs: 'embedder',
    options: { embedder: 'an Embedder', windowSize: 'sentences embedded together (3)', smoothing: 'moving-average width (3)', threshold: "number, { percentile }, or 'auto'", skipWindow: 'groups a merge may skip (1)' },
  },
  {
    name: 'late',
    className: 'LateChunker',
    description: 'late chunking: token vectors of the whole document pooled per chunk (meta.embedding)',
    needs: 'token-embedder',
    options: { embedder: 'a TokenEmbedder', chunker: 'where boundaries come from (recursive)', windowOverlap: 'tokens shared by embedding windows' },
  },
  {
    name: 'optimal',
    className: 'OptimalChunker',
    description: 'boundaries chosen by dynamic programming in cohesion valleys',
    options: { minTokens: 'penalised below (maxTokens / 4)', lengthPenalty: 'λ (0.5)', blockSize: 'TextTiling block (2)', embedder: 'optional Embedder', queries: 'likely questions (with embedder)' },
  },
  {
    name: 'perplexity',
    className: 'PerplexityChunker',
    description: 'Meta-Chunking: cuts at perplexity minima (built-in bigram model, or a LanguageModel)',
    options: { model: 'a LanguageModel with logprobs()', threshold: "minimum drop θ, or 'dynamic'" },
  },
] as const satisfies readonly StrategyInfo[];

export type StrategyName = (typeof CHUNKING_STRATEGIES)[number]['name'];

/** Strategies that need no model: the names `createChunker` builds (what a command line or a config file can name alone). */
export const STRATEGIES = CHUNKING_STRATEGIES.filter((info) => !('needs' in info)).map((info) => info.name) as readonly Strategy[];
export type Strategy = Exclude<StrategyName, 'semantic' | 'late'>;

export interface CreateChunkerOptions extends BaseChunkerOptions {
  /** For `code`: the language (or file extension) whose grammar to load; lines without one. */
  language?: string;
  /** For `code`: the grammar's `.wasm` bytes or path. */
  grammar?: GrammarSource;
}

/** A chunker by strategy name (semantic and late chunking need an embedder: construct those directly). */
export function createChunker(strategy: string, options: CreateChunkerOptions): Chunker {
  if (typeof strategy !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `createChunker() takes a strategy name, got ${describeValue(strategy)}.`);
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `createChunker() takes an options object, got ${describeValue(options)}.`);
  const { language, grammar, ...base } = options;
  const info: StrategyInfo | undefined = CHUNKING_STRATEGIES.find((candidate) => candidate.name === strategy);
  if (info?.needs) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `The ${strategy} strategy needs ${info.needs === 'embedder' ? 'an Embedder' : 'a TokenEmbedder'} (embedding model), which a strategy name cannot supply: construct ${info.className} with one.`,
      { details: { strategy } },
    );
  }
  if (strategy !== 'code' && (language !== undefined || grammar !== undefined)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `language and grammar apply to the code strategy only, not ${JSON.stringify(strategy)}.`, {
      details: { strategy },
    });
  }
  switch (strategy) {
    case 'code':
      return new CodeChunker({ ...base, ...(language !== undefined ? { language } : {}), ...(grammar !== undefined ? { grammar } : {}) });
    case 'token':
      return new TokenChunker(base);
    case 'sentence':
      return new SentenceChunker(base);
    case 'recursive':
      return new RecursiveChunker(base);
    case 'markdown':
      return new MarkdownChunker(base);
    case 'perplexity':
      return new PerplexityChunker(base);
    case 'optimal':
      return new OptimalChunker(base);
    default:
      throw new ChunkwiseError('INVALID_ARGUMENT', `Unknown strategy ${JSON.stringify(strategy)}; expected one of ${STRATEGIES.join(', ')}.`, {
        details: { strategy },
      });
  }
}

export interface ChunkSizeSummary {
  count: number;
  tokens: { min: number; max: number; mean: number; total: number };
  /** Token-count buckets `[from, to]`, equal width up to `maxTokens`. */
  histogram: { from: number; to: number; count: number }[];
}

/** Count, token statistics and an equal-width size histogram of `chunks` (for reports). */
export function summarizeChunks(chunks: readonly Chunk[], maxTokens: number, buckets = 8): ChunkSizeSummary {
  if (!Array.isArray(chunks) || !chunks.every((chunk: unknown) => typeof (chunk as Partial<Chunk> | null)?.tokenCount === 'number')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `summarizeChunks() takes an array of chunks, got ${describeValue(chunks)}.`);
  }
  optionalNumber(maxTokens, 'maxTokens', { integer: true, min: 1 });
  if (maxTokens === undefined) throw new ChunkwiseError('INVALID_ARGUMENT', 'summarizeChunks() needs maxTokens, the limit the histogram spans.');
  // A histogram is for reading: more than 10,000 buckets is a mistake (and 1e9 would never return).
  optionalNumber(buckets, 'buckets', { integer: true, min: 1, max: 10_000 });
  const width = Math.max(1, Math.ceil(maxTokens / buckets));
  const histogram = Array.from({ length: buckets }, (_, i) => ({ from: i * width + (i === 0 ? 0 : 1), to: Math.min(maxTokens, (i + 1) * width), count: 0 }));
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (const chunk of chunks) {
    min = Math.min(min, chunk.tokenCount);
    max = Math.max(max, chunk.tokenCount);
    total += chunk.tokenCount;
    const bucket = histogram[Math.min(buckets - 1, Math.max(0, Math.ceil(chunk.tokenCount / width) - 1))];
    if (bucket) bucket.count++;
  }
  return {
    count: chunks.length,
    tokens: { min: chunks.length === 0 ? 0 : min, max, mean: chunks.length === 0 ? 0 : total / chunks.length, total },
    histogram,
  };
}
