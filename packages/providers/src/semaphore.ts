import { ChunkwiseError } from '@chunkwise/core';
import { onAbort } from './abort-listeners.js';
import { show } from './argument-checks.js';

/**
 * A counting semaphore: at most `limit` holders at once, waiters served first in, first out.
 * One instance is shared by every request of a client, so a model's `maxConcurrency` holds across
 * concurrent `generate()` calls, retries included.
 */
export class Semaphore {
  readonly limit: number;
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `maxConcurrency must be an integer ≥ 1, got ${show(limit)}.`);
    }
    this.limit = limit;
  }

  /** Holders right now. */
  get active(): number {
    return this.held;
  }

  /** Callers waiting for a slot right now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves with a release function once a slot is free. An aborted signal removes the caller from
   * the queue and rejects with ABORTED, so a cancelled request never takes a slot.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      return Promise.reject(new ChunkwiseError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${show(signal)}.`));
    }
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let unsubscribe = (): void => {};
      const grant = (): void => {
        unsubscribe();
        this.held++;
        resolve(this.releaser());
      };
      this.waiters.push(grant);
      if (signal) {
        unsubscribe = onAbort(signal, () => {
          const at = this.waiters.indexOf(grant);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(abortedError(signal));
        });
      }
    });
  }

  /** Runs `task` while holding a slot and releases it however the task ends. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (typeof task !== 'function') throw new ChunkwiseError('INVALID_ARGUMENT', `run(task) needs a function, got ${show(task)}.`);
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      // Releasing twice would let one more holder in than the limit allows.
      if (released) return;
      released = true;
      this.held--;
      const next = this.waiters.shift();
      if (next) next();
    };
  }
}

function abortedError(signal: AbortSignal | undefined): ChunkwiseError {
  return new ChunkwiseError('ABORTED', 'The operation was aborted by its AbortSignal.', { cause: signal?.reason });
}
