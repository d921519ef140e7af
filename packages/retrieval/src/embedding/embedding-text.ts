import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import { describeValue, optionsObject, requireArray } from '../argument-checks.js';

/** What goes into the embedder for a chunk besides its own text. BM25 always indexes the plain chunk text. */
export interface EmbeddingTextOptions {
  /**
   * SitEmb (arXiv 2508.01959): embed the chunk inside its situated window, the text
   * `source.slice(meta.context.start, meta.context.end)` that a chunker made with `contextTokens`
   * attaches (the window contains the chunk). The hit and its citation stay the chunk itself.
   */
  situated?: boolean;
  /**
   * Metadata prefix fusion (Enterprise metadata RAG): these metadata keys, in this order, written as
   * `key: value; key: value` on a line before the text. Keys without a value (missing, null or
   * empty) are left out; with none left there is no prefix line.
   */
  metadataPrefix?: readonly string[];
}

export interface EmbeddingTextInput {
  /** The chunk: its text and, for `situated`, `meta.context = { start, end }`. */
  chunk: Pick<Chunk, 'text'> & { meta?: Readonly<Record<string, unknown>> | undefined };
  /** The whole text the chunk's offsets point into; needed for `situated`. */
  source?: string;
  /** The metadata the prefix is read from (a record's meta: title, section, source…). */
  meta?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The exact text embedded for a chunk:
 *
 *     [key: value; key: value\n]  (metadataPrefix, keys with a value)
 *     body                        (situated ? the window source.slice(context.start, context.end) : chunk.text)
 *
 * With neither option it is `chunk.text`, unchanged. Queries are embedded as they are.
 */
export function embeddingText(input: EmbeddingTextInput, options: EmbeddingTextOptions = {}): string {
  const { situated = false, metadataPrefix } = checkEmbeddingTextOptions(options);
  if (input === null || typeof input !== 'object' || input.chunk === null || typeof input.chunk !== 'object' || typeof input.chunk.text !== 'string') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'embeddingText needs { chunk: { text, meta? }, source?, meta? }.');
  }
  const body = situated ? situatedWindow(input) : input.chunk.text;
  const prefix = metadataPrefix === undefined ? '' : prefixLine(metadataPrefix, input.meta ?? {});
  return prefix === '' ? body : `${prefix}\n${body}`;
}

/** Validates embedding-text options once (callers embedding many chunks check them up front). */
export function checkEmbeddingTextOptions(options: EmbeddingTextOptions | undefined): EmbeddingTextOptions {
  const checked = optionsObject(options, 'Embedding text options');
  if (checked.situated !== undefined && typeof checked.situated !== 'boolean') throw new ChunkwiseError('INVALID_ARGUMENT', `situated must be true or false, got ${describeValue(checked.situated)}.`);
  if (checked.metadataPrefix !== undefined) {
    for (const key of requireArray<unknown>(checked.metadataPrefix, 'metadataPrefix')) {
      if (typeof key !== 'string' || key === '') throw new ChunkwiseError('INVALID_ARGUMENT', `metadataPrefix lists metadata keys (non-empty strings), got ${describeValue(key)}.`);
    }
  }
  return checked;
}

/** True when the options change what is embedded (so it belongs in a content hash). */
export function embedsMoreThanText(options: EmbeddingTextOptions | undefined): boolean {
  return options !== undefined && (options.situated === true || (options.metadataPrefix?.length ?? 0) > 0);
}

function situatedWindow({ chunk, source }: EmbeddingTextInput): string {
  const context = chunk.meta?.context as { start?: unknown; end?: unknown } | undefined;
  if (context === null || typeof context !== 'object' || !Number.isInteger(context.start) || !Number.isInteger(context.end)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'Situated embeddings need chunks with meta.context: chunk with the contextTokens option (e.g. contextTokens: 128).');
  }
  if (typeof source !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'Situated embeddings need the source text the chunk offsets point into.');
  const start = context.start as number;
  const end = context.end as number;
  if (start < 0 || end < start || end > source.length) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `meta.context { start: ${start}, end: ${end} } is outside the source text (${source.length} characters).`);
  }
  return source.slice(start, end);
}

function prefixLine(keys: readonly string[], meta: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const key of keys) {
    const value = meta[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `The metadata prefix writes strings, numbers and booleans; "${key}" is ${describeValue(value)}.`);
    }
    // A value on one line: the prefix is one line, so a newline inside it would read as the text.
    parts.push(`${key}: ${String(value).replace(/\s+/g, ' ').trim()}`);
  }
  return parts.join('; ');
}
