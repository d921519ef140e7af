import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caught } from './__fixtures__/caught.js';
import { isChunkwiseError } from '@chunkwise/core';
import { openAICompatible, type OpenAICompatibleOptions } from './openai-compatible-model.js';
import { startMockOpenAIServer, type MockOpenAIServer } from './testing/mock-openai-server.js';
import { mockCompletion, mockLogprobs } from './testing/mock-responder.js';

let server: MockOpenAIServer;

beforeAll(async () => {
  server = await startMockOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.reset();
});

/** A client with tiny backoff so retry tests take milliseconds. */
function model(overrides: Partial<OpenAICompatibleOptions> = {}) {
  return openAICompatible({
    baseURL: server.baseURL,
    model: 'mock-model',
    contextWindow: 4096,
    retry: { baseDelayMs: 2, maxDelayMs: 10 },
    ...overrides,
  });
}

describe('openAICompatible: generate', () => {
  it('sends system, prompt, maxTokens and temperature as a chat completion and returns text and usage', async () => {
    const prompt = 'Summarise in 5 words: the whale swam far away from the ship.';
    const result = await model({ apiKey: 'sk-test', headers: { 'x-team': 'docs' } }).generate({
      system: 'You are terse.',
      prompt,
      maxTokens: 50,
      temperature: 0.3,
    });
    expect(result.text).toBe(mockCompletion(prompt).text);
    expect(result.text.split(' ')).toHaveLength(5);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 3 + prompt.split(' ').length, completionTokens: 5 });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.headers['x-team']).toBe('docs');
    expect(request.body).toEqual({
      model: 'mock-model',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: prompt },
      ],
      stream: false,
      max_tokens: 50,
      temperature: 0.3,
    });
  });

  it('leaves out what the caller did not set', async () => {
    await model().generate({ prompt: 'hello there' });
    expect(server.requests[0]!.body).toEqual({ model: 'mock-model', messages: [{ role: 'user', content: 'hello there' }], stream: false });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('reports finish_reason "length" when maxTokens cuts the answer', async () => {
    const result = await model().generate({ prompt: 'write 20 words about whales', maxTokens: 3 });
    expect(result.finishReason).toBe('length');
    expect(result.usage?.completionTokens).toBe(3);
  });

  it('takes undefined for every optional setting, as values read from the environment are', async () => {
    const m = model({ apiKey: process.env.CHUNKWISE_TEST_UNSET_KEY, headers: undefined, maxConcurrency: undefined, timeoutMs: undefined, maxRetries: undefined, tokenizer: undefined });
    expect(m.maxConcurrency).toBe(4);
    expect(m.tokenizer).toBeUndefined();
    await m.generate({ prompt: 'x' });
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('appends /v1 to a bare origin', async () => {
    const origin = server.baseURL.replace(/\/v1$/, '');
    const m = model({ baseURL: origin });
    expect(m.baseURL).toBe(server.baseURL);
    await m.generate({ prompt: 'x' });
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
  });

  it('exposes contextWindow, tokenizer and model name', () => {
    const tokenizer = { name: 't', encode: () => new Uint32Array(), decode: () => '', count: () => 0 };
    const m = model({ tokenizer, maxConcurrency: 3 });
    expect(m.contextWindow).toBe(4096);
    expect(m.tokenizer).toBe(tokenizer);
    expect(m.model).toBe('mock-model');
    expect(m.maxConcurrency).toBe(3);
  });

  it.each([
    ['an empty model', { model: ' ' }],
    ['a zero context window', { contextWindow: 0 }],
    ['a relative baseURL', { baseURL: 'localhost:11434' }],
    ['a non-http baseURL', { baseURL: 'ftp://example.test/v1' }],
    ['zero concurrency', { maxConcurrency: 0 }],
    ['a negative timeout', { timeoutMs: -1 }],
    ['fractional retries', { maxRetries: 0.5 }],
  ])('rejects %s with INVALID_ARGUMENT', (_label, overrides) => {
    expect(() => model(overrides as Partial<OpenAICompatibleOptions>)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it.each([
    ['maxTokens 0', { prompt: 'x', maxTokens: 0 }],
    ['a negative temperature', { prompt: 'x', temperature: -1 }],
    ['a missing prompt', {}],
  ])('rejects a request with %s before sending it', async (_label, req) => {
    const error = await caught(model().generate(req as { prompt: string }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(server.requests).toHaveLength(0);
  });
});

describe('openAICompatible: retries', () => {
  it('retries 429 and 500 and then answers', async () => {
    server.enqueue('rate-limited', 'server-error');
    const result = await model({ maxRetries: 2 }).generate({ prompt: 'four words please now' });
    expect(result.text).toBe(mockCompletion('four words please now').text);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a dropped connection', async () => {
    server.enqueue('reset');
    await model({ maxRetries: 1 }).generate({ prompt: 'x' });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with UPSTREAM, the status and a body excerpt', async () => {
    server.enqueue('server-error', 'server-error', 'server-error');
    const error = await caught(model({ maxRetries: 2 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 500, attempts: 3 });
    expect(String(error.details?.body)).toContain('The server had an error (mock).');
    expect(error.message).toContain('HTTP 500');
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    server.enqueue('bad-request');
    const error = await caught(model({ maxRetries: 5 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
    expect(error.message).toContain('Invalid request (mock).');
    expect(server.requests).toHaveLength(1);
  });

  it('retries 408 Request Timeout', async () => {
    server.enqueue({ status: 408, body: { error: { message: 'slow' } } });
    await model({ maxRetries: 1 }).generate({ prompt: 'x' });
    expect(server.requests).toHaveLength(2);
  });

  it("waits at least the server's Retry-After before retrying", async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '0.2' }, body: { error: { message: 'slow down' } } });
    // Backoff alone would wait at most 10 ms; Retry-After asks for 200 ms.
    await model({ maxRetries: 1 }).generate({ prompt: 'x' });
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(150);
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    server.enqueue({ status: 503, headers: { 'retry-after': '3600' }, body: {} });
    await model({ maxRetries: 1, retry: { baseDelayMs: 1, maxRetryAfterMs: 20 } }).generate({ prompt: 'x' });
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After given as an HTTP-date', async () => {
    const at = new Date(Date.now() + 1500).toUTCString(); // whole seconds, so 0.5–1.5 s from now
    server.enqueue({ status: 429, headers: { 'retry-after': at }, body: {} });
    await model({ maxRetries: 1 }).generate({ prompt: 'x' });
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(300);
  });
});

describe('openAICompatible: malformed answers', () => {
  it('turns truncated JSON into UPSTREAM with a body excerpt, without retrying', async () => {
    server.enqueue('truncated');
    const error = await caught(model({ maxRetries: 3 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toMatch(/malformed JSON/);
    expect(String(error.details?.body)).toMatch(/^\{"id":"chatcmpl-mock"/);
    expect(server.requests).toHaveLength(1);
  });

  it('turns a wrong shape into UPSTREAM naming what is missing', async () => {
    server.enqueue('wrong-shape');
    const error = await caught(model().generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain('no choices array');
    expect(String(error.details?.body)).toContain('"unexpected":true');
  });

  it('rejects a null message content instead of returning an empty text', async () => {
    server.enqueue({ body: { choices: [{ message: { role: 'assistant', content: null, refusal: 'no' } }] } });
    const error = await caught(model().generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain('content is not a string');
  });

  it('keeps body excerpts short', async () => {
    server.enqueue({ status: 422, rawBody: 'x'.repeat(10_000) });
    const error = await caught(model().generate({ prompt: 'x' }));
    expect(String(error.details?.body).length).toBeLessThanOrEqual(501);
    expect(error.message.length).toBeLessThan(700);
  });

  it('says the server is unreachable when nothing listens', async () => {
    const closed = await startMockOpenAIServer();
    await closed.close();
    const error = await caught(model({ baseURL: closed.baseURL, maxRetries: 1 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toMatch(/Could not reach .*ECONNREFUSED/);
    expect(error.details?.attempts).toBe(2);
  });
});

describe('openAICompatible: timeouts and cancellation', () => {
  it('times out a slow answer with TIMEOUT', async () => {
    server.enqueue({ delayMs: 5_000 });
    const error = await caught(model({ timeoutMs: 100, maxRetries: 0 }).generate({ prompt: 'x' }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.details).toMatchObject({ timeoutMs: 100, attempts: 1 });
  });

  it('retries after a timeout and takes the next answer', async () => {
    server.enqueue({ delayMs: 5_000 });
    // 1 s: long enough for the second, normal answer even on a loaded machine.
    const result = await model({ timeoutMs: 1000, maxRetries: 1 }).generate({ prompt: 'two words' });
    expect(result.text).toBe(mockCompletion('two words').text);
    expect(server.requests).toHaveLength(2);
  });

  it('aborts a request in flight with ABORTED and does not retry', async () => {
    server.enqueue({ delayMs: 5_000 });
    const controller = new AbortController();
    const pending = model({ maxRetries: 3 }).generate({ prompt: 'x', signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('user cancelled'));
    const error = await caught(pending);
    expect(error.code).toBe('ABORTED');
    expect((error.cause as Error).message).toBe('user cancelled');
    expect(server.requests).toHaveLength(1);
  });

  it('aborts during the backoff wait without another request', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '30' }, body: {} });
    const controller = new AbortController();
    const pending = model({ maxRetries: 3, retry: { maxRetryAfterMs: 60_000 } }).generate({ prompt: 'x', signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    expect((await caught(pending)).code).toBe('ABORTED');
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing for an already aborted signal', async () => {
    const error = await caught(model().generate({ prompt: 'x', signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(server.requests).toHaveLength(0);
  });
});

describe('openAICompatible: concurrency', () => {
  it('never has more than maxConcurrency requests in flight, across calls', async () => {
    const m = model({ maxConcurrency: 3 });
    server.enqueue(...Array.from({ length: 12 }, () => ({ delayMs: 20 })));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => m.generate({ prompt: `request ${i}` })));
    expect(results.map((r) => r.text)).toEqual(Array.from({ length: 12 }, (_, i) => mockCompletion(`request ${i}`).text));
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThan(1);
  });

  it('adds one abort listener to a signal shared by many calls, however many wait', async () => {
    const controller = new AbortController();
    const m = model({ maxConcurrency: 2 });
    const calls = Array.from({ length: 30 }, (_, i) => m.generate({ prompt: `r${i}`, signal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    await Promise.all(calls);
  });

  it('keeps the limit while some requests are retried', async () => {
    const m = model({ maxConcurrency: 2, maxRetries: 2 });
    server.enqueue({ delayMs: 10 }, 'server-error', { delayMs: 10 }, 'rate-limited', { delayMs: 10 }, 'server-error');
    await Promise.all(Array.from({ length: 8 }, (_, i) => m.generate({ prompt: `r${i}` })));
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(server.requests).toHaveLength(11);
  });
});

describe('openAICompatible: logprobs', () => {
  it('returns one log-probability per echoed prompt token, NaN for the first, without the generated token', async () => {
    const text = 'Call me Ishmael. Some years ago';
    const logprobs = await model().logprobs!(text);
    const expected = mockLogprobs(text).logprobs.map((v) => (v === null ? Number.NaN : Math.fround(v)));
    expect(Array.from(logprobs)).toEqual(expected);
    expect(server.requests[0]!.path).toBe('/v1/completions');
    expect(server.requests[0]!.body).toMatchObject({ prompt: text, echo: true, logprobs: 1, max_tokens: 1 });
  });

  it('falls back to usage.completion_tokens when the server sends no text offsets', async () => {
    server.enqueue({
      body: { choices: [{ text: 'a b c', logprobs: { token_logprobs: [null, -1, -2, -3] } }], usage: { prompt_tokens: 3, completion_tokens: 1 } },
    });
    expect(Array.from(await model().logprobs!('a b c'))).toEqual([Number.NaN, -1, -2]);
  });

  it('says UNSUPPORTED when the server has no /v1/completions', async () => {
    server.enqueue({ status: 404, body: { error: { message: 'not found' } } });
    const error = await caught(model().logprobs!('some text'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/vLLM/);
  });

  it('says UNSUPPORTED when the server ignores echo or logprobs', async () => {
    server.enqueue({ body: { choices: [{ text: ' mock', logprobs: null }] } });
    expect((await caught(model().logprobs!('some text'))).code).toBe('UNSUPPORTED');
    server.enqueue({ body: { choices: [{ text: ' mock', logprobs: { token_logprobs: [-0.1], text_offset: [9] } }] } });
    expect((await caught(model().logprobs!('some text'))).code).toBe('UNSUPPORTED');
  });

  it('is left off the model with logprobs: false', () => {
    expect(model({ logprobs: false }).logprobs).toBeUndefined();
  });

  it('answers an empty array for empty text without a request', async () => {
    expect((await model().logprobs!('')).length).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});

describe('openAICompatible: injected fetch', () => {
  it('uses the given fetch instead of the global one', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ choices: [{ message: { content: 'hi' }, finish_reason: 'stop' }] }), { status: 200 });
    };
    const result = await openAICompatible({ baseURL: 'https://llm.invalid/v1', model: 'm', contextWindow: 10, fetch: fakeFetch }).generate({ prompt: 'x' });
    expect(result).toEqual({ text: 'hi', finishReason: 'stop' });
    expect(calls).toEqual(['https://llm.invalid/v1/chat/completions']);
  });

  it('is an UPSTREAM error, not a crash, when fetch throws', async () => {
    const failing: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const error = await caught(
      openAICompatible({ baseURL: 'https://llm.invalid/v1', model: 'm', contextWindow: 10, fetch: failing, maxRetries: 0 }).generate({ prompt: 'x' }),
    );
    expect(isChunkwiseError(error, 'UPSTREAM')).toBe(true);
  });
});
