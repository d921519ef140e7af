import { MarkdownChunker, RecursiveChunker, SentenceChunker, TokenChunker, type BaseChunkerOptions, type Chunker } from '@chunkwise/chunking';
import type { Chunk } from '@chunkwise/core';
import { tokenizerChoice } from './tokenizer-choices.js';

export interface ChunkStrategy {
  id: string;
  label: string;
  /** The class behind the label, named in summaries. */
  className: string;
  create(options: BaseChunkerOptions): Chunker;
}

export const CHUNK_STRATEGIES: readonly ChunkStrategy[] = [
  { id: 'recursive', label: 'Recursive (plain)', className: 'RecursiveChunker', create: (options) => new RecursiveChunker(options) },
  { id: 'recursive-markdown', label: 'Recursive (markdown)', className: 'RecursiveChunker', create: (options) => new RecursiveChunker({ ...options, recipe: 'markdown' }) },
  { id: 'sentence', label: 'Sentence', className: 'SentenceChunker', create: (options) => new SentenceChunker(options) },
  { id: 'markdown', label: 'Markdown', className: 'MarkdownChunker', create: (options) => new MarkdownChunker(options) },
  { id: 'token', label: 'Token windows', className: 'TokenChunker', create: (options) => new TokenChunker(options) },
];

export interface ChunkConfig {
  strategy: string;
  tokenizer: string;
  maxTokens: number;
  overlap: number;
}

export const DEFAULT_CHUNK_CONFIG: ChunkConfig = { strategy: 'recursive', tokenizer: 'o200k_base', maxTokens: 128, overlap: 0 };

/** Chunks a text with a config, exactly as a user of @chunkwise/chunking would. */
export async function chunkText(text: string, config: ChunkConfig): Promise<Chunk[]> {
  const strategy = CHUNK_STRATEGIES.find((candidate) => candidate.id === config.strategy);
  if (!strategy) throw new Error(`Unknown chunking strategy ${JSON.stringify(config.strategy)}.`);
  const tokenizer = await tokenizerChoice(config.tokenizer).load();
  return strategy.create({ tokenizer, maxTokens: config.maxTokens, overlap: config.overlap }).chunk(text);
}

/**
 * The chunk settings the Chunks view edits and the Search view indexes with, and the chunks of the
 * current text under them, computed once per (text, settings) pair.
 */
export class ChunkSettings {
  #config: ChunkConfig = { ...DEFAULT_CHUNK_CONFIG };
  #cache: { text: string; key: string; chunks: Promise<Chunk[]> } | undefined;
  readonly #listeners = new Set<() => void>();

  get config(): Readonly<ChunkConfig> {
    return this.#config;
  }

  update(config: Partial<ChunkConfig>): void {
    const next = { ...this.#config, ...config };
    if (JSON.stringify(next) === JSON.stringify(this.#config)) return;
    this.#config = next;
    for (const listener of this.#listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  chunks(text: string): Promise<Chunk[]> {
    const key = JSON.stringify(this.#config);
    if (this.#cache?.text !== text || this.#cache.key !== key) this.#cache = { text, key, chunks: chunkText(text, this.#config) };
    return this.#cache.chunks;
  }

  describe(): string {
    const { strategy, tokenizer, maxTokens, overlap } = this.#config;
    const found = CHUNK_STRATEGIES.find((candidate) => candidate.id === strategy);
    const label = found ? `${found.className} (${found.label.toLowerCase()})` : strategy;
    return `${label}, at most ${String(maxTokens)} ${tokenizer} tokens${overlap > 0 ? `, ${String(overlap)} overlap` : ''}`;
  }
}
