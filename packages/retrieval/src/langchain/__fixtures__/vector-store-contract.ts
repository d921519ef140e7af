import { isChunkwiseError } from '@chunkwise/core';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { PromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { FakeChatModel, SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { VectorStore } from '@langchain/core/vectorstores';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../stores/store.js';
import { ChunkwiseRetriever, ChunkwiseVectorStore } from '../index.js';
import { sentenceChunks, sotuAddresses } from './sotu-addresses.js';

/** Vectors of this size: the stores that need a dimension up front are opened with it. */
export const DIMENSIONS = 8;

const codeOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (error: unknown) => (isChunkwiseError(error) ? error.code : `untyped: ${String(error)}`));

/** Passages of two addresses as LangChain documents, with flat and nested (text-splitter style) metadata. */
function sotuDocuments(): Document[] {
  return sotuAddresses(2).flatMap((a) =>
    sentenceChunks(a.text, 60)
      .slice(0, 40)
      .map((c) => new Document({ pageContent: c.text, metadata: { president: a.name, year: a.year, loc: { lines: { from: c.index * 3 + 1, to: c.index * 3 + 3 } } } })),
  );
}

/**
 * The LangChain VectorStore behaviour ChunkwiseVectorStore keeps on every Chunkwise backend, with
 * LangChain's own SyntheticEmbeddings as the embedding model.
 */
export function vectorStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`ChunkwiseVectorStore over ${name} (LangChain VectorStore contract)`, () => {
    const embeddings = new SyntheticEmbeddings({ vectorSize: DIMENSIONS });

    it('fromDocuments: each document is found first by its own text, with its metadata as it was', async () => {
      const docs = sotuDocuments();
      const vs = await ChunkwiseVectorStore.fromDocuments(docs, embeddings, { store: await open() });
      expect(vs).toBeInstanceOf(VectorStore);
      expect(await vs.store.count()).toBe(docs.length);
      for (const doc of docs.filter((_, i) => i % 9 === 0)) {
        const [[found, score]] = (await vs.similaritySearchWithScore(doc.pageContent, 1)) as [[DocumentInterface, number]];
        expect(found.pageContent).toBe(doc.pageContent);
        expect(found.metadata).toEqual(doc.metadata);
        expect(score).toBeCloseTo(1, 5);
      }
      await vs.store.close();
    });

    it('similaritySearchVectorWithScore ranks as the store does, and filters on flat metadata', async () => {
      const docs = sotuDocuments();
      const vs = await ChunkwiseVectorStore.fromDocuments(docs, embeddings, { store: await open() });
      const query = await embeddings.embedQuery('taxes on working families');
      const hits = await vs.similaritySearchVectorWithScore(query, 5);
      expect(hits.map(([d, s]) => [d.id, s])).toEqual((await vs.store.searchVector(query, { k: 5 })).map((h) => [h.id, h.score]));
      const year = docs[0]!.metadata.year as number;
      const filtered = await vs.similaritySearch('taxes on working families', 10, { year });
      expect(filtered.length).toBeGreaterThan(0);
      for (const doc of filtered) expect(doc.metadata.year).toBe(year);
      await vs.store.close();
    });

    it('addDocuments returns ids (given, the document id, or new UUIDs) and upserts by id', async () => {
      const vs = new ChunkwiseVectorStore(embeddings, { store: await open() });
      const given = await vs.addDocuments([new Document({ pageContent: 'alpha whale' }), new Document({ pageContent: 'beta ship' })], { ids: ['a', 'b'] });
      expect(given).toEqual(['a', 'b']);
      const own = await vs.addDocuments([new Document({ pageContent: 'gamma sea', id: 'g' })]);
      expect(own).toEqual(['g']);
      const [fresh] = await vs.addDocuments([new Document({ pageContent: 'delta harpoon' })]);
      expect(fresh).toMatch(/^[0-9a-f-]{36}$/);
      await vs.addDocuments([new Document({ pageContent: 'alpha whale, replaced', metadata: { v: 2 } })], { ids: ['a'] });
      expect(await vs.store.count()).toBe(4);
      expect((await vs.similaritySearch('alpha whale, replaced', 1))[0]).toMatchObject({ id: 'a', pageContent: 'alpha whale, replaced', metadata: { v: 2 } });
      await vs.store.close();
    });

    it('delete by ids and by source; an unknown id is NOT_FOUND and deletes nothing', async () => {
      const vs = await ChunkwiseVectorStore.fromTexts(['one whale', 'two whales', 'three ships'], [{ source: 'a.txt' }, { source: 'a.txt' }, { source: 'b.txt' }], embeddings, { store: await open() });
      const ids = (await vs.similaritySearch('whale', 3)).map((d) => d.id as string);
      expect(await codeOf(vs.delete({ ids: [ids[0]!, 'nope'] }))).toBe('NOT_FOUND');
      expect(await vs.store.count()).toBe(3);
      await vs.delete({ source: 'a.txt' });
      expect((await vs.similaritySearch('whale', 3)).map((d) => d.pageContent)).toEqual(['three ships']);
      const [last] = await vs.similaritySearch('ships', 1);
      await vs.delete({ ids: [last!.id as string] });
      expect(await vs.store.count()).toBe(0);
      expect(await codeOf(vs.delete())).toBe('INVALID_ARGUMENT');
      await vs.store.close();
    });

    it('keeps any JSON metadata exactly (property)', async () => {
      const vs = new ChunkwiseVectorStore(embeddings, { store: await open() });
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== 'lc_metadata' && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 })), async (metadata) => {
          const id = `m${n++}`;
          await vs.addDocuments([new Document({ pageContent: `record ${id} of the voyage`, metadata })], { ids: [id] });
          const [found] = await vs.similaritySearch(`record ${id} of the voyage`, 1, undefined);
          expect(found?.id).toBe(id);
          expect(found?.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
          // One record at a time: synthetic embeddings of similar texts are near-identical.
          await vs.delete({ ids: [id] });
        }),
        { numRuns: 40, seed: 9 },
      );
      await vs.store.close();
    });

    it('maxMarginalRelevanceSearch picks the nearest first, then a different passage over a near-duplicate', async () => {
      const vs = await ChunkwiseVectorStore.fromTexts(['the white whale', 'the white whales', 'a ship at sea sailing'], {}, embeddings, { store: await open() });
      const nearest = await vs.similaritySearch('the white whale', 2);
      expect(nearest.map((d) => d.pageContent)).toEqual(['the white whale', 'the white whales']);
      const docs = await vs.maxMarginalRelevanceSearch('the white whale', { k: 2, fetchK: 3, lambda: 0.3 });
      expect(docs.map((d) => d.pageContent)).toEqual(['the white whale', 'a ship at sea sailing']);
      await vs.store.close();
    });

    it('asRetriever in a real chain (retriever → prompt → fake chat model → parser), and ChunkwiseRetriever BM25 on the same store', async () => {
      const vs = await ChunkwiseVectorStore.fromDocuments(sotuDocuments(), embeddings, { store: await open() });
      const prompt = PromptTemplate.fromTemplate('Context:\n{context}\n\nQuestion: {question}');
      const join = RunnableLambda.from((docs: DocumentInterface[]) => docs.map((d) => d.pageContent).join('\n'));
      const chain = RunnableSequence.from([{ context: vs.asRetriever({ k: 2 }).pipe(join), question: new RunnablePassthrough() }, prompt, new FakeChatModel({}), new StringOutputParser()]);
      const question = 'the economy and jobs';
      const answer = await chain.invoke(question);
      for (const doc of await vs.similaritySearch(question, 2)) expect(answer).toContain(doc.pageContent);
      const lexical = await new ChunkwiseRetriever({ store: vs.store, k: 3 }).invoke('jobs');
      expect(lexical.length).toBe(3);
      for (const doc of lexical) expect(doc.pageContent.toLowerCase()).toContain('jobs');
      await vs.store.close();
    });

    it('refuses what it cannot store with INVALID_ARGUMENT (and stores nothing)', async () => {
      const vs = new ChunkwiseVectorStore(embeddings, { store: await open() });
      expect(await codeOf(vs.addVectors([[1, 2, 3, 4, 5, 6, 7, 8]], []))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(vs.addDocuments([{ pageContent: 42 } as never]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(vs.addDocuments([new Document({ pageContent: 'x', metadata: { lc_metadata: 'mine' } })]))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(vs.addDocuments([new Document({ pageContent: 'x' }), new Document({ pageContent: 'y' })], { ids: ['same', 'same'] }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(ChunkwiseVectorStore.fromTexts(['a', 'b'], [{}], embeddings, { store: vs.store }))).toBe('INVALID_ARGUMENT');
      expect(await vs.store.count()).toBe(0);
      // A record whose lc_metadata someone else wrote, and is not JSON: CORRUPT_DATA, not a SyntaxError.
      await vs.store.upsert([{ id: 'foreign', text: 'a foreign record', meta: { lc_metadata: '{not json' }, vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
      expect(await codeOf(vs.similaritySearchVectorWithScore([1, 0, 0, 0, 0, 0, 0, 0], 1))).toBe('CORRUPT_DATA');
      await vs.store.close();
    });
  });
}
