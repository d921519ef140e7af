import { createProgress } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { controlled, shrinkToFit, targetFor, templateTokens, MIN_SUMMARY_WORDS, type LlmOutcome, type LlmRun } from './llm-run.js';
import { summarizeEachChunk } from './chunk-summaries.js';
import { mapConcurrent } from './map-concurrent.js';
import { packGroups } from './merge-groups.js';
import { chunkPrompt, mergePrompt } from './prompts.js';
import { splitToBudget, tailWithin } from './split-to-budget.js';

/** BooookScore gives the previous merged summary at most this share of the prompt budget. */
export const CONTEXT_SHARE = 0.2;
/** BooookScore's per-level shrink factor for word limits (0.65, from its word/token ratio). */
const LEVEL_SHRINK = 0.65;
/** English prose costs about this many tokens per word; used only to plan word targets. */
const TOKENS_PER_WORD = 1.4;

/**
 * Hierarchical merging (BooookScore, arXiv 2310.00785 §2): summarise every chunk (concurrently),
 * then merge as many consecutive summaries as fit the window, each merge seeing the previous merged
 * summary of its level as context (capped at 20% of the budget), level by level until one summary
 * remains. Word targets shrink by 0.65 per level below the top, so lower levels pack densely; the
 * final merge is asked for exactly the target.
 */
export async function hierarchicalMerge(chunks: readonly string[], run: LlmRun, useContext = run.mergeContext): Promise<LlmOutcome> {
  const { budget, targetWords } = run;
  const misses = { count: 0 };
  const mergeOverhead = templateTokens(budget, (w) => mergePrompt([], useContext ? ' ' : undefined, w, w));
  const contextReserve = useContext ? Math.floor(CONTEXT_SHARE * budget.limit) : 0;
  const capacity = budget.limit - mergeOverhead - contextReserve;
  const labelTokens = budget.count('Summary 999:\n"""\n\n"""\n\n');
  const estimatedLevels = estimateMergeLevels(chunks.length, capacity, summaryTokens(targetWords, budget.margin) + labelTokens);
  const levelTarget = (level: number) =>
    Math.max(Math.min(MIN_SUMMARY_WORDS, targetWords), Math.round(targetWords * LEVEL_SHRINK ** Math.max(estimatedLevels - level, 0)));

  // Level 0: every chunk on its own, concurrently.
  let summaries = await summarizeEachChunk(chunks, run, 'summarize', levelTarget(0), misses);

  const mergeTree: number[][] = [];
  let level = 0;
  while (summaries.length > 1) {
    level++;
    // A summary longer than half the capacity would block merging: shrink it (models that ignore
    // max_tokens only; a well-behaved model's summaries are at most summaryCap tokens).
    const half = Math.floor(capacity / 2) - labelTokens;
    summaries = await mapConcurrent(summaries, run.concurrency, (summary) => shrinkToFit(run, summary, half, misses), run.signal);
    const sizes = summaries.map((summary) => budget.count(summary) + labelTokens);
    const groups = packGroups(sizes, capacity);
    mergeTree.push(groups.map((group) => group.length));
    const isRoot = groups.length === 1;
    const stage = createProgress(run.onProgress, `merge level ${level}`, { total: groups.length, unit: 'groups' });
    const merged: string[] = [];
    let previous: string | undefined;
    for (const group of groups) {
      const members = group.map((i) => summaries[i]!);
      if (members.length === 1 && !isRoot) {
        // Nothing to merge with: carried up unchanged, no call.
        merged.push(members[0]!);
        previous = members[0];
        stage.advance();
        continue;
      }
      const sourceWords = members.reduce((sum, summary) => sum + countWords(summary), 0);
      const target = isRoot ? targetWords : targetFor(levelTarget(level), sourceWords);
      const context = useContext && previous ? tailWithin(previous, contextReserve, budget) || undefined : undefined;
      const result = await controlled(run, (correction) => mergePrompt(members, context, sourceWords, target, correction), target, misses);
      merged.push(result.text);
      previous = result.text;
      stage.advance();
    }
    stage.finish();
    summaries = merged;
  }
  return { summary: summaries[0] ?? '', levels: level + 1, mergeTree, lengthMisses: misses.count };
}

/** Upper estimate of the budget tokens of a `words`-word summary. */
function summaryTokens(words: number, margin: number): number {
  return Math.ceil(words * TOKENS_PER_WORD * margin);
}

/** Merge levels needed for `n` summaries of `itemTokens` each into groups of `capacity` tokens. */
export function estimateMergeLevels(n: number, capacity: number, itemTokens: number): number {
  const fanIn = Math.max(2, Math.floor(capacity / Math.max(itemTokens, 1)));
  let levels = 0;
  for (let remaining = n; remaining > 1; remaining = Math.ceil(remaining / fanIn)) levels++;
  return levels;
}

/** Chunks for the methods that summarise chunks on their own (hierarchical, map-reduce). */
export async function chunkForSummaries(text: string, run: LlmRun): Promise<string[]> {
  const overhead = templateTokens(run.budget, (w) => chunkPrompt('', w, w));
  const room = Math.min(run.budget.limit - overhead, Math.floor(run.chunkTokens * run.budget.margin));
  return splitToBudget(text, room, run.budget, run.signal);
}

