import { isChunkwiseError, type Tokenizer } from '@chunkwise/core';
import type { DocumentInterface } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeChatModel, SyntheticEmbeddings } from '@langchain/core/utils/testing';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BM25Index } from '../bm25/bm25-index.js';
import { reciprocalRankFusion } from '../fusion/rrf.js';
import { MemoryStore } from '../stores/memory-store.js';
import type { StoredRecord } from '../stores/store.js';
import { VectorIndex } from '../vector/vector-index.js';
import { embedderOf, ingestAddresses, sotuAddresses, type Address } from './__fixtures__/sotu-addresses.js';
import { ChunkwiseRetriever } from './index.js';

const words: Tokenizer = {
  name: 'words',
  encode: (text) => new Uint32Array(text.split(/\s+/).filter(Boolean).length),
  decode: () => '',
  count: (text) => text.split(/\s+/).filter(Boolean).length,
};

const synthetic = new SyntheticEmbeddings({ vectorSize: 16 });
const embedder = embedderOf(synthetic, 16);
let addresses: Address[];
let store: MemoryStore;
let records: StoredRecord[];
const textOf = new Map<string, string>();

beforeAll(async () => {
  addresses = sotuAddresses(6);
  store = new MemoryStore();
  await ingestAddresses(store, addresses, embedder);
  records = [];
  for await (const record of store.records()) records.push(record);
  for (const a of addresses) textOf.set(a.source, a.text);
});

/** Every document cites its source exactly: source text.slice(start, end) is the page content. */
function expectExactCitations(docs: DocumentInterface[]): void {
  for (const doc of docs) {
    const { source, start, end } = doc.metadata as { source: string; start: number; end: number };
    expect(textOf.get(source)?.slice(start, end)).toBe(doc.pageContent);
  }
}

describe('ChunkwiseRetriever', () => {
  it('is a LangChain BaseRetriever: BM25 hits of a store as Documents with source, exact offsets, metadata and score', async () => {
    const retriever = new ChunkwiseRetriever({ store, k: 5 });
    expect(retriever).toBeInstanceOf(BaseRetriever);
    const query = 'health insurance costs for working families';
    const docs = await retriever.invoke(query);
    const expected = await store.searchText(query, { k: 5 });
    expect(docs.map((d) => d.id)).toEqual(expected.map((h) => h.id));
    expect(docs.map((d) => d.metadata.score)).toEqual(expected.map((h) => h.score));
    expect(docs[0]!.metadata).toMatchObject({ president: expect.any(String), year: expect.any(Number), source: expect.stringMatching(/^sotu\//) });
    expectExactCitations(docs);
  });

  it('runs in a real chain: retriever → prompt → fake chat model → output parser', async () => {
    const retriever = new ChunkwiseRetriever({ store, k: 3 });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer from the context, citing [source start-end].\n{context}'],
      ['human', '{question}'],
    ]);
    const formatDocs = RunnableLambda.from((docs: DocumentInterface[]) => docs.map((d) => `[${String(d.metadata.source)} ${String(d.metadata.start)}-${String(d.metadata.end)}] ${d.pageContent}`).join('\n\n'));
    const chain = RunnableSequence.from([{ context: retriever.pipe(formatDocs), question: new RunnablePassthrough() }, prompt, new FakeChatModel({}), new StringOutputParser()]);
    const question = 'What did the President say about the national debt and the deficit?';
    const answer = await chain.invoke(question);
    // FakeChatModel answers with the messages it was given: the prompt carried the top passages and their citations.
    const top = await retriever.invoke(question);
    expect(top).toHaveLength(3);
    for (const doc of top) expect(answer).toContain(`[${String(doc.metadata.source)} ${String(doc.metadata.start)}-${String(doc.metadata.end)}] ${doc.pageContent}`);
    expect(answer.endsWith(question)).toBe(true);
    // The same chain streams and batches as any LangChain runnable.
    expect(await chain.batch([question, 'tax relief for small business'])).toHaveLength(2);
  });

  it('dense mode embeds the query with the Embedder and finds the record with the same embedding first', async () => {
    const retriever = new ChunkwiseRetriever({ store, mode: 'dense', embedder, k: 4 });
    for (const record of records.filter((_, i) => i % 37 === 3).slice(0, 6)) {
      const docs = await retriever.invoke(record.text);
      expect(docs[0]?.metadata.score).toBeCloseTo(1, 5);
      expect(docs.map((d) => d.pageContent)).toContain(record.text);
      const [vector] = await embedder.embed([record.text]);
      expect(docs.map((d) => d.id)).toEqual((await store.searchVector(vector!, { k: 4 })).map((h) => h.id));
    }
  });

  it('hybrid mode is reciprocal rank fusion of the top max(k, fusionDepth) of the BM25 and dense rankings (k = 60)', async () => {
    for (const [options, depth] of [[{}, 10], [{ fusionDepth: 30 }, 30], [{ fusionDepth: 3, weights: [1, 0.5] as const }, 6]] as const) {
      const retriever = new ChunkwiseRetriever({ store, mode: 'hybrid', embedder, k: 6, ...options });
      for (const query of ['jobs and the economy', 'our troops in Iraq and Afghanistan', 'clean energy']) {
        const [vector] = await embedder.embed([query]);
        const lists = [await store.searchText(query, { k: depth }), await store.searchVector(vector!, { k: depth })];
        const expected = reciprocalRankFusion(lists, { limit: 6, ...('weights' in options && { weights: options.weights }) });
        const docs = await retriever.invoke(query);
        expect(docs.map((d) => [d.id, d.metadata.score])).toEqual(expected.map((h) => [h.id, h.score]));
        expectExactCitations(docs);
      }
    }
  });

  it('filters on metadata in every mode', async () => {
    const year = addresses[2]!.year;
    for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
      const docs = await new ChunkwiseRetriever({ store, mode, embedder, filter: { year }, k: 8 }).invoke('the state of our union');
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) expect(doc.metadata.year).toBe(year);
    }
  });

  it('with context: fills the token budget with selectContext, one document per passage in document order, citing exact offsets', async () => {
    for (const strategy of ['top-k', 'score-drop', 'knapsack', 'search'] as const) {
      const retriever = new ChunkwiseRetriever({ store, mode: 'hybrid', embedder, context: { budgetTokens: 400, tokenizer: words, strategy } });
      const docs = await retriever.invoke('education, schools and teachers');
      expect(docs.length).toBeGreaterThan(0);
      const tokens = docs.reduce((sum, d) => sum + (d.metadata.tokens as number), 0);
      expect(tokens).toBeLessThanOrEqual(400);
      expect(words.count(docs.map((d) => d.pageContent).join('\n\n'))).toBeLessThanOrEqual(400);
      for (let i = 1; i < docs.length; i++) {
        const [a, b] = [docs[i - 1]!.metadata, docs[i]!.metadata] as { source: string; start: number }[];
        expect(a!.source < b!.source || (a!.source === b!.source && a!.start < b!.start)).toBe(true);
      }
      for (const doc of docs) expect(doc.metadata.ids).toEqual([doc.id]);
      expectExactCitations(docs);
    }
  });

  it('over a BM25Index and a VectorIndex gives what the store gives for the same records (property)', async () => {
    const bm25 = new BM25Index();
    const vectors = new VectorIndex({ dimensions: 16 });
    for (const r of records) {
      bm25.add(r.id, r.text);
      if (r.vector) vectors.add(r.id, r.vector);
    }
    const byId = new Map(records.map((r) => [r.id, r]));
    const documents = (id: string) => {
      const r = byId.get(id);
      return r && { text: r.text, ...(r.meta && { meta: r.meta }) };
    };
    const sentences = records.flatMap((r) => r.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 30);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sentences), fc.constantFrom('bm25', 'dense', 'hybrid' as const), fc.integer({ min: 1, max: 8 }), async (query, mode, k) => {
        const overIndex = await new ChunkwiseRetriever({ index: bm25, vectors, documents, mode, embedder, k }).invoke(query);
        const overStore = await new ChunkwiseRetriever({ store, mode, embedder, k }).invoke(query);
        expect(overIndex.map((d) => [d.id, d.pageContent, d.metadata])).toEqual(overStore.map((d) => [d.id, d.pageContent, d.metadata]));
      }),
      { numRuns: 30, seed: 4 },
    );
  });

  it('refuses a wrong setup with INVALID_ARGUMENT, at construction', () => {
    const codeOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return isChunkwiseError(error) ? error.code : `untyped: ${String(error)}`;
      }
      return 'no error';
    };
    expect(codeOf(() => new ChunkwiseRetriever({}))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, index: new BM25Index() }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, mode: 'dense' }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, mode: 'semantic' as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ index: new BM25Index() }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ index: new BM25Index(), documents: () => undefined, mode: 'hybrid', embedder }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, k: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, fusionDepth: 0 }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, weights: [1] as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store, filter: { year: [2001] as never } }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever({ store: {} as never }))).toBe('INVALID_ARGUMENT');
    expect(codeOf(() => new ChunkwiseRetriever(null as never))).toBe('INVALID_ARGUMENT');
  });

  it('passes Chunkwise errors through the chain: a query that is not a string, a budget that is not a number', async () => {
    const error = await new ChunkwiseRetriever({ store }).invoke(42 as never).catch((e: unknown) => e);
    expect(isChunkwiseError(error) && error.code).toBe('INVALID_ARGUMENT');
    const budget = await new ChunkwiseRetriever({ store, context: { budgetTokens: 0, tokenizer: words } }).invoke('taxes').catch((e: unknown) => e);
    expect(isChunkwiseError(budget) && budget.code).toBe('INVALID_ARGUMENT');
  });
});
