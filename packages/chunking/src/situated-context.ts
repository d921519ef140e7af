import type { Chunk } from '@chunkwise/core';
import { graphemeCeil } from './boundaries/graphemes.js';
import type { ChunkPlanner } from './chunk-planner.js';

/**
 * SitEmb (arXiv 2508.01959): keep retrieval units short but embed each one inside a wider window.
 * Adds `meta.context = { start, end }`, about `tokens` tokens on each side of the chunk, cut at
 * grapheme-aligned token stops; `text.slice(context.start, context.end)` contains the chunk.
 */
export function attachSituatedContext(chunks: Chunk[], planner: ChunkPlanner, tokens: number): void {
  const { boundaries, graphemes, text } = planner;
  for (const chunk of chunks) {
    let start = graphemeCeil(graphemes, text, boundaries.firstStopWithTokens(Math.max(0, boundaries.prefix(chunk.start) - tokens)));
    if (start > chunk.start) start = chunk.start;
    let end = boundaries.stopForTokens(boundaries.prefix(chunk.end) + tokens);
    const snapped = graphemes.floor(end, chunk.end);
    end = snapped > chunk.end ? snapped : chunk.end;
    chunk.meta = { ...chunk.meta, context: { start, end } };
  }
}
