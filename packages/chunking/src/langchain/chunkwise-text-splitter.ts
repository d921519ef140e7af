import { Document } from '@langchain/core/documents';
import { TextSplitter, type TextSplitterChunkHeaderOptions, type TextSplitterParams } from '@langchain/textsplitters';
import { ChunkwiseError, type Chunk, type Tokenizer } from '@chunkwise/core';
import { describeValue, validateLimits, validateText } from '../chunk-options.js';
import type { Chunker } from '../chunker.js';
import { createChunker } from '../create-chunker.js';

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
    // Checked before LangChain's constructor, which answers a bad overlap with a plain Error.
    if (typeof params !== 'object' || params === null) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `ChunkwiseTextSplitter takes an options object, got ${describeValue(params)}.`);
    }
    const given = params.chunker;
    if (given !== undefined && (typeof given !== 'object' || given === null || typeof (given as Partial<Chunker>).chunk !== 'function')) {
      throw new ChunkwiseError('INVALID_ARGUMENT', `chunker must be a Chunkwise chunker (an object with chunk()), got ${describeValue(given)}.`);
    }
    const chunkSize = params.chunkSize ?? given?.maxTokens ?? 512;
    const chunkOverlap = params.chunkOverlap ?? given?.overlap ?? 0;
    validateLimits(chunkSize, chunkOverlap);
    if (params.strategy !== undefined && typeof params.strategy !== 'string') {
      throw new ChunkwiseError('INVALID_ARGUMENT', `strategy must be a strategy name, got ${describeValue(params.strategy)}.`);
    }
    const chunker =
      given ??
      createChunker(params.strategy ?? 'recursive', {
        maxTokens: chunkSize,
        overlap: chunkOverlap,
        ...(params.tokenizer === undefined ? {} : { tokenizer: params.tokenizer }),
      });
    super({ chunkSize, chunkOverlap });
    this.chunker = chunker;
  }

  async splitText(text: string): Promise<string[]> {
    validateText(text, 'splitText()');
    return (await this.chunker.chunk(text)).map((chunk) => chunk.text);
  }

  /**
   * Chunks of each text with exact offsets in `metadata.loc` (merged into a `loc` the metadata
   * already has, e.g. a PDF loader's `pageNumber`) and the token count in `metadata.tokenCount`.
   * `chunkHeaderOptions` work as in LangChain's `TextSplitter`: `pageContent` is `chunkHeader`, then
   * `chunkOverlapHeader` on every chunk after a text's first when `appendChunkOverlapHeader`, then
   * the chunk. The header is not part of the source: `loc` and `tokenCount` describe the chunk alone.
   */
  override async createDocuments(
    texts: string[],
    metadatas: Record<string, unknown>[] = [],
    chunkHeaderOptions: TextSplitterChunkHeaderOptions = {},
  ): Promise<Document[]> {
    if (!Array.isArray(texts)) throw new ChunkwiseError('INVALID_ARGUMENT', `createDocuments() takes an array of strings, got ${describeValue(texts)}.`);
    if (!Array.isArray(metadatas)) throw new ChunkwiseError('INVALID_ARGUMENT', `createDocuments() takes an array of metadata objects, got ${describeValue(metadatas)}.`);
    const { chunkHeader = '', chunkOverlapHeader = "(cont'd) ", appendChunkOverlapHeader = false } = validHeaderOptions(chunkHeaderOptions);
    const documents: Document[] = [];
    for (const [i, text] of texts.entries()) {
      const metadata = metadatas[i] ?? {};
      const givenLoc = typeof metadata.loc === 'object' && metadata.loc !== null ? (metadata.loc as Record<string, unknown>) : {};
      const chunks: Chunk[] = await this.chunker.chunk(text);
      for (const [k, chunk] of chunks.entries()) {
        const from = lineOf(text, chunk.start);
        const to = from + countNewlines(chunk.text.slice(0, Math.max(0, chunk.text.length - 1)));
        const header = k > 0 && appendChunkOverlapHeader ? chunkHeader + chunkOverlapHeader : chunkHeader;
        documents.push(
          new Document({
            pageContent: header + chunk.text,
            metadata: {
              ...metadata,
              loc: { ...givenLoc, start: chunk.start, end: chunk.end, lines: { from, to } },
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

function validHeaderOptions(options: unknown): TextSplitterChunkHeaderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ChunkwiseError('INVALID_ARGUMENT', `chunkHeaderOptions must be an object, got ${describeValue(options)}.`);
  }
  const { chunkHeader, chunkOverlapHeader, appendChunkOverlapHeader } = options as Record<string, unknown>;
  for (const [name, value] of [
    ['chunkHeader', chunkHeader],
    ['chunkOverlapHeader', chunkOverlapHeader],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') throw new ChunkwiseError('INVALID_ARGUMENT', `${name} must be a string, got ${describeValue(value)}.`);
  }
  if (appendChunkOverlapHeader !== undefined && typeof appendChunkOverlapHeader !== 'boolean') {
    throw new ChunkwiseError('INVALID_ARGUMENT', `appendChunkOverlapHeader must be a boolean, got ${describeValue(appendChunkOverlapHeader)}.`);
  }
  return options as TextSplitterChunkHeaderOptions;
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
