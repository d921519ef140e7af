import { createProgress } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { controlled, shrinkToFit, summaryCap, targetFor, type LlmOutcome, type LlmRun } from './llm-run.js';
import { chunkPrompt, refinePrompt } from './prompts.js';

/**
 * Refine, as LangChain's refine chain defines it: summarise the first chunk, then ask the model to
 * refine that summary with each later chunk in turn. Unlike LangChain, every prompt is budgeted
 * (chunks leave room for the longest possible summary) and every answer is length-controlled.
 */
export async function refineSummary(chunks: readonly string[], run: LlmRun): Promise<LlmOutcome> {
  const misses = { count: 0 };
  const progress = createProgress(run.onProgress, 'refine', { total: chunks.length, unit: 'chunks' });
  let summary = '';
  let seenWords = 0;
  for (let j = 0; j < chunks.length; j++) {
    const chunk = chunks[j]!;
    const chunkWords = countWords(chunk);
    seenWords += chunkWords;
    const target = j === chunks.length - 1 ? run.targetWords : targetFor(run.targetWords, seenWords);
    if (j === 0) {
      summary = (await controlled(run, (correction) => chunkPrompt(chunk, chunkWords, target, correction), target, misses)).text;
    } else {
      const current = await shrinkToFit(run, summary, summaryCap(run.budget), misses);
      const sourceWords = countWords(current) + chunkWords;
      summary = (await controlled(run, (correction) => refinePrompt(current, chunk, sourceWords, target, correction), target, misses)).text;
    }
    progress.advance();
  }
  progress.finish();
  return { summary, levels: 1, lengthMisses: misses.count };
}
