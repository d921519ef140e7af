import type { Chunk } from '@chunkwise/core';
import { markdownLevels, scanMarkdownBlocks } from './boundaries/markdown-blocks.js';
import type { ChunkPlanner } from './chunk-planner.js';
import { BaseChunker, type ChunkCallOptions, type ChunkStreamOptions } from './chunker.js';

/** A chunk of `MarkdownChunker`: `meta.headings` is always there (empty before the first heading). */
export interface MarkdownChunk extends Chunk {
  meta: { headings: string[] } & Record<string, unknown>;
}

/**
 * Markdown-aware chunks: sections split at the shallowest heading that makes them fit; code fences,
 * tables and lists stay whole when they fit and are split by rows / items / lines when they do not.
 * Each chunk carries `meta.headings`, the heading path (h1 → h6 titles) in force where its new
 * (non-overlap) content starts.
 */
export class MarkdownChunker extends BaseChunker {
  // Narrowed so that `chunk.meta.headings` type-checks for callers; chunkText sets it on every chunk.
  override chunk(text: string, options?: ChunkCallOptions): Promise<MarkdownChunk[]> {
    return super.chunk(text, options) as Promise<MarkdownChunk[]>;
  }

  override chunkStream(source: AsyncIterable<string> | Iterable<string>, options?: ChunkStreamOptions): AsyncIterable<MarkdownChunk> {
    return super.chunkStream(source, options) as AsyncIterable<MarkdownChunk>;
  }

  protected chunkText(planner: ChunkPlanner): Chunk[] {
    const { text } = planner;
    const levels = markdownLevels(text);
    const chunks = planner.chunk(0, text.length, levels, this.maxTokens, this.overlap);
    const headings = scanMarkdownBlocks(text).filter((block) => block.kind === 'heading');
    const path: string[] = [];
    let next = 0;
    chunks.forEach((chunk, i) => {
      // New content starts where the previous chunk ended (overlap is repeated context), and a
      // chunk that begins with blank lines before a heading belongs to that heading.
      const from = Math.max(chunk.start, chunks[i - 1]?.end ?? 0);
      const anchor = from + (/^\s*/.exec(text.slice(from, chunk.end))?.[0].length ?? 0);
      for (; next < headings.length && (headings[next]?.start ?? Infinity) <= anchor; next++) {
        const heading = headings[next];
        if (!heading) continue;
        path.length = Math.min(path.length, (heading.depth ?? 1) - 1);
        while (path.length < (heading.depth ?? 1) - 1) path.push('');
        path.push(heading.title ?? '');
      }
      chunk.meta = { ...chunk.meta, headings: path.filter((title) => title !== '') };
    });
    return chunks;
  }
}
