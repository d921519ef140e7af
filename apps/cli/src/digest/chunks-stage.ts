import { RecursiveChunker, summarizeChunks } from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import type { DigestStage } from './stages.js';

/** Chunk size the digest indexes and summarizes with (o200k tokens). */
const MAX_TOKENS = 512;

/**
 * Chunks each section with the markdown recipe (so no chunk straddles two chapters), shifts the
 * offsets to the whole text, and leaves the chunks on the context for the index and summary stages.
 */
export const chunksStage: DigestStage = {
  name: 'chunks',
  async run(context) {
    const { document, report, onProgress } = context;
    const chunker = new RecursiveChunker({ maxTokens: MAX_TOKENS, recipe: 'markdown' });
    const chunks: Chunk[] = [];
    const total = document.sections.length;
    for (const [i, section] of document.sections.entries()) {
      for (const chunk of await chunker.chunk(document.text.slice(section.start, section.end))) {
        chunks.push({ ...chunk, start: chunk.start + section.start, end: chunk.end + section.start, index: chunks.length });
      }
      onProgress({ stage: 'chunks', done: i + 1, total, unit: 'sections' });
    }
    context.chunks = chunks;
    const summary = summarizeChunks(chunks, MAX_TOKENS);
    report.chunks = { tokenizer: 'o200k_base', maxTokens: MAX_TOKENS, ...summary };
    return `${summary.count.toLocaleString('en-US')} chunks of ≤${String(MAX_TOKENS)} tokens, mean ${summary.tokens.mean.toFixed(0)}`;
  },
};
