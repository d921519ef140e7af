import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { caught } from './__fixtures__/caught.js';
import { openAICompatibleEmbedder, type OpenAICompatibleEmbedderOptions } from './openai-compatible-embedder.js';
import { startMockOpenAIServer, type MockOpenAIServer } from './testing/mock-openai-server.js';
import { createDefaultResponder, mockEmbedding, type MockResponse } from './testing/mock-responder.js';

let server: MockOpenAIServer;
const normal = createDefaultResponder();
/** Answers embeddings in reverse order, as a server is allowed to: `index` says where each belongs. */
let reverse = false;

beforeAll(async () => {
  server = await startMockOpenAIServer({
    respond: async (request) => {
      const answer: MockResponse = await normal(request);
      if (reverse && request.path === '/v1/embeddings') {
        const body = answer.body as { data: unknown[] };
        return { ...answer, body: { ...body, data: [...body.data].reverse() } };
      }
      return answer;
    },
  });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.reset();
  reverse = false;
});

function embedder(overrides: Partial<OpenAICompatibleEmbedderOptions> = {}) {
  return openAICompatibleEmbedder({ baseURL: server.baseURL, model: 'mock-embed', retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...overrides });
}

describe('openAICompatibleEmbedder', () => {
  it('returns one Float32Array per text, in input order, and learns the dimension', async () => {
    const e = embedder();
    expect(e.dimensions).toBe(0);
    const vectors = await e.embed(['whale', 'ship', 'sea']);
    expect(vectors.map((v) => Array.from(v))).toEqual(['whale', 'ship', 'sea'].map((t) => Array.from(mockEmbedding(t, 8))));
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    expect(e.dimensions).toBe(8);
    expect(server.requests[0]!.body).toEqual({ model: 'mock-embed', input: ['whale', 'ship', 'sea'], encoding_format: 'float' });
  });

  it('puts vectors back in input order by `index` when the server answers out of order', async () => {
    reverse = true;
    const texts = ['a', 'b', 'c', 'd', 'e'];
    const vectors = await embedder({ batchSize: 2 }).embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(mockEmbedding(t, 8))));
  });

  it('splits into batches of batchSize and preserves order for any input (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 6 }), { maxLength: 25 }), fc.integer({ min: 1, max: 7 }), fc.boolean(), async (texts, batchSize, reversed) => {
        server.reset();
        reverse = reversed;
        const vectors = await embedder({ batchSize, maxConcurrency: 3 }).embed(texts);
        expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(mockEmbedding(t, 8))));
        expect(server.requests).toHaveLength(Math.ceil(texts.length / batchSize));
        expect(server.requests.map((r) => (r.body as { input: string[] }).input).flat().sort()).toEqual([...texts].sort());
        for (const request of server.requests) expect((request.body as { input: string[] }).input.length).toBeLessThanOrEqual(batchSize);
        expect(server.maxInFlight).toBeLessThanOrEqual(3);
      }),
      { numRuns: 25 },
    );
  });

  it('sends nothing for an empty list', async () => {
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('decodes base64 answers to the same vectors', async () => {
    const texts = ['x', 'y'];
    const vectors = await embedder({ encodingFormat: 'base64' }).embed(texts);
    expect((server.requests[0]!.body as { encoding_format: string }).encoding_format).toBe('base64');
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(mockEmbedding(t, 8))));
  });

  it('asks the server for a size with requestDimensions', async () => {
    const vectors = await embedder({ dimensions: 16, requestDimensions: true }).embed(['x']);
    expect((server.requests[0]!.body as { dimensions: number }).dimensions).toBe(16);
    expect(vectors[0]).toHaveLength(16);
  });

  it('throws DIMENSION_MISMATCH when vectors differ from the configured size', async () => {
    const e = embedder({ dimensions: 16 });
    expect(e.dimensions).toBe(16);
    const error = await caught(e.embed(['x']));
    expect(error.code).toBe('DIMENSION_MISMATCH');
    expect(error.details).toMatchObject({ expected: 16, actual: 8 });
  });

  it('throws DIMENSION_MISMATCH when a later answer changes size', async () => {
    const e = embedder();
    await e.embed(['x']);
    server.enqueue({ body: { data: [{ index: 0, embedding: [1, 2, 3] }] } });
    expect((await caught(e.embed(['y']))).code).toBe('DIMENSION_MISMATCH');
  });

  it.each([
    ['no data array', { body: { object: 'list' } }, /no data array/],
    ['too few vectors', { body: { data: [{ index: 0, embedding: [1] }] } }, /1 embeddings for 2 inputs/],
    ['a repeated index', { body: { data: [{ index: 0, embedding: [1] }, { index: 0, embedding: [2] }] } }, /index 0 appears twice/],
    ['an index out of range', { body: { data: [{ index: 0, embedding: [1] }, { index: 5, embedding: [2] }] } }, /out of range/],
    ['a non-numeric value', { body: { data: [{ index: 0, embedding: [1] }, { index: 1, embedding: ['x'] }] } }, /not a finite number/],
    ['bad base64', { body: { data: [{ index: 0, embedding: '%%%' }, { index: 1, embedding: 'AAAA' }] } }, /not valid base64/],
    ['truncated JSON', { rawBody: '{"data":[{"index":0,"embedd' }, /malformed JSON/],
  ])('turns %s into UPSTREAM with a body excerpt', async (_label, step, message) => {
    server.enqueue(step as MockResponse);
    const error = await caught(embedder().embed(['a', 'b']));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toMatch(message);
    expect(typeof error.details?.body).toBe('string');
  });

  it('retries a 429 batch and still returns every vector in order', async () => {
    server.enqueue('rate-limited');
    const texts = ['a', 'b', 'c', 'd'];
    const vectors = await embedder({ batchSize: 2, maxConcurrency: 1, maxRetries: 1 }).embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => Array.from(mockEmbedding(t, 8))));
    expect(server.requests).toHaveLength(3);
  });

  it('cancels the other batches when one fails for good', async () => {
    server.enqueue('bad-request');
    const error = await caught(embedder({ batchSize: 1, maxConcurrency: 1 }).embed(['a', 'b', 'c', 'd', 'e']));
    expect(error.code).toBe('UPSTREAM');
    expect(error.details?.status).toBe(400);
    // The first batch failed while the others waited for the one slot; none of them was sent.
    expect(server.requests).toHaveLength(1);
  });

  it('aborts with ABORTED', async () => {
    server.enqueue({ delayMs: 5000 });
    const controller = new AbortController();
    const pending = embedder().embed(['a'], { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect((await caught(pending)).code).toBe('ABORTED');
  });

  it.each([
    ['an empty model', { model: '' }],
    ['batchSize 0', { batchSize: 0 }],
    ['fractional dimensions', { dimensions: 1.5 }],
    ['requestDimensions without dimensions', { requestDimensions: true }],
  ])('rejects %s with INVALID_ARGUMENT', (_label, overrides) => {
    expect(() => embedder(overrides)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('rejects non-string inputs before sending', async () => {
    expect((await caught(embedder().embed([1 as unknown as string]))).code).toBe('INVALID_ARGUMENT');
    expect(server.requests).toHaveLength(0);
  });
});
