import type { Chunk } from '@chunkwise/core';

/**
 * Chunks as the page receives them from the worker: offsets and token counts in typed arrays (one
 * transfer, no per-chunk objects for a book's twenty thousand chunks); the text of a chunk is
 * `text.slice(starts[i], ends[i])` of the text the page already holds.
 */
export interface ChunkReport {
  count: number;
  starts: Uint32Array;
  ends: Uint32Array;
  tokenCounts: Uint32Array;
  /** `chunk.meta` of each chunk, or null when no chunk has any. */
  meta: (Record<string, unknown> | null)[] | null;
  /** Chunks whose `text` is not exactly `text.slice(start, end)`: checked here, for every chunk. */
  inexact: number;
  /** Milliseconds the worker spent chunking (tokenizer loading excluded). */
  chunkMs: number;
}

export function chunkReport(text: string, chunks: readonly Chunk[], chunkMs: number): ChunkReport {
  const count = chunks.length;
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  const tokenCounts = new Uint32Array(count);
  let inexact = 0;
  let anyMeta = false;
  for (let i = 0; i < count; i++) {
    const chunk = chunks[i]!;
    starts[i] = chunk.start;
    ends[i] = chunk.end;
    tokenCounts[i] = chunk.tokenCount;
    if (text.slice(chunk.start, chunk.end) !== chunk.text) inexact++;
    if (chunk.meta && Object.keys(chunk.meta).length > 0) anyMeta = true;
  }
  return { count, starts, ends, tokenCounts, meta: anyMeta ? chunks.map((chunk) => chunk.meta ?? null) : null, inexact, chunkMs };
}
