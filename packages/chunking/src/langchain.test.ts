import { describe, expect, it } from 'vitest';
import { o200k_base } from '@chunkwise/tokenizers/o200k_base';
import { Document } from '@langchain/core/documents';
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

describe('ChunkwiseTextSplitter chunkHeaderOptions', () => {
  const text = mobyDick().slice(0, 6_000);
  const metadata = { source: 'moby.txt', loc: { pageNumber: 3 } };

  it('prefixes pageContent exactly as LangChain’s own TextSplitter does, keeping exact offsets of the chunk', async () => {
    const splitter = new ChunkwiseTextSplitter({ chunkSize: 120, chunkOverlap: 20, tokenizer: o200k_base });
    for (const options of [
      { chunkHeader: 'DOCUMENT NAME: moby.txt\n\n' },
      { chunkHeader: '[moby] ', appendChunkOverlapHeader: true },
      { chunkHeader: '', chunkOverlapHeader: '(continued) ', appendChunkOverlapHeader: true },
      {},
    ]) {
      const ours = await splitter.createDocuments([text], [metadata], options);
      // LangChain's implementation of the same method, run on the same pieces (splitText).
      const theirs = await TextSplitter.prototype.createDocuments.call(splitter, [text], [metadata], options);
      expect(ours.map((document) => document.pageContent)).toEqual(theirs.map((document) => document.pageContent));
      expect(ours.length).toBeGreaterThan(3);
      for (const document of ours) {
        const loc = document.metadata.loc as { start: number; end: number; pageNumber: number };
        // The header is not part of the source: loc still slices the chunk itself.
        expect(document.pageContent.endsWith(text.slice(loc.start, loc.end))).toBe(true);
        expect(loc.pageNumber).toBe(3);
      }
    }
  });

  it('passes chunkHeaderOptions through splitDocuments and transformDocuments', async () => {
    const splitter = new ChunkwiseTextSplitter({ chunkSize: 120, tokenizer: o200k_base });
    const input = [new Document({ pageContent: text, metadata })];
    for (const documents of [
      await splitter.splitDocuments(input, { chunkHeader: 'H: ' }),
      await splitter.transformDocuments(input, { chunkHeader: 'H: ' }),
    ]) {
      expect(documents.length).toBeGreaterThan(3);
      expect(documents.every((document) => document.pageContent.startsWith('H: '))).toBe(true);
    }
  });
});
