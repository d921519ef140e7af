import { RecursiveChunker, summarizeChunks } from '@chunkwise/chunking';
import { throwIfAborted, type Chunk } from '@chunkwise/core';
import { DIGEST_DEFAULTS, type DigestStage } from './types.js';

/**
 * Chunks each section with the markdown recipe (so no chunk straddles two chapters), shifts the
 * offsets to the whole text, and leaves the chunks on the context for the index and summary stages.
 */
export const chunksStage: DigestStage = {
  name: 'chunks',
  async run(context) {
    const { document, report, onProgress, options } = context;
    const maxTokens = options.maxTokens ?? DIGEST_DEFAULTS.maxTokens;
    const tokenizer = options.tokenizer ?? DIGEST_DEFAULTS.tokenizer;
    const chunker = new RecursiveChunker({ maxTokens, tokenizer, recipe: 'markdown' });
    const chunks: Chunk[] = [];
    const total = document.sections.length;
    for (const [i, section] of document.sections.entries()) {
      throwIfAborted(options.signal);
      for (const chunk of await chunker.chunk(document.text.slice(section.start, section.end))) {
        chunks.push({ ...chunk, start: chunk.start + section.start, end: chunk.end + section.start, index: chunks.length });
      }
      onProgress({ stage: 'chunks', done: i + 1, total, unit: 'sections' });
    }
    context.chunks = chunks;
    const summary = summarizeChunks(chunks, maxTokens);
    report.chunks = { tokenizer, maxTokens, ...summary };
    return `${summary.count.toLocaleString('en-US')} chunks of ≤${String(maxTokens)} ${tokenizer === 'characters' ? 'characters' : 'tokens'}, mean ${summary.tokens.mean.toFixed(0)}`;
  },
};
