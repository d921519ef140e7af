import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { GenerateRequest, GenerateResult, LanguageModel, Tokenizer } from '@chunkwise/core';
import { createHttpClient, wrongShape, type HttpClientOptions, type JsonResponse } from './http-client.js';

export interface OpenAICompatibleOptions extends HttpClientOptions {
  /** The model name the server knows, e.g. `llama3.2`, `gpt-4o-mini`, `Qwen/Qwen2.5-7B-Instruct`. */
  model: string;
  /** Prompt plus completion, in tokens. The server does not tell us, so the caller must. */
  contextWindow: number;
  /** The model's tokenizer, when the caller has one; budget code falls back to o200k otherwise. */
  tokenizer?: Tokenizer | undefined;
  /**
   * How `logprobs(text)` is obtained. `'completions-echo'` (default) asks `/v1/completions` to echo
   * the prompt with its log-probabilities, which vLLM and OpenAI's legacy completion models do;
   * `false` leaves `logprobs` off the model, so callers see up front that it is not available.
   */
  logprobs?: 'completions-echo' | false | undefined;
  /** Extra fields merged into every request body (`top_p`, `seed`, vendor options…). */
  extraBody?: Record<string, unknown> | undefined;
}

/** `generate()`'s answer, with the server's finish reason when it gave one ('stop', 'length'…). */
export interface OpenAICompatibleGenerateResult extends GenerateResult {
  finishReason?: string;
}

export interface OpenAICompatibleModel extends LanguageModel {
  readonly model: string;
  readonly baseURL: string;
  readonly maxConcurrency: number;
  generate(req: GenerateRequest): Promise<OpenAICompatibleGenerateResult>;
}

/**
 * A core `LanguageModel` over `/v1/chat/completions` of any OpenAI-compatible server (Ollama, vLLM,
 * llama.cpp server, LM Studio, OpenAI), with timeouts, retries and a concurrency limit.
 */
export function openAICompatible(options: OpenAICompatibleOptions): OpenAICompatibleModel {
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'model must name the model the server serves, e.g. "llama3.2".');
  }
  if (!Number.isInteger(options.contextWindow) || options.contextWindow < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `contextWindow must be a positive integer (tokens), got ${String(options.contextWindow)}.`);
  }
  const client = createHttpClient(options);
  const extraBody = options.extraBody ?? {};

  async function generate(req: GenerateRequest): Promise<OpenAICompatibleGenerateResult> {
    validateRequest(req);
    throwIfAborted(req.signal);
    const messages: Array<{ role: 'system' | 'user'; content: string }> = [];
    if (req.system !== undefined && req.system !== '') messages.push({ role: 'system', content: req.system });
    messages.push({ role: 'user', content: req.prompt });
    const body: Record<string, unknown> = { ...extraBody, model: options.model, messages, stream: false };
    if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
    if (req.temperature !== undefined) body.temperature = req.temperature;
    const response = await client.postJSON('/chat/completions', body, req.signal);
    return readChatCompletion(response);
  }

  async function logprobs(text: string, opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'logprobs(text) needs a string.');
    throwIfAborted(opts.signal);
    if (text === '') return new Float32Array(0);
    // max_tokens 1, not 0: vLLM rejects 0. The one generated token is cut off below by its offset.
    const body = { ...extraBody, model: options.model, prompt: text, max_tokens: 1, echo: true, logprobs: 1, temperature: 0, stream: false };
    let response: JsonResponse;
    try {
      response = await client.postJSON('/completions', body, opts.signal);
    } catch (error) {
      const status = (error as ChunkwiseError).details?.status;
      if (status === 404 || status === 400 || status === 422 || status === 501) {
        throw new ChunkwiseError(
          'UNSUPPORTED',
          `${client.baseURL}/completions did not return prompt log-probabilities (HTTP ${String(status)}); logprobs needs a server that supports echo + logprobs on /v1/completions, such as vLLM.`,
          { cause: error, details: { status, model: options.model } },
        );
      }
      throw error;
    }
    return readEchoLogprobs(response, text);
  }

  const model: OpenAICompatibleModel = {
    model: options.model,
    baseURL: client.baseURL,
    contextWindow: options.contextWindow,
    maxConcurrency: client.semaphore.limit,
    generate,
    ...(options.tokenizer === undefined ? {} : { tokenizer: options.tokenizer }),
    ...(options.logprobs === false ? {} : { logprobs }),
  };
  return model;
}

function validateRequest(req: GenerateRequest): void {
  if (typeof req?.prompt !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'generate() needs a prompt string.');
  if (req.system !== undefined && typeof req.system !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'system must be a string.');
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${String(req.maxTokens)}.`);
  }
  if (req.temperature !== undefined && (!Number.isFinite(req.temperature) || req.temperature < 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `temperature must be a finite number ≥ 0, got ${String(req.temperature)}.`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readUsage(json: Record<string, unknown>): GenerateResult['usage'] {
  const usage = json.usage;
  if (!isRecord(usage)) return undefined;
  const promptTokens = usage.prompt_tokens;
  const completionTokens = usage.completion_tokens;
  if (typeof promptTokens !== 'number' || typeof completionTokens !== 'number') return undefined;
  return { promptTokens, completionTokens };
}

function readChatCompletion(response: JsonResponse): OpenAICompatibleGenerateResult {
  const json = response.json;
  if (!isRecord(json) || !Array.isArray(json.choices)) throw wrongShape(response, 'no choices array');
  const choice: unknown = json.choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) throw wrongShape(response, 'choices[0].message missing');
  const content = choice.message.content;
  // Reasoning servers may send content null with a refusal; say so instead of returning ''.
  if (typeof content !== 'string') throw wrongShape(response, 'choices[0].message.content is not a string');
  const result: OpenAICompatibleGenerateResult = { text: content };
  const usage = readUsage(json);
  if (usage) result.usage = usage;
  if (typeof choice.finish_reason === 'string') result.finishReason = choice.finish_reason;
  return result;
}

function readEchoLogprobs(response: JsonResponse, text: string): Float32Array {
  const json = response.json;
  if (!isRecord(json) || !Array.isArray(json.choices)) throw wrongShape(response, 'no choices array');
  const choice: unknown = json.choices[0];
  if (!isRecord(choice)) throw wrongShape(response, 'choices[0] missing');
  const info = choice.logprobs;
  if (!isRecord(info) || !Array.isArray(info.token_logprobs)) {
    throw new ChunkwiseError(
      'UNSUPPORTED',
      `${response.url} answered without logprobs.token_logprobs: this server does not return prompt log-probabilities (echo + logprobs), e.g. Ollama and llama.cpp server do not. Use vLLM or a model that supports it.`,
      { details: { url: response.url, status: response.status } },
    );
  }
  const values = info.token_logprobs as unknown[];
  let keep: number;
  if (Array.isArray(info.text_offset) && info.text_offset.length === values.length) {
    // Tokens that start at or past the end of the prompt were generated, not echoed.
    keep = (info.text_offset as unknown[]).findIndex((offset) => typeof offset === 'number' && offset >= text.length);
    if (keep < 0) keep = values.length;
  } else {
    const generated = isRecord(json.usage) && typeof json.usage.completion_tokens === 'number' ? json.usage.completion_tokens : 1;
    keep = Math.max(0, values.length - generated);
  }
  if (keep === 0) {
    throw new ChunkwiseError('UNSUPPORTED', `${response.url} did not echo the prompt's tokens; the server ignores "echo", so prompt log-probabilities are not available.`, {
      details: { url: response.url },
    });
  }
  const out = new Float32Array(keep);
  for (let i = 0; i < keep; i++) {
    const value = values[i];
    // The first token has no prefix to be conditioned on; servers send null there, we keep NaN.
    if (value === null || value === undefined) out[i] = Number.NaN;
    else if (typeof value === 'number') out[i] = value;
    else throw wrongShape(response, `token_logprobs[${i}] is not a number`);
  }
  return out;
}
