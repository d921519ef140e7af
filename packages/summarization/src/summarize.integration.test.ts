import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import { openAICompatible } from '@chunkwise/providers';
import { startMockOpenAIServer, type MockOpenAIServer, type MockRequest, type MockResponse } from '@chunkwise/providers/testing';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { summarize, SUMMARIZATION_METHODS } from './summarize.js';
import { MESSAGE_OVERHEAD } from './token-budget.js';
import { askedWords, paragraphs, sentencesOf } from './__fixtures__/fake-model.js';
import { mobyDick, sotuAddresses } from './__fixtures__/datasets.js';

/**
 * The same methods end to end over HTTP: `openAICompatible` from @chunkwise/providers against the
 * loopback OpenAI-compatible test server, which answers with the word count each prompt asks for
 * (or, when told, twice that, to exercise the length corrections).
 */
interface ChatBody {
  messages: { role: string; content: string }[];
  max_tokens?: number;
}

let server: MockOpenAIServer;
let misbehave: (prompt: string, index: number) => 'too-long' | 'slow' | undefined = () => undefined;

function answer(request: MockRequest): MockResponse {
  const body = request.body as ChatBody;
  const prompt = body.messages.at(-1)!.content;
  const mode = misbehave(prompt, request.index);
  const target = askedWords(prompt);
  const content = sentencesOf(prompt, mode === 'too-long' ? target * 2 : target);
  const promptTokens = body.messages.reduce((sum, message) => sum + o200k_base.count(message.content), 0);
  return {
    ...(mode === 'slow' ? { delayMs: 200 } : {}),
    body: {
      id: `chatcmpl-${request.index}`,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: o200k_base.count(content), total_tokens: promptTokens + o200k_base.count(content) },
    },
  };
}

beforeAll(async () => {
  server = await startMockOpenAIServer({ respond: answer });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  misbehave = () => undefined;
});

const model = (contextWindow = 2048, maxConcurrency = 4) =>
  openAICompatible({ baseURL: server.baseURL, model: 'mock', contextWindow, tokenizer: o200k_base, maxConcurrency, retry: { baseDelayMs: 1 } });

/** Every chat request the server received, as the tokens its messages cost plus the chat overhead. */
function worstBudgetUse(contextWindow: number): number {
  let worst = 0;
  for (const request of server.requests) {
    const body = request.body as ChatBody;
    const tokens = body.messages.reduce((sum, message) => sum + o200k_base.count(message.content), 0) + MESSAGE_OVERHEAD;
    worst = Math.max(worst, tokens / (contextWindow - body.max_tokens!));
  }
  return worst;
}

describe('summarize over HTTP (loopback OpenAI-compatible server)', () => {
  const address = sotuAddresses().find((a) => a.year === 1962)!;

  it.each(SUMMARIZATION_METHODS.filter((m) => m !== 'extractive'))('%s summarises a SOTU address to the target, every prompt inside the window', async (method) => {
    const result = await summarize(address.text, { method, model: model(), targetWords: 150, chunkTokens: 800 });
    expect(server.requests.length).toBe(result.calls);
    expect(worstBudgetUse(2048)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.lengthError)).toBeLessThanOrEqual(0.1);
    // Token usage comes from the server's answers.
    const sent = server.requests.reduce((sum, r) => sum + (r.body as ChatBody).messages.reduce((s, m) => s + o200k_base.count(m.content), 0), 0);
    expect(result.promptTokens).toBe(sent);
  });

  it('merges Moby Dick hierarchically in a correct tree without a prompt over the window', async () => {
    const book = mobyDick().text.slice(0, 150_000);
    const result = await summarize(book, { method: 'hierarchical', model: model(4096, 8), targetWords: 200, chunkTokens: 1500 });
    let count = result.mergeTree![0]!.reduce((a, b) => a + b, 0);
    for (const level of result.mergeTree!) {
      expect(level.reduce((a, b) => a + b, 0)).toBe(count);
      count = level.length;
    }
    expect(count).toBe(1);
    expect(worstBudgetUse(4096)).toBeLessThanOrEqual(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(8);
    expect(result.words).toBe(200);
  });

  it('corrects answers that come back too long, and says so in the retry', async () => {
    const seen = new Set<string>();
    // Every first attempt is twice too long; every corrected retry is right.
    misbehave = (prompt) => {
      const first = !seen.has(prompt) && !prompt.includes('Your previous answer');
      seen.add(prompt);
      return first ? 'too-long' : undefined;
    };
    const result = await summarize(paragraphs(12, 150), { method: 'map-reduce', model: model(), targetWords: 100, chunkTokens: 400 });
    expect(result.retries).toBeGreaterThan(0);
    expect(result.retries).toBe(result.calls / 2);
    expect(server.requests.some((r) => (r.body as ChatBody).messages.at(-1)!.content.includes('which is too long'))).toBe(true);
    expect(result.words).toBe(100);
  });

  it('stops within one request when aborted', async () => {
    const controller = new AbortController();
    let received = 0;
    misbehave = () => {
      if (++received === 3) setTimeout(() => controller.abort(), 20);
      return 'slow';
    };
    const run = summarize(paragraphs(20, 150), { method: 'refine', model: model(), targetWords: 80, chunkTokens: 300, signal: controller.signal });
    await expect(run).rejects.toSatisfy((error) => isChunkwiseError(error, 'ABORTED'));
    expect(server.requests.length).toBe(3);
  });

  it('reuses cached summaries on a rerun: no repeated calls', async () => {
    const store = new Map<string, string>();
    const cache = { get: (key: string) => store.get(key), set: (key: string, value: string) => void store.set(key, value) };
    const first = await summarize(address.text, { method: 'hierarchical', model: model(), targetWords: 120, chunkTokens: 800, cache });
    const calls = server.requests.length;
    expect(calls).toBe(first.calls);
    const second = await summarize(address.text, { method: 'hierarchical', model: model(), targetWords: 120, chunkTokens: 800, cache });
    expect(server.requests.length).toBe(calls);
    expect(second).toMatchObject({ calls: 0, summary: first.summary, cacheHits: first.calls });
  });
});
