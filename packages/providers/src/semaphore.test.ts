import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { Semaphore } from './semaphore.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('Semaphore', () => {
  it('never lets more than `limit` tasks run at once, and runs them all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), async (limit, waits) => {
        const semaphore = new Semaphore(limit);
        let running = 0;
        let peak = 0;
        const results = await Promise.all(
          waits.map((wait, i) =>
            semaphore.run(async () => {
              running++;
              peak = Math.max(peak, running);
              for (let k = 0; k < wait; k++) await tick();
              running--;
              return i;
            }),
          ),
        );
        expect(peak).toBeLessThanOrEqual(limit);
        expect(results).toEqual(waits.map((_, i) => i));
        expect(semaphore.active).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('serves waiters first in, first out', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => semaphore.acquire().then((done) => (order.push(n), done())));
    release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it('releases the slot when the task throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(semaphore.active).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.active).toBe(0);
    await semaphore.acquire();
    expect(semaphore.active).toBe(1);
  });

  it('drops an aborted waiter from the queue with ABORTED', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    expect(semaphore.waiting).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
    expect(semaphore.waiting).toBe(0);
    release();
    expect(semaphore.active).toBe(0);
  });

  it('rejects a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(/maxConcurrency/);
    expect(() => new Semaphore(1.5)).toThrow(/maxConcurrency/);
  });
});
