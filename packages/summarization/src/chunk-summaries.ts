import { createProgress } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { controlled, targetFor, type LlmRun } from './llm-run.js';
import { mapConcurrent } from './map-concurrent.js';
import { chunkPrompt } from './prompts.js';

/**
 * The first level of hierarchical merging and map-reduce: every chunk summarised on its own,
 * concurrently up to the run's limit, under length control. A lone chunk is asked for the final
 * target; otherwise each chunk gets `perChunkTarget` scaled to its own length.
 */
export async function summarizeEachChunk(
  chunks: readonly string[],
  run: LlmRun,
  stage: string,
  perChunkTarget: number,
  misses: { count: number },
): Promise<string[]> {
  const progress = createProgress(run.onProgress, stage, { total: chunks.length, unit: 'chunks' });
  const summaries = await mapConcurrent(
    chunks,
    run.concurrency,
    async (chunk) => {
      const words = countWords(chunk);
      const target = chunks.length === 1 ? run.targetWords : targetFor(perChunkTarget, words);
      const result = await controlled(run, (correction) => chunkPrompt(chunk, words, target, correction), target, misses);
      progress.advance();
      return result.text;
    },
    run.signal,
  );
  progress.finish();
  return summaries;
}
