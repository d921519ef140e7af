import { ChunkwiseError, throwIfAborted, type Chunk, type Span, type Tokenizer } from '@chunkwise/core';
import { ChunkPlanner } from './chunk-planner.js';
import { chunkStream } from './chunk-stream.js';
import { resolveTokenizer } from '@chunkwise/tokenizers';
import { describeValue, optionsObject, validateCallOptions, validateLimits, validateText, validateTokenizerOption, type BaseChunkerOptions } from './chunk-options.js';
import { attachSituatedContext } from './situated-context.js';

export interface ChunkCallOptions {
  signal?: AbortSignal;
}

export interface ChunkStreamOptions extends ChunkCallOptions {
  /**
   * Characters of look-ahead kept past the chunks a stream emits (memory is about three windows).
   * Default `max(65,536, 64 × (maxTokens + contextTokens))`; it doubles by itself when one chunk is longer.
   */
  window?: number;
}

/** What every chunker offers. */
export interface Chunker {
  readonly maxTokens: number;
  readonly overlap: number;
  chunk(text: string, options?: ChunkCallOptions): Promise<Chunk[]>;
  /** Chunks an async (or sync) iterable of text pieces in bounded memory; offsets are global. */
  chunkStream(source: AsyncIterable<string> | Iterable<string>, options?: ChunkStreamOptions): AsyncIterable<Chunk>;
}

/**
 * A tokenizer object as is; `'characters'` for a character limit; any other string is an encoding
 * of `@chunkwise/tokenizers` (one resolver for every package, loaded on first use, so
 * `import { RecursiveChunker }` costs no ranks). Unknown names are `INVALID_ARGUMENT`.
 */
export { resolveTokenizer };

/**
 * Shared plumbing: validation at the edge, lazy tokenizer, empty input, situated context and
 * streaming. A concrete chunker only decides where boundaries go (`chunkText`).
 */
export abstract class BaseChunker implements Chunker {
  readonly maxTokens: number;
  readonly overlap: number;
  readonly contextTokens: number;
  private readonly tokenizerOption: Tokenizer | string | undefined;

  constructor(options: BaseChunkerOptions) {
    const { maxTokens, overlap = 0, contextTokens = 0 } = optionsObject(options, `${new.target.name}`) as Partial<BaseChunkerOptions>;
    validateTokenizerOption(options.tokenizer);
    validateLimits(maxTokens as number, overlap);
    if (!Number.isInteger(contextTokens) || contextTokens < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `contextTokens must be a non-negative integer, got ${String(contextTokens)}.`);
    }
    this.maxTokens = maxTokens as number;
    this.overlap = overlap;
    this.contextTokens = contextTokens;
    this.tokenizerOption = options.tokenizer;
  }

  /** The tokenizer this chunker measures with (loaded on first call). */
  tokenizer(): Promise<Tokenizer> {
    return resolveTokenizer(this.tokenizerOption);
  }

  async chunk(text: string, options: ChunkCallOptions = {}): Promise<Chunk[]> {
    validateText(text);
    validateCallOptions(options);
    throwIfAborted(options.signal);
    if (text.length === 0) return [];
    const planner = new ChunkPlanner(text, await this.tokenizer());
    const chunks = await this.chunkText(planner, options);
    if (this.contextTokens > 0) attachSituatedContext(chunks, planner, this.contextTokens);
    return chunks;
  }

  chunkStream(source: AsyncIterable<string> | Iterable<string>, options: ChunkStreamOptions = {}): AsyncIterable<Chunk> {
    return chunkStream(this, source, options);
  }

  /**
   * For `chunkStream`: the chunks `chunk(text)` would give from `from` on, where `from` is the end
   * of a chunk already emitted and `previousStart` that chunk's start (both in `text`, which keeps
   * some text before them for overlap and context), or undefined when this chunker's boundaries
   * are not determined by the text after a chunk end (syntax trees, markdown fences, embeddings).
   */
  async chunkWindow(text: string, from: number, previousStart: number | undefined, options: ChunkCallOptions = {}): Promise<ChunkWindow | undefined> {
    if (!this.resumable()) return undefined;
    validateText(text, 'chunkWindow()');
    validateCallOptions(options);
    if (!Number.isInteger(from) || from < 0 || from > text.length || (previousStart !== undefined && (!Number.isInteger(previousStart) || previousStart < 0 || previousStart > from))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `chunkWindow() takes 0 <= previousStart <= from <= text.length, got from ${describeValue(from)} and previousStart ${describeValue(previousStart)}.`);
    }
    throwIfAborted(options.signal);
    if (from >= text.length) return { chunks: [], restartPoint: (position) => position, resumesAt: () => true };
    const planner = new ChunkPlanner(text, await this.tokenizer());
    const chunks = this.chunkFrom(planner, from, previousStart);
    if (this.contextTokens > 0) attachSituatedContext(chunks, planner, this.contextTokens);
    return { chunks, restartPoint: planner.restartPoint, resumesAt: (position) => planner.spanEnds.has(position) };
  }

  /** True when `chunkFrom` gives, from any chunk end on, what chunking the whole text gives there. */
  protected resumable(): boolean {
    return false;
  }

  /** Chunks from `from` on (see `chunkWindow`); chunkers that are `resumable` implement it. */
  protected chunkFrom(planner: ChunkPlanner, from: number, previousStart: number | undefined): Chunk[] {
    throw new ChunkwiseError('UNSUPPORTED', `${this.constructor.name} cannot resume chunking at a chunk end.`, { details: { from, previousStart, length: planner.text.length } });
  }

  protected abstract chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Chunk[] | Promise<Chunk[]>;
}

/** The chunk a resumed window follows: it started at `previousStart` and ended at `from`. */
export function previousChunk(from: number, previousStart: number | undefined): Span | undefined {
  return previousStart === undefined ? undefined : { start: previousStart, end: from };
}

/** What `BaseChunker.chunkWindow` returns. */
export interface ChunkWindow {
  chunks: Chunk[];
  /** The last position `<= position` from which re-tokenizing reproduces the tokens of this window's pass. */
  restartPoint(position: number): number;
  /** True when chunking can resume at this chunk end (`chunkWindow(…, from: end)`) and give the same chunks. */
  resumesAt(end: number): boolean;
}
