import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { backoffDelay, parseRetryAfter, resolveRetryPolicy, retryAfterFromHeaders, retryDelay, sleep } from './retry.js';

describe('backoffDelay', () => {
  it('stays in [0, min(maxDelay, base·2^attempt)) for every attempt and random draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseDelayMs, maxDelayMs, draw) => {
          const delay = backoffDelay(attempt, { baseDelayMs, maxDelayMs }, () => draw);
          const window = baseDelayMs === 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          if (window > 0) expect(delay).toBeLessThan(window);
          else expect(delay).toBe(0);
        },
      ),
    );
  });

  it('is 0, not NaN, with a zero base after very many attempts', () => {
    expect(backoffDelay(5000, { baseDelayMs: 0, maxDelayMs: 100 }, () => 0.5)).toBe(0);
  });

  it('doubles its window with each attempt until the cap', () => {
    const top = () => 0.999_999;
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, top))).toEqual([99, 199, 399, 799, 999, 999]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');

  it('reads delay-seconds, fractional seconds too', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date as the time left until then', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:00:07 GMT', now)).toBe(7000);
  });

  it('never answers a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-5', '1e3', 'Mon, 99 Foo']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe('retryAfterFromHeaders', () => {
  it("prefers OpenAI's retry-after-ms, then falls back to Retry-After", () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': 'soon', 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterFromHeaders(new Headers())).toBeUndefined();
  });
});

describe('retryDelay', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 5000 }, 3);

  it('honours Retry-After but never waits longer than maxRetryAfterMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10_000_000 }), (attempt, retryAfter) => {
        expect(retryDelay(attempt, retryAfter, policy)).toBe(Math.min(retryAfter, 5000));
      }),
    );
  });

  it('falls back to jittered backoff without Retry-After', () => {
    expect(retryDelay(2, undefined, policy, () => 0.5)).toBe(20);
  });
});

describe('resolveRetryPolicy', () => {
  it('rejects negative, fractional retry counts and non-finite delays', () => {
    expect(() => resolveRetryPolicy({}, -1)).toThrow(/maxRetries/);
    expect(() => resolveRetryPolicy({}, 1.5)).toThrow(/maxRetries/);
    expect(() => resolveRetryPolicy({ baseDelayMs: Number.NaN }, 1)).toThrow(/baseDelayMs/);
  });
});

describe('sleep', () => {
  it('rejects with ABORTED as soon as the signal fires', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort('stop');
    await expect(pending).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
  });

  it('rejects at once for an already aborted signal', async () => {
    await expect(sleep(10, AbortSignal.abort())).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
  });
});
