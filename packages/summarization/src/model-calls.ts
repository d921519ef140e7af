import { ChunkwiseError, hashKey, isChunkwiseError, throwIfAborted, type GenerateRequest, type GenerateResult, type LanguageModel } from '@chunkwise/core';
import type { Prompt } from './prompts.js';
import type { SummaryCache } from './summary-cache.js';
import type { PromptBudget } from './token-budget.js';

/** What the calls of one `summarize()` run cost. */
export interface CallStats {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  /** Calls that repeated a prompt with a length or unfinished-sentence correction. */
  retries: number;
  /** Summaries taken from the cache instead of the model. */
  cacheHits: number;
  /** Answers that stayed too long after every retry and were cut to the target by deleting sentences. */
  trimmed: number;
}

/** What one call returned: the text, and why the model stopped when it said (`'length'`: cut at maxTokens). */
export interface Completion {
  text: string;
  finishReason?: string;
}

export interface ModelCallsOptions {
  method: string;
  signal?: AbortSignal | undefined;
  cache?: SummaryCache | undefined;
  /**
   * Appended to every request's system prompt (a question to focus on). The run plans with
   * `budget`, which must have reserved room for it; requests are checked against `sendBudget`.
   */
  focus?: string | undefined;
  sendBudget?: PromptBudget | undefined;
}

/**
 * Every model call of a run goes through here: each prompt is measured against the budget before it
 * is sent (never truncated, never sent over), usage is added up (the server's counts when it gives
 * them, ours otherwise), the AbortSignal is checked before each call and passed to the model, and
 * finished summaries are cached under a key of method, model and prompt.
 *
 * The first call that fails (the provider has already retried what was worth retrying) ends the
 * run: the calls still in flight are aborted at once instead of being awaited to their timeouts,
 * and every one of them reports that first error, so the caller sees the cause, not the cancellations.
 */
export class ModelCalls {
  readonly stats: CallStats = { calls: 0, promptTokens: 0, completionTokens: 0, retries: 0, cacheHits: 0, trimmed: 0 };
  /** Fires when the caller aborts or a call fails: pass it to everything the run starts. */
  readonly signal: AbortSignal;
  private readonly modelId: string;
  private readonly failed = new AbortController();
  private fatal: { error: unknown } | undefined;

  constructor(
    readonly model: LanguageModel,
    readonly budget: PromptBudget,
    private readonly options: ModelCallsOptions,
  ) {
    this.modelId = describeModel(model);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.failed.signal]) : this.failed.signal;
  }

  /** The first failed call's error, once one failed: what the whole run reports. */
  get fatalError(): unknown {
    return this.fatal?.error;
  }

  /** Throws the run's first failure, or ABORTED when the caller's signal fired. */
  throwIfStopped(): void {
    if (this.fatal) throw this.fatal.error;
    throwIfAborted(this.options.signal);
  }

  /** One call. Throws ChunkwiseError('ABORTED') when the signal fires, before or during the call. */
  async generate(prompt: Prompt): Promise<Completion> {
    this.throwIfStopped();
    const sent = this.focused(prompt);
    const counted = (this.options.sendBudget ?? this.budget).assertFits(sent);
    this.stats.calls++;
    let result: GenerateResult;
    try {
      result = await this.model.generate(this.request(sent));
    } catch (error) {
      throw this.failure(error);
    }
    this.throwIfStopped();
    return this.account(result, counted);
  }

  /**
   * One call, streamed: `onText` gets the text as it arrives (`model.generateStream`), or all of it
   * at once from `generate` when the model cannot stream. Same budget, accounting and failures as
   * `generate`.
   */
  async stream(prompt: Prompt, onText: (text: string) => void): Promise<Completion> {
    if (!this.model.generateStream) {
      const completion = await this.generate(prompt);
      if (completion.text) onText(completion.text);
      return completion;
    }
    this.throwIfStopped();
    const sent = this.focused(prompt);
    const counted = (this.options.sendBudget ?? this.budget).assertFits(sent);
    this.stats.calls++;
    let text = '';
    const result: GenerateResult = { text };
    try {
      for await (const part of this.model.generateStream(this.request(sent))) {
        if (part.type === 'text') {
          if (typeof part.text !== 'string') throw new ChunkwiseError('UPSTREAM', 'The model streamed a text part without text.');
          text += part.text;
          if (part.text) onText(part.text);
        } else if (part.type === 'finish') {
          if (part.finishReason !== undefined) result.finishReason = part.finishReason;
          if (part.usage) result.usage = part.usage;
        }
      }
    } catch (error) {
      throw this.failure(error);
    }
    this.throwIfStopped();
    result.text = text;
    return this.account(result, counted);
  }

  private focused(prompt: Prompt): Prompt {
    return this.options.focus ? { system: prompt.system + this.options.focus, prompt: prompt.prompt } : prompt;
  }

  private request(prompt: Prompt): GenerateRequest {
    return { system: prompt.system, prompt: prompt.prompt, maxTokens: this.budget.maxTokens, signal: this.signal };
  }

  /** Adds a finished call's usage (the server's counts when given, ours otherwise) and checks its shape. */
  private account(result: GenerateResult, counted: number): Completion {
    if (typeof result?.text !== 'string') {
      throw this.failure(new ChunkwiseError('UPSTREAM', `The model returned ${result === null ? 'null' : typeof result?.text} instead of text.`));
    }
    this.stats.promptTokens += result.usage?.promptTokens ?? counted;
    this.stats.completionTokens += result.usage?.completionTokens ?? this.budget.count(result.text);
    return result.finishReason === undefined ? { text: result.text } : { text: result.text, finishReason: result.finishReason };
  }

  /** The error a failed call reports; the first failure that is not the caller's abort stops the run. */
  private failure(error: unknown): unknown {
    if (this.fatal) return this.fatal.error;
    if (this.options.signal?.aborted) {
      return isChunkwiseError(error, 'ABORTED') ? error : new ChunkwiseError('ABORTED', 'The summary was aborted by its AbortSignal.', { cause: error });
    }
    this.fatal = { error };
    this.failed.abort(error);
    return error;
  }

  /** The cache key of a summary: method, model, the first prompt and the length target. */
  async cacheKey(prompt: Prompt, targetWords: number, tolerance: number): Promise<string | undefined> {
    if (!this.options.cache) return undefined;
    return hashKey({
      v: 1,
      method: this.options.method,
      model: this.modelId,
      system: prompt.system,
      prompt: prompt.prompt,
      targetWords,
      tolerance,
      ...(this.options.focus ? { focus: this.options.focus } : {}),
    });
  }

  async cacheGet(key: string | undefined): Promise<string | undefined> {
    if (key === undefined || !this.options.cache) return undefined;
    const value = await this.options.cache.get(key);
    if (typeof value !== 'string') return undefined;
    this.stats.cacheHits++;
    return value;
  }

  async cacheSet(key: string | undefined, value: string): Promise<void> {
    if (key === undefined || !this.options.cache) return;
    await this.options.cache.set(key, value);
  }
}

/** A stable identity for cache keys: the provider's model name and endpoint when it exposes them. */
function describeModel(model: LanguageModel): string {
  const named = model as { model?: unknown; name?: unknown; id?: unknown; baseURL?: unknown };
  const name = [named.model, named.name, named.id].find((value) => typeof value === 'string') ?? 'model';
  const endpoint = typeof named.baseURL === 'string' ? `@${named.baseURL}` : '';
  return `${String(name)}${endpoint}#${model.contextWindow}`;
}
