import { ChunkwiseError, type Chunk } from '@chunkwise/core';
import type { AnswerStreamPart } from '@chunkwise/summarization';
import type { AnswerRequest } from './answer-request.js';
import { GLOVE_SUBSET_PATH } from './asset-paths.js';
import { createConfiguredChunker, type ChunkConfig } from './chunk-config.js';
import { chunkReport, type ChunkReport } from './chunk-report.js';
import { ChunkSearch, type SearchReport, type SearchRequest, type VectorTableSource } from './chunk-search.js';
import type { LoadedVectorTable } from './dense-index.js';
import { TokenizerLoader } from './load-tokenizer.js';
import { tokenReport, type TokenReport } from './token-report.js';
import { tokenSpans } from './token-spans.js';

export interface ComputeSessionOptions {
  /** The page's URL: data files (Llama 3's tokenizer.json, the vector table) are fetched relative to it. */
  baseUrl: string;
  /** Where the word-vector table comes from; default: fetched from the page's data/ folder. */
  vectorTable?: VectorTableSource;
}

/**
 * Everything the page computes, kept next to the text it was computed for: the worker runs one
 * session, so a book is chunked once per setting and indexed once per chunking, whichever view
 * asks. Results are plain data for `postMessage`.
 */
export class ComputeSession {
  #text = '';
  #version = -1;
  readonly #tokenizers: TokenizerLoader;
  readonly #vectorTable: VectorTableSource;
  #chunks: { key: string; result: Promise<{ chunks: Chunk[]; ms: number }> } | undefined;
  #search: { key: string; search: Promise<ChunkSearch> } | undefined;
  #prefix: { version: number; ids: Promise<Uint32Array> } | undefined;

  constructor(options: ComputeSessionOptions) {
    this.#tokenizers = new TokenizerLoader(options.baseUrl);
    let table: Promise<LoadedVectorTable> | undefined;
    this.#vectorTable =
      options.vectorTable ??
      (() => {
        table ??= import('./dense-index.js').then(({ openVectorTable }) => openVectorTable(() => fetchBytes(new URL(GLOVE_SUBSET_PATH, options.baseUrl))));
        table.catch(() => (table = undefined));
        return table;
      });
  }

  setText(text: string, version: number): void {
    this.#text = text;
    this.#version = version;
  }

  async tokens(tokenizer: string, compare: string, maxPieces: number): Promise<TokenReport> {
    const text = this.#text;
    const [main, other] = await Promise.all([this.#tokenizers.load(tokenizer), this.#tokenizers.load(compare)]);
    return tokenReport(main, other, text, maxPieces);
  }

  async chunks(config: ChunkConfig): Promise<ChunkReport> {
    const text = this.#text;
    const { chunks, ms } = await this.#chunksOf(config);
    return chunkReport(text, chunks, ms);
  }

  async search(config: ChunkConfig, request: SearchRequest, onProgress?: (message: string) => void): Promise<SearchReport> {
    const key = this.#key(config);
    if (this.#search?.key !== key) {
      const search = Promise.all([this.#chunksOf(config), this.#tokenizers.load(config.tokenizer)]).then(([{ chunks }, tokenizer]) => new ChunkSearch(chunks, tokenizer, this.#vectorTable));
      this.#search = { key, search };
    }
    return (await this.#search.search).search(request, onProgress);
  }

  /** The first `count` o200k_base token ids of the text, special-token look-alikes as text (the attention view's stand-in queries and keys). */
  async prefixIds(count: number): Promise<Uint32Array> {
    if (this.#prefix?.version !== this.#version) {
      const text = this.#text;
      this.#prefix = { version: this.#version, ids: this.#tokenizers.load('o200k_base').then((o200k) => tokenSpans(o200k, text, 0).ids) };
    }
    return (await this.#prefix.ids).slice(0, count);
  }

  answer(request: AnswerRequest, signal: AbortSignal): AsyncGenerator<AnswerStreamPart, void, undefined> {
    // Loaded on the first answer: summarization and the HTTP client are not needed before.
    return (async function* () {
      const { streamAnswer } = await import('./answer-request.js');
      yield* streamAnswer(request, signal);
    })();
  }

  #key(config: ChunkConfig): string {
    return `${String(this.#version)}:${JSON.stringify(config)}`;
  }

  #chunksOf(config: ChunkConfig): Promise<{ chunks: Chunk[]; ms: number }> {
    const key = this.#key(config);
    if (this.#chunks?.key !== key) {
      const text = this.#text;
      const result = this.#tokenizers.load(config.tokenizer).then(async (tokenizer) => {
        const chunker = createConfiguredChunker(config, tokenizer);
        const started = performance.now();
        const chunks = await chunker.chunk(text);
        return { chunks, ms: performance.now() - started };
      });
      this.#chunks = { key, result };
    }
    return this.#chunks.result;
  }
}

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new ChunkwiseError('NOT_FOUND', `Could not load ${url.pathname} (HTTP ${String(response.status)}).`);
  return new Uint8Array(await response.arrayBuffer());
}
