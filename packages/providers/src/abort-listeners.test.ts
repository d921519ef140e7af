import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from './abort-listeners.js';
import { Semaphore } from './semaphore.js';
import { sleep } from './retry.js';

describe('onAbort', () => {
  it('fires every subscribed callback once, through one listener on the signal', () => {
    const controller = new AbortController();
    const fired: number[] = [];
    for (let i = 0; i < 50; i++) onAbort(controller.signal, () => fired.push(i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    controller.abort();
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('does not call an unsubscribed callback', () => {
    const controller = new AbortController();
    let calls = 0;
    const unsubscribe = onAbort(controller.signal, () => calls++);
    unsubscribe();
    controller.abort();
    expect(calls).toBe(0);
  });

  it('keeps one listener for hundreds of waiters on a semaphore and sleeps sharing a signal', async () => {
    const controller = new AbortController();
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const waiting = Array.from({ length: 200 }, () => semaphore.acquire(controller.signal).catch((e: unknown) => e));
    const sleeping = Array.from({ length: 200 }, () => sleep(60_000, controller.signal).catch((e: unknown) => e));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    const outcomes = await Promise.all([...waiting, ...sleeping]);
    expect(outcomes.every((e) => (e as { code?: string }).code === 'ABORTED')).toBe(true);
    release();
    expect(semaphore.active).toBe(0);
  });
});
