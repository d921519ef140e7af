import { ChunkwiseError, type ProgressCallback } from '@chunkwise/core';
import { countWords } from './count-words.js';
import { summarizeToLength, type LengthPolicy } from './length-control.js';
import type { ModelCalls } from './model-calls.js';
import { compressPrompt, longestCorrection, type Correction, type Prompt } from './prompts.js';
import { splitToBudget } from './split-to-budget.js';
import type { PromptBudget } from './token-budget.js';

/** Everything an LLM method needs for one run. */
export interface LlmRun {
  calls: ModelCalls;
  budget: PromptBudget;
  targetWords: number;
  /** Largest chunk, in tokenizer tokens. */
  chunkTokens: number;
  policy: LengthPolicy;
  concurrency: number;
  mergeContext: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressCallback | undefined;
}

export interface LlmOutcome {
  summary: string;
  levels: number;
  /** Group sizes of every merge level, bottom up (hierarchical and map-reduce). */
  mergeTree?: number[][];
  /** Running-summary compressions (incremental). */
  compressions?: number;
  /** Summaries accepted outside the length tolerance after all retries. */
  lengthMisses: number;
}

/** Fewest words an intermediate summary is asked for: shorter ones lose the thread. */
export const MIN_SUMMARY_WORDS = 25;
/** Slack for tokens that joining template and content can add at the seams. */
const SEAM_TOKENS = 16;

/**
 * Tokens a template costs before its content: built with empty content and the widest numbers,
 * plus the longest correction a retry appends, so content sized to the rest always fits.
 */
export function templateTokens(budget: PromptBudget, build: (targetWords: number) => Prompt): number {
  const widest = 9_999_999;
  return budget.requestTokens(build(widest)) + budget.count(longestCorrection(widest)) + SEAM_TOKENS;
}

/** Upper bound, in budget tokens, of one summary the model can return (it stops at maxTokens). */
export function summaryCap(budget: PromptBudget): number {
  return Math.ceil(budget.maxTokens * budget.margin);
}

/** A summary target for `sourceWords` of text: never more than half of it, never under the floor. */
export function targetFor(levelTarget: number, sourceWords: number): number {
  return Math.max(Math.min(levelTarget, Math.round(sourceWords / 2)), Math.min(MIN_SUMMARY_WORDS, levelTarget));
}

/** Counts a length-controlled call and whether it missed. */
export async function controlled(run: LlmRun, build: (correction?: Correction) => Prompt, target: number, misses: { count: number }) {
  const result = await summarizeToLength(run.calls, build, target, run.policy);
  if (!result.withinTolerance) misses.count++;
  return result;
}

/**
 * Makes a summary fit `maxTokens` by compressing it (never by cutting it): used when a model answered
 * longer than its limit. A summary too long even for the compression prompt is split, each piece
 * compressed, and the pieces joined.
 */
export async function shrinkToFit(run: LlmRun, summary: string, maxTokens: number, misses: { count: number }): Promise<string> {
  let current = summary;
  for (let round = 0; round < 4 && run.budget.count(current) > maxTokens; round++) {
    const room = run.budget.limit - templateTokens(run.budget, (w) => compressPrompt('', w, w));
    const pieces = run.budget.count(current) <= room ? [current] : await splitToBudget(current, room, run.budget, run.signal);
    const shrunk: string[] = [];
    for (const piece of pieces) {
      const words = countWords(piece);
      const goal = Math.max(1, Math.round((words * 0.6 * maxTokens) / Math.max(run.budget.count(current), 1)));
      const result = await controlled(run, (correction) => compressPrompt(piece, words, goal, correction), goal, misses);
      shrunk.push(result.text);
    }
    current = shrunk.join(' ');
  }
  if (run.budget.count(current) > maxTokens) {
    throw new ChunkwiseError('LIMIT_EXCEEDED', `The model keeps answering with more than ${maxTokens} tokens where fewer were asked for.`, {
      details: { maxTokens },
    });
  }
  return current;
}
