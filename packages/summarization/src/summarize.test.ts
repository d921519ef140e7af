import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isChunkwiseError, type ProgressEvent } from '@chunkwise/core';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize, SUMMARIZATION_METHODS, type SummarizationMethod } from './summarize.js';
import type { SummaryCache } from './summary-cache.js';
import { FakeModel, paragraphs, worstBudgetUse } from './__fixtures__/fake-model.js';
import { mobyDick } from './__fixtures__/datasets.js';

const TEXT = paragraphs(30, 120);
const LLM_METHODS = SUMMARIZATION_METHODS.filter((method) => method !== 'extractive');

function mapCache(): SummaryCache & { store: Map<string, string> } {
  const store = new Map<string, string>();
  return { store, get: async (key) => store.get(key), set: async (key, value) => void store.set(key, value) };
}

describe('summarize', () => {
  it('is extractive by default and needs no model', async () => {
    const book = mobyDick();
    const result = await summarize(book.text.slice(book.chapters[10]!.start, book.chapters[20]!.end), { targetWords: 120 });
    expect(result).toMatchObject({ method: 'extractive', calls: 0, promptTokens: 0, levels: 1 });
    expect(Math.abs(result.lengthError)).toBeLessThanOrEqual(0.1);
    expect(result.lengthError).toBeCloseTo((result.words - 120) / 120, 12);
  });

  it('rejects bad options with INVALID_ARGUMENT and a message that says what to change', async () => {
    const model = new FakeModel({ contextWindow: 4096, tokenizer: o200k_base });
    const cases: [Parameters<typeof summarize>[1], RegExp][] = [
      [{ targetWords: 0 }, /targetWords must be a positive integer/],
      [{ targetWords: 10, method: 'hierarchical' }, /needs a model/],
      [{ targetWords: 10, method: 'nope' as SummarizationMethod }, /Unknown method "nope"/],
      [{ targetWords: 10, method: 'refine', model, chunkTokens: 0 }, /chunkTokens/],
      [{ targetWords: 10, method: 'refine', model, tolerance: 2 }, /tolerance/],
      [{ targetWords: 10, method: 'refine', model, maxTokens: 3000 }, /under half the context window/],
      [{ targetWords: 1500, method: 'hierarchical', model: new FakeModel({ contextWindow: 4096, tokenizer: o200k_base }) }, /bigger context window/],
    ];
    for (const [options, message] of cases) {
      await expect(summarize(TEXT, options)).rejects.toSatisfy((error) => isChunkwiseError(error, 'INVALID_ARGUMENT') && message.test((error as Error).message));
    }
    expect(model.calls).toBe(0);
  });

  it('returns a text already within the target unchanged, without calls', async () => {
    const model = new FakeModel({ contextWindow: 4096, tokenizer: o200k_base });
    const result = await summarize('  The whale swam away.  ', { method: 'hierarchical', model, targetWords: 5 });
    expect(result).toMatchObject({ summary: 'The whale swam away.', words: 4, calls: 0, levels: 0 });
  });

  it.each(LLM_METHODS)('%s: counts prompts with o200k plus a margin when the model has no tokenizer', async (method) => {
    const model = new FakeModel({ contextWindow: 2048 });
    const result = await summarize(TEXT, { method, model, targetWords: 90, chunkTokens: 500 });
    expect(worstBudgetUse(model, o200k_base, 1.25)).toBeLessThanOrEqual(1);
    expect(result.calls).toBe(model.calls);
    // Without usage from the server, tokens are our own count of what was sent and received.
    expect(result.promptTokens).toBeGreaterThan(0);
    expect(result.completionTokens).toBeGreaterThan(0);
  });

  it('never sends a prompt over contextWindow − maxTokens, for any window, chunk size, target and method (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...LLM_METHODS),
        fc.integer({ min: 1024, max: 8192 }),
        fc.integer({ min: 64, max: 4096 }),
        fc.integer({ min: 20, max: 400 }),
        fc.boolean(),
        async (method, contextWindow, chunkTokens, targetWords, ownTokenizer) => {
          const model = new FakeModel({ contextWindow, ...(ownTokenizer ? { tokenizer: o200k_base } : {}) });
          try {
            await summarize(TEXT, { method, model, targetWords, chunkTokens });
          } catch (error) {
            // A window too small for the target is refused up front, before any call.
            expect(isChunkwiseError(error, 'INVALID_ARGUMENT')).toBe(true);
            expect(model.calls).toBe(0);
            return;
          }
          expect(worstBudgetUse(model, o200k_base, ownTokenizer ? 1 : 1.25)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 10 },
    );
  });

  it.each(LLM_METHODS)('%s: reports progress for each stage', async (method) => {
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const events: ProgressEvent[] = [];
    await summarize(TEXT, { method, model, targetWords: 90, chunkTokens: 300, onProgress: (event) => events.push(event) });
    const stages = new Set(events.map((event) => event.stage));
    expect(stages.size).toBeGreaterThan(0);
    for (const stage of stages) {
      const last = events.filter((event) => event.stage === stage).at(-1)!;
      expect(last.done).toBe(last.total);
    }
  });

  it.each([1, 4])('cancels cleanly: with concurrency %i no request starts after the abort', async (concurrency) => {
    const controller = new AbortController();
    let startedAtAbort = -1;
    const model = new FakeModel({
      contextWindow: 2048,
      tokenizer: o200k_base,
      delayMs: 20,
      onRequest: (_request, call) => {
        if (call === 5) {
          controller.abort(new Error('user pressed stop'));
          startedAtAbort = call + 1;
        }
      },
    });
    const run = summarize(TEXT, { method: 'hierarchical', model, targetWords: 60, chunkTokens: 200, concurrency, signal: controller.signal });
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
    expect(model.calls).toBe(startedAtAbort);
    expect(model.inFlight).toBe(0);
  });

  it.each(LLM_METHODS)('%s: a rerun after a crash reuses finished summaries from the cache', async (method) => {
    const cache = mapCache();
    const options = { method, targetWords: 60, chunkTokens: 200, concurrency: 1, cache } as const;
    const crashing = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base, script: ['normal', 'normal', 'normal', 'normal', 'fail'] });
    await expect(summarize(TEXT, { ...options, model: crashing })).rejects.toThrow('scripted failure');
    const answered = new Set(crashing.requests.slice(0, 4).map((request) => request.prompt));
    expect(cache.store.size).toBe(4);

    const rerun = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const result = await summarize(TEXT, { ...options, model: rerun });
    expect(result.cacheHits).toBe(4);
    expect(rerun.requests.filter((request) => answered.has(request.prompt))).toEqual([]);

    const third = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base });
    const again = await summarize(TEXT, { ...options, model: third });
    expect(third.calls).toBe(0);
    expect(again.calls).toBe(0);
    expect(again.summary).toBe(result.summary);
  });

  it('propagates a model error that is not an abort as it is', async () => {
    const model = new FakeModel({ contextWindow: 2048, tokenizer: o200k_base, script: ['fail'] });
    await expect(summarize(TEXT, { method: 'refine', model, targetWords: 60 })).rejects.toThrow('scripted failure');
  });
});
