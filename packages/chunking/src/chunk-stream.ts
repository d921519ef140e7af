import { ChunkwiseError, throwIfAborted, type Chunk } from '@chunkwise/core';
import { validateCallOptions } from './chunk-options.js';
import type { ChunkCallOptions, Chunker, ChunkStreamOptions, ChunkWindow } from './chunker.js';

/** Characters kept in memory per token of `maxTokens`; the window is at least 64 KiB of text. */
const CHARS_PER_TOKEN_WINDOW = 64;
const MIN_WINDOW = 65_536;
/** Text kept before the last emitted chunk: grapheme lookups read up to 128 code units back. */
const HISTORY = 256;
/** Chunks left unemitted at the end of a window: the last ones may change once more text arrives. */
const UNSETTLED_CHUNKS = 3;

interface Resumable extends Chunker {
  readonly contextTokens?: number;
  chunkWindow(text: string, from: number, previousStart: number | undefined, options?: ChunkCallOptions): Promise<ChunkWindow | undefined>;
}

function isResumable(chunker: Chunker): chunker is Resumable {
  return typeof (chunker as Partial<Resumable>).chunkWindow === 'function';
}

/** Never cut the buffer between a high and a low surrogate, or in the middle of a CR LF. */
function safeLimit(buffer: string): number {
  const last = buffer.charCodeAt(buffer.length - 1);
  return (last & 0xfc00) === 0xd800 || last === 13 ? buffer.length - 1 : buffer.length;
}

/** Moves a chunk (and its situated context) from buffer offsets to stream offsets. */
function shifted(chunk: Chunk, base: number, index: number): Chunk {
  const moved: Chunk = { ...chunk, start: chunk.start + base, end: chunk.end + base, index };
  const context = chunk.meta?.context as { start: number; end: number } | undefined;
  if (context) moved.meta = { ...chunk.meta, context: { start: context.start + base, end: context.end + base } };
  return moved;
}

/**
 * Streams chunks over text that arrives in pieces, holding at most about two windows of text.
 * Each round chunks the buffer, emits the chunks that end well before its end (boundaries there no
 * longer depend on text still to come), and keeps the rest starting at the first chunk not emitted,
 * so overlap text is carried over. Offsets are global: `start`/`end` count from the stream's start.
 */
export async function* chunkStream(
  chunker: Chunker,
  source: AsyncIterable<string> | Iterable<string>,
  options: ChunkStreamOptions = {},
): AsyncGenerator<Chunk> {
  if (typeof (chunker as Partial<Chunker> | null)?.chunk !== 'function') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'chunkStream() takes a chunker (an object with chunk()) first.');
  }
  if (source === null || typeof source !== 'object' || (typeof (source as AsyncIterable<string>)[Symbol.asyncIterator] !== 'function' && typeof (source as Iterable<string>)[Symbol.iterator] !== 'function')) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'chunkStream() takes an iterable or async iterable of strings (a string itself is not a stream: use chunk()).');
  }
  validateCallOptions(options);
  const { window } = options;
  if (window !== undefined && (!Number.isInteger(window) || window < 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `window must be a positive integer number of characters, got ${String(window)}.`);
  }
  const iterator = toAsyncIterator(source);
  const first = isResumable(chunker) ? await chunker.chunkWindow('', 0, undefined, options) : undefined;
  if (first && isResumable(chunker)) yield* resumedStream(chunker, iterator, options);
  else yield* rechunkedStream(chunker, iterator, options);
}

async function* toAsyncIterator(source: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string> {
  for await (const piece of source) {
    if (typeof piece !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `chunkStream() sources yield strings, got ${piece === null ? 'null' : typeof piece}.`);
    yield piece;
  }
}

/**
 * For chunkers whose boundaries after a chunk end depend only on the text after it (token,
 * sentence, plain recursive): each window resumes exactly at the end of the last emitted chunk,
 * with that chunk's text kept for overlap, from a pre-token boundary so the window's tokens are
 * the whole text's. The chunks are then the ones `chunk()` gives on the whole text.
 */
async function* resumedStream(chunker: Resumable, source: AsyncIterable<string>, options: ChunkStreamOptions): AsyncGenerator<Chunk> {
  const contextChars = (chunker.contextTokens ?? 0) * CHARS_PER_TOKEN_WINDOW;
  let window = options.window ?? Math.max(MIN_WINDOW, (chunker.maxTokens + (chunker.contextTokens ?? 0)) * CHARS_PER_TOKEN_WINDOW);
  let buffer = '';
  let base = 0;
  let from = 0;
  let previousStart: number | undefined;
  let index = 0;
  const windowOf = async (text: string): Promise<ChunkWindow> => (await chunker.chunkWindow(text, from, previousStart, options))!;
  for await (const piece of source) {
    throwIfAborted(options.signal);
    buffer += piece;
    while (buffer.length - from >= 2 * window) {
      const limit = safeLimit(buffer);
      const { chunks, restartPoint, resumesAt } = await windowOf(buffer.slice(0, limit));
      const settledBy = limit - window;
      // Emit up to the last chunk that ends well before the buffer does and where planning can resume.
      let settled = 0;
      for (let i = 0; i < chunks.length - UNSETTLED_CHUNKS; i++) {
        const chunk = chunks[i]!;
        const context = chunk.meta?.context as { end: number } | undefined;
        if (Math.max(chunk.end, context?.end ?? 0) > settledBy) break;
        if (resumesAt(chunk.end)) settled = i + 1;
      }
      if (settled === 0) {
        // Chunks longer than the window (very long tokens): give the window room instead of looping.
        window *= 2;
        continue;
      }
      for (const chunk of chunks.slice(0, settled)) yield shifted(chunk, base, index++);
      const last = chunks[settled - 1]!;
      const keepFrom = Math.max(0, last.start - HISTORY - contextChars);
      let cut = restartPoint(keepFrom);
      // A single pre-token longer than the window (a megabyte without spaces): keep memory bounded.
      if (keepFrom - cut > window) cut = keepFrom;
      buffer = buffer.slice(cut);
      base += cut;
      from = last.end - cut;
      previousStart = last.start - cut;
    }
  }
  if (buffer.length > from) for (const chunk of (await windowOf(buffer)).chunks) yield shifted(chunk, base, index++);
}

/**
 * For any other chunker: chunk the buffer, emit the chunks that end well before its end, and
 * chunk again from the first chunk not emitted. Chunks near a seam can differ from `chunk()`.
 */
async function* rechunkedStream(chunker: Chunker, source: AsyncIterable<string>, options: ChunkStreamOptions): AsyncGenerator<Chunk> {
  let window = options.window ?? Math.max(MIN_WINDOW, chunker.maxTokens * CHARS_PER_TOKEN_WINDOW);
  let buffer = '';
  let base = 0;
  let index = 0;
  // A re-chunked buffer starts inside the overlap of the last emitted chunk; its first chunks may
  // end before that chunk did, and are dropped so ends stay strictly increasing with no gap.
  let emittedEnd = 0;
  const fresh = (chunk: Chunk): boolean => chunk.end + base > emittedEnd;
  const shift = (chunk: Chunk): Chunk => {
    const moved = shifted(chunk, base, index++);
    emittedEnd = moved.end;
    return moved;
  };
  for await (const piece of source) {
    throwIfAborted(options.signal);
    buffer += piece;
    while (buffer.length >= 2 * window) {
      const limit = safeLimit(buffer);
      const chunks = await chunker.chunk(buffer.slice(0, limit), options);
      const safeEnd = limit - window;
      const keepFrom = chunks.findIndex((chunk) => chunk.end > safeEnd);
      if (keepFrom <= 0) {
        // One chunk covers the whole unsafe zone: give the window room instead of looping.
        window *= 2;
        continue;
      }
      for (const chunk of chunks.slice(0, keepFrom)) if (fresh(chunk)) yield shift(chunk);
      const cut = chunks[keepFrom]?.start ?? limit;
      buffer = buffer.slice(cut);
      base += cut;
    }
  }
  if (buffer.length > 0) for (const chunk of await chunker.chunk(buffer, options)) if (fresh(chunk)) yield shift(chunk);
}
