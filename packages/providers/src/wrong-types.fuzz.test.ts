// Every export of every entry point, called with arguments of the wrong type: the answer is a
// result or a ChunkwiseError with a code, never a TypeError, a RangeError or a hang (issue 14).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MockEmbeddingModelV3, MockLanguageModelV3 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChunkwiseError } from '@chunkwise/core';
import * as root from './index.js';
import * as aiSdk from './ai-sdk/index.js';
import * as langchain from './langchain/index.js';
import * as staticEntry from './static/index.js';
import * as staticNode from './static/node/index.js';
import * as testing from './testing/index.js';
import * as transformers from './transformers/index.js';
import { randomTable } from './static/__fixtures__/corpus.js';

/** Values of the wrong type, and a few of the right type with wrong contents. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom<unknown>(null, undefined, Number.NaN, Infinity, -1, 0, 1.5, 2 ** 40, '', 'x', [], [null], [1, 'a'], {}, 1n, true, new Uint8Array(3), () => 1, Object.create(null), new Date(0), { length: -1 }, { length: 2 ** 31 }),
);

async function settle(call: () => unknown): Promise<unknown> {
  let result = call();
  if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
    // Generators do their work when iterated: take up to 3 parts.
    const parts: unknown[] = [];
    for await (const part of result as AsyncIterable<unknown>) if (parts.push(part) >= 3) break;
    result = parts;
  }
  return await result;
}

/** Calls `call` with fuzzed arguments and checks that it answers or fails with a ChunkwiseError. */
async function fuzz(name: string, arity: number, call: (...args: unknown[]) => unknown, numRuns = 60): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(junk, { minLength: arity, maxLength: arity }), async (args) => {
      try {
        await settle(() => call(...args));
      } catch (error) {
        if (!isChunkwiseError(error)) throw new Error(`${name}(${args.map((a) => typeof a).join(', ')}) threw ${String(error)}`, { cause: error });
      }
    }),
    { numRuns },
  );
}

let server: testing.MockOpenAIServer;
let vectors: staticEntry.WordVectors;
const previousCacheDir = process.env.CHUNKWISE_CACHE_DIR;

beforeAll(async () => {
  server = await testing.startMockOpenAIServer();
  vectors = staticEntry.WordVectors.fromBytes(randomTable(['call', 'me', 'ishmael', 'whale', 'sea'], 6).bytes);
  // Any default-cache conversion lands in the shared test cache, never in the home folder.
  process.env.CHUNKWISE_CACHE_DIR = join(tmpdir(), 'chunkwise-providers-test-cache');
});
afterAll(async () => {
  await server.close();
  if (previousCacheDir === undefined) delete process.env.CHUNKWISE_CACHE_DIR;
  else process.env.CHUNKWISE_CACHE_DIR = previousCacheDir;
});

describe('every export answers wrong types with a ChunkwiseError', () => {
  it('@chunkwise/providers', async () => {
    const model = () => root.openAICompatible({ baseURL: server.baseURL, model: 'm', contextWindow: 100, maxRetries: 0 });
    const embedder = () => root.openAICompatibleEmbedder({ baseURL: server.baseURL, model: 'e', maxRetries: 0 });
    await fuzz('openAICompatible', 1, (a) => root.openAICompatible(a as never));
    await fuzz('openAICompatible(options)', 5, (a, b, c, d, e) =>
      root.openAICompatible({ baseURL: server.baseURL, model: a, contextWindow: b, maxConcurrency: c, timeoutMs: d, retry: e, maxResponseBytes: a } as never),
    );
    await fuzz('generate', 1, (a) => model().generate(a as never));
    await fuzz('generate(request)', 4, (a, b, c, d) => model().generate({ prompt: a, system: b, maxTokens: c, temperature: d, signal: a } as never));
    await fuzz('generateStream', 1, (a) => model().generateStream(a as never));
    await fuzz('logprobs', 2, (a, b) => model().logprobs!(a as never, b as never));
    await fuzz('openAICompatibleEmbedder', 1, (a) => root.openAICompatibleEmbedder(a as never));
    await fuzz('openAICompatibleEmbedder(options)', 4, (a, b, c, d) =>
      root.openAICompatibleEmbedder({ baseURL: server.baseURL, model: 'e', dimensions: a, batchSize: b, encodingFormat: c, requestDimensions: d } as never),
    );
    await fuzz('embed', 2, (a, b) => embedder().embed(a as never, b as never));
    await fuzz('backoffDelay', 3, (a, b, c) => root.backoffDelay(a as never, b as never, c as never));
    await fuzz('parseRetryAfter', 2, (a, b) => root.parseRetryAfter(a as never, b as never));
    await fuzz('Semaphore', 1, (a) => new root.Semaphore(a as never));
    await fuzz('Semaphore.run', 2, (a, b) => new root.Semaphore(1).run(a as never, b as never));
    await fuzz('Semaphore.acquire', 1, async (a) => (await new root.Semaphore(1).acquire(a as never))());
  });

  it('@chunkwise/providers/ai-sdk', async () => {
    const llm = new MockLanguageModelV3();
    const embeddingModel = new MockEmbeddingModelV3({ doEmbed: async ({ values }) => ({ embeddings: values.map(() => [1, 2]), warnings: [] }) });
    await fuzz('fromAISDK', 2, (a, b) => aiSdk.fromAISDK(a as never, b as never));
    await fuzz('fromAISDK.generate', 1, (a) => aiSdk.fromAISDK(llm, { contextWindow: 10, maxRetries: 0 }).generate(a as never));
    await fuzz('fromAISDK.generateStream', 1, (a) => aiSdk.fromAISDK(llm, { contextWindow: 10, maxRetries: 0 }).generateStream(a as never));
    await fuzz('fromAISDKEmbeddingModel', 2, (a, b) => aiSdk.fromAISDKEmbeddingModel(a as never, b as never));
    await fuzz('fromAISDKEmbeddingModel.embed', 2, (a, b) => aiSdk.fromAISDKEmbeddingModel(embeddingModel, { maxRetries: 0 }).embed(a as never, b as never));
    await fuzz('toAISDKEmbeddingModel', 2, (a, b) => aiSdk.toAISDKEmbeddingModel(a as never, b as never));
    await fuzz('fromAISDK(model, options)', 1, (a) => aiSdk.fromAISDK(llm, a as never));
    await fuzz('fromAISDKEmbeddingModel(model, options)', 1, (a) => aiSdk.fromAISDKEmbeddingModel(embeddingModel, a as never).embed(['x']));
    await fuzz('toAISDKEmbeddingModel(embedder, options)', 1, (a) => aiSdk.toAISDKEmbeddingModel(new staticEntry.SifEmbedder(vectors), a as never));
    await fuzz('toAISDKEmbeddingModel.doEmbed', 1, (a) => aiSdk.toAISDKEmbeddingModel(new staticEntry.SifEmbedder(vectors)).doEmbed(a as never));
  });

  it('@chunkwise/providers/transformers', async () => {
    await fuzz('transformersEmbedder', 1, (a) => transformers.transformersEmbedder(a as never));
    await fuzz('transformersEmbedder.embed', 2, (a, b) => transformers.transformersEmbedder({ modelPath: '/nonexistent/model' }).embed(a as never, b as never), 30);
  });

  it('@chunkwise/providers/langchain', async () => {
    const sif = new staticEntry.SifEmbedder(vectors);
    const lc = { embedDocuments: async (d: string[]) => d.map(() => [0.5, 0.25]), embedQuery: async () => [0.5, 0.25] };
    await fuzz('ChunkwiseEmbeddings', 2, (a, b) => new langchain.ChunkwiseEmbeddings(a as never, b as never));
    await fuzz('toLangChainEmbeddings', 2, (a, b) => langchain.toLangChainEmbeddings(a as never, b as never));
    await fuzz('embedDocuments', 1, (a) => langchain.toLangChainEmbeddings(sif).embedDocuments(a as never));
    await fuzz('embedQuery', 1, (a) => langchain.toLangChainEmbeddings(sif).embedQuery(a as never));
    await fuzz('fromLangChainEmbeddings', 2, (a, b) => langchain.fromLangChainEmbeddings(a as never, b as never));
    await fuzz('toLangChainEmbeddings(embedder, params)', 1, (a) => langchain.toLangChainEmbeddings(sif, a as never).embedQuery('sea'));
    await fuzz('fromLangChainEmbeddings(embeddings, options)', 1, (a) => langchain.fromLangChainEmbeddings(lc, a as never).embed(['sea']));
    await fuzz('fromLangChainEmbeddings.embed', 2, (a, b) => langchain.fromLangChainEmbeddings(lc).embed(a as never, b as never));
  });

  it('@chunkwise/providers/static', async () => {
    const bytes = vectors.toBytes();
    await fuzz('WordVectors.fromBytes', 2, (a, b) => staticEntry.WordVectors.fromBytes(a as never, b as never));
    await fuzz('WordVectors.lookup', 1, (a) => vectors.lookup(a as never));
    await fuzz('WordVectors.word', 1, (a) => vectors.word(a as never));
    await fuzz('WordVectors.vector', 1, (a) => vectors.vector(a as never));
    await fuzz('WordVectors.addTo', 3, (a, b, c) => vectors.addTo(a as never, b as never, c as never));
    await fuzz('WordVectors.fromBytes(options)', 1, (a) => staticEntry.WordVectors.fromBytes(bytes, { verify: a } as never));
    await fuzz('WordVectorsBuilder', 2, (a, b) => new staticEntry.WordVectorsBuilder(a as never, b as never));
    await fuzz('WordVectorsBuilder.add', 2, (a, b) => new staticEntry.WordVectorsBuilder(2).add(a as never, b as never));
    await fuzz('SifEmbedder', 2, (a, b) => new staticEntry.SifEmbedder(a as never, b as never));
    await fuzz('SifEmbedder(vectors, options)', 1, (a) => new staticEntry.SifEmbedder(vectors, a as never));
    await fuzz('parseTextVectors(text, options)', 1, (a) => staticEntry.parseTextVectors('sea 1 2\n', a as never));
    await fuzz('SifEmbedder(options)', 3, (a, b, c) => new staticEntry.SifEmbedder(vectors, { a, priorTokens: b, normalize: c, state: a } as never));
    await fuzz('SifEmbedder.fit', 1, (a) => new staticEntry.SifEmbedder(vectors).fit(a as never));
    await fuzz('SifEmbedder.embed', 2, (a, b) => new staticEntry.SifEmbedder(vectors).embed(a as never, b as never));
    await fuzz('SifEmbedder.embedTokens', 2, (a, b) => new staticEntry.SifEmbedder(vectors).embedTokens(a as never, b as never));
    await fuzz('TextVectorsParser', 2, (a, b) => {
      const parser = new staticEntry.TextVectorsParser(a as never);
      parser.push(b as never);
      return parser.end();
    });
    await fuzz('parseTextVectors', 2, (a, b) => staticEntry.parseTextVectors(a as never, b as never));
    await fuzz('parseSafetensors', 1, (a) => staticEntry.parseSafetensors(a as never));
    await fuzz('StaticModelEmbedder', 1, (a) => new staticEntry.StaticModelEmbedder(a as never));
    await fuzz('staticModelFromFiles', 2, (a, b) => staticEntry.staticModelFromFiles(a as never, b as never));
    await fuzz('staticModelFromFiles(files)', 3, (a, b, c) => staticEntry.staticModelFromFiles({ safetensors: a, tokenizer: b, config: c } as never));
    const tokenizer = new staticEntry.CodeUnitTokenizer();
    await fuzz('CodeUnitTokenizer.encode', 1, (a) => tokenizer.encode(a as never));
    await fuzz('CodeUnitTokenizer.decode', 1, (a) => tokenizer.decode(a as never));
    await fuzz('CodeUnitTokenizer.count', 1, (a) => tokenizer.count(a as never));
    await fuzz('CodeUnitTokenizer.encodeWithOffsets', 1, (a) => tokenizer.encodeWithOffsets(a as never));
    await fuzz('CodeUnitTokenizer.sliceCounter', 1, (a) => tokenizer.sliceCounter(a as never));
  });

  it('@chunkwise/providers/static/node', async () => {
    await fuzz('loadGloveVectors', 1, (a) => staticNode.loadGloveVectors(a as never), 20);
    await fuzz('gloveEmbedder', 1, (a) => staticNode.gloveEmbedder(a as never), 20);
    await fuzz('loadWordVectorsFile', 2, (a, b) => staticNode.loadWordVectorsFile(a as never, b as never));
    await fuzz('loadStaticModel', 2, (a, b) => staticNode.loadStaticModel(a as never, b as never));
    await fuzz('defaultCacheDir', 1, (a) => staticNode.defaultCacheDir(a as never));
    expect(typeof staticNode.resolveWinkVectors()).toBe('string');
  });

  it('@chunkwise/providers/testing', async () => {
    await fuzz('startMockOpenAIServer', 1, async (a) => (await testing.startMockOpenAIServer(a as never)).close(), 30);
    await fuzz('createDefaultResponder', 2, (a, b) => testing.createDefaultResponder(a as never)(b as never));
    await fuzz('mockCompletion', 2, (a, b) => testing.mockCompletion(a as never, b as never));
    await fuzz('mockEmbedding', 2, (a, b) => testing.mockEmbedding(a as never, b as never));
    await fuzz('mockLogprobs', 1, (a) => testing.mockLogprobs(a as never));
    await fuzz('mockWords', 1, (a) => testing.mockWords(a as never));
    await fuzz('float32ToBase64', 1, (a) => testing.float32ToBase64(a as never));
    await fuzz('mockChatStream', 4, (a, b, c, d) => testing.mockChatStream(a as never, b as never, c as never, d as never));
    await fuzz('server.enqueue', 1, (a) => server.enqueue(a as never));
    await fuzz('writeTinyTransformersModel', 1, (a) => (typeof a === 'string' ? undefined : testing.writeTinyTransformersModel(a as never)));
    await fuzz('tinyModelRow', 1, (a) => testing.tinyModelRow(a as never));
    server.reset();
  });
});
