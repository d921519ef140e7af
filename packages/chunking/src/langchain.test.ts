import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { TextSplitter } from '@langchain/textsplitters';
import { expectChunkInvariants } from './__fixtures__/invariants.js';
import { mobyDick } from './__fixtures__/corpora.js';
import { ChunkwiseTextSplitter } from './langchain.js';
import { MarkdownChunker } from './markdown-chunker.js';

describe('ChunkwiseTextSplitter', () => {
  it('is a LangChain TextSplitter whose pieces are exact, token-limited chunks', async () => {
    const text = mobyDick().slice(0, 30_000);
    const splitter = new ChunkwiseTextSplitter({ chunkSize: 200, chunkOverlap: 20 });
    expect(splitter).toBeInstanceOf(TextSplitter);
    const pieces = await splitter.splitText(text);
    for (const piece of pieces) expect(o200k_base.count(piece)).toBeLessThanOrEqual(200);
    expect(pieces).toEqual((await splitter.chunker.chunk(text)).map((chunk) => chunk.text));
  });

  it('records exact offsets and lines in metadata.loc, even for repeated text', async () => {
    const text = 'The same line again.\n'.repeat(40);
    const splitter = new ChunkwiseTextSplitter({ chunkSize: 16, tokenizer: o200k_base });
    const documents = await splitter.createDocuments([text], [{ source: 'repeat.txt' }]);
    const chunks = documents.map((document, index) => {
      const loc = document.metadata.loc as { start: number; end: number; lines: { from: number; to: number } };
      expect(document.metadata.source).toBe('repeat.txt');
      expect(loc.lines.from).toBe(text.slice(0, loc.start).split('\n').length);
      return { text: document.pageContent, start: loc.start, end: loc.end, index, tokenCount: document.metadata.tokenCount as number };
    });
    expectChunkInvariants(text, chunks, o200k_base, { maxTokens: 16 });
  });

  it('takes any Chunkwise chunker, carrying its meta into metadata', async () => {
    const splitter = new ChunkwiseTextSplitter({ chunker: new MarkdownChunker({ maxTokens: 32 }) });
    const [document] = await splitter.createDocuments(['# Title\n\nBody text.']);
    expect(document?.metadata.headings).toEqual(['Title']);
  });
});
