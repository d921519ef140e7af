import { RecursiveChunker } from '@chunkwise/chunking';
import { isChunkwiseError } from '@chunkwise/core';
import { getEncoding } from '@chunkwise/tokenizers';
import { describe, expect, it } from 'vitest';
import { mobyDickDataset } from '../../vite-plugins/dataset-assets.js';
import { DEFAULT_CHUNK_CONFIG } from './chunk-config.js';
import { ComputeSession } from './compute-session.js';

const chapter = mobyDickDataset(1).items[0]!.text;
const noTable = () => Promise.reject(new Error('no dense search in this test'));

describe('ComputeSession (what the worker runs)', () => {
  it('reports the chunks of the current text as typed arrays, each checked against text.slice', async () => {
    const session = new ComputeSession({ baseUrl: 'http://127.0.0.1/', vectorTable: noTable });
    session.setText(chapter, 1);
    const report = await session.chunks({ ...DEFAULT_CHUNK_CONFIG, maxTokens: 64 });
    const chunks = await new RecursiveChunker({ tokenizer: await getEncoding('o200k_base'), maxTokens: 64 }).chunk(chapter);
    expect(report.count).toBe(chunks.length);
    expect(Array.from(report.starts)).toEqual(chunks.map((chunk) => chunk.start));
    expect(Array.from(report.ends)).toEqual(chunks.map((chunk) => chunk.end));
    expect(Array.from(report.tokenCounts)).toEqual(chunks.map((chunk) => chunk.tokenCount));
    expect(report.inexact).toBe(0);
    expect(report.meta).toBeNull();
  });

  it('works on the text it was last given', async () => {
    const session = new ComputeSession({ baseUrl: 'http://127.0.0.1/', vectorTable: noTable });
    session.setText(chapter, 1);
    const first = await session.chunks(DEFAULT_CHUNK_CONFIG);
    session.setText(`${chapter}\n\n${chapter}`, 2);
    const second = await session.chunks(DEFAULT_CHUNK_CONFIG);
    expect(second.count).toBeGreaterThan(first.count);
    const search = await session.search(DEFAULT_CHUNK_CONFIG, { query: 'Ishmael', k: 50, retriever: 'bm25', budgetTokens: 100, strategy: 'top-k' });
    expect(search.chunkCount).toBe(second.count);
  });

  it('gives the chunker’s own INVALID_ARGUMENT for an overlap at the limit, and chunks again once it is lowered', async () => {
    const session = new ComputeSession({ baseUrl: 'http://127.0.0.1/', vectorTable: noTable });
    session.setText(chapter, 1);
    const failed = await session.chunks({ ...DEFAULT_CHUNK_CONFIG, strategy: 'token', maxTokens: 64, overlap: 64 }).catch((error: unknown) => error);
    expect(isChunkwiseError(failed, 'INVALID_ARGUMENT')).toBe(true);
    expect((failed as Error).message).toMatch(/overlap/i);
    expect((await session.chunks({ ...DEFAULT_CHUNK_CONFIG, strategy: 'token', maxTokens: 64, overlap: 63 })).count).toBeGreaterThan(0);
  });

  it('gives the first o200k token ids of the text, special-token look-alikes as text', async () => {
    const session = new ComputeSession({ baseUrl: 'http://127.0.0.1/', vectorTable: noTable });
    const text = `<|endoftext|> ${chapter}`;
    session.setText(text, 1);
    const o200k = await getEncoding('o200k_base');
    expect(Array.from(await session.prefixIds(256))).toEqual(Array.from(o200k.encodeOrdinary(text).subarray(0, 256)));
  });

  it('answers extractively from passages, streaming the text and ending with the checked result', async () => {
    const session = new ComputeSession({ baseUrl: 'http://127.0.0.1/', vectorTable: noTable });
    const passages = [{ id: 'text#0', text: chapter, docId: 'text', start: 0 }];
    const parts: unknown[] = [];
    for await (const part of session.answer({ question: 'What does Ishmael do when he feels grim about the mouth?', passages, method: 'extractive', targetWords: 60, llm: null }, new AbortController().signal)) parts.push(part);
    const finish = parts.at(-1) as { type: 'finish'; result: { text: string; citations: { text: string; start: number; end: number }[] } };
    expect(finish.type).toBe('finish');
    expect(finish.result.citations.length).toBeGreaterThan(0);
    for (const citation of finish.result.citations) expect(chapter.slice(citation.start, citation.end)).toBe(citation.text);
  });
});
