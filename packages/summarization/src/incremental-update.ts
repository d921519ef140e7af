import { createProgress } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { controlled, shrinkToFit, summaryCap, targetFor, templateTokens, MIN_SUMMARY_WORDS, type LlmOutcome, type LlmRun } from './llm-run.js';
import { chunkPrompt, compressPrompt, updatePrompt } from './prompts.js';
import { splitToBudget } from './split-to-budget.js';

/**
 * Chunks for methods that carry a running summary in every prompt (incremental, refine): each
 * chunk leaves room for the template and for the longest summary the model can return.
 */
export async function chunkBesideSummary(text: string, run: LlmRun, template: (w: number) => ReturnType<typeof updatePrompt>): Promise<string[]> {
  const overhead = templateTokens(run.budget, template);
  const room = Math.min(run.budget.limit - overhead - summaryCap(run.budget), Math.floor(run.chunkTokens * run.budget.margin));
  return splitToBudget(text, room, run.budget, run.signal);
}

/**
 * Incremental updating (BooookScore, arXiv 2310.00785 §2): summarise the first chunk, then for each
 * later chunk update the running summary with it. When an update comes back too long or unfinished
 * even after the length retries, the running summary would overflow: it is compressed to
 * target·j/n words (BooookScore's schedule for chunk j of n) and the update is redone.
 */
export async function incrementalUpdate(chunks: readonly string[], run: LlmRun): Promise<LlmOutcome> {
  const { budget, targetWords } = run;
  const misses = { count: 0 };
  let compressions = 0;
  const cap = summaryCap(budget);
  const progress = createProgress(run.onProgress, 'update', { total: chunks.length, unit: 'chunks' });
  let seenWords = 0;
  let summary = '';
  for (let j = 0; j < chunks.length; j++) {
    const chunk = chunks[j]!;
    const chunkWords = countWords(chunk);
    seenWords += chunkWords;
    const isLast = j === chunks.length - 1;
    // The running summary grows with the text read, up to the final target.
    const target = isLast ? targetWords : targetFor(targetWords, seenWords);
    if (j === 0) {
      summary = (await controlled(run, (correction) => chunkPrompt(chunk, chunkWords, target, correction), target, misses)).text;
    } else {
      // A summary over the cap (a model that ignored max_tokens) would not leave the chunk its room.
      summary = await shrinkToFit(run, summary, cap, misses);
      const update = async (current: string) => {
        const sourceWords = countWords(current) + chunkWords;
        return controlled(run, (correction) => updatePrompt(current, chunk, sourceWords, target, correction), target, misses);
      };
      let result = await update(summary);
      if (!result.withinTolerance) {
        // Overflow: compress what came before, then redo the update with room to spare.
        compressions++;
        misses.count--;
        const goal = Math.max(MIN_SUMMARY_WORDS, Math.round((targetWords * j) / chunks.length));
        const words = countWords(summary);
        if (words > goal) summary = (await controlled(run, (correction) => compressPrompt(summary, words, goal, correction), goal, misses)).text;
        result = await update(summary);
      }
      summary = result.text;
    }
    progress.advance();
  }
  progress.finish();
  return { summary, levels: 1, compressions, lengthMisses: misses.count };
}

