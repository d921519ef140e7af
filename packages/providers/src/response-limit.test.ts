import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught } from './__fixtures__/caught.js';
import { createHttpClient } from './http-client.js';
import { openAICompatible } from './openai-compatible-model.js';
import { openAICompatibleEmbedder } from './openai-compatible-embedder.js';

// A server that misbehaves on purpose: /endless never stops sending JSON-looking bytes, /sized/N
// answers a valid JSON body of exactly N bytes, /declared claims a huge content-length.
let server: Server;
let baseURL: string;
const sent = { bytes: 0, closed: false };

function endless(res: ServerResponse): void {
  sent.bytes = 0;
  sent.closed = false;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"choices":[{"message":{"content":"');
  const piece = 'x'.repeat(64 * 1024);
  const pump = (): void => {
    // Respect back-pressure: a client that stops reading stops the server, as a real socket would.
    while (!res.destroyed && res.write(piece)) sent.bytes += piece.length;
    if (!res.destroyed) res.once('drain', pump);
  };
  res.on('close', () => {
    sent.closed = true;
  });
  pump();
}

function sizedBody(size: number): string {
  // {"choices":[{"message":{"content":"xxx…"}}]} padded to exactly `size` bytes.
  const head = '{"choices":[{"message":{"content":"';
  const tail = '"},"finish_reason":"stop"}]}';
  return head + 'y'.repeat(Math.max(0, size - head.length - tail.length)) + tail;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const url = req.url ?? '';
    if (url.startsWith('/endless/')) return endless(res);
    const sized = /\/sized\/(\d+)\//.exec(url);
    if (sized) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(sizedBody(Number(sized[1])));
      return;
    }
    if (url.includes('/declared/')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 2 ** 20) });
      res.write('{"choices":');
      return; // never finishes; the client must give up on the header alone
    }
    if (url.includes('/error-endless/')) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      const piece = 'e'.repeat(64 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(piece));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('response size limit', () => {
  it('aborts an endless completion body at the default 16 MiB with UPSTREAM, reading no more than that', async () => {
    const model = openAICompatible({ baseURL: `${baseURL}/endless/v1`, model: 'm', contextWindow: 100, timeoutMs: 20_000, maxRetries: 0 });
    const before = process.memoryUsage().rss;
    const error = await caught(model.generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toMatch(/16 MiB|16777216/);
    expect(error.details).toMatchObject({ limitBytes: 16 * 2 ** 20 });
    // The socket is closed and the server was stopped by back-pressure soon after the limit.
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.closed).toBe(true);
    expect(sent.bytes).toBeLessThan(16 * 2 ** 20 + 8 * 2 ** 20);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 2 ** 20);
  });

  it('takes a smaller limit from maxResponseBytes', async () => {
    const model = openAICompatible({ baseURL: `${baseURL}/endless/v1`, model: 'm', contextWindow: 100, maxRetries: 0, maxResponseBytes: 2 ** 20 });
    const error = await caught(model.generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ limitBytes: 2 ** 20 });
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.bytes).toBeLessThan(2 ** 20 + 8 * 2 ** 20);
  });

  it('refuses a declared content-length over the limit before reading the body', async () => {
    const model = openAICompatible({ baseURL: `${baseURL}/declared/v1`, model: 'm', contextWindow: 100, maxRetries: 0, timeoutMs: 20_000 });
    const error = await caught(model.generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ declaredBytes: 300 * 2 ** 20 });
  });

  it('keeps only an excerpt of an endless error body', async () => {
    const model = openAICompatible({ baseURL: `${baseURL}/error-endless/v1`, model: 'm', contextWindow: 100, maxRetries: 0, timeoutMs: 20_000 });
    const error = await caught(model.generate({ prompt: 'x' }));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details?.status).toBe(500);
    expect(String(error.details?.body)).toMatch(/^e{500}…$/);
  });

  it('accepts every body up to the limit and refuses every body over it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 100, max: 4096 }), fc.integer({ min: -40, max: 40 }), async (limit, delta) => {
        const size = Math.max(64, limit + delta);
        const client = createHttpClient({ baseURL: `${baseURL}/sized/${size}/v1`, maxRetries: 0, maxResponseBytes: limit });
        const outcome = await client.postJSON('/x', {}).then(
          (response) => ({ ok: true as const, length: response.text.length }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (size <= limit) expect(outcome).toEqual({ ok: true, length: size });
        else expect(outcome).toMatchObject({ ok: false, error: { code: 'UPSTREAM' } });
      }),
      { numRuns: 60 },
    );
  });

  it('gives embeddings a limit proportional to batchSize × dimensions, at least 16 MiB', async () => {
    const small = openAICompatibleEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'e', dimensions: 8, batchSize: 4 });
    const large = openAICompatibleEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'e', dimensions: 3072, batchSize: 512 });
    const unknown = openAICompatibleEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'e', batchSize: 512 });
    expect(small.maxResponseBytes).toBe(16 * 2 ** 20);
    expect(large.maxResponseBytes).toBe(512 * 3072 * 32);
    expect(unknown.maxResponseBytes).toBe(512 * 4096 * 32);
    expect(openAICompatibleEmbedder({ baseURL: 'http://127.0.0.1:1/v1', model: 'e', maxResponseBytes: 1000 }).maxResponseBytes).toBe(1000);
  });

  it('rejects a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, '16MB']) {
      expect(() => createHttpClient({ baseURL, maxResponseBytes: bad as number })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });
});
