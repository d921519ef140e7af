import type { GenerateStreamPart } from '@chunkwise/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caught } from './__fixtures__/caught.js';
import { openAICompatible, type OpenAICompatibleOptions } from './openai-compatible-model.js';
import { startMockOpenAIServer, type MockOpenAIServer } from './testing/mock-openai-server.js';
import { mockChatStream, mockCompletion } from './testing/mock-responder.js';

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => server.reset());

function model(overrides: Partial<OpenAICompatibleOptions> = {}) {
  return openAICompatible({ baseURL: server.baseURL, model: 'mock-model', contextWindow: 4096, retry: { baseDelayMs: 2, maxDelayMs: 10 }, ...overrides });
}

async function collect(stream: AsyncIterable<GenerateStreamPart>): Promise<GenerateStreamPart[]> {
  const parts: GenerateStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const textOf = (parts: GenerateStreamPart[]) => parts.map((part) => (part.type === 'text' ? part.text : '')).join('');

describe('openAICompatible: generateStream', () => {
  it('streams text parts that add up to what generate() returns, then one finish part with usage', async () => {
    const prompt = 'Summarise in 7 words: the whale swam far away from the ship.';
    const parts = await collect(model().generateStream({ system: 'Be brief.', prompt, maxTokens: 50 }));
    const whole = await model().generate({ system: 'Be brief.', prompt, maxTokens: 50 });
    expect(parts.filter((part) => part.type === 'text').length).toBe(7);
    expect(textOf(parts)).toBe(whole.text);
    expect(textOf(parts)).toBe(mockCompletion(prompt).text);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', usage: whole.usage });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 50 });
    expect(server.requests[0]!.headers.accept).toBe('text/event-stream');
  });

  it("reports finish_reason 'length' when maxTokens cuts the answer", async () => {
    const parts = await collect(model().generateStream({ prompt: 'write 20 words about whales', maxTokens: 3 }));
    expect(textOf(parts)).toBe(mockCompletion('write 20 words about whales', 3).text);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });

  it('yields text while the server is still sending', async () => {
    server.enqueue({ chunkDelayMs: 40 });
    const stream = model().generateStream({ prompt: 'Tell it in 6 words: a b c d e f.' });
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: 'text' });
    expect(server.inFlight).toBe(1); // the answer is not finished yet
    await collect({ [Symbol.asyncIterator]: () => stream });
  });

  it('leaves out stream_options when streamUsage is false, and then has no usage', async () => {
    const parts = await collect(model({ streamUsage: false }).generateStream({ prompt: 'one two three' }));
    expect(server.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('turns a connection dropped mid-stream into UPSTREAM after the text that did arrive', async () => {
    server.enqueue('truncated');
    const parts: GenerateStreamPart[] = [];
    const error = await caught(
      (async () => {
        for await (const part of model().generateStream({ prompt: 'Tell it in 10 words: one two three four five six seven eight nine ten.' })) parts.push(part);
      })(),
    );
    expect(error.code).toBe('UPSTREAM');
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((part) => part.type === 'text')).toBe(true);
    expect(server.requests).toHaveLength(1); // a started stream is never retried
  });

  it('turns a stream that ends without [DONE] or a finish reason into UPSTREAM', async () => {
    const cut = mockChatStream('a b c', 'stop').stream!.slice(0, 3);
    server.enqueue({ stream: cut });
    expect((await caught(collect(model().generateStream({ prompt: 'a b c' })))).code).toBe('UPSTREAM');
  });

  it('accepts a stream that gives its finish reason but omits [DONE]', async () => {
    const noDone = mockChatStream('a b c', 'stop').stream!.slice(0, -1);
    server.enqueue({ stream: noDone });
    const parts = await collect(model().generateStream({ prompt: 'a b c' }));
    expect(textOf(parts)).toBe('a b c');
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop' });
  });

  it('turns an error event in the middle of the stream into UPSTREAM with its message', async () => {
    const normal = mockChatStream('a b c d', 'stop').stream!;
    server.enqueue({ stream: [...normal.slice(0, 2), 'data: {"error":{"message":"model overloaded","type":"server_error"}}\n\n'] });
    const error = await caught(collect(model().generateStream({ prompt: 'a b c d' })));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain('model overloaded');
  });

  it('turns an event that is not JSON into UPSTREAM', async () => {
    server.enqueue({ stream: ['data: {"choices": [\n\n'] });
    expect((await caught(collect(model().generateStream({ prompt: 'x' })))).code).toBe('UPSTREAM');
  });

  it('retries a 429 before the first byte, then streams', async () => {
    server.enqueue('rate-limited');
    const parts = await collect(model().generateStream({ prompt: 'one two' }));
    expect(textOf(parts)).toBe(mockCompletion('one two').text);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a 400', async () => {
    server.enqueue('bad-request');
    const error = await caught(collect(model().generateStream({ prompt: 'x' })));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 400, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('stops with ABORTED when the signal fires mid-stream, and closes the connection', async () => {
    server.enqueue({ chunkDelayMs: 30 });
    const controller = new AbortController();
    const seen: GenerateStreamPart[] = [];
    const error = await caught(
      (async () => {
        for await (const part of model().generateStream({ prompt: 'Tell it in 20 words: whales.', signal: controller.signal })) {
          seen.push(part);
          if (seen.length === 2) controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('ABORTED');
    expect(seen).toHaveLength(2);
    for (let i = 0; i < 100 && server.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.inFlight).toBe(0);
  });

  it('gives the concurrency slot back when the consumer stops early', async () => {
    server.enqueue({ chunkDelayMs: 20 });
    const m = model({ maxConcurrency: 1 });
    for await (const part of m.generateStream({ prompt: 'Tell it in 30 words: whales.' })) {
      expect(part.type).toBe('text');
      break;
    }
    const next = await m.generate({ prompt: 'after' });
    expect(next.text).toBe(mockCompletion('after').text);
  });

  it('fails with TIMEOUT when the server stalls between chunks longer than timeoutMs', async () => {
    server.enqueue({ chunkDelayMs: 1_000 });
    const error = await caught(collect(model({ timeoutMs: 100 }).generateStream({ prompt: 'a b c' })));
    expect(error.code).toBe('TIMEOUT');
  });

  it('cuts a stream off past maxResponseBytes with UPSTREAM', async () => {
    const long = 'word '.repeat(2_000).trim();
    server.enqueue({ stream: mockChatStream(long, 'stop').stream! });
    const error = await caught(collect(model({ maxResponseBytes: 8 * 1024 }).generateStream({ prompt: 'x' })));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ limitBytes: 8 * 1024, streamed: true });
  });

  it('checks the request before sending anything', async () => {
    const error = await caught(collect(model().generateStream({ prompt: 42 as unknown as string })));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(server.requests).toHaveLength(0);
  });
});
