import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { openAICompatible } from '@chunkwise/providers';
import { startMockOpenAIServer, type MockOpenAIServer, type MockRequest, type MockResponse } from '@chunkwise/providers/testing';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { answer } from './answer.js';
import { summarize } from './summarize.js';
import type { SummaryCache } from './summary-cache.js';
import { askedWords, paragraphs, sentencesOf } from './__fixtures__/fake-model.js';

/**
 * Issue 14's LLM faults against the loopback OpenAI-compatible server: a fatal answer among
 * concurrent calls, and a rerun after the server failed part-way.
 */
interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
}

let server: MockOpenAIServer;
/** Decides, per request, whether the server answers normally, fails with 400, or never answers. */
let fault: (index: number) => 'bad-request' | 'hang' | undefined = () => undefined;
/**
 * Each test talks to the server under a model name of its own (a cancelled request of an earlier
 * test may still reach the server later), and `fault` sees the index of a request within its run.
 */
let testName = 'test-0';
let tests = 0;
let runStart = 0;

function respond(request: MockRequest): MockResponse {
  const name = (request.body as ChatBody).model;
  const mode = name === testName ? fault(requests().length - 1 - runStart) : 'hang';
  if (mode === 'bad-request') return { status: 400, body: { error: { message: 'Invalid request (mock).', type: 'invalid_request_error' } } };
  const prompt = (request.body as ChatBody).messages.at(-1)!.content;
  const content = sentencesOf(prompt, askedWords(prompt));
  return {
    // A sibling that would only end at the client's timeout (minutes): the run must not wait for it.
    ...(mode === 'hang' ? { delayMs: 600_000 } : {}),
    body: { choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] },
  };
}

beforeAll(async () => {
  server = await startMockOpenAIServer({ respond });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  testName = `test-${++tests}`;
  fault = () => undefined;
});

/** The requests of the current test, in arrival order. */
const requests = () => server.requests.filter((request) => (request.body as ChatBody).model === testName);

/** The model for the next run of this test: its requests are counted from 0. */
function model(maxConcurrency = 4) {
  runStart = requests().length;
  return openAICompatible({ baseURL: server.baseURL, model: testName, contextWindow: 2048, tokenizer: o200k_base, maxConcurrency, timeoutMs: 900_000 });
}

function mapCache(): SummaryCache & { store: Map<string, string> } {
  const store = new Map<string, string>();
  return { store, get: (key) => store.get(key), set: (key, value) => void store.set(key, value) };
}

const TEXT = paragraphs(16, 150);

describe('LLM faults (issue 14)', () => {
  it('a fatal 400 among concurrent calls aborts the siblings in flight at once and reports the 400', async () => {
    // Request 2 gets a 400; every other request of the first wave hangs for ten minutes.
    fault = (index) => (index === 2 ? 'bad-request' : 'hang');
    const run = summarize(TEXT, { method: 'hierarchical', model: model(4), targetWords: 80, chunkTokens: 300, concurrency: 4 });
    // Without the abort this waits for the hanging siblings and the test times out.
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'UPSTREAM') && error.details?.status === 400);
    // The fourth may be cancelled before it reaches the server; nothing after the 400 starts.
    expect(requests().length).toBeGreaterThanOrEqual(3);
    expect(requests().length).toBeLessThanOrEqual(4);
    // The siblings were cancelled by the client, not left running on the server.
    await expect.poll(() => server.inFlight, { timeout: 2000 }).toBe(0);
  }, 20_000);

  it('answer (tree): a fatal 400 among concurrent group answers aborts the siblings and reports the 400', async () => {
    fault = (index) => (index === 1 ? 'bad-request' : 'hang');
    const passages = TEXT.split('\n\n').map((text, i) => ({ id: `p${i}`, text }));
    const run = answer('What happens to the harpoon?', passages, { method: 'tree', model: model(4), targetWords: 40 });
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'UPSTREAM') && error.details?.status === 400);
    await expect.poll(() => server.inFlight, { timeout: 2000 }).toBe(0);
  }, 20_000);

  it.each(['map-reduce', 'hierarchical'] as const)('%s: the fatal error is the one reported even when siblings fail later', async (method) => {
    fault = (index) => (index === 1 ? 'bad-request' : index < 4 ? 'hang' : undefined);
    const run = summarize(TEXT, { method, model: model(4), targetWords: 80, chunkTokens: 300, concurrency: 4 });
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'UPSTREAM') && /HTTP 400/.test((error as Error).message));
  }, 20_000);

  it('stores each finished call in the cache as soon as it finishes, and a rerun after a failure at call 11 makes only the missing calls', async () => {
    const full = await summarize(TEXT, { method: 'hierarchical', model: model(1), targetWords: 80, chunkTokens: 300, concurrency: 1 });
    const total = requests().length;
    expect(total).toBeGreaterThan(11);
    expect(full.calls).toBe(total);

    const cache = mapCache();
    const cachedAtArrival: number[] = [];
    fault = (index) => {
      cachedAtArrival.push(cache.store.size);
      return index === 10 ? 'bad-request' : undefined;
    };
    await expect(summarize(TEXT, { method: 'hierarchical', model: model(1), targetWords: 80, chunkTokens: 300, concurrency: 1, cache })).rejects.toSatisfy(
      (error) => isChunkwiseError(error, 'UPSTREAM'),
    );
    // One call at a time: when call k arrives, the k calls before it are already stored.
    expect(cachedAtArrival).toEqual(Array.from({ length: 11 }, (_, k) => k));

    fault = () => undefined;
    const rerunModel = model(1);
    const rerun = await summarize(TEXT, { method: 'hierarchical', model: rerunModel, targetWords: 80, chunkTokens: 300, concurrency: 1, cache });
    expect(requests().length - runStart).toBe(total - 10);
    expect(rerun).toMatchObject({ calls: total - 10, cacheHits: 10, summary: full.summary });
  }, 30_000);

  it('with concurrency 4, a rerun after a fatal failure repeats no finished call', async () => {
    const cache = mapCache();
    fault = (index) => (index === 10 ? 'bad-request' : undefined);
    await expect(summarize(TEXT, { method: 'map-reduce', model: model(4), targetWords: 80, chunkTokens: 300, cache })).rejects.toThrow(/HTTP 400/);
    const finished = cache.store.size;
    const answeredPrompts = new Set(requests().filter((_, i) => i !== 10).map((r) => (r.body as ChatBody).messages.at(-1)!.content));

    await expect.poll(() => server.inFlight).toBe(0);
    fault = () => undefined;
    const rerunModel = model(4);
    const rerun = await summarize(TEXT, { method: 'map-reduce', model: rerunModel, targetWords: 80, chunkTokens: 300, cache });
    expect(rerun.cacheHits).toBe(finished);
    // Only prompts never answered before (or cancelled in flight) are sent again.
    const repeated = requests().slice(runStart).filter((r) => answeredPrompts.has((r.body as ChatBody).messages.at(-1)!.content));
    expect(repeated.length).toBe(answeredPrompts.size - finished);
  }, 30_000);
});
