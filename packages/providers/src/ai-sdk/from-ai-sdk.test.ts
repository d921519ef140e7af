import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError } from 'ai';
import { MockLanguageModelV3, simulateReadableStream } from 'ai/test';
import type { GenerateStreamPart } from '@chunkwise/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../__fixtures__/caught.js';
import { startMockOpenAIServer, type MockOpenAIServer } from '../testing/mock-openai-server.js';
import { mockCompletion } from '../testing/mock-responder.js';
import { fromAISDK } from './from-ai-sdk.js';

type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
type StreamChunk = Awaited<ReturnType<MockLanguageModelV3['doStream']>>['stream'] extends ReadableStream<infer T> ? T : never;

const usage = {
  inputTokens: { total: 11, noCache: 11, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 3, text: 3, reasoning: undefined },
};

/** A doStream answer: the given text deltas, then a finish chunk (or the given error chunk instead). */
function streamOf(deltas: string[], ending: StreamChunk = { type: 'finish', finishReason: { unified: 'length', raw: 'length' }, usage }) {
  const chunks: StreamChunk[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: 't' },
    ...deltas.map((delta): StreamChunk => ({ type: 'text-delta', id: 't', delta })),
    { type: 'text-end', id: 't' },
    ending,
  ];
  return { stream: simulateReadableStream({ chunks, initialDelayInMs: null, chunkDelayInMs: null }) };
}

async function collect(stream: AsyncIterable<GenerateStreamPart>): Promise<GenerateStreamPart[]> {
  const parts: GenerateStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function answer(text: string): GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: 11, noCache: 11, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 3, text: 3, reasoning: undefined },
    },
    warnings: [],
  };
}

describe('fromAISDK with the AI SDK mock model', () => {
  it('maps system, prompt, maxTokens and temperature, and returns text, usage and finish reason', async () => {
    const mock = new MockLanguageModelV3({ doGenerate: answer('A short summary.') });
    const model = fromAISDK(mock, { contextWindow: 4096 });
    const result = await model.generate({ system: 'Be brief.', prompt: 'Summarise this.', maxTokens: 40, temperature: 0.2 });
    expect(result).toEqual({ text: 'A short summary.', usage: { promptTokens: 11, completionTokens: 3 }, finishReason: 'stop' });
    expect(model.contextWindow).toBe(4096);
    const call = mock.doGenerateCalls[0]!;
    expect(call.maxOutputTokens).toBe(40);
    expect(call.temperature).toBe(0.2);
    expect(call.prompt).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Summarise this.' }] },
    ]);
  });

  it('turns an API error into UPSTREAM with status and body excerpt', async () => {
    const mock = new MockLanguageModelV3({
      doGenerate: () => {
        throw new APICallError({ message: 'Bad Request', url: 'http://x/v1', requestBodyValues: {}, statusCode: 400, responseBody: '{"error":"nope"}', isRetryable: false });
      },
    });
    const error = await caught(fromAISDK(mock, { contextWindow: 10 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 400, body: '{"error":"nope"}' });
    expect(error.message).toContain('HTTP 400');
  });

  it('reports the last error after the AI SDK gives up retrying', async () => {
    let calls = 0;
    const mock = new MockLanguageModelV3({
      doGenerate: () => {
        calls++;
        throw new APICallError({ message: 'Overloaded', url: 'http://x/v1', requestBodyValues: {}, statusCode: 503, responseBody: 'busy', isRetryable: true });
      },
    });
    const error = await caught(fromAISDK(mock, { contextWindow: 10, maxRetries: 1 }).generate({ prompt: 'x' }));
    expect(calls).toBe(2);
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 503, body: 'busy', attempts: 2 });
  });

  it('turns a fired signal into ABORTED', async () => {
    const controller = new AbortController();
    const mock = new MockLanguageModelV3({
      doGenerate: async (options) => {
        controller.abort();
        options.abortSignal?.throwIfAborted();
        return answer('never');
      },
    });
    const error = await caught(fromAISDK(mock, { contextWindow: 10 }).generate({ prompt: 'x', signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
  });

  it('keeps calls within maxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const mock = new MockLanguageModelV3({
      doGenerate: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return answer('ok');
      },
    });
    const model = fromAISDK(mock, { contextWindow: 10, maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, () => model.generate({ prompt: 'x' })));
    expect(peak).toBe(2);
    expect(model.maxConcurrency).toBe(2);
  });

  it('rejects a missing context window', () => {
    expect(() => fromAISDK(new MockLanguageModelV3(), { contextWindow: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('fromAISDK generateStream (streamText) with the AI SDK mock model', () => {
  it('yields the text deltas in order, then one finish part with the finish reason and usage', async () => {
    const mock = new MockLanguageModelV3({ doStream: streamOf(['Call ', 'me ', 'Ishmael.']) });
    const parts = await collect(fromAISDK(mock, { contextWindow: 4096 }).generateStream({ system: 'Be brief.', prompt: 'Who?', maxTokens: 3 }));
    expect(parts).toEqual([
      { type: 'text', text: 'Call ' },
      { type: 'text', text: 'me ' },
      { type: 'text', text: 'Ishmael.' },
      { type: 'finish', finishReason: 'length', usage: { promptTokens: 11, completionTokens: 3 } },
    ]);
    expect(mock.doStreamCalls[0]!.maxOutputTokens).toBe(3);
  });

  it('turns an error in the middle of the stream into UPSTREAM with status and body', async () => {
    const failure = new APICallError({ message: 'Overloaded', url: 'http://x/v1', requestBodyValues: {}, statusCode: 503, responseBody: 'busy', isRetryable: false });
    const mock = new MockLanguageModelV3({ doStream: streamOf(['Call '], { type: 'error', error: failure }) });
    const seen: GenerateStreamPart[] = [];
    const error = await caught(
      (async () => {
        for await (const part of fromAISDK(mock, { contextWindow: 10 }).generateStream({ prompt: 'x' })) seen.push(part);
      })(),
    );
    expect(seen).toEqual([{ type: 'text', text: 'Call ' }]);
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 503, body: 'busy' });
  });

  it('turns a fired signal into ABORTED', async () => {
    const mock = new MockLanguageModelV3({ doStream: streamOf(['a', 'b']) });
    const error = await caught(collect(fromAISDK(mock, { contextWindow: 10 }).generateStream({ prompt: 'x', signal: AbortSignal.abort() })));
    expect(error.code).toBe('ABORTED');
  });

  it('holds one concurrency slot per stream and gives it back when the consumer stops early', async () => {
    const mock = new MockLanguageModelV3({ doStream: () => Promise.resolve(streamOf(['a', 'b', 'c'])) });
    const model = fromAISDK(mock, { contextWindow: 10, maxConcurrency: 1 });
    for await (const part of model.generateStream({ prompt: 'x' })) {
      expect(part).toEqual({ type: 'text', text: 'a' });
      break;
    }
    expect(await collect(model.generateStream({ prompt: 'y' }))).toHaveLength(4);
  });
});

describe('fromAISDK with @ai-sdk/openai-compatible on the loopback server', () => {
  let server: MockOpenAIServer;
  beforeAll(async () => {
    server = await startMockOpenAIServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => server.reset());

  const provider = () => createOpenAICompatible({ name: 'mock', baseURL: server.baseURL });

  it('answers through a real AI SDK provider', async () => {
    const prompt = 'Describe the sea in 4 words.';
    const result = await fromAISDK(provider()('mock-model'), { contextWindow: 4096 }).generate({ prompt, maxTokens: 20 });
    expect(result.text).toBe(mockCompletion(prompt).text);
    expect(result.usage).toEqual({ promptTokens: 6, completionTokens: 4 });
    expect(server.requests[0]!.body).toMatchObject({ model: 'mock-model', max_tokens: 20, messages: [{ role: 'user', content: prompt }] });
  });

  it('streams through a real AI SDK provider reading the server-sent events', async () => {
    const prompt = 'Describe the sea in 5 words.';
    const parts = await collect(fromAISDK(provider()('mock-model'), { contextWindow: 4096 }).generateStream({ prompt }));
    const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
    expect(text).toBe(mockCompletion(prompt).text);
    expect(parts.filter((part) => part.type === 'text').length).toBeGreaterThan(1);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    expect(server.requests[0]!.body).toMatchObject({ stream: true });
  });

  it('surfaces a 400 as UPSTREAM with the status', async () => {
    server.enqueue('bad-request');
    const error = await caught(fromAISDK(provider()('m'), { contextWindow: 10 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details?.status).toBe(400);
    expect(server.requests).toHaveLength(1);
  });
});
