import { generateText, streamText, type LanguageModel as AISDKLanguageModel } from 'ai';
import { ChunkwiseError, isChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { GenerateRequest, GenerateStreamPart, LanguageModel, Tokenizer } from '@chunkwise/core';
import { excerpt } from '../http-client.js';
import { Semaphore } from '../semaphore.js';
import { optionsOf, show } from '../argument-checks.js';

export interface FromAISDKOptions {
  /** Prompt plus completion, in tokens. AI SDK models do not expose it, so the caller must. */
  contextWindow: number;
  /** The model's tokenizer, when the caller has one. */
  tokenizer?: Tokenizer | undefined;
  /** Calls in flight at once through this adapter. Default 4. */
  maxConcurrency?: number | undefined;
  /** Passed to `generateText`, which retries with its own backoff. Default 2 (the AI SDK's default). */
  maxRetries?: number | undefined;
  /** Passed to `generateText` as `providerOptions` (reasoning effort, safety settings…). */
  providerOptions?: Parameters<typeof generateText>[0]['providerOptions'] | undefined;
}

/** `generate()`'s answer, with the AI SDK's unified finish reason. */
export interface AISDKGenerateResult {
  text: string;
  usage?: { promptTokens: number; completionTokens: number };
  finishReason?: string;
}

/**
 * Adapts a Vercel AI SDK language model (`openai('gpt-4o-mini')`, `ollama('llama3.2')`, any
 * provider's model object) to a core `LanguageModel`, calling `generateText` from `ai` ≥ 5.
 * Errors become ChunkwiseErrors: the AI SDK's API errors → UPSTREAM with status and body excerpt,
 * a fired signal → ABORTED.
 */
/** What `fromAISDK` returns: a core `LanguageModel` that also streams. */
export interface AISDKLanguageModelAdapter extends LanguageModel {
  readonly maxConcurrency: number;
  generate(req: GenerateRequest): Promise<AISDKGenerateResult>;
  /** `streamText` from `ai`: text parts as they arrive, then one finish part. */
  generateStream(req: GenerateRequest): AsyncGenerator<GenerateStreamPart, void, undefined>;
}

export function fromAISDK(model: AISDKLanguageModel, options: FromAISDKOptions): AISDKLanguageModelAdapter {
  if (model === null || model === undefined) throw new ChunkwiseError('INVALID_ARGUMENT', 'fromAISDK needs an AI SDK language model.');
  options = optionsOf(options, 'fromAISDK options') as FromAISDKOptions;
  if (!Number.isInteger(options.contextWindow) || options.contextWindow < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `contextWindow must be a positive integer (tokens), got ${show(options.contextWindow)}.`);
  }
  const semaphore = new Semaphore(options.maxConcurrency ?? 4);

  async function generate(req: GenerateRequest): Promise<AISDKGenerateResult> {
    checkRequest(req);
    throwIfAborted(req.signal);
    return semaphore.run(async () => {
      try {
        const result = await generateText({
          model,
          prompt: req.prompt,
          ...(req.system === undefined || req.system === '' ? {} : { system: req.system }),
          ...(req.maxTokens === undefined ? {} : { maxOutputTokens: req.maxTokens }),
          ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
          ...(req.signal === undefined ? {} : { abortSignal: req.signal }),
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          ...(options.providerOptions === undefined ? {} : { providerOptions: options.providerOptions }),
        });
        const out: AISDKGenerateResult = { text: result.text, finishReason: result.finishReason };
        const { inputTokens, outputTokens } = result.usage;
        if (typeof inputTokens === 'number' && typeof outputTokens === 'number') out.usage = { promptTokens: inputTokens, completionTokens: outputTokens };
        return out;
      } catch (error) {
        throw toChunkwiseError(error, req.signal);
      }
    }, req.signal);
  }

  async function* generateStream(req: GenerateRequest): AsyncGenerator<GenerateStreamPart, void, undefined> {
    checkRequest(req);
    throwIfAborted(req.signal);
    // The slot is held for the whole stream, and given back however the consumer stops.
    const release = await semaphore.acquire(req.signal);
    try {
      const result = streamText({
        model,
        prompt: req.prompt,
        ...(req.system === undefined || req.system === '' ? {} : { system: req.system }),
        ...(req.maxTokens === undefined ? {} : { maxOutputTokens: req.maxTokens }),
        ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
        ...(req.signal === undefined ? {} : { abortSignal: req.signal }),
        ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
        ...(options.providerOptions === undefined ? {} : { providerOptions: options.providerOptions }),
        // Errors come back as stream parts and are rethrown below; the default handler would also log them.
        onError: () => {},
      });
      let finish: GenerateStreamPart | undefined;
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          if (part.text !== '') yield { type: 'text', text: part.text };
        } else if (part.type === 'error') {
          throw toChunkwiseError(part.error, req.signal);
        } else if (part.type === 'abort') {
          throw new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: req.signal?.reason });
        } else if (part.type === 'finish') {
          finish = { type: 'finish', finishReason: part.finishReason };
          const { inputTokens, outputTokens } = part.totalUsage;
          if (typeof inputTokens === 'number' && typeof outputTokens === 'number') finish.usage = { promptTokens: inputTokens, completionTokens: outputTokens };
        }
      }
      throwIfAborted(req.signal);
      if (finish === undefined) throw new ChunkwiseError('UPSTREAM', 'The AI SDK stream ended without a finish part.');
      yield finish;
    } catch (error) {
      throw toChunkwiseError(error, req.signal);
    } finally {
      release();
    }
  }

  return {
    contextWindow: options.contextWindow,
    maxConcurrency: semaphore.limit,
    ...(options.tokenizer === undefined ? {} : { tokenizer: options.tokenizer }),
    generate,
    generateStream,
  };
}

/** The request fields this adapter passes on, checked before the AI SDK sees them. */
function checkRequest(req: GenerateRequest): void {
  if (typeof req?.prompt !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'generate() needs a prompt string.');
  if (req.system !== undefined && typeof req.system !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'system must be a string.');
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)) throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${show(req.maxTokens)}.`);
  if (req.temperature !== undefined && (typeof req.temperature !== 'number' || !Number.isFinite(req.temperature))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `temperature must be a finite number, got ${show(req.temperature)}.`);
  }
  if (req.signal !== undefined && !(req.signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${show(req.signal)}.`);
}

/** Maps AI SDK errors (matched by shape, so any installed copy of `ai` works) to ChunkwiseErrors. */
export function toChunkwiseError(error: unknown, signal: AbortSignal | undefined): ChunkwiseError {
  if (signal?.aborted) return new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: signal.reason ?? error });
  if (isChunkwiseError(error)) return error;
  // RetryError wraps the last attempt's error; report that one, with the attempt count.
  const retry = error as { lastError?: unknown; errors?: unknown[] };
  const last = retry && typeof retry === 'object' && 'lastError' in retry ? retry.lastError : error;
  const api = last as { statusCode?: unknown; responseBody?: unknown; url?: unknown; message?: unknown };
  const message = typeof api?.message === 'string' ? api.message : String(last);
  const details: Record<string, unknown> = {};
  if (typeof api?.statusCode === 'number') details.status = api.statusCode;
  if (typeof api?.url === 'string') details.url = api.url;
  if (typeof api?.responseBody === 'string') details.body = excerpt(api.responseBody);
  if (Array.isArray(retry?.errors)) details.attempts = retry.errors.length;
  const status = details.status === undefined ? '' : ` (HTTP ${String(details.status)})`;
  return new ChunkwiseError('UPSTREAM', `The AI SDK model failed${status}: ${excerpt(message)}`, { cause: error, details });
}
