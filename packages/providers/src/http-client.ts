import { ChunkwiseError } from '@chunkwise/core';
import { resolveRetryPolicy, retryAfterFromHeaders, retryDelay, sleep, type RetryPolicy } from './retry.js';
import { Semaphore } from './semaphore.js';
import { onAbort } from './abort-listeners.js';

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
}

export interface HttpClient {
  readonly baseURL: string;
  readonly semaphore: Semaphore;
  /** POSTs `body` as JSON to `baseURL + path` and returns the parsed JSON answer, or throws a ChunkwiseError. */
  postJSON(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse>;
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
  const baseURL = normalizeBaseURL(options.baseURL);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `timeoutMs must be a positive number, got ${String(timeoutMs)}.`);
  }
  const policy = resolveRetryPolicy(options.retry, options.maxRetries);
  const semaphore = new Semaphore(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  // Header names are case-insensitive; lower-case them so `Authorization` and apiKey cannot both be sent.
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  async function postJSON(path: string, body: unknown, signal?: AbortSignal): Promise<JsonResponse> {
    // Resolve fetch per call so a test's spy on globalThis.fetch is seen.
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') {
      throw new ChunkwiseError('UNSUPPORTED', 'No fetch implementation: pass options.fetch on runtimes without a global fetch.');
    }
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

  type Outcome =
    | { kind: 'ok'; response: JsonResponse }
    | { kind: 'failed'; error: ChunkwiseError; retryable: boolean; retryAfterMs?: number | undefined };

  async function attemptOnce(fetchImpl: typeof fetch, url: string, payload: string, signal: AbortSignal | undefined): Promise<Outcome> {
    // One controller per attempt, fired by the caller's signal or by this attempt's deadline, so a
    // timeout cancels the socket (not just the promise) and the caller can tell the two apart.
    // The caller may have given up while this attempt waited for its slot.
    throwIfCallerAborted(signal);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ChunkwiseError('TIMEOUT', `No complete answer from ${url} within ${timeoutMs} ms.`));
    }, timeoutMs);
    const unsubscribe = signal ? onAbort(signal, () => controller.abort(signal.reason)) : undefined;
    try {
      let res: Response;
      let text: string;
      try {
        res = await fetchImpl(url, { method: 'POST', headers, body: payload, signal: controller.signal });
        text = await res.text();
      } catch (cause) {
        throwIfCallerAborted(signal, cause);
        if (timedOut) {
          return {
            kind: 'failed',
            retryable: true,
            error: new ChunkwiseError('TIMEOUT', `No complete answer from ${url} within ${timeoutMs} ms.`, { cause, details: { url, timeoutMs } }),
          };
        }
        return {
          kind: 'failed',
          retryable: true,
          error: new ChunkwiseError('UPSTREAM', `Could not reach ${url}: ${describe(cause)}. Is the server running?`, { cause, details: { url } }),
        };
      }
      if (!res.ok) {
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
      clearTimeout(timer);
      unsubscribe?.();
    }
  }

  return { baseURL, semaphore, postJSON };
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
