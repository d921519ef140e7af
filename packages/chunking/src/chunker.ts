import { ChunkwiseError, throwIfAborted, type Chunk, type Tokenizer } from '@chunkwise/core';
import { ChunkPlanner } from './chunk-planner.js';
import { chunkStream } from './chunk-stream.js';
import { characterTokenizer } from './character-tokenizer.js';
import { validateLimits, validateText, type BaseChunkerOptions } from './chunk-options.js';
import { attachSituatedContext } from './situated-context.js';

export interface ChunkCallOptions {
  signal?: AbortSignal;
}

/** What every chunker offers. */
export interface Chunker {
  readonly maxTokens: number;
  readonly overlap: number;
  chunk(text: string, options?: ChunkCallOptions): Promise<Chunk[]>;
  /** Chunks an async (or sync) iterable of text pieces in bounded memory; offsets are global. */
  chunkStream(source: AsyncIterable<string> | Iterable<string>, options?: ChunkCallOptions): AsyncIterable<Chunk>;
}

const loaded = new Map<string, Promise<Tokenizer>>();

/**
 * A tokenizer object as is; `'characters'` for a character limit; any other string is an encoding
 * of `@chunkwise/tokenizers`, imported on first use so `import { RecursiveChunker }` costs no ranks.
 */
export function resolveTokenizer(tokenizer: Tokenizer | string | undefined): Promise<Tokenizer> {
  if (tokenizer !== undefined && typeof tokenizer !== 'string') return Promise.resolve(tokenizer);
  const name = tokenizer ?? 'o200k_base';
  if (name === 'characters') return Promise.resolve(characterTokenizer);
  let pending = loaded.get(name);
  if (!pending) {
    pending = import('@chunkwise/tokenizers').then(({ getEncoding, isEncodingName, ENCODING_NAMES }) => {
      if (!isEncodingName(name)) {
        throw new ChunkwiseError(
          'INVALID_ARGUMENT',
          `Unknown tokenizer ${JSON.stringify(name)}; pass a Tokenizer object, 'characters', or one of ${ENCODING_NAMES.join(', ')}.`,
          { details: { tokenizer: name } },
        );
      }
      return getEncoding(name);
    });
    pending.catch(() => loaded.delete(name));
    loaded.set(name, pending);
  }
  return pending;
}

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
    const { maxTokens, overlap = 0, contextTokens = 0 } = options;
    validateLimits(maxTokens, overlap);
    if (!Number.isInteger(contextTokens) || contextTokens < 0) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `contextTokens must be a non-negative integer, got ${String(contextTokens)}.`);
    }
    this.maxTokens = maxTokens;
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
    throwIfAborted(options.signal);
    if (text.length === 0) return [];
    const planner = new ChunkPlanner(text, await this.tokenizer());
    const chunks = await this.chunkText(planner, options);
    if (this.contextTokens > 0) attachSituatedContext(chunks, planner, this.contextTokens);
    return chunks;
  }

  chunkStream(source: AsyncIterable<string> | Iterable<string>, options: ChunkCallOptions = {}): AsyncIterable<Chunk> {
    return chunkStream(this, source, options);
  }

  protected abstract chunkText(planner: ChunkPlanner, options: ChunkCallOptions): Chunk[] | Promise<Chunk[]>;
}
