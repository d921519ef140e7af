import { Document } from '@langchain/core/documents';
import { TextSplitter, type TextSplitterParams } from '@langchain/textsplitters';
import type { Chunk, Tokenizer } from '@chunkwise/core';
import type { Chunker } from './chunker.js';
import { createChunker } from './create-chunker.js';

export interface ChunkwiseTextSplitterParams extends Partial<Pick<TextSplitterParams, 'chunkSize' | 'chunkOverlap'>> {
  /** Any Chunkwise chunker; when given, chunkSize/chunkOverlap only inform LangChain's own fields. */
  chunker?: Chunker;
  /** A strategy for `createChunker` when no chunker is given. Default `'recursive'`. */
  strategy?: string;
  /** Tokenizer or encoding name; `chunkSize` and `chunkOverlap` are in its tokens. Default `'o200k_base'`. */
  tokenizer?: Tokenizer | string;
}

/**
 * A LangChain `TextSplitter` backed by a Chunkwise chunker, so switching is one line:
 * `new RecursiveCharacterTextSplitter({ chunkSize: 512 })` → `new ChunkwiseTextSplitter({ chunkSize: 512 })`.
 * Sizes are tokens, hard limits with overlap inside; `createDocuments` records exact offsets in
 * `metadata.loc` (`start`/`end` in UTF-16 code units, and `lines.from`/`lines.to`) instead of
 * searching for the chunk text (langchainjs #2131, #1977).
 */
export class ChunkwiseTextSplitter extends TextSplitter {
  readonly chunker: Chunker;

  constructor(params: ChunkwiseTextSplitterParams = {}) {
    const chunkSize = params.chunkSize ?? params.chunker?.maxTokens ?? 512;
    const chunkOverlap = params.chunkOverlap ?? params.chunker?.overlap ?? 0;
    super({ chunkSize, chunkOverlap });
    this.chunker =
      params.chunker ??
      createChunker(params.strategy ?? 'recursive', {
        maxTokens: chunkSize,
        overlap: chunkOverlap,
        ...(params.tokenizer === undefined ? {} : { tokenizer: params.tokenizer }),
      });
  }

  async splitText(text: string): Promise<string[]> {
    return (await this.chunker.chunk(text)).map((chunk) => chunk.text);
  }

  /** Chunks of each text with exact offsets in `metadata.loc` and the token count in `metadata.tokenCount`. */
  override async createDocuments(texts: string[], metadatas: Record<string, unknown>[] = []): Promise<Document[]> {
    const documents: Document[] = [];
    for (const [i, text] of texts.entries()) {
      const chunks: Chunk[] = await this.chunker.chunk(text);
      for (const chunk of chunks) {
        const from = lineOf(text, chunk.start);
        const to = from + countNewlines(chunk.text.slice(0, Math.max(0, chunk.text.length - 1)));
        documents.push(
          new Document({
            pageContent: chunk.text,
            metadata: {
              ...(metadatas[i] ?? {}),
              loc: { start: chunk.start, end: chunk.end, lines: { from, to } },
              tokenCount: chunk.tokenCount,
              ...(chunk.meta ?? {}),
            },
          }),
        );
      }
    }
    return documents;
  }
}

function countNewlines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** 1-based line number of `offset`. */
function lineOf(text: string, offset: number): number {
  return countNewlines(text.slice(0, offset)) + 1;
}
