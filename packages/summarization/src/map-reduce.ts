import { createProgress } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { controlled, shrinkToFit, targetFor, templateTokens, MIN_SUMMARY_WORDS, type LlmOutcome, type LlmRun } from './llm-run.js';
import { summarizeEachChunk } from './chunk-summaries.js';
import { mapConcurrent } from './map-concurrent.js';
import { packGroups } from './merge-groups.js';
import { combinePrompt } from './prompts.js';

const TOKENS_PER_WORD = 1.4;

/**
 * Map-reduce as LangChain and LlamaIndex's TreeSummarize define it: map every chunk to a summary
 * concurrently; if the summaries fit one combine prompt, combine them into the final summary;
 * otherwise pack them into groups that fit, combine each group concurrently (no context between
 * groups, unlike hierarchical merging), and repeat.
 */
export async function mapReduce(chunks: readonly string[], run: LlmRun): Promise<LlmOutcome> {
  const { budget, targetWords } = run;
  const misses = { count: 0 };
  const capacity = budget.limit - templateTokens(budget, (w) => combinePrompt([], w, w));
  const labelTokens = budget.count('Summary 999:\n"""\n\n"""\n\n');
  // Map summaries sized so that, where possible, all of them fit one combine prompt.
  const mapTarget = Math.max(
    Math.min(MIN_SUMMARY_WORDS, targetWords),
    Math.min(targetWords, Math.floor((capacity / Math.max(chunks.length, 1) - labelTokens) / (TOKENS_PER_WORD * budget.margin))),
  );

  let summaries = await summarizeEachChunk(chunks, run, 'map', mapTarget, misses);

  const mergeTree: number[][] = [];
  let level = 0;
  while (summaries.length > 1) {
    level++;
    const half = Math.floor(capacity / 2) - labelTokens;
    summaries = await mapConcurrent(summaries, run.concurrency, (summary) => shrinkToFit(run, summary, half, misses), run.signal);
    const groups = packGroups(
      summaries.map((summary) => budget.count(summary) + labelTokens),
      capacity,
    );
    mergeTree.push(groups.map((group) => group.length));
    const isRoot = groups.length === 1;
    const stage = createProgress(run.onProgress, `reduce level ${level}`, { total: groups.length, unit: 'groups' });
    const current = summaries;
    summaries = await mapConcurrent(
      groups,
      run.concurrency,
      async (group) => {
        const members = group.map((i) => current[i]!);
        if (members.length === 1 && !isRoot) {
          stage.advance();
          return members[0]!;
        }
        const sourceWords = members.reduce((sum, summary) => sum + countWords(summary), 0);
        const target = isRoot ? targetWords : targetFor(mapTarget, sourceWords);
        const result = await controlled(run, (correction) => combinePrompt(members, sourceWords, target, correction), target, misses);
        stage.advance();
        return result.text;
      },
      run.signal,
    );
    stage.finish();
  }
  return { summary: summaries[0] ?? '', levels: level + 1, mergeTree, lengthMisses: misses.count };
}
