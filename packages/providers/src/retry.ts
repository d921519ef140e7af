import { ChunkwiseError } from '@chunkwise/core';
import { onAbort } from './abort-listeners.js';
import { show } from './argument-checks.js';

/** How a client waits between attempts. All times in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** Ceiling of the first backoff window; window n is `baseDelayMs · 2ⁿ`. */
  baseDelayMs: number;
  /** Largest backoff window. */
  maxDelayMs: number;
  /** Largest wait a server's `Retry-After` may impose; longer requests are capped to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Exponential backoff with full jitter: a uniform draw in `[0, min(maxDelayMs, baseDelayMs · 2^attempt))`.
 * Full jitter spreads clients that failed together so they do not retry together
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  if (typeof attempt !== 'number' || Number.isNaN(attempt)) throw new ChunkwiseError('INVALID_ARGUMENT', `attempt must be a number, got ${show(attempt)}.`);
  if (typeof policy !== 'object' || policy === null || typeof policy.baseDelayMs !== 'number' || typeof policy.maxDelayMs !== 'number' || !(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) {
    throw new ChunkwiseError('INVALID_ARGUMENT', 'policy must be { baseDelayMs, maxDelayMs } with numbers ≥ 0.');
  }
  if (typeof random !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `random must be a function, got ${show(random)}.`);
  // Cap the exponent: 2^attempt overflows to Infinity for huge attempts, and 0 · Infinity is NaN.
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(0, attempt), 60));
  return Math.floor(random() * window);
}

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns milliseconds to wait (never negative), or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new ChunkwiseError('INVALID_ARGUMENT', `now must be a finite number (ms), got ${show(now)}.`);
  // Absent, or not text at all: nothing readable to wait for.
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Only accept something that looks like a date: Date.parse('1') would happily answer year 2001.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait a response asks for: OpenAI's `retry-after-ms` (milliseconds) first, then the standard
 * `Retry-After`. Undefined when neither is present or readable.
 */
export function retryAfterFromHeaders(headers: { get(name: string): string | null }, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.round(Number(ms));
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** The wait before retry number `attempt + 1`: the server's Retry-After when given (capped), else backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

/** Waits `ms`, or rejects with ABORTED as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = (): ChunkwiseError =>
      new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: signal?.reason });
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    let unsubscribe = (): void => {};
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    if (signal) {
      unsubscribe = onAbort(signal, () => {
        clearTimeout(timer);
        reject(aborted());
      });
    }
  });
}

/** Checks a caller-supplied policy so a typo fails at construction, not on the first outage. */
export function resolveRetryPolicy(overrides: Partial<RetryPolicy> | undefined, maxRetries: number | undefined): RetryPolicy {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (maxRetries !== undefined) policy.maxRetries = maxRetries;
  for (const key of ['maxRetries', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = policy[key];
    if (!Number.isFinite(value) || value < 0 || (key === 'maxRetries' && !Number.isInteger(value))) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `${key} must be a finite number ≥ 0${key === 'maxRetries' ? ' (an integer)' : ''}, got ${show(value)}.`);
    }
  }
  return policy;
}
