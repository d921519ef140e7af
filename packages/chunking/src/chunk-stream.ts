import { throwIfAborted, type Chunk } from '@chunkwise/core';
import type { ChunkCallOptions, Chunker } from './chunker.js';

/** Characters kept in memory per token of `maxTokens`; the window is at least 64 KiB of text. */
const CHARS_PER_TOKEN_WINDOW = 64;
const MIN_WINDOW = 65_536;

/**
 * Streams chunks over text that arrives in pieces, holding at most about two windows of text.
 * Each round chunks the buffer, emits the chunks that end well before its end (boundaries there no
 * longer depend on text still to come), and keeps the rest starting at the first chunk not emitted,
 * so overlap text is carried over. Offsets are global: `start`/`end` count from the stream's start.
 */
export async function* chunkStream(
  chunker: Chunker,
  source: AsyncIterable<string> | Iterable<string>,
  options: ChunkCallOptions = {},
): AsyncGenerator<Chunk> {
  let window = Math.max(MIN_WINDOW, chunker.maxTokens * CHARS_PER_TOKEN_WINDOW);
  let buffer = '';
  let base = 0;
  let index = 0;
  // A re-chunked buffer starts inside the overlap of the last emitted chunk; its first chunks may
  // end before that chunk did, and are dropped so ends stay strictly increasing with no gap.
  let emittedEnd = 0;
  const fresh = (chunk: Chunk): boolean => chunk.end + base > emittedEnd;
  const shift = (chunk: Chunk): Chunk => {
    const shifted: Chunk = { ...chunk, start: chunk.start + base, end: chunk.end + base, index: index++ };
    emittedEnd = shifted.end;
    const context = chunk.meta?.context as { start: number; end: number } | undefined;
    if (context) shifted.meta = { ...chunk.meta, context: { start: context.start + base, end: context.end + base } };
    return shifted;
  };
  for await (const piece of source) {
    throwIfAborted(options.signal);
    buffer += piece;
    while (buffer.length >= 2 * window) {
      // Never cut the buffer between a high and a low surrogate, or in the middle of a CR LF.
      let limit = buffer.length;
      const last = buffer.charCodeAt(limit - 1);
      if ((last & 0xfc00) === 0xd800 || last === 13) limit--;
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
