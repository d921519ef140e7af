import { RecursiveChunker, summarizeChunks } from '@chunkwise/chunking';
import { throwIfAborted, type Chunk } from '@chunkwise/core';
import { ChunkSpans } from './chunk-spans.js';
import { DIGEST_DEFAULTS, type DigestStage } from './types.js';

/**
 * Chunks each section with the markdown recipe (so no chunk straddles two chapters), one section
 * at a time, and keeps only the chunks' offsets and token counts (ChunkSpans) for the later stages:
 * their texts are the document's characters at those offsets.
 */
export const chunksStage: DigestStage = {
  name: 'chunks',
  async run(context) {
    const { document, report, onProgress, options } = context;
    const maxTokens = options.maxTokens ?? DIGEST_DEFAULTS.maxTokens;
    const tokenizer = options.tokenizer ?? DIGEST_DEFAULTS.tokenizer;
    const chunker = new RecursiveChunker({ maxTokens, tokenizer, recipe: 'markdown' });
    const spans = new ChunkSpans();
    const total = document.sections.length;
    for await (const { piece, text } of document.read()) {
      if (piece.section < 0) continue;
      throwIfAborted(options.signal);
      for (const chunk of await chunker.chunk(text)) spans.push(chunk.start + piece.start, chunk.end + piece.start, chunk.tokenCount);
      onProgress({ stage: 'chunks', done: piece.section + 1, total, unit: 'sections' });
    }
    context.chunks = spans;
    // summarizeChunks reads token counts only.
    const summary = summarizeChunks(spans.tokenCounts().map((tokenCount) => ({ tokenCount }) as Chunk), maxTokens);
    report.chunks = { tokenizer, maxTokens, ...summary };
    return `${summary.count.toLocaleString('en-US')} chunks of ≤${String(maxTokens)} ${tokenizer === 'characters' ? 'characters' : 'tokens'}, mean ${summary.tokens.mean.toFixed(0)}`;
  },
};
