import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockOpenAIServer, type MockOpenAIServer } from './mock-openai-server.js';
import { mockCompletion, mockEmbedding, mockLogprobs } from './mock-responder.js';

let server: MockOpenAIServer;
beforeAll(async () => {
  server = await startMockOpenAIServer({ script: ['rate-limited', { status: 503, headers: { 'retry-after': '7' } }, 'truncated', 'wrong-shape'] });
});
afterAll(async () => {
  await server.close();
});

const post = (path: string, body: unknown) =>
  fetch(server.baseURL + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const chat = { model: 'm', messages: [{ role: 'user', content: 'Tell it in 3 words: whales are large mammals.' }] };

describe('startMockOpenAIServer', () => {
  it('listens on loopback under /v1', () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('plays the script in order, then answers normally, recording every request', async () => {
    const first = await post('/chat/completions', chat);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('0');
    const second = await post('/chat/completions', chat);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('7');
    const third = await (await post('/chat/completions', chat)).text();
    expect(() => JSON.parse(third)).toThrow();
    expect(await (await post('/chat/completions', chat)).json()).toMatchObject({ unexpected: true });
    const normal = (await (await post('/chat/completions', chat)).json()) as { choices: Array<{ message: { content: string } }>; usage: unknown };
    expect(normal.choices[0]!.message.content).toBe('Tell it in.');
    expect(normal.usage).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 });
    expect(server.requests.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(server.requests[4]!.body).toEqual(chat);
    server.reset();
    expect(server.requests).toHaveLength(0);
  });

  it('answers embeddings deterministically, as floats or base64', async () => {
    const floats = (await (await post('/embeddings', { model: 'e', input: ['a', 'b'], dimensions: 4 })).json()) as {
      data: Array<{ index: number; embedding: number[] }>;
    };
    expect(floats.data.map((d) => d.index)).toEqual([0, 1]);
    expect(floats.data[1]!.embedding).toEqual(Array.from(mockEmbedding('b', 4)));
    const b64 = (await (await post('/embeddings', { model: 'e', input: 'a', encoding_format: 'base64' })).json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(b64.data[0]!.embedding, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual(Array.from(mockEmbedding('a', 8)));
  });

  it('answers stream: true with server-sent events whose deltas add up to the normal answer', async () => {
    const res = await post('/chat/completions', { ...chat, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.slice('data: '.length)) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Tell it in.');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
    // Without include_usage there is no usage chunk; without stream the answer is one JSON body as before.
    const plain = (await (await post('/chat/completions', { ...chat, stream: true })).text()).split('\n\n').filter(Boolean);
    expect(plain.some((frame) => frame.includes('usage'))).toBe(false);
    expect(((await (await post('/chat/completions', chat)).json()) as { object: string }).object).toBe('chat.completion');
  });

  it('echoes prompt logprobs on /v1/completions', async () => {
    const answer = (await (await post('/completions', { model: 'm', prompt: 'a b', echo: true, logprobs: 0, max_tokens: 1 })).json()) as {
      choices: Array<{ text: string; logprobs: { token_logprobs: Array<number | null>; text_offset: number[] } }>;
    };
    expect(answer.choices[0]!.text).toBe('a b mock');
    expect(answer.choices[0]!.logprobs.token_logprobs).toEqual([...mockLogprobs('a b').logprobs, -0.5]);
    expect(answer.choices[0]!.logprobs.text_offset).toEqual([0, 1, 3]);
  });

  it('takes a pluggable responder that can wrap the default one', async () => {
    const custom = await startMockOpenAIServer({ respond: (request) => ({ status: 418, body: { path: request.path } }) });
    try {
      const res = await fetch(custom.baseURL + '/anything', { method: 'POST', body: '{}' });
      expect(res.status).toBe(418);
      expect(await res.json()).toEqual({ path: '/v1/anything' });
    } finally {
      await custom.close();
    }
  });

  it('closes even while a slow answer is pending', async () => {
    const slow = await startMockOpenAIServer({ script: [{ delayMs: 60_000 }] });
    const pending = fetch(slow.baseURL + '/chat/completions', { method: 'POST', body: JSON.stringify(chat) }).catch((error: unknown) => error);
    while (slow.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    await slow.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('mockCompletion', () => {
  it('answers the asked number of words, ending with a full stop', () => {
    const { text, truncated } = mockCompletion('Summarise this in 12 words. The whale swam.');
    expect(text.split(' ')).toHaveLength(12);
    expect(text.endsWith('.')).toBe(true);
    expect(truncated).toBe(false);
  });

  it('stops mid-sentence when maxTokens is smaller', () => {
    const { text, truncated } = mockCompletion('Write 12 words.', 4);
    expect(text).toBe('Write 12 words Write');
    expect(truncated).toBe(true);
  });
});
