import { ChunkwiseError, throwIfAborted } from '@chunkwise/core';
import type { GenerateRequest, GenerateResult, GenerateStreamPart, LanguageModel, Tokenizer } from '@chunkwise/core';
import { createHttpClient, excerpt, wrongShape, type HttpClientOptions, type JsonResponse } from './http-client.js';
import { show, signalOf } from './argument-checks.js';

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
  /**
   * `generateStream` asks for token usage with `stream_options: { include_usage: true }` (OpenAI,
   * vLLM, Ollama). Default true; set false for a server that rejects the field.
   */
  streamUsage?: boolean | undefined;
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
  generateStream(req: GenerateRequest): AsyncGenerator<GenerateStreamPart, void, undefined>;
}

/**
 * A core `LanguageModel` over `/v1/chat/completions` of any OpenAI-compatible server (Ollama, vLLM,
 * llama.cpp server, LM Studio, OpenAI), with timeouts, retries and a concurrency limit.
 */
export function openAICompatible(options: OpenAICompatibleOptions): OpenAICompatibleModel {
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `openAICompatible needs { baseURL, model, contextWindow }, got ${show(options)}.`);
  if (options.extraBody !== undefined && (typeof options.extraBody !== 'object' || options.extraBody === null)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `extraBody must be an object, got ${show(options.extraBody)}.`);
  }
  if (options.logprobs !== undefined && options.logprobs !== false && options.logprobs !== 'completions-echo') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `logprobs must be 'completions-echo' or false, got ${show(options.logprobs)}.`);
  }
  if (typeof options.model !== 'string' || options.model.trim() === '') {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'model must name the model the server serves, e.g. "llama3.2".');
  }
  if (!Number.isInteger(options.contextWindow) || options.contextWindow < 1) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `contextWindow must be a positive integer (tokens), got ${show(options.contextWindow)}.`);
  }
  const client = createHttpClient(options);
  const extraBody = options.extraBody ?? {};

  function chatBody(req: GenerateRequest, stream: boolean): Record<string, unknown> {
    const messages: Array<{ role: 'system' | 'user'; content: string }> = [];
    if (req.system !== undefined && req.system !== '') messages.push({ role: 'system', content: req.system });
    messages.push({ role: 'user', content: req.prompt });
    const body: Record<string, unknown> = { ...extraBody, model: options.model, messages, stream };
    if (stream && options.streamUsage !== false) body.stream_options = { include_usage: true };
    if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens;
    if (req.temperature !== undefined) body.temperature = req.temperature;
    return body;
  }

  async function generate(req: GenerateRequest): Promise<OpenAICompatibleGenerateResult> {
    validateRequest(req);
    throwIfAborted(req.signal);
    const response = await client.postJSON('/chat/completions', chatBody(req, false), req.signal);
    return readChatCompletion(response);
  }

  async function* generateStream(req: GenerateRequest): AsyncGenerator<GenerateStreamPart, void, undefined> {
    validateRequest(req);
    throwIfAborted(req.signal);
    const url = `${client.baseURL}/chat/completions`;
    let finishReason: string | undefined;
    let usage: GenerateResult['usage'];
    let done = false;
    for await (const event of client.postEventStream('/chat/completions', chatBody(req, true), req.signal)) {
      if (event.data === '[DONE]') {
        done = true;
        break;
      }
      const chunk = readStreamChunk(url, event.data);
      if (chunk.text) yield { type: 'text', text: chunk.text };
      if (chunk.finishReason !== undefined) finishReason = chunk.finishReason;
      if (chunk.usage !== undefined) usage = chunk.usage;
    }
    // A stream that stops before [DONE] and before any finish reason was cut, not finished.
    if (!done && finishReason === undefined) {
      throw new ChunkwiseError('UPSTREAM', `The stream from ${url} ended before the answer was finished (no finish_reason, no [DONE]).`, { details: { url } });
    }
    const finish: GenerateStreamPart = { type: 'finish' };
    if (finishReason !== undefined) finish.finishReason = finishReason;
    if (usage !== undefined) finish.usage = usage;
    yield finish;
  }

  async function logprobs(text: string, opts?: { signal?: AbortSignal }): Promise<Float32Array> {
    if (typeof text !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'logprobs(text) needs a string.');
    const signal = signalOf(opts);
    throwIfAborted(signal);
    if (text === '') return new Float32Array(0);
    // max_tokens 1, not 0: vLLM rejects 0. The one generated token is cut off below by its offset.
    const body = { ...extraBody, model: options.model, prompt: text, max_tokens: 1, echo: true, logprobs: 1, temperature: 0, stream: false };
    let response: JsonResponse;
    try {
      response = await client.postJSON('/completions', body, signal);
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
    generateStream,
    ...(options.tokenizer === undefined ? {} : { tokenizer: options.tokenizer }),
    ...(options.logprobs === false ? {} : { logprobs }),
  };
  return model;
}

function validateRequest(req: GenerateRequest): void {
  if (typeof req?.prompt !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'generate() needs a prompt string.');
  if (req.signal !== undefined && !(req.signal instanceof AbortSignal)) throw new ChunkwiseError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${show(req.signal)}.`);
  if (req.system !== undefined && typeof req.system !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', 'system must be a string.');
  if (req.maxTokens !== undefined && (!Number.isInteger(req.maxTokens) || req.maxTokens < 1)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a positive integer, got ${show(req.maxTokens)}.`);
  }
  if (req.temperature !== undefined && (typeof req.temperature !== 'number' || !Number.isFinite(req.temperature) || req.temperature < 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `temperature must be a finite number ≥ 0, got ${show(req.temperature)}.`);
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

/** One `chat.completion.chunk` of a stream: its text delta, finish reason and usage, when present. */
function readStreamChunk(url: string, data: string): { text: string; finishReason?: string; usage?: GenerateResult['usage'] } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw new ChunkwiseError('UPSTREAM', `${url} streamed an event that is not JSON: ${excerpt(data)}`, { cause, details: { url, body: excerpt(data) } });
  }
  if (!isRecord(json)) throw new ChunkwiseError('UPSTREAM', `${url} streamed an event that is not an object: ${excerpt(data)}`, { details: { url, body: excerpt(data) } });
  // Servers report a failure half-way through as an event with an `error` object (OpenAI, vLLM).
  if (json.error !== undefined) {
    const message = isRecord(json.error) && typeof json.error.message === 'string' ? json.error.message : JSON.stringify(json.error);
    throw new ChunkwiseError('UPSTREAM', `${url} reported an error in the middle of the stream: ${excerpt(message)}`, { details: { url, body: excerpt(data) } });
  }
  const out: { text: string; finishReason?: string; usage?: GenerateResult['usage'] } = { text: '' };
  const usage = readUsage(json);
  if (usage) out.usage = usage;
  if (!Array.isArray(json.choices)) {
    if (usage) return out;
    throw new ChunkwiseError('UPSTREAM', `${url} streamed a chunk without choices: ${excerpt(data)}`, { details: { url, body: excerpt(data) } });
  }
  const choice: unknown = json.choices[0];
  if (choice === undefined) return out; // the usage chunk has choices: []
  if (!isRecord(choice)) throw new ChunkwiseError('UPSTREAM', `${url} streamed a malformed choice: ${excerpt(data)}`, { details: { url, body: excerpt(data) } });
  const delta = choice.delta;
  if (isRecord(delta) && typeof delta.content === 'string') out.text = delta.content;
  if (typeof choice.finish_reason === 'string') out.finishReason = choice.finish_reason;
  return out;
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
