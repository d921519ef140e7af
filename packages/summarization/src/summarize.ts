import { ChunkwiseError, throwIfAborted, type LanguageModel, type ProgressCallback } from '@chunkwise/core';
import { checkCache, checkModel, describeValue, isAbortSignal } from './argument-checks.js';
import { countWords } from './count-words.js';
import { extractiveSummary, type ExtractiveOptions } from './extractive-summary.js';
import { chunkForSummaries, hierarchicalMerge, CONTEXT_SHARE } from './hierarchical-merge.js';
import { chunkBesideSummary, incrementalUpdate } from './incremental-update.js';
import { summaryCap, templateTokens, type LlmOutcome, type LlmRun } from './llm-run.js';
import { mapReduce } from './map-reduce.js';
import { ModelCalls } from './model-calls.js';
import { focusInstruction, mergePrompt, refinePrompt, updatePrompt } from './prompts.js';
import { refineSummary } from './refine.js';
import type { SummaryCache } from './summary-cache.js';
import { promptBudgetFor } from './token-budget.js';

export type SummarizationMethod = 'extractive' | 'hierarchical' | 'incremental' | 'map-reduce' | 'refine';

export const SUMMARIZATION_METHODS: readonly SummarizationMethod[] = ['extractive', 'hierarchical', 'incremental', 'map-reduce', 'refine'];

export interface SummarizeOptions {
  /** Default `'extractive'`, the only method that needs no model. */
  method?: SummarizationMethod;
  /** Required by every method but `extractive`. */
  model?: LanguageModel;
  /** Words the summary should have. */
  targetWords: number;
  /** Allowed relative deviation from `targetWords`; outside it, a summary is retried (default 0.1). */
  tolerance?: number;
  /** Corrected retries per summary (default 3). */
  maxRetries?: number;
  /** Largest chunk, in tokens of the model's tokenizer (default 2048, BooookScore's; capped by the window). */
  chunkTokens?: number;
  /** Completion tokens reserved per call; every prompt fits in `contextWindow − maxTokens`. */
  maxTokens?: number;
  /** Calls in flight at once in map stages (default: the model's `maxConcurrency`, else 4). */
  concurrency?: number;
  /** Hierarchical merging: give each merge the previous merged summary as context (default true). */
  mergeContext?: boolean;
  /** Finished summaries by key; a rerun after a crash reuses them instead of calling the model. */
  cache?: SummaryCache;
  /**
   * A question to focus the summary on (query-focused summarization): the extractive method weights
   * sentences by how much of the question they match; the model methods get it in every prompt.
   */
  question?: string;
  /** Options of the extractive method. */
  extractive?: Pick<ExtractiveOptions, 'algorithm' | 'lambda' | 'positionWeight' | 'sections' | 'maxGraphSentences'>;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

export interface SummarizeResult {
  summary: string;
  /** Words in `summary` (the count every target in this package uses). */
  words: number;
  method: SummarizationMethod;
  targetWords: number;
  /** (words − targetWords) / targetWords. */
  lengthError: number;
  /** Model calls made (0 for extractive and for summaries found in the cache). */
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Levels of the summary tree: 1 for a single pass; hierarchical merging adds one per merge level. */
  levels: number;
  /** Calls that were corrected retries. */
  retries: number;
  cacheHits: number;
  /** Summaries that stayed too long after every retry and were cut by deleting whole sentences. */
  trimmed: number;
  /** Summaries kept outside the tolerance after all retries. */
  lengthMisses: number;
  /** Hierarchical and map-reduce: the number of summaries merged by each call, level by level. */
  mergeTree?: number[][];
  /** Incremental: how often the running summary was compressed. */
  compressions?: number;
}

const DEFAULT_CHUNK_TOKENS = 2048;
/** Slack for tokens that appending the focus line to a system prompt can add at the seam. */
const FOCUS_SEAM_TOKENS = 4;

/**
 * Summarises `text` to about `targetWords` words. `extractive` (default) picks sentences offline;
 * `hierarchical` and `incremental` are BooookScore's two workflows for texts longer than the model's
 * window; `map-reduce` and `refine` are the common chains, with the same hard budgets: no prompt
 * ever exceeds `model.contextWindow − maxTokens` tokens.
 */
export async function summarize(text: string, options: SummarizeOptions): Promise<SummarizeResult> {
  validate(text, options);
  const method = options.method ?? 'extractive';
  throwIfAborted(options.signal);
  const { targetWords } = options;
  const tolerance = options.tolerance ?? 0.1;

  if (method === 'extractive') {
    const result = extractiveSummary(text, {
      ...options.extractive,
      targetWords,
      tolerance,
      ...(options.question !== undefined ? { question: options.question } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return finish(result.summary, method, targetWords, { calls: 0, promptTokens: 0, completionTokens: 0, retries: 0, cacheHits: 0, trimmed: 0 }, {
      levels: result.levels,
      lengthMisses: 0,
    });
  }

  const model = options.model!;
  const maxTokens = options.maxTokens ?? defaultMaxTokens(targetWords, model.contextWindow);
  if (maxTokens >= model.contextWindow / 2) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `maxTokens (${maxTokens}) must be under half the context window (${model.contextWindow}); lower targetWords or maxTokens, or use a model with a bigger window.`,
      { details: { maxTokens, contextWindow: model.contextWindow, targetWords } },
    );
  }
  const fullBudget = await promptBudgetFor(model, maxTokens);
  // A question goes into every request: plan every prompt with room kept for it.
  const focus = options.question !== undefined ? focusInstruction(options.question) : undefined;
  const budget = focus ? fullBudget.reserving(fullBudget.count(focus) + FOCUS_SEAM_TOKENS) : fullBudget;
  if (budget.limit < fullBudget.limit / 2) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `The question takes more than half of the prompt budget (${fullBudget.limit} tokens); shorten it or use a model with a bigger window.`);
  }
  const calls = new ModelCalls(model, budget, { method, signal: options.signal, cache: options.cache, focus, sendBudget: fullBudget });
  const run: LlmRun = {
    calls,
    budget,
    targetWords,
    chunkTokens: options.chunkTokens ?? DEFAULT_CHUNK_TOKENS,
    policy: { tolerance, maxRetries: options.maxRetries ?? 3 },
    concurrency: options.concurrency ?? (model as { maxConcurrency?: number }).maxConcurrency ?? 4,
    mergeContext: options.mergeContext ?? true,
    // Fires on the caller's abort and on the first failed call, so map stages stop at once.
    signal: calls.signal,
    onProgress: options.onProgress,
  };
  checkRoom(run, method);

  let outcome: LlmOutcome;
  try {
    outcome = await runMethod(text, method, run);
  } catch (error) {
    // Siblings cancelled by a failed call report ABORTED; the caller wants the failure itself.
    throw calls.fatalError ?? error;
  }
  return finish(outcome.summary, method, targetWords, calls.stats, outcome);
}

async function runMethod(text: string, method: Exclude<SummarizationMethod, 'extractive'>, run: LlmRun): Promise<LlmOutcome> {
  if (countWords(text) <= run.targetWords * (1 + run.policy.tolerance)) {
    // Already within the target: summarising would only lengthen or distort it.
    return { summary: text.trim(), levels: 0, lengthMisses: 0 };
  }
  if (method === 'hierarchical') return hierarchicalMerge(await chunkForSummaries(text, run), run);
  if (method === 'map-reduce') return mapReduce(await chunkForSummaries(text, run), run);
  if (method === 'incremental') return incrementalUpdate(await chunkBesideSummary(text, run, (w) => updatePrompt('', '', w, w)), run);
  return refineSummary(await chunkBesideSummary(text, run, (w) => refinePrompt('', '', w, w)), run);
}

function finish(
  summary: string,
  method: SummarizationMethod,
  targetWords: number,
  stats: ModelCalls['stats'],
  outcome: Pick<LlmOutcome, 'levels' | 'lengthMisses' | 'mergeTree' | 'compressions'>,
): SummarizeResult {
  const words = countWords(summary);
  const result: SummarizeResult = {
    summary,
    words,
    method,
    targetWords,
    lengthError: (words - targetWords) / targetWords,
    calls: stats.calls,
    promptTokens: stats.promptTokens,
    completionTokens: stats.completionTokens,
    levels: outcome.levels,
    retries: stats.retries,
    cacheHits: stats.cacheHits,
    trimmed: stats.trimmed,
    lengthMisses: outcome.lengthMisses,
  };
  if (outcome.mergeTree) result.mergeTree = outcome.mergeTree;
  if (outcome.compressions !== undefined) result.compressions = outcome.compressions;
  return result;
}

/** Room for the final summary: about 1.4 tokens a word, a third more for slack, at least 256. */
function defaultMaxTokens(targetWords: number, contextWindow: number): number {
  return Math.min(Math.max(256, Math.ceil(targetWords * 1.4 * 1.35) + 32), Math.floor(contextWindow / 2) - 1);
}

/** Fails early, with what to change, when the window cannot hold the prompts a method needs. */
function checkRoom(run: LlmRun, method: SummarizationMethod): void {
  const { budget } = run;
  const cap = summaryCap(budget);
  let needed: number;
  let what: string;
  if (method === 'hierarchical' || method === 'map-reduce') {
    const context = method === 'hierarchical' && run.mergeContext ? Math.floor(CONTEXT_SHARE * budget.limit) : 0;
    needed = templateTokens(budget, (w) => mergePrompt([], context ? ' ' : undefined, w, w)) + context + 2 * (cap + 16);
    what = 'two summaries in one merge prompt';
  } else {
    const template = method === 'incremental' ? updatePrompt : refinePrompt;
    needed = templateTokens(budget, (w) => template('', '', w, w)) + cap + 64;
    what = 'the running summary and a chunk of text';
  }
  if (needed > budget.limit) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `A ${method} summary needs room for ${what}: about ${needed} prompt tokens, but contextWindow − maxTokens is ${budget.limit}. ` +
        'Lower targetWords or maxTokens, or use a model with a bigger context window.',
      { details: { needed, limit: budget.limit, maxTokens: budget.maxTokens } },
    );
  }
}

function validate(text: unknown, options: unknown): asserts options is SummarizeOptions {
  const invalid = (message: string): never => {
    throw new ChunkwiseError('INVALID_ARGUMENT', message);
  };
  if (typeof text !== 'string') invalid(`summarize() takes a string, got ${describeValue(text)}.`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalid(`summarize() needs options { targetWords }, got ${describeValue(options)}.`);
  const o = options as SummarizeOptions;
  const method = o.method ?? 'extractive';
  if (!SUMMARIZATION_METHODS.includes(method)) invalid(`Unknown method ${describeValue(method)}; use one of ${SUMMARIZATION_METHODS.join(', ')}.`);
  if (!Number.isInteger(o.targetWords) || o.targetWords < 1) invalid(`targetWords must be a positive integer, got ${describeValue(o.targetWords)}.`);
  if (o.question !== undefined && (typeof o.question !== 'string' || o.question.trim() === '')) {
    invalid('question must be a non-empty string: the question the summary should focus on.');
  }
  if (method !== 'extractive') {
    if (o.model === undefined) invalid(`The ${method} method needs a model: pass { model } (e.g. openAICompatible(...) from @chunkwise/providers), or use method 'extractive'.`);
    checkModel(o.model);
  }
  const positiveInteger = (name: string, value: unknown) => {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 1)) invalid(`${name} must be a positive integer, got ${describeValue(value)}.`);
  };
  positiveInteger('chunkTokens', o.chunkTokens);
  positiveInteger('maxTokens', o.maxTokens);
  positiveInteger('concurrency', o.concurrency);
  if (o.maxRetries !== undefined && !(Number.isInteger(o.maxRetries) && o.maxRetries >= 0)) invalid(`maxRetries must be a non-negative integer, got ${describeValue(o.maxRetries)}.`);
  if (o.tolerance !== undefined && !(typeof o.tolerance === 'number' && o.tolerance >= 0 && o.tolerance < 1)) invalid(`tolerance must be in [0, 1), got ${describeValue(o.tolerance)}.`);
  if (o.mergeContext !== undefined && typeof o.mergeContext !== 'boolean') invalid(`mergeContext must be true or false, got ${describeValue(o.mergeContext)}.`);
  if (o.cache !== undefined) checkCache(o.cache);
  if (o.extractive !== undefined && (typeof o.extractive !== 'object' || o.extractive === null || Array.isArray(o.extractive))) {
    invalid(`extractive must be an object of extractive options, got ${describeValue(o.extractive)}.`);
  }
  if (o.signal !== undefined && !isAbortSignal(o.signal)) invalid('signal must be an AbortSignal.');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') invalid('onProgress must be a function.');
}
