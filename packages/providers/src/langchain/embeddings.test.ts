import { RunnableLambda } from '@langchain/core/runnables';
import { FakeEmbeddings, SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { FakeVectorStore } from '@langchain/core/utils/testing';
import { Embeddings } from '@langchain/core/embeddings';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../__fixtures__/caught.js';
import { mobyDickParagraphs, mobyDickVocabulary, randomTable } from '../static/__fixtures__/corpus.js';
import { SifEmbedder } from '../static/sif-embedder.js';
import { WordVectors } from '../static/word-vectors.js';
import { ChunkwiseEmbeddings, fromLangChainEmbeddings, toLangChainEmbeddings } from './embeddings.js';

let sif: SifEmbedder;
let paragraphs: string[];
beforeAll(() => {
  paragraphs = mobyDickParagraphs().slice(0, 120);
  sif = new SifEmbedder(WordVectors.fromBytes(randomTable(mobyDickVocabulary(4000), 64).bytes));
  sif.fit(paragraphs);
});

describe('toLangChainEmbeddings: a Chunkwise Embedder inside LangChain', () => {
  it('is a LangChain Embeddings whose vectors are the embedder’s', async () => {
    const embeddings = toLangChainEmbeddings(sif);
    expect(embeddings).toBeInstanceOf(Embeddings);
    expect(embeddings).toBeInstanceOf(ChunkwiseEmbeddings);
    const docs = await embeddings.embedDocuments(paragraphs.slice(0, 3));
    const direct = await sif.embed(paragraphs.slice(0, 3));
    docs.forEach((doc, i) => expect(doc).toEqual(Array.from(direct[i]!)));
    expect(await embeddings.embedQuery(paragraphs[0]!)).toEqual(docs[0]);
  });

  it('feeds a LangChain vector store and a retriever runnable chain over Moby Dick paragraphs', async () => {
    const store = await FakeVectorStore.fromTexts(paragraphs, paragraphs.map((_, i) => ({ i })), toLangChainEmbeddings(sif));
    const chain = store.asRetriever({ k: 3 }).pipe(RunnableLambda.from((docs: Array<{ metadata: Record<string, unknown> }>) => docs.map((doc) => doc.metadata.i)));
    for (const i of [5, 40, 99]) expect((await chain.invoke(paragraphs[i]!))[0]).toBe(i);
  });

  it('passes Chunkwise errors through as they are', async () => {
    const error = await caught(toLangChainEmbeddings(sif).embedDocuments([42 as unknown as string]));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(() => toLangChainEmbeddings({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('fromLangChainEmbeddings: LangChain Embeddings as a Chunkwise Embedder', () => {
  it('gives LangChain’s vectors as Float32Arrays, in order, and learns the dimensions', async () => {
    const synthetic = new SyntheticEmbeddings({ vectorSize: 8 });
    const embedder = fromLangChainEmbeddings(synthetic);
    expect(embedder.dimensions).toBe(0);
    const texts = ['Call me Ishmael.', 'Some years ago', 'never mind how long precisely'];
    const vectors = await embedder.embed(texts);
    const expected = await synthetic.embedDocuments(texts);
    vectors.forEach((vector, i) => expect(Array.from(vector)).toEqual(expected[i]!.map(Math.fround)));
    expect(embedder.dimensions).toBe(8);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('round-trips: Chunkwise → LangChain → Chunkwise gives the same vectors', async () => {
    const back = fromLangChainEmbeddings(toLangChainEmbeddings(sif), { dimensions: 64 });
    const [a] = await back.embed([paragraphs[7]!]);
    const [b] = await sif.embed([paragraphs[7]!]);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it('refuses a size that differs from `dimensions` (DIMENSION_MISMATCH)', async () => {
    const error = await caught(fromLangChainEmbeddings(new FakeEmbeddings(), { dimensions: 384 }).embed(['x']));
    expect(error.code).toBe('DIMENSION_MISMATCH');
  });

  it('turns NaN, wrong counts and thrown errors into UPSTREAM, and honours the signal', async () => {
    const nan = { embedDocuments: async (d: string[]) => d.map(() => [Number.NaN, 1]), embedQuery: async () => [0] };
    expect((await caught(fromLangChainEmbeddings(nan).embed(['x']))).code).toBe('UPSTREAM');
    const short = { embedDocuments: async () => [[1, 2]], embedQuery: async () => [0] };
    expect((await caught(fromLangChainEmbeddings(short).embed(['x', 'y']))).code).toBe('UPSTREAM');
    const failing = { embedDocuments: async () => Promise.reject(new Error('429 Too Many Requests')), embedQuery: async () => [0] };
    const error = await caught(fromLangChainEmbeddings(failing).embed(['x']));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain('429');
    expect((await caught(fromLangChainEmbeddings(new FakeEmbeddings()).embed(['x'], { signal: AbortSignal.abort() }))).code).toBe('ABORTED');
  });
});
