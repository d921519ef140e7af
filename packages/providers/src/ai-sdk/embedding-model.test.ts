import { APICallError, embed as aiEmbed, embedMany } from 'ai';
import { MockEmbeddingModelV3 } from 'ai/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChunkwiseError } from '@chunkwise/core';
import { caught } from '../__fixtures__/caught.js';
import { mobyDickParagraphs, mobyDickVocabulary, randomTable } from '../static/__fixtures__/corpus.js';
import { SifEmbedder } from '../static/sif-embedder.js';
import { WordVectors } from '../static/word-vectors.js';
import { fromAISDKEmbeddingModel, toAISDKEmbeddingModel } from './embedding-model.js';

let sif: SifEmbedder;
let paragraphs: string[];
beforeAll(() => {
  paragraphs = mobyDickParagraphs().slice(0, 50);
  sif = new SifEmbedder(WordVectors.fromBytes(randomTable(mobyDickVocabulary(3000), 32).bytes));
  sif.fit(paragraphs);
});

const answer = (embeddings: number[][]) => ({ embeddings, warnings: [] });

describe('toAISDKEmbeddingModel: a Chunkwise Embedder as an AI SDK embedding model', () => {
  it('answers embedMany and embed from `ai` with the embedder’s vectors, split by maxEmbeddingsPerCall', async () => {
    const model = toAISDKEmbeddingModel(sif, { maxEmbeddingsPerCall: 8, modelId: 'glove-sif' });
    const { embeddings } = await embedMany({ model, values: paragraphs });
    const direct = await sif.embed(paragraphs);
    expect(embeddings).toHaveLength(paragraphs.length);
    embeddings.forEach((vector, i) => expect(vector).toEqual(Array.from(direct[i]!)));
    const single = await aiEmbed({ model, value: paragraphs[3]! });
    expect(single.embedding).toEqual(Array.from(direct[3]!));
    expect(model.modelId).toBe('glove-sif');
  });

  it('lets a Chunkwise error through embedMany without retries', async () => {
    let calls = 0;
    const failing = {
      dimensions: 2,
      embed: () => {
        calls++;
        return Promise.reject(new ChunkwiseError('UPSTREAM', 'down'));
      },
    };
    await expect(embedMany({ model: toAISDKEmbeddingModel(failing), values: ['a'] })).rejects.toMatchObject({ code: 'UPSTREAM' });
    expect(calls).toBe(1);
  });
});

describe('fromAISDKEmbeddingModel: an AI SDK embedding model as a Chunkwise Embedder', () => {
  it('gives the model’s vectors as Float32Arrays through embedMany, in order, across several calls', async () => {
    const mock = new MockEmbeddingModelV3({
      maxEmbeddingsPerCall: 2,
      doEmbed: async ({ values }) => answer(values.map((v) => [v.length, v.charCodeAt(0), 0.5])),
    });
    const embedder = fromAISDKEmbeddingModel(mock);
    const texts = ['whale', 'sea', 'Ishmael', 'ship', 'harpoon'];
    const vectors = await embedder.embed(texts);
    expect(vectors.map((v) => Array.from(v))).toEqual(texts.map((t) => [t.length, t.charCodeAt(0), 0.5]));
    expect(mock.doEmbedCalls).toHaveLength(3);
    expect(embedder.dimensions).toBe(3);
  });

  it('round-trips: Chunkwise → AI SDK → Chunkwise gives the same vectors', async () => {
    const back = fromAISDKEmbeddingModel(toAISDKEmbeddingModel(sif), { dimensions: 32 });
    const a = await back.embed(paragraphs.slice(0, 5));
    const b = await sif.embed(paragraphs.slice(0, 5));
    a.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(b[i]!)));
  });

  it('turns API errors into UPSTREAM with status and body, after the AI SDK’s own retries', async () => {
    let calls = 0;
    const mock = new MockEmbeddingModelV3({
      doEmbed: () => {
        calls++;
        throw new APICallError({ message: 'Overloaded', url: 'http://x/v1/embeddings', requestBodyValues: {}, statusCode: 503, responseBody: 'busy', isRetryable: true });
      },
    });
    const error = await caught(fromAISDKEmbeddingModel(mock, { maxRetries: 1 }).embed(['x']));
    expect(calls).toBe(2);
    expect(error.code).toBe('UPSTREAM');
    expect(error.details).toMatchObject({ status: 503, body: 'busy' });
  });

  it('refuses wrong sizes (DIMENSION_MISMATCH) and non-finite values (UPSTREAM), and honours the signal', async () => {
    const wide = new MockEmbeddingModelV3({ doEmbed: async ({ values }) => answer(values.map(() => [1, 2, 3, 4])) });
    expect((await caught(fromAISDKEmbeddingModel(wide, { dimensions: 3 }).embed(['x']))).code).toBe('DIMENSION_MISMATCH');
    const ragged = new MockEmbeddingModelV3({ maxEmbeddingsPerCall: 10, doEmbed: async ({ values }) => answer(values.map((_, i) => new Array<number>(i + 1).fill(1))) });
    expect((await caught(fromAISDKEmbeddingModel(ragged).embed(['x', 'y']))).code).toBe('DIMENSION_MISMATCH');
    const nan = new MockEmbeddingModelV3({ doEmbed: async ({ values }) => answer(values.map(() => [Number.NaN])) });
    expect((await caught(fromAISDKEmbeddingModel(nan).embed(['x']))).code).toBe('UPSTREAM');
    expect((await caught(fromAISDKEmbeddingModel(wide).embed(['x'], { signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });
});
