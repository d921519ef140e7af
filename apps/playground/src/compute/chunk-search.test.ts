import { RecursiveChunker, TokenChunker } from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import { SifEmbedder } from '@chunkwise/providers/static';
import { BM25Index, englishAnalyzer, reciprocalRankFusion, selectContext, VectorIndex, type ContextHit, type ScoredId } from '@chunkwise/retrieval';
import { getEncoding } from '@chunkwise/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mobyDickDataset } from '../../vite-plugins/dataset-assets.js';
import { gloveVectors } from '../../vite-plugins/glove-subset.js';
import { ChunkSearch, type SearchRequest, type VectorTableSource } from './chunk-search.js';
import type { LoadedVectorTable } from './dense-index.js';

const chapters = mobyDickDataset(3).items.map((item) => item.text);
const text = chapters.join('\n\n');

let table: LoadedVectorTable;
const vectorTable: VectorTableSource = () => Promise.resolve(table);

beforeAll(async () => {
  const vectors = await gloveVectors();
  table = { vectors, words: vectors.size, dimensions: vectors.dimensions, bytes: vectors.toBytes().length, loadMs: 0 };
}, 300_000);

const request = (query: string, retriever: SearchRequest['retriever'], k = 6): SearchRequest => ({ query, k, retriever, budgetTokens: 300, strategy: 'top-k' });
const id = (chunk: Chunk): string => `text#${String(chunk.index)}`;

function bm25(chunks: readonly Chunk[], query: string, k: number): ScoredId[] {
  const index = new BM25Index({ analyzer: 'english' });
  index.addAll(chunks.map((chunk) => ({ id: id(chunk), doc: chunk.text })));
  return index.search(query, { k });
}

async function dense(chunks: readonly Chunk[], query: string, k: number): Promise<ScoredId[]> {
  const embedder = new SifEmbedder(table.vectors);
  embedder.fit(chunks.map((chunk) => chunk.text));
  const vectors = await embedder.embed(chunks.map((chunk) => chunk.text));
  const index = new VectorIndex({ dimensions: table.dimensions, metric: 'cosine' });
  vectors.forEach((vector, i) => {
    if (vector.some((value) => value !== 0)) index.add(id(chunks[i]!), vector);
  });
  return index.search((await embedder.embed([query]))[0]!, { k });
}

describe('ChunkSearch', () => {
  it('ranks with BM25 (english analyzer) and assembles the context selectContext picks, as the libraries do', async () => {
    const o200k = await getEncoding('o200k_base');
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 96 }).chunk(text);
    const report = await new ChunkSearch(chunks, o200k, vectorTable).search(request('whaling voyage to Nantucket', 'bm25'));
    const expected = bm25(chunks, 'whaling voyage to Nantucket', 6);
    expect(report.hits.map(({ id, score }) => ({ id, score }))).toEqual(expected);
    expect(report.terms).toEqual(['whale', 'voyag', 'nantucket']);
    for (const hit of report.hits) {
      const chunk = chunks[hit.chunkIndex]!;
      expect([hit.start, hit.end, hit.text, hit.docId]).toEqual([chunk.start, chunk.end, chunk.text, 'text']);
      // Marked: exactly the words whose english analysis is a query term.
      const words = [...hit.text.matchAll(/[\p{L}\p{N}]+/gu)].filter((word) => report.terms.includes(englishAnalyzer(word[0])[0] ?? ''));
      expect(hit.marks).toEqual(words.map((word) => [word.index, word.index + word[0].length]));
      expect(hit.marks.length).toBeGreaterThan(0);
    }
    const hits: ContextHit[] = expected.map(({ id: hitId, score }) => {
      const chunk = chunks[Number(hitId.slice(5))]!;
      return { id: hitId, score, text: chunk.text, docId: 'text', start: chunk.start, end: chunk.end, chunkIndex: chunk.index };
    });
    const context = selectContext(hits, { budgetTokens: 300, tokenizer: o200k, strategy: 'top-k' });
    expect(report.context?.passages.map((passage) => passage.id)).toEqual(context.passages.map((passage) => passage.id));
    expect(report.context?.tokens).toBe(context.tokens);
    expect(report.dense).toBeNull();
  });

  it('indexes chunks without a term (punctuation, stop words, emoji) and answers an empty or stop-word query with nothing', async () => {
    const o200k = await getEncoding('o200k_base');
    const odd = `${chapters[0]!}\n\n* * *\n\nthe of and\n\n🐋 🐋 🐋\n\n— … —\n`;
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 8 }).chunk(odd);
    expect(chunks.some((chunk) => new BM25Index({ analyzer: 'english' }).analyzeQuery(chunk.text).length === 0)).toBe(true);
    const search = new ChunkSearch(chunks, o200k, vectorTable);
    for (const query of ['', 'the of and', '🐋']) {
      const report = await search.search(request(query, 'bm25'));
      expect(report.hits).toEqual([]);
      expect(report.context).toBeNull();
      expect(report.chunkCount).toBe(chunks.length);
    }
    expect((await search.search(request('Ishmael', 'bm25'))).hits.length).toBeGreaterThan(0);
  });

  it('ranks dense (GloVe with SIF fitted on the chunks) and hybrid (RRF of both) as the libraries do', async () => {
    const o200k = await getEncoding('o200k_base');
    const chunks = await new TokenChunker({ tokenizer: o200k, maxTokens: 64, overlap: 16 }).chunk(text);
    const search = new ChunkSearch(chunks, o200k, vectorTable);
    const query = 'the sea and the ocean';
    const semantic = await dense(chunks, query, 6);
    const report = await search.search(request(query, 'dense'));
    expect(report.hits.map(({ id, score }) => ({ id, score }))).toEqual(semantic);
    expect(report.dense).toMatchObject({ words: table.words, dimensions: 100, embedded: chunks.length, withoutVector: 0, queryKnown: true });
    const hybrid = await search.search(request(query, 'hybrid'));
    expect(hybrid.hits.map(({ id, score }) => ({ id, score }))).toEqual(reciprocalRankFusion([bm25(chunks, query, 6), semantic], { limit: 6 }));
  });

  it('leaves chunks without a known word out of dense search, and says when the query has none', async () => {
    const o200k = await getEncoding('o200k_base');
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 8 }).chunk(`${chapters[0]!.slice(0, 2000)}\n\n* * *\n\n1790 1791\n`);
    const search = new ChunkSearch(chunks, o200k, vectorTable);
    const known = await search.search(request('ocean voyage', 'dense', 100));
    expect(known.dense!.withoutVector).toBeGreaterThan(0);
    expect(known.dense!.embedded + known.dense!.withoutVector).toBe(chunks.length);
    expect(known.hits.length).toBe(known.dense!.embedded);
    expect(known.hits.every((hit) => Number.isFinite(hit.score))).toBe(true);
    const unknown = await search.search(request('ᚠᚢᚦ zzqxv', 'dense'));
    expect(unknown.dense!.queryKnown).toBe(false);
    expect(unknown.hits).toEqual([]);
  });

  it('builds the dense index once per set of chunks, reporting its progress', async () => {
    const o200k = await getEncoding('o200k_base');
    const chunks = await new RecursiveChunker({ tokenizer: o200k, maxTokens: 64 }).chunk(text);
    let loads = 0;
    const search = new ChunkSearch(chunks, o200k, () => {
      loads++;
      return Promise.resolve(table);
    });
    const messages: string[] = [];
    await search.search(request('whale', 'dense'), (message) => messages.push(message));
    await search.search(request('ship', 'hybrid'), (message) => messages.push(message));
    expect(loads).toBe(1);
    expect(messages[0]).toBe('Loading the GloVe word vectors…');
    expect(messages).toContain(`Fitting SIF word weights on ${String(chunks.length)} chunks…`);
    expect(messages.at(-1)).toMatch(/^Embedding chunks: 0 of /);
  });
});
