import { ChunkwiseError, seededRandom } from '@chunkwise/core';
import { optionsOf, show } from '../argument-checks.js';

/**
 * The answers of the loopback test server, as pure functions: deterministic completions,
 * embeddings and logprobs computed from the request, so tests can predict them exactly.
 */

/** A request as the mock server saw it. */
export interface MockRequest {
  /** Position among all requests this server received, from 0. */
  index: number;
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  rawBody: string;
  /** `performance.now()` when the request arrived, for ordering checks. */
  receivedAt: number;
}

/** What the server sends back. Everything is optional; the default is `200` with an empty JSON object. */
export interface MockResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent verbatim instead of `body` (for truncated or non-JSON answers). */
  rawBody?: string;
  /** Wait this long before answering (a slow server). */
  delayMs?: number;
  /**
   * Drop the connection without an answer (a network error for the client). With `stream`, the
   * pieces are sent first and the connection is then dropped: a stream broken mid-way.
   */
  destroy?: boolean;
  /** Sent piece by piece instead of `body`/`rawBody` (server-sent events for `stream: true`). */
  stream?: string[];
  /** Wait this long between two `stream` pieces. */
  chunkDelayMs?: number;
}

export type MockResponder = (request: MockRequest) => MockResponse | Promise<MockResponse>;

/** Largest embedding the mock answers and longest completion it writes: a typo must not allocate gigabytes. */
export const MOCK_MAX_DIMENSIONS = 65_536;
export const MOCK_MAX_WORDS = 100_000;

function checkString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `${what} must be a string, got ${show(value)}.`);
}

function checkDimensions(value: unknown): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MOCK_MAX_DIMENSIONS) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `dimensions must be an integer from 1 to ${MOCK_MAX_DIMENSIONS}, got ${show(value)}.`);
  }
}

/** Whitespace-separated words: the mock's idea of a token, so usage counts are easy to predict. */
export function mockWords(text: string): string[] {
  checkString(text, 'text');
  return text.split(/\s+/).filter((word) => word.length > 0);
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash for deterministic fake data. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The deterministic embedding of `text`: `dimensions` values from a hash-seeded generator,
 * L2-normalised. Equal texts get equal vectors; different texts almost surely differ.
 */
export function mockEmbedding(text: string, dimensions: number): Float32Array {
  checkString(text, 'text');
  checkDimensions(dimensions);
  const out = new Float32Array(dimensions);
  const random = seededRandom(fnv1a(text));
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = random() - 0.5;
    out[i] = value;
    norm += value * value;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) out[i] = out[i]! * scale;
  return out;
}

/**
 * The deterministic "summary" the mock returns for a prompt: the prompt's own words in order
 * (cycled if needed), as many as the prompt asks for with "N words" (the last such phrase wins),
 * else 30 (at most 100,000), ending with a full stop. When `maxTokens` cuts it short it stops
 * mid-sentence, with no full stop, and `truncated` is true — like a real model hitting its limit.
 */
export function mockCompletion(prompt: string, maxTokens?: number): { text: string; truncated: boolean } {
  checkString(prompt, 'prompt');
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || Number.isNaN(maxTokens))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `maxTokens must be a number, got ${show(maxTokens)}.`);
  }
  const asked = [...prompt.matchAll(/(\d+)\s+words/gi)].at(-1);
  const target = asked ? Math.min(MOCK_MAX_WORDS, Math.max(1, Number(asked[1]))) : 30;
  const limit = maxTokens === undefined ? target : Math.min(target, maxTokens);
  const source = mockWords(prompt.replace(/[.!?]+(?=\s|$)/g, ''));
  if (source.length === 0 || limit <= 0) return { text: '', truncated: limit < target };
  const words: string[] = [];
  for (let i = 0; i < limit; i++) words.push(source[i % source.length]!);
  const truncated = limit < target;
  return { text: words.join(' ') + (truncated ? '' : '.'), truncated };
}

/** Mock log-probabilities of each word of `text` given its prefix; the first has no prefix, hence null. */
export function mockLogprobs(text: string): { tokens: string[]; logprobs: Array<number | null>; offsets: number[] } {
  checkString(text, 'text');
  const tokens: string[] = [];
  const offsets: number[] = [];
  for (const match of text.matchAll(/\s*\S+/g)) {
    tokens.push(match[0]);
    offsets.push(match.index);
  }
  const logprobs = tokens.map((token, i) => (i === 0 ? null : -((fnv1a(token) % 1000) + 1) / 100));
  return { tokens, logprobs, offsets };
}

interface ChatBody {
  model?: unknown;
  messages?: Array<{ role?: unknown; content?: unknown }>;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function badRequest(message: string): MockResponse {
  return { status: 400, body: { error: { message, type: 'invalid_request_error' } } };
}

/** The default handler: OpenAI-shaped answers for chat completions, completions (with echo/logprobs) and embeddings. */
export function createDefaultResponder(options?: { embeddingDimensions?: number }): MockResponder {
  const defaultDimensions = optionsOf(options, 'createDefaultResponder options').embeddingDimensions ?? 8;
  checkDimensions(defaultDimensions);
  return (request) => {
    if (typeof request !== 'object' || request === null) throw new ChunkwiseError('INVALID_ARGUMENT', `A responder takes a MockRequest, got ${show(request)}.`);
    if (request.method !== 'POST') return { status: 405, body: { error: { message: 'POST only' } } };
    const body = request.body;
    if (typeof body !== 'object' || body === null) return badRequest('Body must be a JSON object.');
    switch (request.path) {
      case '/v1/chat/completions':
        return chatCompletion(body as ChatBody);
      case '/v1/completions':
        return completion(body as Record<string, unknown>);
      case '/v1/embeddings':
        return embeddings(body as Record<string, unknown>, defaultDimensions);
      default:
        return { status: 404, body: { error: { message: `No route ${request.path}` } } };
    }
  };
}

function chatCompletion(body: ChatBody): MockResponse {
  if (!Array.isArray(body.messages) || body.messages.length === 0) return badRequest('messages must be a non-empty array.');
  const contents = body.messages.map((m) => (typeof m.content === 'string' ? m.content : ''));
  const user = [...body.messages].reverse().find((m) => m.role === 'user');
  const prompt = typeof user?.content === 'string' ? user.content : '';
  const { text, truncated } = mockCompletion(prompt, asNumber(body.max_tokens) ?? asNumber(body.max_completion_tokens));
  const promptTokens = contents.reduce((sum, content) => sum + mockWords(content).length, 0);
  const completionTokens = mockWords(text).length;
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const model = typeof body.model === 'string' ? body.model : 'mock';
  if (body.stream === true) {
    return mockChatStream(text, truncated ? 'length' : 'stop', model, body.stream_options?.include_usage === true ? usage : undefined);
  }
  return {
    body: {
      id: 'chatcmpl-mock',
      object: 'chat.completion',
      created: 0,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: truncated ? 'length' : 'stop' }],
      usage,
    },
  };
}

/**
 * A streamed chat completion as OpenAI sends it: a role chunk, one chunk per word of `text` (their
 * concatenation is `text`), a chunk with the finish reason, a usage chunk when asked for
 * (`stream_options.include_usage`), then `data: [DONE]`. One SSE frame per `stream` piece.
 */
export function mockChatStream(text: string, finishReason: string, model = 'mock', usage?: Record<string, number>): MockResponse {
  checkString(text, 'text');
  checkString(finishReason, 'finishReason');
  checkString(model, 'model');
  if (usage !== undefined && (typeof usage !== 'object' || usage === null)) throw new ChunkwiseError('INVALID_ARGUMENT', `usage must be an object, got ${show(usage)}.`);
  const frame = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    frame({ id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 0, model, choices, ...extra });
  const pieces = text === '' ? [] : text.split(/(?= )/);
  const stream = [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...pieces.map((piece) => chunk([{ index: 0, delta: { content: piece }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: finishReason }]),
    ...(usage ? [chunk([], { usage })] : []),
    'data: [DONE]\n\n',
  ];
  return { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, stream };
}

function completion(body: Record<string, unknown>): MockResponse {
  if (typeof body.prompt !== 'string') return badRequest('prompt must be a string.');
  const prompt = body.prompt;
  const maxTokens = asNumber(body.max_tokens) ?? 16;
  const generated = maxTokens > 0 ? ' mock' : '';
  const wantLogprobs = body.logprobs !== undefined && body.logprobs !== null;
  const echoed = body.echo === true ? prompt : '';
  const text = echoed + generated;
  const promptInfo = mockLogprobs(prompt);
  let logprobs: unknown = null;
  if (wantLogprobs) {
    const tokens = body.echo === true ? [...promptInfo.tokens] : [];
    const tokenLogprobs = body.echo === true ? [...promptInfo.logprobs] : [];
    const offsets = body.echo === true ? [...promptInfo.offsets] : [];
    if (generated) {
      tokens.push(generated);
      tokenLogprobs.push(-0.5);
      offsets.push(echoed.length);
    }
    logprobs = { tokens, token_logprobs: tokenLogprobs, text_offset: offsets, top_logprobs: null };
  }
  const promptTokens = promptInfo.tokens.length;
  const completionTokens = generated ? 1 : 0;
  return {
    body: {
      id: 'cmpl-mock',
      object: 'text_completion',
      created: 0,
      model: typeof body.model === 'string' ? body.model : 'mock',
      choices: [{ index: 0, text, logprobs, finish_reason: 'length' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
  };
}

function embeddings(body: Record<string, unknown>, defaultDimensions: number): MockResponse {
  const input = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(input) || !input.every((item) => typeof item === 'string')) {
    return badRequest('input must be a string or an array of strings.');
  }
  const dimensions = asNumber(body.dimensions) ?? defaultDimensions;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MOCK_MAX_DIMENSIONS) return badRequest(`dimensions must be an integer from 1 to ${MOCK_MAX_DIMENSIONS}.`);
  const base64 = body.encoding_format === 'base64';
  const data = (input as string[]).map((text, index) => {
    const vector = mockEmbedding(text, dimensions);
    return { object: 'embedding', index, embedding: base64 ? float32ToBase64(vector) : Array.from(vector) };
  });
  const tokens = (input as string[]).reduce((sum, text) => sum + mockWords(text).length, 0);
  return {
    body: {
      object: 'list',
      data,
      model: typeof body.model === 'string' ? body.model : 'mock',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    },
  };
}

/** Little-endian float32 bytes in base64, as OpenAI's `encoding_format: "base64"` sends them. */
export function float32ToBase64(vector: Float32Array): string {
  if (!(vector instanceof Float32Array)) throw new ChunkwiseError('INVALID_ARGUMENT', `float32ToBase64 needs a Float32Array, got ${show(vector)}.`);
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
