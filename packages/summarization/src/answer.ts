import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import { checkAnswer } from './answer-citations.js';
import { checkCache, checkModel, describeValue, isAbortSignal } from './argument-checks.js';
import { indexPassages, passagesOfText, validatePassages } from './answer-passages.js';
import type { AnswerMethod, AnswerOptions, AnswerPassage, AnswerRepair, AnswerResult, AnswerStreamPart } from './answer-types.js';
import { MarkerRewriter } from './citation-markers.js';
import { countWords } from './count-words.js';
import { extractiveAnswer, NOTHING_RELEVANT } from './extractive-answer.js';
import { summarizeToLength, toLastSentence } from './length-control.js';
import { ANSWER_MEASURE, checkAnswerRoom, compactAnswer, passageBlocks, refineAnswer, treeAnswer, type AnswerRun, type FinalCall } from './llm-answer.js';
import { ModelCalls } from './model-calls.js';
import { promptBudgetFor } from './token-budget.js';

export const ANSWER_METHODS: readonly AnswerMethod[] = ['extractive', 'compact', 'refine', 'tree'];

const DEFAULT_TARGET_WORDS = 120;

/**
 * Answers `question` from `passages` (or from a text, cut into passages of whole paragraphs) with
 * citations a user can check: every `[n]` in the answer resolves to a citation, and every citation
 * is an exact span of a passage. `extractive` (default) quotes the relevant sentences, offline;
 * `compact`, `refine` and `tree` ask a model, never with a prompt over its window, and check what
 * it cites. See `AnswerOptions` and `AnswerResult`.
 */
export async function answer(question: string, passages: readonly AnswerPassage[] | string, options: AnswerOptions = {}): Promise<AnswerResult> {
  return runAnswer(question, passages, options, undefined);
}

/**
 * `answer`, streamed: the answer's text as the model writes it (`{ type: 'text' }` parts, citation
 * markers already numbered as in the result), then one `{ type: 'finish', result }` with the checked
 * text and citations. The streamed call is the method's last one (the only one for `compact`); it
 * is not retried for length, and an answer cut at `maxTokens` ends with a `truncated` repair and a
 * result text cut back to its last complete sentence. Models without `generateStream` answer with
 * `generate` and stream the whole text as one part; extractive answers likewise. Stopping the
 * iteration early aborts the calls in flight.
 */
export async function* answerStream(
  question: string,
  passages: readonly AnswerPassage[] | string,
  options: AnswerOptions = {},
): AsyncGenerator<AnswerStreamPart, void, undefined> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `answerStream() options must be an object, got ${describeValue(options)}.`);
  }
  if (options.signal !== undefined && !isAbortSignal(options.signal)) throw new ChunkwiseError('INVALID_ARGUMENT', 'signal must be an AbortSignal.');
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let outcome: { result: AnswerResult } | { error: unknown } | undefined;
  const emit = (text: string) => {
    if (text) queue.push(text);
    wake?.();
  };
  void runAnswer(question, passages, { ...options, signal }, emit).then(
    (result) => {
      outcome = { result };
      wake?.();
    },
    (error: unknown) => {
      outcome = { error };
      wake?.();
    },
  );
  try {
    for (;;) {
      while (queue.length > 0) yield { type: 'text', text: queue.shift()! };
      if (outcome) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    if ('error' in outcome) throw outcome.error;
    yield { type: 'finish', result: outcome.result };
  } finally {
    // The consumer stopped early (break, return, a throw): nothing keeps running for nobody.
    if (!outcome) stop.abort(new ChunkwiseError('ABORTED', 'The answer stream was closed before it finished.'));
  }
}

async function runAnswer(
  question: string,
  source: readonly AnswerPassage[] | string,
  options: AnswerOptions,
  emit: ((text: string) => void) | undefined,
): Promise<AnswerResult> {
  const settings = validate(question, options);
  const passages = typeof source === 'string' ? passagesOfText(source) : validatePassages(source);
  if (typeof source === 'string' && passages.length === 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'answer() got a text without words to answer from; pass the text or the passages your search returned.');
  }
  throwIfAborted(options.signal);

  if (settings.method === 'extractive') {
    const result = await extractiveAnswer(question, passages, {
      targetWords: settings.targetWords,
      minRelevance: settings.minRelevance,
      minSimilarity: settings.minSimilarity,
      lambda: settings.lambda,
      embedder: options.embedder,
      signal: options.signal,
    });
    emit?.(result.text);
    return {
      ...result,
      method: 'extractive',
      words: countWords(result.text.replace(/\s*\[\d+\]/g, '')),
      usage: { promptTokens: 0, completionTokens: 0 },
      calls: 0,
      cacheHits: 0,
      retries: 0,
      repairs: [],
    };
  }
  return llmAnswer(question, passages, options, settings, emit);
}

async function llmAnswer(
  question: string,
  passages: readonly AnswerPassage[],
  options: AnswerOptions,
  settings: Settings,
  emit: ((text: string) => void) | undefined,
): Promise<AnswerResult> {
  const model = options.model!;
  const maxTokens = options.maxTokens ?? defaultMaxTokens(settings.targetWords, model.contextWindow);
  if (maxTokens >= model.contextWindow / 2) {
    throw new ChunkwiseError(
      'INVALID_ARGUMENT',
      `maxTokens (${maxTokens}) must be under half the context window (${model.contextWindow}); lower targetWords or maxTokens, or use a model with a bigger window.`,
      { details: { maxTokens, contextWindow: model.contextWindow } },
    );
  }
  const budget = await promptBudgetFor(model, maxTokens);
  const method = settings.method as Exclude<AnswerMethod, 'extractive'>;
  const calls = new ModelCalls(model, budget, { method: `answer-${method}`, signal: options.signal, cache: options.cache });
  const policy = { tolerance: settings.tolerance, maxRetries: settings.maxRetries, atMost: true };
  const repairs: AnswerRepair[] = [];
  let truncated = false;
  // Streaming shows the model's markers already renumbered; the check below renumbers the final text the same way.
  const display = new MarkerRewriter(passages.length);

  const final: FinalCall = emit
    ? async (build) => {
        const prompt = build();
        const key = await calls.cacheKey(prompt, settings.targetWords, settings.tolerance);
        const cached = await calls.cacheGet(key);
        if (cached !== undefined) {
          emit(display.rewrite(cached));
          return cached;
        }
        const completion = await calls.stream(prompt, (piece) => emit(display.push(piece)));
        emit(display.end());
        let text = ANSWER_MEASURE.clean(completion.text);
        if (completion.finishReason === 'length' || !ANSWER_MEASURE.finished(text)) {
          text = toLastSentence({ text }, ANSWER_MEASURE).text;
          truncated = true;
        }
        await calls.cacheSet(key, text);
        return text;
      }
    : async (build) => {
        const result = await summarizeToLength(calls, build, settings.targetWords, policy, ANSWER_MEASURE);
        if (result.truncated) truncated = true;
        return result.text;
      };

  const run: AnswerRun = {
    calls,
    budget,
    question: question.trim(),
    targetWords: settings.targetWords,
    policy,
    concurrency: options.concurrency ?? (model as { maxConcurrency?: number }).maxConcurrency ?? 4,
    signal: calls.signal,
    onProgress: options.onProgress,
    final,
    repairs,
  };
  checkAnswerRoom(run, method);

  let raw: string;
  let used: AnswerMethod = method;
  try {
    const { blocks, sizes } = await passageBlocks(run, passages);
    if (blocks.length === 0) {
      // No passage has a word: nothing to ask the model about.
      raw = NOTHING_RELEVANT;
      emit?.(raw);
    } else if (method === 'compact') {
      const compact = await compactAnswer(run, blocks, sizes);
      raw = compact.text;
      used = compact.method;
    } else if (method === 'refine') {
      raw = await refineAnswer(run, blocks);
    } else {
      raw = await treeAnswer(run, blocks, sizes);
    }
  } catch (error) {
    // Calls cancelled because a sibling failed report ABORTED; the caller wants the failure itself.
    throw calls.fatalError ?? error;
  }

  const checked = checkAnswer(raw, indexPassages(passages));
  if (truncated) repairs.push({ kind: 'truncated' });
  return {
    text: checked.text,
    citations: checked.citations,
    answered: checked.answered,
    method: used,
    words: checked.words,
    usage: { promptTokens: calls.stats.promptTokens, completionTokens: calls.stats.completionTokens },
    calls: calls.stats.calls,
    cacheHits: calls.stats.cacheHits,
    retries: calls.stats.retries,
    repairs: [...repairs, ...checked.repairs],
  };
}

/** Room for the answer: about 1.4 tokens a word, a third more for slack and markers, at least 256. */
function defaultMaxTokens(targetWords: number, contextWindow: number): number {
  return Math.min(Math.max(256, Math.ceil(targetWords * 1.4 * 1.35) + 64), Math.floor(contextWindow / 2) - 1);
}

interface Settings {
  method: AnswerMethod;
  targetWords: number;
  tolerance: number;
  maxRetries: number;
  minRelevance: number;
  minSimilarity: number;
  lambda: number;
}

function validate(question: unknown, options: unknown): Settings {
  const invalid = (message: string): never => {
    throw new ChunkwiseError('INVALID_ARGUMENT', message);
  };
  if (typeof question !== 'string') invalid(`answer() takes the question as a string, got ${describeValue(question)}.`);
  if ((question as string).trim() === '') invalid('The question is empty: ask something, e.g. answer("Who is Ahab?", passages).');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) invalid(`answer() options must be an object, got ${describeValue(options)}.`);
  const o = options as AnswerOptions;
  const method = o.method ?? 'extractive';
  if (!ANSWER_METHODS.includes(method)) invalid(`Unknown method ${describeValue(method)}; use one of ${ANSWER_METHODS.join(', ')}.`);
  if (method !== 'extractive') {
    if (o.model === undefined) invalid(`The ${method} method needs a model: pass { model } (e.g. openAICompatible(...) from @chunkwise/providers), or use method 'extractive'.`);
    checkModel(o.model);
  }
  const positiveInteger = (name: string, value: unknown) => {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 1)) invalid(`${name} must be a positive integer, got ${describeValue(value)}.`);
  };
  positiveInteger('targetWords', o.targetWords);
  positiveInteger('maxTokens', o.maxTokens);
  positiveInteger('concurrency', o.concurrency);
  if (o.maxRetries !== undefined && !(Number.isInteger(o.maxRetries) && o.maxRetries >= 0)) invalid(`maxRetries must be a non-negative integer, got ${describeValue(o.maxRetries)}.`);
  const inRange = (name: string, value: unknown, low: number, high: number) => {
    if (value !== undefined && !(typeof value === 'number' && value >= low && value <= high)) invalid(`${name} must be a number in [${low}, ${high}], got ${describeValue(value)}.`);
  };
  inRange('tolerance', o.tolerance, 0, 0.99);
  inRange('minRelevance', o.minRelevance, 0, 1);
  inRange('minSimilarity', o.minSimilarity, -1, 1);
  inRange('lambda', o.lambda, 0, 1);
  if (o.cache !== undefined) checkCache(o.cache);
  if (o.embedder !== undefined && typeof o.embedder?.embed !== 'function') invalid('embedder must be an Embedder with an embed(texts) method.');
  if (o.signal !== undefined && !isAbortSignal(o.signal)) invalid('signal must be an AbortSignal.');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') invalid('onProgress must be a function.');
  return {
    method,
    targetWords: o.targetWords ?? DEFAULT_TARGET_WORDS,
    tolerance: o.tolerance ?? 0.2,
    maxRetries: o.maxRetries ?? 2,
    minRelevance: o.minRelevance ?? 0.3,
    minSimilarity: o.minSimilarity ?? 0.6,
    lambda: o.lambda ?? 0.7,
  };
}
