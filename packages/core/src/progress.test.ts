import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, type ProgressEvent } from './progress.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createProgress', () => {
  it('reports each advance with stage, total and unit', () => {
    const events: ProgressEvent[] = [];
    const progress = createProgress((event) => events.push(event), 'tokens', { total: 3, unit: 'chapters' });
    progress.advance();
    progress.advance(2);
    expect(events).toEqual([
      { stage: 'tokens', done: 1, total: 3, unit: 'chapters' },
      { stage: 'tokens', done: 3, total: 3, unit: 'chapters' },
    ]);
    expect(progress.done).toBe(3);
  });

  it('omits total and unit when unknown', () => {
    const events: ProgressEvent[] = [];
    const progress = createProgress((event) => events.push(event), 'load');
    progress.update(42);
    progress.finish();
    expect(events).toEqual([
      { stage: 'load', done: 42 },
      { stage: 'load', done: 42 },
    ]);
  });

  it('finish() sets done to total and always reports, even when throttled', () => {
    vi.useFakeTimers();
    const events: ProgressEvent[] = [];
    const progress = createProgress((event) => events.push(event), 'chunks', { total: 100, throttleMs: 50 });
    for (let i = 0; i < 10; i++) progress.advance();
    expect(events).toHaveLength(1);
    vi.advanceTimersByTime(60);
    progress.advance();
    expect(events).toHaveLength(2);
    expect(events[1]!.done).toBe(11);
    progress.finish();
    expect(events.at(-1)).toEqual({ stage: 'chunks', done: 100, total: 100 });
  });

  it('is a silent no-op without a callback', () => {
    const progress = createProgress(undefined, 'x', { total: 2 });
    progress.advance();
    progress.finish();
    expect(progress.done).toBe(2);
  });
});
