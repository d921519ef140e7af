import { ChunkwiseError } from '@chunkwise/core';
import { resolveRetryPolicy, retryAfterFromHeaders, retryDelay, sleep, type RetryPolicy } from './retry.js';
import { Semaphore } from './semaphore.js';
import { onAbort } from './abort-listeners.js';
import { checkMaxResponseBytes, readBodyPrefix, readBodyText, tooLarge } from './response-body.js';
import { ServerSentEventParser, type ServerSentEvent } from './server-sent-events.js';
import { show } from './argument-checks.js';

/** Connection settings shared by the OpenAI-compatible model and embedder. */
export interface HttpClientOptions {
  /**
   * The API root, as the OpenAI SDK takes it: `https://api.openai.com/v1`, `http://localhost:11434/v1`.
   * A bare origin (`http://localhost:8000`) gets `/v1` appended.
   */
  baseURL: string;
  /** Sent as `Authorization: Bearer <apiKey>`; omit it for local servers. */
  apiKey?: string | undefined;
  /** Extra headers on every request (organisation ids, proxies' keys…). */
  headers?: Record<string, string> | undefined;
  /** Requests in flight at once, per client, retries included. Default 4. */
  maxConcurrency?: number | undefined;
  /** Deadline for one attempt, from sending to the last byte of the body. Default 60 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt on network errors, timeouts, 408, 429 and 5xx. Default 2. */
  maxRetries?: number | undefined;
  /** Backoff tuning; tests shrink `baseDelayMs` to keep runs fast. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>> | undefined;
  /** A fetch implementation; defaults to the global one (Node ≥ 18, browsers, Deno, Bun). */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Largest response body read, in bytes (a streamed answer counts all its bytes). A larger one is
   * cut off and fails with UPSTREAM, so a runaway server cannot fill memory. Default 16 MiB for
   * completions; the embedder's default grows with `batchSize × dimensions`.
   */
  maxResponseBytes?: number | undefined;
}

export interface HttpClient {
  readonly baseURL: string;
  readonly semaphore: Semaphore;
  readonly maxResponseBytes: number;
  /** POSTs `body` as JSON to `baseURL + path` and returns the parsed JSON answer, or throws a ChunkwiseError. */
  postJSON(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse>;
  /**
   * POSTs `body` as JSON and yields the server-sent events of the answer as they arrive. Failures
   * before the first byte are retried like `postJSON`; once the stream has started nothing is
   * retried (its text may already be shown): a broken stream is UPSTREAM, a stall longer than
   * `timeoutMs` between two chunks is TIMEOUT. The concurrency slot is held until the stream ends
   * or the consumer stops iterating.
   */
  postEventStream(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<ServerSentEvent, void, undefined>;
}

export interface JsonResponse {
  status: number;
  json: unknown;
  /** The raw body, for error excerpts when the JSON has the wrong shape. */
  text: string;
  url: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_CONCURRENCY = 4;
const EXCERPT_CHARS = 500;

/** Statuses worth another try: the server may answer differently in a moment. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function normalizeBaseURL(baseURL: string): string {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch (cause) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `baseURL must be an absolute http(s) URL such as http://localhost:11434/v1, got ${JSON.stringify(baseURL)}.`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `baseURL must use http or https, got ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  // Every OpenAI-compatible server serves the API under /v1; a bare origin is a common slip.
  return url.origin + (path === '' ? '/v1' : path);
}

/** The first characters of a body, for error messages that show what the server actually said. */
export function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  if (typeof options !== 'object' || options === null) throw new ChunkwiseError('INVALID_ARGUMENT', `Client options must be an object with a baseURL, got ${show(options)}.`);
  if (typeof options.baseURL !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `baseURL must be a string such as http://localhost:11434/v1, got ${show(options.baseURL)}.`);
  if (options.apiKey !== undefined && typeof options.apiKey !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `apiKey must be a string, got ${show(options.apiKey)}.`);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `fetch must be a function, got ${show(options.fetch)}.`);
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null || Object.values(options.headers).some((value) => typeof value !== 'string'))) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'headers must be an object of header name → string value.');
  }
  if (options.retry !== undefined && (typeof options.retry !== 'object' || options.retry === null)) throw new ChunkwiseError('INVALID_ARGUMENT', `retry must be an object, got ${show(options.retry)}.`);
  const baseURL = normalizeBaseURL(options.baseURL);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `timeoutMs must be a positive number, got ${show(timeoutMs)}.`);
  }
  const policy = resolveRetryPolicy(options.retry, options.maxRetries);
  const maxResponseBytes = checkMaxResponseBytes(options.maxResponseBytes);
  const semaphore = new Semaphore(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  // Header names are case-insensitive; lower-case them so `Authorization` and apiKey cannot both be sent.
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  function resolveFetch(): typeof fetch {
    // Resolve fetch per call so a test's spy on globalThis.fetch is seen.
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
      throw new ChunkwiseError('UNSUPPORTED', 'No fetch implementation: pass options.fetch on runtimes without a global fetch.');
    }
    return fetchImpl;
  }

  async function postJSON(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse> {
    const fetchImpl = resolveFetch();
    const url = baseURL + path;
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      throwIfCallerAborted(signal);
      const outcome = await semaphore.run(() => attemptOnce(fetchImpl, url, payload, signal), signal);
      if (outcome.kind === 'ok') return outcome.response;
      if (!outcome.retryable || attempt >= policy.maxRetries) {
        outcome.error.details!.attempts = attempt + 1;
        throw outcome.error;
      }
      // The slot is released while we wait, so other requests are not held up by this one's backoff.
      await sleep(retryDelay(attempt, outcome.retryAfterMs, policy), signal);
    }
  }

  type Failure = { kind: 'failed'; error: ChunkwiseError; retryable: boolean; retryAfterMs?: number | undefined };
  type Outcome = { kind: 'ok'; response: JsonResponse } | Failure;

  /** A failure of the request itself (no usable answer): the caller's abort, our deadline, or the network. */
  function requestFailure(url: string, cause: unknown, timedOut: boolean, signal: AbortSignal | undefined): Failure {
    throwIfCallerAborted(signal, cause);
    if (timedOut) {
      return {
        kind: 'failed',
        retryable: true,
        error: new ChunkwiseError('TIMEOUT', `No complete answer from ${url} within ${timeoutMs} ms.`, { cause, details: { url, timeoutMs } }),
      };
    }
    if (cause instanceof ChunkwiseError) return { kind: 'failed', retryable: false, error: cause };
    return {
      kind: 'failed',
      retryable: true,
      error: new ChunkwiseError('UPSTREAM', `Could not reach ${url}: ${describe(cause)}. Is the server running?`, { cause, details: { url } }),
    };
  }

  /** A non-2xx answer: only an excerpt of its body is read, so an endless error page costs nothing. */
  async function statusFailure(url: string, res: Response): Promise<Failure> {
    const text = await readBodyPrefix(res);
    const retryable = isRetryableStatus(res.status);
    return {
      kind: 'failed',
      retryable,
      retryAfterMs: retryable ? retryAfterFromHeaders(res.headers) : undefined,
      error: new ChunkwiseError('UPSTREAM', `${url} answered HTTP ${res.status}: ${excerpt(text) || res.statusText}`, {
        details: { url, status: res.status, body: excerpt(text) },
      }),
    };
  }

  /**
   * One controller per attempt, fired by the caller's signal or by this attempt's deadline, so a
   * timeout cancels the socket (not just the promise) and the caller can tell the two apart.
   */
  function attemptController(url: string, signal: AbortSignal | undefined) {
    const controller = new AbortController();
    const state = { timedOut: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state.timedOut = true;
        controller.abort(new ChunkwiseError('TIMEOUT', `No complete answer from ${url} within ${timeoutMs} ms.`));
      }, timeoutMs);
    };
    arm();
    const unsubscribe = signal ? onAbort(signal, () => controller.abort(signal.reason)) : undefined;
    return {
      controller,
      state,
      /** Restarts the deadline (streams: the time allowed between two chunks). */
      arm,
      dispose(): void {
        clearTimeout(timer);
        unsubscribe?.();
      },
    };
  }

  async function attemptOnce(fetchImpl: typeof fetch, url: string, payload: string, signal: AbortSignal | undefined): Promise<Outcome> {
    // The caller may have given up while this attempt waited for its slot.
    throwIfCallerAborted(signal);
    const attempt = attemptController(url, signal);
    try {
      let res: Response;
      let text: string;
      try {
        res = await fetchImpl(url, { method: 'POST', headers, body: payload, signal: attempt.controller.signal });
        if (!res.ok) return await statusFailure(url, res);
        text = await readBodyText(res, maxResponseBytes, url);
      } catch (cause) {
        return requestFailure(url, cause, attempt.state.timedOut, signal);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (cause) {
        // A complete HTTP answer with broken JSON is a server bug, not a blip: retrying would repeat it.
        return {
          kind: 'failed',
          retryable: false,
          error: new ChunkwiseError('UPSTREAM', `${url} answered HTTP ${res.status} with malformed JSON: ${excerpt(text)}`, {
            cause,
            details: { url, status: res.status, body: excerpt(text) },
          }),
        };
      }
      return { kind: 'ok', response: { status: res.status, json, text, url } };
    } finally {
      attempt.dispose();
    }
  }

  async function* postEventStream(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<ServerSentEvent, void, undefined> {
    const fetchImpl = resolveFetch();
    const url = baseURL + path;
    const payload = JSON.stringify(body);
    const streamHeaders = { ...headers, accept: 'text/event-stream' };
    for (let attempt = 0; ; attempt++) {
      throwIfCallerAborted(signal);
      const release = await semaphore.acquire(signal);
      const control = attemptController(url, signal);
      let failure: Failure | undefined;
      let res: Response | undefined;
      try {
        res = await fetchImpl(url, { method: 'POST', headers: streamHeaders, body: payload, signal: control.controller.signal });
        if (!res.ok) failure = await statusFailure(url, res);
        else if (res.body === null) failure = { kind: 'failed', retryable: false, error: new ChunkwiseError('UPSTREAM', `${url} answered without a body to stream.`, { details: { url } }) };
      } catch (cause) {
        failure = requestFailure(url, cause, control.state.timedOut, signal);
      }
      if (failure) {
        control.dispose();
        release();
        if (!failure.retryable || attempt >= policy.maxRetries) {
          failure.error.details!.attempts = attempt + 1;
          throw failure.error;
        }
        await sleep(retryDelay(attempt, failure.retryAfterMs, policy), signal);
        continue;
      }
      const reader = res!.body!.getReader();
      try {
        yield* readEvents(reader, url, control, signal);
        return;
      } finally {
        // Also reached when the consumer stops early: close the socket and give the slot back.
        await reader.cancel().catch(() => {});
        control.dispose();
        release();
      }
    }
  }

  async function* readEvents(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    url: string,
    control: ReturnType<typeof attemptController>,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ServerSentEvent, void, undefined> {
    const parser = new ServerSentEventParser();
    const decoder = new TextDecoder();
    let received = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        throwIfCallerAborted(signal, cause);
        if (control.state.timedOut) {
          throw new ChunkwiseError('TIMEOUT', `${url} sent nothing for ${timeoutMs} ms in the middle of a stream.`, { cause, details: { url, timeoutMs, receivedBytes: received } });
        }
        throw new ChunkwiseError('UPSTREAM', `The stream from ${url} broke after ${received} bytes: ${describe(cause)}.`, { cause, details: { url, receivedBytes: received } });
      }
      if (chunk.done) {
        yield* parser.end();
        return;
      }
      received += chunk.value.byteLength;
      if (received > maxResponseBytes) throw tooLarge(url, maxResponseBytes, { streamed: true });
      control.arm();
      yield* parser.push(decoder.decode(chunk.value, { stream: true }));
    }
  }

  return { baseURL, semaphore, maxResponseBytes, postJSON, postEventStream };
}

function throwIfCallerAborted(signal: AbortSignal | undefined, cause?: unknown): void {
  if (signal?.aborted) {
    throw new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: signal.reason ?? cause });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    // undici hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`.
    const code = inner && typeof inner === 'object' && 'code' in inner ? ` (${String((inner as { code: unknown }).code)})` : '';
    return `${cause.message}${code}`;
  }
  return String(cause);
}

/** A ChunkwiseError('UPSTREAM') for a 2xx answer whose JSON is not what the API promises. */
export function wrongShape(response: JsonResponse, what: string): ChunkwiseError {
  return new ChunkwiseError('UPSTREAM', `${response.url} answered with an unexpected shape (${what}): ${excerpt(response.text)}`, {
    details: { url: response.url, status: response.status, body: excerpt(response.text) },
  });
}
