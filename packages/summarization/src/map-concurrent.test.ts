import { describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { mapConcurrent } from './map-concurrent.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapConcurrent', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapConcurrent([5, 1, 4, 2, 3, 6, 7], 3, async (value) => {
      running++;
      peak = Math.max(peak, running);
      for (let i = 0; i < value; i++) await tick();
      running--;
      return value * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 60, 70]);
    expect(peak).toBe(3);
  });

  it('starts nothing after the first failure and waits for the calls in flight', async () => {
    const started: number[] = [];
    let settled = 0;
    await expect(
      mapConcurrent([0, 1, 2, 3, 4, 5], 2, async (value) => {
        started.push(value);
        await tick();
        settled++;
        if (value === 1) throw new Error('boom');
        return value;
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
    expect(settled).toBe(started.length);
  });

  it('stops with ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapConcurrent([0, 1, 2, 3], 1, async (value) => {
      started.push(value);
      if (value === 1) controller.abort();
      await tick();
      return value;
    }, controller.signal);
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
    expect(started).toEqual([0, 1]);
  });
});
